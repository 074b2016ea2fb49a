# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDisputeOpenWizardLine(models.TransientModel):
    _name = "account.dispute.open.wizard.line"
    _description = "Amount Contested on an Invoice of a Dispute to Open"

    wizard_id = fields.Many2one(
        comodel_name="account.dispute.open.wizard",
        required=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(
        string="Amount Due", related="move_id.amount_residual"
    )
    amount_disputed = fields.Monetary(
        string="Amount Contested",
        help="The part of the invoice the customer contests, at most what is "
        "left to pay on it. The rest of the invoice stays due on its own dates.",
    )
