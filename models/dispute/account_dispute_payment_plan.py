# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tools import format_date, formatLang

from ..common.confirm_labels import label_confirmations

INTERVAL_TYPE_SELECTION = [
    ("days", "Days"),
    ("weeks", "Weeks"),
    ("months", "Months"),
]


class AccountDisputePaymentPlan(models.Model):
    """An échéancier: what is left to pay on invoices, spread over installments.

    While it runs, its invoices are reminded only for installments past due;
    payments are matched to installments oldest first.
    """

    _name = "account.dispute.payment.plan"
    _description = "Payment Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.dispute.date.range.mixin",
        "account.frozen.record.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # Moved on by the payments, the nightly check and Cancel the Plan only.
    _protected_fields = ("state", "date_broken")

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        readonly=True,
    )
    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_payment_plan_account_move_rel",
        column1="plan_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    line_ids = fields.One2many(
        comodel_name="account.dispute.payment.plan.line",
        inverse_name="plan_id",
        string="Installments",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("running", "Running"),
            ("done", "Paid"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="running",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    date_start = fields.Date(
        string="Agreed On",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    date_broken = fields.Date(string="Broken On", readonly=True, copy=False)
    amount_planned = fields.Monetary(
        required=True,
        readonly=True,
        help="What was left to pay on the invoices when the plan was agreed.",
    )
    amount_paid = fields.Monetary(
        compute="_compute_amount_paid",
        store=True,
        help="What the customer paid on the invoices since the plan was agreed.",
    )
    amount_due = fields.Monetary(
        string="Amount Left",
        compute="_compute_amount_paid",
        store=True,
    )
    note = fields.Html()

    _sql_constraints = [
        (
            "amount_planned_positive",
            "CHECK(amount_planned > 0)",
            "A payment plan must plan a positive amount.",
        ),
    ]

    @api.depends("amount_planned", "invoice_ids.amount_residual")
    def _compute_amount_paid(self):
        """What is left of the plan: what is left to pay on its invoices, at
        most the amount planned; both rounded in the plan's currency, so that a
        difference below half a cent is none."""
        for plan in self:
            currency = plan.currency_id
            residual = plan.invoice_ids._get_amount_residual_sum(currency)
            if currency.compare_amounts(residual, plan.amount_planned) < 0:
                plan.amount_due = residual
            else:
                plan.amount_due = plan.amount_planned
            plan.amount_paid = currency.round(plan.amount_planned - plan.amount_due)

    @api.constrains("line_ids", "amount_planned")
    def _check_line_total(self):
        for plan in self:
            total = sum(plan.line_ids.mapped("amount"))
            if plan.currency_id.compare_amounts(total, plan.amount_planned):
                raise ValidationError(
                    self.env._(
                        "The installments of %(plan)s add up to %(total)s instead "
                        "of %(planned)s.",
                        plan=plan.name,
                        total=plan.currency_id.format(total),
                        planned=plan.currency_id.format(plan.amount_planned),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(vals.get("company_id") or self.env.company.id)
                    .next_by_code("account.dispute.payment.plan")
                    or "/"
                )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_relied_on(self):
        """A plan is deleted only once cancelled, and when nothing relies on
        it: no letter claimed its installments, no acknowledgement of the debt
        was recorded from it (both would lose their ground).

        :raises UserError: saying what relies on the plan.
        """
        claimed_plans = set()
        for model in ("account.dunning.letter.line", "account.dispute.recovery.line"):
            claimed_plans.update(
                installment.plan_id
                for (installment,) in self.env[model]
                .sudo()
                ._read_group(
                    [("installment_id.plan_id", "in", self.ids)], ["installment_id"]
                )
            )
        events = (
            self.env["account.move.limitation.event"]
            .sudo()
            ._read_group([("payment_plan_id", "in", self.ids)], ["payment_plan_id"])
        )
        acknowledged = {plan for (plan,) in events}
        for plan in self:
            if plan.state != "cancelled":
                raise UserError(
                    self.env._(
                        "Payment plan %(plan)s is %(state)s: it records what the "
                        "customer agreed, and a running plan decides how its "
                        "invoices are reminded. Cancel it instead of deleting it.",
                        plan=plan.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[plan.state],
                    )
                )
            if plan in claimed_plans:
                raise UserError(
                    self.env._(
                        "Payment plan %(plan)s cannot be deleted: dunning letters "
                        "or recovery files claimed its installments, and keep them "
                        "as they claimed them.",
                        plan=plan.name,
                    )
                )
            if plan in acknowledged:
                raise UserError(
                    self.env._(
                        "Payment plan %(plan)s cannot be deleted: the customer's "
                        "agreement to it was recorded as an acknowledgement of the "
                        "debt, which interrupts the limitation period (Civil Code "
                        "art. 2240); deleting the plan would delete it.",
                        plan=plan.name,
                    )
                )

    def _get_protected_error(self, field_names):
        return self.env._(
            "A payment plan's status is recorded by the payments, the nightly "
            "check and Cancel the Plan only and cannot be written by hand: "
            "%(fields)s.",
            fields=self._describe_fields(field_names),
        )

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The form's confirmation dialogs name their buttons after what they
        do, in the user's language (see ``label_confirmations``)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            label_confirmations(
                arch,
                {
                    "action_cancel": (
                        self.env._("Cancel the plan"),
                        self.env._("Keep it"),
                    )
                },
            )
        return arch, view

    def action_cancel(self):
        """Give up the plan: its invoices return to the dunning ladder."""
        running = self.filtered(lambda p: p.state == "running")
        running._write_internal({"state": "cancelled"})
        return True

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_invoices_action()

    @api.model
    def _prepare_installments(
        self,
        amount,
        currency,
        count=3,
        date_first=None,
        interval=1,
        interval_type="months",
    ):
        """[(date, amount)] of ``count`` equal installments; the last takes the
        rounding."""
        if count < 1 or interval < 1:
            raise UserError(
                self.env._(
                    "A payment plan needs at least one installment and an interval "
                    "of at least one day, week or month."
                )
            )
        date_first = date_first or fields.Date.context_today(self)
        share = currency.round(amount / count)
        installments = []
        for index in range(count):
            date = date_first + relativedelta(**{interval_type: interval * index})
            installments.append((date, share))
        last_date, _share = installments[-1]
        installments[-1] = (last_date, currency.round(amount - share * (count - 1)))
        return installments

    @api.model
    def _create_for_invoices(self, invoices, dispute=None, installments=None, **params):
        """Agree a plan on what is left to pay on ``invoices``.

        ``installments`` is a list of (date, amount); without it, ``params``
        go to :meth:`_prepare_installments`. The invoices restart the dunning
        ladder from its first level, on the plan's dates. The plan the
        customer agreed acknowledges the debt, as a limitation event, when
        the company records payments as acknowledgements.
        """
        self._check_plannable(invoices)
        currency = invoices.currency_id
        amount = invoices._get_amount_residual_sum(currency)
        if installments is None:
            installments = self._prepare_installments(amount, currency, **params)
        plan = self.create(
            {
                "partner_id": invoices.commercial_partner_id.id,
                "company_id": invoices.company_id.id,
                "currency_id": currency.id,
                "dispute_id": dispute.id if dispute else False,
                "invoice_ids": [Command.set(invoices.ids)],
                "amount_planned": amount,
                "line_ids": [
                    Command.create({"date": date, "amount": line_amount})
                    for date, line_amount in installments
                ],
            }
        )
        invoices.with_context(skip_is_manually_modified=True).write(
            {"dunning_level_id": False, "dunning_date": False}
        )
        body = plan._get_agreed_message()
        for record in [*invoices, *(dispute or [])]:
            record.message_post(body=body)
        self.env["account.move.limitation.event"]._record_plan_acknowledgements(plan)
        return plan

    def _get_agreed_message(self):
        """The chatter note of a new plan: its amount, and its installments'
        number and first date, in the user's formats."""
        self.ensure_one()
        args = {
            "plan": self._get_html_link(),
            "amount": self.currency_id.format(self.amount_planned),
            "date": format_date(self.env, self.line_ids[:1].date),
        }
        if len(self.line_ids) == 1:
            return self.env._(
                "Payment plan %(plan)s agreed: %(amount)s in one installment on "
                "%(date)s.",
                **args,
            )
        return self.env._(
            "Payment plan %(plan)s agreed: %(amount)s in %(count)s installments "
            "from %(date)s.",
            count=formatLang(self.env, len(self.line_ids), digits=0),
            **args,
        )

    def _check_plannable(self, invoices):
        if not invoices:
            raise UserError(self.env._("Choose the invoices of the payment plan."))
        wrong = invoices.filtered(
            lambda m: (
                m.move_type != "out_invoice"
                or m.state != "posted"
                or m.currency_id.is_zero(m.amount_residual)
            )
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted customer invoices with something left to pay can be "
                    "planned: %(invoices)s cannot.",
                    invoices=", ".join(wrong.mapped("display_name")),
                )
            )
        if (
            len(invoices.commercial_partner_id) > 1
            or len(invoices.company_id) > 1
            or len(invoices.currency_id) > 1
        ):
            raise UserError(
                self.env._(
                    "The invoices of a payment plan must be of one customer, one "
                    "company and one currency."
                )
            )
        disputed = invoices.filtered("is_disputed")
        if disputed:
            raise UserError(
                self.env._(
                    "%(invoices)s is in an active dispute: resolve the dispute with "
                    "a payment plan instead.",
                    invoices=", ".join(disputed.mapped("display_name")),
                )
            )
        planned = invoices.filtered(
            lambda m: "running" in m.payment_plan_ids.mapped("state")
        )
        if planned:
            raise UserError(
                self.env._(
                    "%(invoices)s already has a running payment plan.",
                    invoices=", ".join(planned.mapped("display_name")),
                )
            )

    def _update_state(self):
        """Running plans that are paid are done; done plans that are not any more
        (a payment was undone) run again."""
        for plan in self.filtered(lambda p: p.state in ("running", "done")):
            paid = plan.currency_id.is_zero(plan.amount_due)
            if paid and plan.state == "running":
                plan._write_internal({"state": "done"})
            elif not paid and plan.state == "done":
                plan._write_internal({"state": "running"})

    def _dispute_owner(self):
        """Who takes over what the addon could not do on the plan."""
        self.ensure_one()
        return self.dispute_id.user_id

    @api.model
    def _cron_payment_plan_check(self, date=None):
        """Break the plans whose installment is overdue by the grace days.

        Runs with the dispute escalation; re-running it changes nothing.
        """
        today = date or fields.Date.context_today(self)
        self.search(
            [
                "|",
                "&",
                ("state", "=", "running"),
                ("amount_due", "=", 0.0),
                "&",
                ("state", "=", "done"),
                ("amount_due", "!=", 0.0),
            ]
        )._update_state()
        lines = self.env["account.dispute.payment.plan.line"].search(
            [
                ("plan_id.state", "=", "running"),
                ("state", "!=", "paid"),
                ("date", "<", today),
            ]
        )
        broken = self.browse()
        for plan in lines.plan_id:
            grace = plan.company_id.payment_plan_grace_days
            late = plan.line_ids.filtered(
                lambda line, grace=grace: (
                    line.state != "paid"
                    and fields.Date.add(line.date, days=grace) < today
                )
            )
            if late:
                broken |= plan
        broken._break(today)
        return broken

    def _break(self, date):
        self._write_internal({"state": "broken", "date_broken": date})
        bodies = {
            plan: self.env._(
                "Payment plan %(plan)s is broken: an installment is unpaid past the "
                "grace days. The invoices return to the dunning ladder.",
                plan=plan._get_html_link(),
            )
            for plan in self
        }
        self._message_log_batch(bodies={plan.id: body for plan, body in bodies.items()})
        self.invoice_ids._message_log_batch(
            bodies={inv.id: bodies[plan] for plan in self for inv in plan.invoice_ids}
        )
        self.dispute_id._message_log_batch(
            bodies={
                plan.dispute_id.id: bodies[plan] for plan in self if plan.dispute_id
            }
        )
