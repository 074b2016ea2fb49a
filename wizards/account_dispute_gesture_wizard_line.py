# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDisputeGestureWizardLine(models.TransientModel):
    _name = "account.dispute.gesture.wizard.line"
    _description = "Commercial Gesture Line"

    wizard_id = fields.Many2one(
        comodel_name="account.dispute.gesture.wizard",
        required=True,
        ondelete="cascade",
    )
    invoice_line_id = fields.Many2one(
        comodel_name="account.move.line",
        required=True,
        ondelete="cascade",
    )
    name = fields.Char(related="invoice_line_id.name")
    quantity_invoiced = fields.Float(
        related="invoice_line_id.quantity", string="Invoiced"
    )
    price_unit = fields.Float(related="invoice_line_id.price_unit")
    quantity = fields.Float(
        string="To Credit",
        digits="Product Unit of Measure",
        help="The quantity to credit; 0 leaves the line out.",
    )
