# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""An insured customer's invoice: its cover, the deadline to declare it to the
credit insurer, and whether a dispute or a payment plan pushed its due date
beyond what the policy allows."""

from odoo import api, fields, models

from ..common.states import UNPAID_PAYMENT_STATES


class AccountMove(models.Model):
    _inherit = "account.move"

    insurance_declared_date = fields.Date(
        string="Declared to the Insurer On",
        copy=False,
        readonly=True,
        help="When the invoice was put in a declaration of threatened loss.",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )
    insurance_alert_deadline_date = fields.Date(
        copy=False,
        readonly=True,
        help="When the owner was warned of the declaration deadline.",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )
    insurance_alert_extension_date = fields.Date(
        copy=False,
        readonly=True,
        help="When the owner was warned that the due date was extended beyond "
        "what the policy allows.",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )
    insurance_cover_id = fields.Many2one(
        comodel_name="account.credit.insurance.cover",
        string="Credit Insurance Cover",
        compute="_compute_insurance_cover_id",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The cover of the customer running on the invoice date, from an "
        "active policy of the invoice's company.",
    )
    insurance_date_due_base = fields.Date(
        string="Original Due Date (Insurer)",
        compute="_compute_insurance_dates",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The due date the insurer's deadlines run from: that of the "
        "earliest unpaid installment, before any dispute moved it.",
    )
    insurance_declaration_date_due = fields.Date(
        string="Declare By",
        compute="_compute_insurance_dates",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The last day to declare the unpaid invoice to the credit insurer "
        "as a threatened loss: original due date + the policy's days to "
        "declare.",
    )
    insurance_date_due_pushed = fields.Date(
        string="Due Date After Extensions",
        compute="_compute_insurance_dates",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The latest of the due date, the last installment of a running "
        "payment plan, and today while a dispute suspends the invoice.",
    )
    insurance_extension_exceeded = fields.Boolean(
        string="Extension Beyond the Policy",
        compute="_compute_insurance_dates",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="A dispute or a payment plan pushed the due date of an unpaid "
        "installment beyond its original due date + the policy's maximum "
        "extension: ask the insurer.",
    )
    insurance_extension_excess_days = fields.Integer(
        string="Days Beyond the Policy",
        compute="_compute_insurance_dates",
        compute_sudo=True,
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("commercial_partner_id", "company_id", "invoice_date", "move_type")
    def _compute_insurance_cover_id(self):
        """One search for the batch."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        covers = self.env["account.credit.insurance.cover"]._get_covers_of(
            invoices.commercial_partner_id, invoices.company_id
        )
        for move in self:
            move.insurance_cover_id = move.move_type == "out_invoice" and covers._find(
                move.commercial_partner_id, move.company_id, move.invoice_date
            )

    @api.depends(
        "insurance_cover_id",
        "date_due_contractual",
        "invoice_date_due",
        "line_ids.date_maturity",
        "line_ids.date_maturity_contractual",
        "line_ids.reconciled",
        "dispute_suspension_date",
        "payment_plan_ids.state",
        "payment_plan_ids.line_ids.date",
        "payment_state",
        "state",
    )
    @api.depends_context("uid")
    def _compute_insurance_dates(self):
        """From the original due date of the earliest unpaid installment
        (``date_due_contractual``): each installment is its own debt for the
        insurer. The nightly alert reads the same stored date
        (``_credit_insurance_alert_query``)."""
        today = fields.Date.context_today(self)
        for move in self:
            policy = move.insurance_cover_id.policy_id
            unpaid = (
                move.state == "posted" and move.payment_state in UNPAID_PAYMENT_STATES
            )
            if not (policy and unpaid):
                move.insurance_date_due_base = False
                move.insurance_declaration_date_due = False
                move.insurance_date_due_pushed = False
                move.insurance_extension_exceeded = False
                move.insurance_extension_excess_days = 0
                continue
            base = move.date_due_contractual
            pushed = move._get_insurance_date_due_pushed(today)
            excess = move._get_insurance_extension_days(today) - (
                policy.max_extension_days
            )
            move.insurance_date_due_base = base
            move.insurance_declaration_date_due = policy._get_declaration_date(base)
            move.insurance_date_due_pushed = pushed
            move.insurance_extension_exceeded = excess > 0
            move.insurance_extension_excess_days = max(excess, 0)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _get_insurance_date_due_pushed(self, today):
        """The latest date the customer is now expected to pay by: the due
        date, the last installment of a running payment plan, and ``today``
        while a dispute suspends the due date."""
        self.ensure_one()
        dates = [self.invoice_date_due]
        plans = self.payment_plan_ids.filtered(lambda p: p.state == "running")
        dates += plans.line_ids.mapped("date")
        if self.dispute_suspension_date:
            dates.append(today)
        return max((d for d in dates if d), default=False)

    def _get_insurance_extension_days(self, today):
        """Days by which the due date of an unpaid installment was pushed past
        its contractual due date, the most of the invoice's installments (0
        when none was): its current due date, the last installment of a
        running payment plan, or ``today`` while a dispute suspends the
        invoice, against its own original date. The nightly alert computes
        the same in SQL (``_credit_insurance_alert_query``)."""
        self.ensure_one()
        plans = self.payment_plan_ids.filtered(lambda p: p.state == "running")
        later = plans.line_ids.mapped("date")
        if self.dispute_suspension_date:
            later.append(today)
        lines = self._dispute_term_lines().filtered(
            lambda x: not x.reconciled and x.date_maturity_contractual
        )
        return max(
            (
                (max([x.date_maturity, *later]) - x.date_maturity_contractual).days
                for x in lines
            ),
            default=0,
        )

    def _get_insurance_amount_disputed(self):
        """{invoice: the part of it disputes hold (``amount_contested``), in
        its company's currency}, at the rate of its residual."""
        result = {}
        for move in self:
            amount = move.amount_contested
            if move.currency_id != move.company_currency_id and amount:
                amount *= move.amount_residual_signed / move.amount_residual
            result[move] = move.company_currency_id.round(amount)
        return result

    def _get_insurance_owner(self):
        """Who is warned about the invoice's insurance deadlines: its
        salesperson, else the customer's, else the company's dispute manager,
        else the administrator (as ``_get_responsible`` of the letters)."""
        self.ensure_one()
        return (
            self.invoice_user_id
            or self.commercial_partner_id.user_id
            or self.company_id.dispute_manager_id
            or self.env.ref("base.user_admin")
        )
