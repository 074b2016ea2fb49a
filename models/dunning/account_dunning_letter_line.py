# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDunningLetterLine(models.Model):
    """One row of what a letter claims, and how it was computed.

    The rows are plain values: computed when the letter is prepared, again
    while it is a draft and when it is sent, then never again, so that a sent
    letter keeps what it stated whatever the configuration becomes.
    """

    _name = "account.dunning.letter.line"
    _inherit = "account.claim.line.mixin"
    _claim_field = "letter_id"
    _description = "Dunning Letter Line"
    _order = "letter_id, sequence, date_due, id"

    letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        required=True,
        ondelete="cascade",
        index=True,
    )
    # Stored for the company rule, which every read of the rows applies.
    company_id = fields.Many2one(related="letter_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="letter_id.currency_id")
