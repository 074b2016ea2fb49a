# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..models.dispute.account_dispute_payment_plan import INTERVAL_TYPE_SELECTION


class AccountDisputePaymentPlanWizard(models.TransientModel):
    """Agree a payment plan, from a dispute (which it resolves) or from overdue
    invoices."""

    _name = "account.dispute.payment.plan.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Agree a Payment Plan"

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        ondelete="cascade",
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", compute="_compute_amount_total"
    )
    amount_total = fields.Monetary(
        string="Amount to Plan",
        compute="_compute_amount_total",
        help="What is left to pay on the invoices.",
    )
    installment_count = fields.Integer(string="Installments", default=3)
    date_first = fields.Date(
        string="First Installment",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=1),
    )
    interval = fields.Integer(string="Every", default=1)
    interval_type = fields.Selection(
        selection=INTERVAL_TYPE_SELECTION,
        default="months",
        required=True,
    )
    line_ids = fields.One2many(
        comodel_name="account.dispute.payment.plan.wizard.line",
        inverse_name="wizard_id",
        string="Installments Agreed",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    amount_lines = fields.Monetary(
        string="Total of the Installments", compute="_compute_amount_lines"
    )

    @api.depends("invoice_ids")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.currency_id = wizard.invoice_ids.currency_id[:1]
            wizard.amount_total = wizard.invoice_ids._get_amount_residual_sum(
                wizard.currency_id
            )

    @api.depends(
        "invoice_ids", "installment_count", "date_first", "interval", "interval_type"
    )
    def _compute_line_ids(self):
        plans = self.env["account.dispute.payment.plan"]
        for wizard in self:
            commands = [Command.clear()]
            if (
                len(wizard.currency_id) == 1
                and wizard.currency_id.compare_amounts(wizard.amount_total, 0.0) > 0
                and wizard.installment_count > 0
                and wizard.interval > 0
            ):
                commands += [
                    Command.create({"date": date, "amount": amount})
                    for date, amount in plans._prepare_installments(
                        wizard.amount_total,
                        wizard.currency_id,
                        count=wizard.installment_count,
                        date_first=wizard.date_first,
                        interval=wizard.interval,
                        interval_type=wizard.interval_type,
                    )
                ]
            wizard.line_ids = commands

    @api.depends("line_ids.amount")
    def _compute_amount_lines(self):
        for wizard in self:
            wizard.amount_lines = sum(wizard.line_ids.mapped("amount"))

    def action_confirm(self):
        """Create the plan; a dispute still active is resolved by it."""
        self.ensure_one()
        installments = self._get_installments()
        dispute = self.dispute_id
        if dispute.is_active:
            dispute._resolve(
                "payment_plan",
                payment_plan={
                    "invoices": self.invoice_ids,
                    "installments": installments,
                },
            )
            plan = dispute.payment_plan_ids.filtered(lambda p: p.state == "running")
        else:
            plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
                self.invoice_ids, dispute=dispute or None, installments=installments
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.dispute.payment.plan",
            "res_id": plan[:1].id,
            "views": [(False, "form")],
        }

    def _get_installments(self):
        currency = self.currency_id
        lines = self.line_ids.sorted(lambda x: x.date)
        if not lines:
            raise UserError(self.env._("Give at least one installment."))
        if any(currency.compare_amounts(line.amount, 0.0) <= 0 for line in lines):
            raise UserError(
                self.env._("Each installment must be of a positive amount.")
            )
        if currency.compare_amounts(self.amount_lines, self.amount_total):
            raise UserError(
                self.env._(
                    "The installments add up to %(lines)s, but %(total)s is left to "
                    "pay: they must match exactly.",
                    lines=currency.format(self.amount_lines),
                    total=currency.format(self.amount_total),
                )
            )
        return [(line.date, line.amount) for line in lines]
