# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).

# States of a dunning letter that went out: what it states and claims is
# frozen and kept as evidence (the indemnity it claimed is not claimed again,
# its formal notice's date stands). "email_error": it went out but its e-mail
# did not reach the customer; it waits for a person to e-mail it again or post
# it (models/account_dunning_letter_email.py). What depends on the customer
# having received the letter (the recourse alert) takes "sent" only.
ISSUED_STATES = ("sent", "email_error")
