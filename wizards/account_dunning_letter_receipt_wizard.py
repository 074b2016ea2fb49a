# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDunningLetterReceiptWizard(models.TransientModel):
    """Record the acknowledgement of receipt of a sent registered letter."""

    _name = "account.dunning.letter.receipt.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Record the Acknowledgement of Receipt"

    letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    registered_mail_ref = fields.Char(
        string="Registered Letter Number",
        required=True,
        help="The number printed on the registered letter's receipt and on its "
        "acknowledgement.",
    )
    date_received = fields.Date(
        string="Received On",
        required=True,
        help="The date the customer signed for the letter, on the "
        "acknowledgement of receipt: the days to pay run from it.",
    )

    def action_confirm(self):
        """Record the number and the date on the letter.

        :raises UserError: the letter is not a sent registered letter.
        :raises ValidationError: the date is before the letter's or to come.
        """
        self.ensure_one()
        self.letter_id._record_receipt(self.registered_mail_ref, self.date_received)
        return {"type": "ir.actions.act_window_close"}
