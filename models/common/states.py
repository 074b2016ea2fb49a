# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The states that several concerns test, each defined once."""

# Odoo's ``account.move.payment_state`` values of an invoice that still has
# something to pay (Odoo's own behaviour: "in_payment" is paid but not yet
# reconciled with the bank, "paid" and "reversed" owe nothing).
UNPAID_PAYMENT_STATES = ("not_paid", "partial")

# States of a dunning letter that went out: what it states and claims is
# frozen and kept as evidence (the indemnity it claimed is not claimed again,
# its formal notice's date stands). "email_error": it went out but its e-mail
# did not reach the customer; it waits for a person to e-mail it again or post
# it (models/dunning/account_dunning_letter_email.py). What depends on the
# customer having received the letter (the recourse alert) takes "sent" only.
ISSUED_STATES = ("sent", "email_error")
