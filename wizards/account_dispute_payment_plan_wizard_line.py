# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDisputePaymentPlanWizardLine(models.TransientModel):
    _name = "account.dispute.payment.plan.wizard.line"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Payment Plan Installment to Agree"
    _order = "date, id"

    wizard_id = fields.Many2one(
        comodel_name="account.dispute.payment.plan.wizard",
        required=True,
        ondelete="cascade",
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    date = fields.Date(string="Due Date", required=True)
    amount = fields.Monetary(required=True)
