# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class AccountDisputePaymentPlanLine(models.Model):
    _name = "account.dispute.payment.plan.line"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Payment Plan Installment"
    _order = "plan_id, date, id"

    plan_id = fields.Many2one(
        comodel_name="account.dispute.payment.plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    date = fields.Date(string="Due Date", required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(
        compute="_compute_amount_paid",
        store=True,
        help="The part of the payments received since the plan was agreed that "
        "goes to this installment, oldest installment first.",
    )
    state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("partial", "Partially Paid"),
            ("paid", "Paid"),
        ],
        compute="_compute_amount_paid",
        store=True,
        index=True,
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount > 0)",
            "An installment must be of a positive amount.",
        ),
    ]

    @api.depends(
        "plan_id.amount_paid", "plan_id.line_ids.amount", "plan_id.line_ids.date"
    )
    def _compute_amount_paid(self):
        """The plan's payments go to its installments oldest first; amounts
        are compared after rounding in the plan's currency."""
        for line in self:
            currency = line.currency_id
            earlier = line.plan_id.line_ids.filtered(
                lambda x, line=line: (x.date, x.id) < (line.date, line.id)
            )
            available = currency.round(
                line.plan_id.amount_paid - sum(earlier.mapped("amount"))
            )
            if currency.compare_amounts(available, line.amount) >= 0:
                line.amount_paid = line.amount
                line.state = "paid"
            elif currency.compare_amounts(available, 0.0) > 0:
                line.amount_paid = available
                line.state = "partial"
            else:
                line.amount_paid = 0.0
                line.state = "pending"

    @api.constrains("amount")
    def _check_plan_total(self):
        self.plan_id._check_line_total()
