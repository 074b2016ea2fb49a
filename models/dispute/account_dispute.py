# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..common.confirm_labels import label_confirmations
from ..common.row_lock import lock_rows_or_refuse

ACTIVE_STATES = ("open", "negotiation", "mediation", "litigation")

# How a customer contests in writing, on its own: a draft dispute raised so
# already keeps its invoices out of the dunning while it waits to be reviewed.
CUSTOMER_CHANNELS = ("portal", "email")

STATE_SELECTION = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("negotiation", "Negotiation"),
    ("mediation", "Mediation"),
    ("litigation", "Litigation"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]

CATEGORY_SELECTION = [
    ("quality", "Quality"),
    ("billing", "Billing"),
    ("delivery", "Delivery"),
    ("payment", "Payment"),
    ("other", "Other"),
]

FAULT_SELECTION = [
    ("company", "Our company"),
    ("customer", "Customer"),
    ("shared", "Shared"),
    ("third_party", "Third party"),
    ("unknown", "Unknown"),
]

CHANNEL_SELECTION = [
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("letter", "Letter"),
    ("meeting", "Meeting"),
    ("other", "Other"),
]

RESOLUTION_SELECTION = [
    ("credit_note", "Credit note"),
    ("replacement", "Replacement"),
    ("price_adjustment", "Price adjustment"),
    ("payment_plan", "Payment plan"),
    ("customer_paid", "Customer paid"),
    ("withdrawn", "Withdrawn by the customer"),
    ("write_off", "Write-off"),
    ("court_decision", "Court decision"),
    ("other", "Other"),
]

VALIDITY_SELECTION = [
    ("founded", "Founded"),
    ("unfounded", "Unfounded"),
]

MEDIATOR_TYPE_SELECTION = [
    ("business_mediation", "Business mediation service"),
    ("credit_insurer", "Credit insurer"),
    ("trade_association", "Trade association"),
    ("conciliator", "Conciliator"),
    ("bailiff", "Commissaire de justice"),
    ("collection_agency", "Collection agency"),
    ("lawyer", "Lawyer"),
    ("commercial_court", "Commercial court"),
]

LITIGATION_PROCEDURE_SELECTION = [
    ("injunction", "Injunction to pay"),
    ("simplified_recovery", "Simplified recovery of small claims"),
    ("summary", "Summary proceedings (référé-provision)"),
    ("merits", "Proceedings on the merits"),
    ("other", "Other"),
]

DUE_DATE_POLICY_SELECTION = [
    ("restart", "Restart the payment term from the resolution date"),
    ("extend", "Extend by the length of the dispute"),
    ("keep", "Keep the original due dates"),
    ("custom", "Set a date agreed with the customer"),
]


class AccountDispute(models.Model):
    _name = "account.dispute"
    _description = "Customer Dispute"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.dispute.date.range.mixin",
        "account.frozen.record.mixin",
    ]
    _order = "date_opened desc, id desc"
    _check_company_auto = True

    # The stage and the resolution are written by the dispute's buttons and
    # wizards only: resolving gives the invoices their new due dates
    # (``_resolve``), which a plain write would not (account.frozen.record.mixin).
    _protected_fields = (
        "state",
        "resolution",
        "date_resolved",
        "due_date_policy",
        "date_due_custom",
    )

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer's commercial entity: disputes are kept on the company, "
        "never on one of its contacts.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        precompute=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_account_move_rel",
        column1="dispute_id",
        column2="move_id",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id)]",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    line_ids = fields.One2many(
        comodel_name="account.dispute.line",
        inverse_name="dispute_id",
        string="Contested Amounts",
        copy=False,
        help="What the customer contests on each invoice; the rest of each "
        "invoice stays due on its own dates.",
    )
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The part of the invoices' amount the customer contests: the sum of "
        "the amounts contested on each invoice. It defaults to what is left to "
        "pay on the invoices; a total typed here is shared among the invoices "
        "in proportion to what is left to pay on each, an invoice added later "
        "is contested for what is left to pay on it.",
    )
    amount_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_amount_move_rel",
        column1="dispute_id",
        column2="move_id",
        string="Invoices Counted in the Amount",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        help="The invoices the disputed amount already accounts for.",
    )
    amount_residual = fields.Monetary(
        string="Amount Due",
        compute="_compute_amount_residual",
        store=True,
        help="What is left to pay on the disputed invoices.",
    )
    reason_id = fields.Many2one(
        comodel_name="account.dispute.reason",
        tracking=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    reason_category = fields.Selection(
        selection=CATEGORY_SELECTION,
        string="Category",
        compute="_compute_reason_category",
        store=True,
        precompute=True,
        help="The category of the reason when it was chosen.",
    )
    fault = fields.Selection(
        selection=FAULT_SELECTION,
        compute="_compute_fault",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    fault_proposed = fields.Selection(
        selection=FAULT_SELECTION,
        compute="_compute_fault",
        store=True,
        readonly=False,
        precompute=True,
        help="The fault the reason proposed last: a fault that differs from it "
        "was typed, and stays when the reason changes.",
    )
    description = fields.Html()
    contract_ref = fields.Char(
        string="Contract Reference",
        help="The order, contract or delivery note the dispute refers to.",
    )
    channel = fields.Selection(
        selection=CHANNEL_SELECTION,
        help="How the customer raised the dispute.",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
        help="The person at the customer who wrote or contested: the "
        "acknowledgement and the answer go to them, copied to the customer's "
        "invoicing address.",
    )
    recipient_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customer Recipients",
        compute="_compute_recipient_ids",
        help="Who the e-mails to the customer go to: the contact who wrote or "
        "contested, and the customer's invoicing address.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    user_proposed_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner Proposed",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The owner the reason or the customer proposed last: an owner who "
        "differs from it was chosen, and stays when they change.",
    )
    date_opened = fields.Date(string="Opened On", copy=False, tracking=True)
    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="The date by which the dispute should be settled: the reason's days "
        "to settle from the opening date, set when the dispute opens or its "
        "reason changes. A deadline typed by hand stays, and a reason's new "
        "days to settle apply to the disputes opened afterwards.",
    )
    date_deadline_proposed = fields.Date(
        string="Deadline Proposed",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        help="The deadline the reason proposed last: a deadline that differs "
        "from it was typed, and stays.",
    )
    date_resolved = fields.Date(string="Resolved On", copy=False, readonly=True)
    state = fields.Selection(
        selection=STATE_SELECTION,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    is_active = fields.Boolean(compute="_compute_is_active")
    resolution = fields.Selection(
        selection=RESOLUTION_SELECTION,
        copy=False,
        readonly=True,
        tracking=True,
    )
    resolution_note = fields.Html(
        string="Internal Note",
        copy=False,
        help="What was learned, so that it does not happen again: internal, "
        "never printed on a document for the customer.",
    )
    due_date_policy = fields.Selection(
        selection=DUE_DATE_POLICY_SELECTION,
        string="Due Date Policy Applied",
        copy=False,
        readonly=True,
    )
    date_due_custom = fields.Date(
        string="Agreed Due Date",
        copy=False,
        readonly=True,
        help="The due date agreed with the customer, when that policy was applied.",
    )
    validity = fields.Selection(
        selection=VALIDITY_SELECTION,
        copy=False,
        tracking=True,
        help="Whether the customer was right. An unfounded dispute keeps the "
        "original due dates by default: penalties run as if it never happened.",
    )
    credit_note_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="dispute_id",
        string="Credit Notes",
        domain=[("move_type", "=", "out_refund")],
        readonly=True,
    )
    write_off_move_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="dispute_id",
        string="Write-Offs",
        domain=[("move_type", "=", "entry")],
        readonly=True,
    )
    payment_plan_ids = fields.One2many(
        comodel_name="account.dispute.payment.plan",
        inverse_name="dispute_id",
        string="Payment Plans",
        readonly=True,
    )
    payment_plan_count = fields.Integer(compute="_compute_payment_plan_count")
    amount_credited = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="Total of the posted credit notes granted for this dispute.",
    )
    amount_written_off = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="Residuals written off after a commercial gesture.",
    )
    amount_paid = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="The part of the disputed amount the customer paid.",
    )
    amount_open = fields.Monetary(
        string="Amount Still Open",
        compute="_compute_amount_outcome",
        store=True,
        help="The part of the disputed amount neither credited, written off nor "
        "paid yet.",
    )
    mediator_type = fields.Selection(
        selection=MEDIATOR_TYPE_SELECTION,
        string="Third Party",
        tracking=True,
        help="Who helps settle the dispute out of court, or recovers the debt.",
    )
    mediator_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
    )
    date_mediation = fields.Date(string="Referred On", tracking=True)
    mediation_cost = fields.Monetary(
        tracking=True,
        help="What the mediator or the recovery agent charges.",
    )
    court_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
    )
    litigation_procedure = fields.Selection(
        selection=LITIGATION_PROCEDURE_SELECTION,
        string="Procedure",
        tracking=True,
    )
    litigation_ref = fields.Char(string="Case Reference", tracking=True)
    date_litigation = fields.Date(string="Filed On", tracking=True)
    litigation_cost = fields.Monetary(
        string="Recovery Costs",
        tracking=True,
        help="Court, commissaire de justice and lawyer's fees of the procedure.",
    )
    cost_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Costs Invoice",
        copy=False,
        readonly=True,
        help="The invoice that passed the mediation and recovery costs on to the "
        "customer.",
    )

    cancel_reason = fields.Text(
        string="Why Cancelled",
        copy=False,
        readonly=True,
        tracking=True,
        help="What the customer was told when their dispute was cancelled as "
        "unfounded.",
    )

    date_escalated = fields.Date(
        string="Owner Alerted On",
        copy=False,
        readonly=True,
        help="When the owner was alerted that the dispute passed its deadline.",
    )
    date_escalated_manager = fields.Date(
        string="Manager Alerted On",
        copy=False,
        readonly=True,
        help="When the dispute manager was alerted that the dispute stalls.",
    )

    _sql_constraints = [
        (
            "costs_positive",
            "CHECK(COALESCE(mediation_cost, 0) >= 0 "
            "AND COALESCE(litigation_cost, 0) >= 0)",
            "Mediation and recovery costs cannot be negative.",
        ),
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A dispute reference must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("invoice_ids.currency_id", "company_id")
    def _compute_currency_id(self):
        for dispute in self:
            dispute.currency_id = (
                dispute.invoice_ids[:1].currency_id or dispute.company_id.currency_id
            )

    @api.depends("invoice_ids")
    def _compute_invoice_count(self):
        for dispute in self:
            dispute.invoice_count = len(dispute.invoice_ids)

    @api.depends("invoice_ids")
    def _compute_amount_disputed(self):
        """A default, not a rule: see :meth:`_amount_after_invoice_change`."""
        for dispute in self:
            dispute.amount_disputed = self._amount_after_invoice_change(
                dispute.amount_disputed,
                dispute.amount_invoice_ids,
                dispute.invoice_ids,
            )
            dispute.amount_invoice_ids = dispute.invoice_ids

    @api.depends("invoice_ids.amount_residual")
    def _compute_amount_residual(self):
        for dispute in self:
            dispute.amount_residual = dispute.invoice_ids._get_amount_residual_sum(
                dispute.currency_id
            )

    @api.depends("payment_plan_ids")
    def _compute_payment_plan_count(self):
        for dispute in self:
            dispute.payment_plan_count = len(dispute.payment_plan_ids)

    @api.depends(
        "amount_disputed",
        "invoice_ids.amount_residual",
        "credit_note_ids.state",
        "credit_note_ids.amount_total",
        "write_off_move_ids.state",
        "write_off_move_ids.amount_total",
    )
    def _compute_amount_outcome(self):
        """Split the disputed amount into what became of it."""
        for dispute in self:
            posted_credits = dispute.credit_note_ids.filtered(
                lambda m: m.state == "posted"
            )
            posted_write_offs = dispute.write_off_move_ids.filtered(
                lambda m: m.state == "posted"
            )
            credited = sum(posted_credits.mapped("amount_total"))
            written_off = sum(posted_write_offs.mapped("amount_total"))
            currency = dispute.currency_id
            left = max(
                currency.round(dispute.amount_disputed - credited - written_off), 0.0
            )
            residual = dispute.invoice_ids._get_amount_residual_sum(currency)
            still_open = min(residual, left)
            dispute.amount_credited = credited
            dispute.amount_written_off = written_off
            dispute.amount_open = still_open
            dispute.amount_paid = currency.round(left - still_open)

    @api.depends("reason_id")
    def _compute_reason_category(self):
        """The category of the reason chosen: a later change of the reason's
        category does not rewrite what was recorded."""
        for dispute in self:
            dispute.reason_category = dispute.reason_id.category

    @api.depends("reason_id")
    def _compute_fault(self):
        """The reason's default fault, unless another one was typed."""
        for dispute in self:
            dispute._follow_proposal(
                "fault", "fault_proposed", dispute.reason_id.default_fault
            )
            dispute.fault = dispute.fault or "unknown"

    @api.depends("reason_id", "partner_id")
    def _compute_user_id(self):
        """The reason's owner, else the customer's salesperson, else the
        company's dispute manager, else the user who records the dispute; an
        owner chosen by hand stays.

        The same whoever computes it: the user at hand counts only while the
        dispute is being created (he records it). Recomputed later (another
        user changes the reason or the customer), a dispute without a reason
        owner, salesperson or manager keeps its owner, else takes the user
        who recorded it."""
        for dispute in self:
            recorder = dispute._get_recorder() if not dispute.user_id else None
            dispute._follow_proposal(
                "user_id",
                "user_proposed_id",
                dispute.reason_id.user_id
                or dispute.partner_id.commercial_partner_id.user_id
                or dispute.company_id.dispute_manager_id
                or recorder,
            )

    def _get_recorder(self):
        """The internal user who records this dispute (the user at hand while
        it is created) or recorded it, if it is a person (not the superuser,
        not a portal user)."""
        self.ensure_one()
        user = self.create_uid if self._origin.id else self.env.user
        if user._is_superuser() or user.share:
            return user.browse()
        return user

    @api.depends("date_opened", "reason_id")
    def _compute_date_deadline(self):
        """The reason's days to settle from the opening date, set when the
        dispute opens or its reason changes. Not on the reason's days: a new
        service level applies to the disputes opened afterwards, and the
        deadline of a closed dispute is history."""
        for dispute in self:
            proposal = False
            closed = dispute.state in ("resolved", "cancelled")
            if not (closed and dispute.date_deadline_proposed) and (
                dispute.date_opened and dispute.reason_id.sla_days
            ):
                proposal = fields.Date.add(
                    dispute.date_opened, days=dispute.reason_id.sla_days
                )
            dispute._follow_proposal(
                "date_deadline", "date_deadline_proposed", proposal
            )

    @api.depends("state")
    def _compute_is_active(self):
        for dispute in self:
            dispute.is_active = dispute.state in ACTIVE_STATES

    @api.depends("contact_id", "partner_id")
    def _compute_recipient_ids(self):
        for dispute in self:
            invoicing = dispute.partner_id.address_get(["invoice"])["invoice"]
            dispute.recipient_ids = dispute.contact_id | dispute.partner_id.browse(
                invoicing
            )

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------

    @api.constrains("invoice_ids", "partner_id", "company_id")
    def _check_invoice_ids(self):
        for dispute in self.filtered("invoice_ids"):
            invoices = dispute.invoice_ids
            wrong_type = invoices.filtered(
                lambda m: m.move_type != "out_invoice" or m.state != "posted"
            )
            if wrong_type:
                raise ValidationError(
                    self.env._(
                        "Only posted customer invoices can be disputed: "
                        "%(invoices)s is not one.",
                        invoices=", ".join(wrong_type.mapped("display_name")),
                    )
                )
            if invoices.commercial_partner_id != dispute.partner_id:
                raise ValidationError(
                    self.env._(
                        "All the invoices of dispute %(dispute)s must be invoices of "
                        "%(partner)s. Open one dispute per customer.",
                        dispute=dispute.name,
                        partner=dispute.partner_id.display_name,
                    )
                )
            if invoices.company_id != dispute.company_id:
                raise ValidationError(
                    self.env._(
                        "All the invoices of a dispute must belong to its company "
                        "(%(company)s).",
                        company=dispute.company_id.name,
                    )
                )
            if len(invoices.currency_id) > 1:
                raise ValidationError(
                    self.env._(
                        "The invoices of a dispute must all be in one currency; "
                        "open one dispute per currency."
                    )
                )

    @api.constrains("partner_id", "state", "email_from")
    def _check_partner_id(self):
        """Only a draft received from an unknown sender waits without a
        customer: nobody confirmed who wrote."""
        for dispute in self.filtered(lambda d: not d.partner_id):
            if dispute.state != "draft" or not dispute.email_from:
                raise ValidationError(
                    self.env._(
                        "Set the customer of dispute %(dispute)s.",
                        dispute=dispute.name,
                    )
                )

    @api.constrains("date_opened", "date_resolved", "date_mediation", "date_litigation")
    def _check_dates_not_in_future(self):
        """These dates record what happened: a day to come is a typing error
        (and a dispute opened tomorrow could not resolve itself today)."""
        today = fields.Date.context_today(self)
        fnames = ("date_opened", "date_resolved", "date_mediation", "date_litigation")
        for dispute in self:
            for fname in fnames:
                if dispute[fname] and dispute[fname] > today:
                    raise ValidationError(dispute._get_future_date_error(fname))

    def _get_future_date_error(self, fname):
        """Why the date ``fname`` of this dispute is refused: a day to come. One
        whole sentence per date, so that each translates as a sentence."""
        self.ensure_one()
        args = {"dispute": self.name, "date": format_date(self.env, self[fname])}
        _ = self.env._
        messages = {
            "date_opened": _(
                "Dispute %(dispute)s cannot be opened on a day to come "
                "(%(date)s): give the day it was opened, today at the latest.",
                **args,
            ),
            "date_resolved": _(
                "Dispute %(dispute)s cannot be resolved on a day to come "
                "(%(date)s): give the day it was resolved, today at the latest.",
                **args,
            ),
            "date_mediation": _(
                "Dispute %(dispute)s cannot be referred to a third party on a day "
                "to come (%(date)s): give the day it was referred, today at the "
                "latest.",
                **args,
            ),
            "date_litigation": _(
                "Dispute %(dispute)s cannot be filed in court on a day to come "
                "(%(date)s): give the day it was filed, today at the latest.",
                **args,
            ),
        }
        return messages[fname]

    @api.constrains("amount_disputed", "invoice_ids")
    def _check_amount_disputed(self):
        for dispute in self:
            if dispute.currency_id.compare_amounts(dispute.amount_disputed, 0.0) < 0:
                raise ValidationError(
                    self.env._("The disputed amount cannot be negative.")
                )
            if dispute.state in ("resolved", "cancelled") or not dispute.invoice_ids:
                continue
            dispute._check_amount_against_invoices()

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        """The total shown follows the amounts a person sets per invoice, as
        ``_sync_lines`` will save them: an invoice without its line yet
        counts for what is left to pay on it."""
        if not self.line_ids:
            return
        invoices = self.invoice_ids._origin
        amounts = {
            line.move_id._origin: line.amount_disputed
            for line in self.line_ids
            if line.move_id._origin in invoices
        }
        self.amount_disputed = self.currency_id.round(
            sum(amounts.get(move, move.amount_residual) for move in invoices)
        )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_partner_vals(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("account.dispute")
                    or "/"
                )
        disputes = super().create(vals_list)
        for dispute, vals in zip(disputes, vals_list, strict=True):
            dispute._sync_lines(vals)
        disputes._drop_contested_from_letters()
        return disputes

    def write(self, vals):
        self._normalize_partner_vals(vals)
        if "date_deadline" in vals:
            # A new deadline gives the owner a new chance before any alert.
            vals.update(date_escalated=False, date_escalated_manager=False)
        # A new reason or opening date may set a new deadline: same chance.
        clock = {"reason_id", "date_opened"} & vals.keys()
        deadlines = (
            {dispute: dispute.date_deadline for dispute in self} if clock else {}
        )
        invoices_before = {}
        if "invoice_ids" in vals:
            closed = self.filtered(lambda d: d.state in ("resolved", "cancelled"))
            if closed:
                raise UserError(
                    self.env._(
                        "The invoices of a resolved or cancelled dispute cannot be "
                        "changed (%(disputes)s). Open a new dispute instead.",
                        disputes=", ".join(closed.mapped("name")),
                    )
                )
            invoices_before = {dispute: dispute.invoice_ids for dispute in self}
            if "amount_disputed" in vals:
                # The amount given is for the invoices given with it.
                vals.setdefault("amount_invoice_ids", vals["invoice_ids"])
        held = (
            {dispute: dispute._holds_dunning() for dispute in self}
            if {"state", "channel", "invoice_ids", "amount_disputed", "line_ids"}
            & vals.keys()
            else {}
        )
        res = super().write(vals)
        if self.env.context.get("dispute_lines_sync"):
            return res
        for dispute in self:
            dispute._sync_lines(vals)
        # The draft letters claim anew when the dispute starts to hold its
        # invoices, holds new ones or another amount.
        amounts = {"invoice_ids", "amount_disputed", "line_ids"} & vals.keys()
        self.filtered(
            lambda d: d in held and (amounts or not held[d])
        )._drop_contested_from_letters()
        if deadlines:
            self.filtered(lambda d: d.date_deadline != deadlines[d])._reset_alerts()
        removed = self.env["account.move"]
        today = fields.Date.context_today(self)
        for dispute in self.filtered(lambda d: d in invoices_before and d.is_active):
            added = dispute.invoice_ids - invoices_before[dispute]
            added._dispute_suspend(dispute, date_from=today)
            removed |= invoices_before[dispute] - dispute.invoice_ids
        removed._dispute_release()
        return res

    def _get_protected_error(self, field_names):
        return self.env._(
            "A dispute's stage and resolution are recorded by its buttons only "
            "(Open, the stages, Resolve, Cancel) and cannot be written by hand: "
            "%(fields)s. Resolve it with the Resolve button: its invoices get "
            "their new due dates, which a plain change would not give them.",
            fields=self._describe_fields(field_names),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft_or_cancelled(self):
        if any(dispute.state not in ("draft", "cancelled") for dispute in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled disputes can be deleted: cancel the "
                    "dispute first, its invoices get their due dates back."
                )
            )

    # ------------------------------------------------------------------
    # VIEWS
    # ------------------------------------------------------------------

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The form's confirmation dialogs name their buttons after what they
        do, in the user's language (see ``label_confirmations``)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            _ = self.env._
            label_confirmations(
                arch,
                {
                    "action_cancel": (_("Cancel the dispute"), _("Keep it")),
                    "action_invoice_costs": (_("Create the invoice"), _("Not now")),
                },
            )
        return arch, view

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_open(self):
        """Open the file: the invoices leave the dunning ladder from now on."""
        self._check_state(("draft",), "open")
        for dispute in self:
            if not dispute.invoice_ids:
                raise UserError(
                    self.env._(
                        "Add the disputed invoices to %(dispute)s before opening it.",
                        dispute=dispute.name,
                    )
                )
            dispute._check_amount_against_invoices()
            if dispute.reason_id and not dispute.reason_id.active:
                raise UserError(
                    self.env._(
                        "The reason “%(reason)s” of %(dispute)s is archived: choose "
                        "another one.",
                        reason=dispute.reason_id.name,
                        dispute=dispute.name,
                    )
                )
            issued = max(dispute.invoice_ids.mapped("invoice_date"), default=False)
            if dispute.date_opened and issued and dispute.date_opened < issued:
                raise UserError(
                    self.env._(
                        "%(dispute)s cannot be opened on %(date)s, before its "
                        "invoices were issued (%(issued)s).",
                        dispute=dispute.name,
                        date=format_date(self.env, dispute.date_opened),
                        issued=format_date(self.env, issued),
                    )
                )
        today = fields.Date.context_today(self)
        self.filtered(lambda d: not d.date_opened).date_opened = today
        self._write_internal({"state": "open", "to_review": False})
        self.activity_feedback(["account_dispute.mail_activity_type_contest"])
        # The clock starts (again, after a reset to draft): so do the alerts.
        self._reset_alerts()
        self.invoice_ids._dispute_suspend(self)
        return True

    def action_negotiate(self):
        return self._set_active_state("negotiation")

    def action_mediate(self):
        return self._set_active_state("mediation")

    def action_litigate(self):
        return self._set_active_state("litigation")

    def action_resolve(self):
        self.ensure_one()
        self._check_state(ACTIVE_STATES, "resolve")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_resolve_wizard_action"
        )
        action["context"] = {"default_dispute_id": self[:1].id}
        return action

    def action_cancel(self):
        """Cancel a dispute opened by mistake: its invoices get their dates back
        and return to the dunning ladder.

        A dispute the customer raised on the portal or by e-mail is cancelled
        through a wizard that tells the customer why (see
        :meth:`_cancel_unfounded`): the portal and the acknowledgement
        promised them no reminder while it runs.

        :raise UserError: a dispute is neither draft nor active, or several
            disputes are cancelled at once and one of them was raised by the
            customer.
        """
        self._check_state(("draft", *ACTIVE_STATES), "cancel")
        raised = self.filtered(lambda d: d.channel in CUSTOMER_CHANNELS)
        if raised and len(self) > 1:
            raise UserError(
                self.env._(
                    "%(disputes)s were raised by the customer: cancel them one by "
                    "one, to tell the customer why each is unfounded.",
                    disputes=", ".join(raised.mapped("name")),
                )
            )
        if raised:
            return self._wizard_action(
                "account_dispute.account_dispute_cancel_wizard_action"
            )
        self._cancel()
        return True

    def action_draft(self):
        """Back to draft: the clock and its alerts start again at the opening."""
        self._check_state(("cancelled",), "draft")
        self._write_internal(
            {"state": "draft", "date_opened": False, "date_deadline": False}
        )
        return True

    def action_send_acknowledgement(self):
        """Open the composer with the acknowledgement e-mail and its PDF."""
        self.ensure_one()
        template = self.env.ref("account_dispute.mail_template_dispute_acknowledgement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_invoices_action()

    def action_gesture(self):
        """Grant a commercial gesture: a credit note on one of the invoices."""
        self.ensure_one()
        return self._wizard_action(
            "account_dispute.account_dispute_gesture_wizard_action",
            default_invoice_id=self.invoice_ids.filtered(
                lambda m: not m.currency_id.is_zero(m.amount_residual)
            )[:1].id,
        )

    def action_payment_plan(self):
        self.ensure_one()
        return self._wizard_action(
            "account_dispute.account_dispute_payment_plan_wizard_action",
            default_invoice_ids=self.invoice_ids.filtered(
                lambda m: not m.currency_id.is_zero(m.amount_residual)
            ).ids,
        )

    def action_refer(self):
        """Ask for the third party or the court before moving the dispute on."""
        self.ensure_one()
        self._check_state(ACTIVE_STATES, "refer")
        return self._wizard_action(
            "account_dispute.account_dispute_referral_wizard_action",
            default_target_state=self.env.context.get("target_state", "mediation"),
        )

    def action_view_credit_notes(self):
        self.ensure_one()
        return self.credit_note_ids._get_invoices_action()

    def action_view_payment_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_payment_plan_action"
        )
        action["domain"] = [("dispute_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.payment_plan_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.payment_plan_ids.id
        return action

    def action_invoice_costs(self):
        """Pass the mediation and recovery costs on to a customer at fault."""
        self.ensure_one()
        if self.fault != "customer":
            raise UserError(
                self.env._(
                    "Costs can only be re-invoiced when the dispute is the "
                    "customer's fault; %(dispute)s is not.",
                    dispute=self.name,
                )
            )
        if self.cost_invoice_id and self.cost_invoice_id.state != "cancel":
            raise UserError(
                self.env._(
                    "The costs of %(dispute)s are already invoiced on %(invoice)s.",
                    dispute=self.name,
                    invoice=self.cost_invoice_id.display_name,
                )
            )
        lines = self._prepare_cost_invoice_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the mediation or recovery costs of %(dispute)s first.",
                    dispute=self.name,
                )
            )
        invoice = self.env["account.move"].create(
            self._prepare_cost_invoice_vals(lines)
        )
        self.cost_invoice_id = invoice
        self.message_post(
            body=self.env._(
                "Costs re-invoiced to the customer on %(invoice)s.",
                invoice=invoice._get_html_link(),
            )
        )
        return invoice._get_invoices_action()

    def action_print_settlement(self):
        self.ensure_one()
        self._check_state(("resolved",), "settlement")
        return self.env.ref(
            "account_dispute.report_dispute_settlement_action"
        ).report_action(self)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _resolve(
        self,
        resolution,
        date_resolved=None,
        due_date_policy=None,
        date_custom=None,
        resolution_note=None,
        validity=None,
        payment_plan=None,
        resolution_customer_note=None,
    ):
        """Close the disputes and give their invoices new due dates.

        This is what the resolution wizard calls; gestures, payment plans and
        the automatic resolution of settled invoices resolve through it too.
        An unfounded dispute keeps the original due dates unless told
        otherwise. ``resolution_note`` is internal (lessons learned);
        ``resolution_customer_note`` is what the settlement letter tells the
        customer was agreed. ``payment_plan`` holds the installments' parameters of
        ``account.dispute.payment.plan._prepare_installments`` when the
        resolution is a payment plan.
        """
        self._check_state(ACTIVE_STATES, "resolve")
        today = fields.Date.context_today(self)
        date_resolved = date_resolved or today
        if date_resolved > today:
            raise ValidationError(
                self.env._("A dispute cannot be resolved at a future date.")
            )
        for dispute in self:
            policy = due_date_policy or (
                "keep"
                if validity == "unfounded"
                else dispute.company_id.dispute_due_date_policy
            )
            if policy == "custom" and not date_custom:
                raise ValidationError(
                    self.env._("Give the due date agreed with the customer.")
                )
            if date_resolved < dispute.date_opened:
                raise ValidationError(
                    self.env._(
                        "Dispute %(dispute)s was opened on %(date)s: it cannot be "
                        "resolved before.",
                        dispute=dispute.name,
                        date=format_date(self.env, dispute.date_opened),
                    )
                )
            vals = {
                "state": "resolved",
                "resolution": resolution,
                "date_resolved": date_resolved,
                "due_date_policy": policy,
                "date_due_custom": date_custom if policy == "custom" else False,
            }
            if validity:
                vals["validity"] = validity
            if resolution_note:
                vals["resolution_note"] = resolution_note
            if resolution_customer_note:
                vals["resolution_customer_note"] = resolution_customer_note
            contested_parts = dispute.line_ids._get_held_parts()
            dispute._write_internal(vals)
            dispute.line_ids._reschedule(contested_parts)
        self.invoice_ids._dispute_release()
        if resolution == "payment_plan":
            plans = self.env["account.dispute.payment.plan"]
            for dispute in self.filtered(
                lambda d: (
                    not d.payment_plan_ids.filtered(lambda p: p.state == "running")
                )
            ):
                params = dict(payment_plan or {})
                invoices = params.pop("invoices", None) or dispute.invoice_ids
                plans._create_for_invoices(
                    invoices.filtered(
                        lambda m: not m.currency_id.is_zero(m.amount_residual)
                    ),
                    dispute=dispute,
                    **params,
                )
        self._schedule_followup()
        return True

    def _cancel(self):
        """Cancel the disputes: the invoices of the active ones get their due
        dates back, and every invoice no other dispute holds returns to the
        dunning ladder."""
        was_active = self.filtered("is_active")
        self._write_internal({"state": "cancelled"})
        self.activity_feedback(["account_dispute.mail_activity_type_contest"])
        was_active.invoice_ids._dispute_release()

    def _cancel_unfounded(self, reason):
        """Cancel the dispute as unfounded and tell the customer why.

        ``reason`` (plain text, in the customer's language) is kept on the
        dispute and sent to its recipients (the contact who wrote or
        contested, and the invoicing address) with the template
        ``mail_template_dispute_cancelled``. The invoices return to the
        dunning ladder; an active dispute gives them back their original due
        dates.
        """
        self.ensure_one()
        self.write({"cancel_reason": reason, "validity": "unfounded"})
        self._cancel()
        template = self.env.ref("account_dispute.mail_template_dispute_cancelled")
        self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def _holds_dunning(self):
        """Whether the dispute keeps its invoices out of the dunning: while it
        is active, and, raised by the customer on the portal or by e-mail,
        from the moment it is recorded, in draft, to be reviewed. What the
        portal and the acknowledgement promise the customer."""
        self.ensure_one()
        return self.state in ACTIVE_STATES or (
            self.state == "draft" and self.channel in CUSTOMER_CHANNELS
        )

    def _drop_contested_from_letters(self):
        """Take the invoices these disputes hold out of the draft letters, at
        once: a letter that waits would otherwise be sent on them."""
        self.filtered(
            lambda d: d._holds_dunning()
        ).invoice_ids._dunning_refresh_letters()

    def _sync_lines(self, vals):
        """Keep one contested amount per invoice after ``vals`` were written.

        Amounts given per invoice (``line_ids`` commands that set an amount)
        are the truth, and the dispute's amount is their sum. An invoice added
        without an amount is contested for what is left to pay on it, an
        invoice taken off takes its amount away, the others keep theirs; a
        dispute's amount given alone that differs from their sum is shared
        among the invoices (``_get_shared_amounts``).
        """
        self.ensure_one()
        given = self._line_amounts_given(vals)
        if self.state in ("resolved", "cancelled") or (
            not given and not {"invoice_ids", "amount_disputed"} & vals.keys()
        ):
            return
        self.line_ids.filtered(lambda x: x.move_id not in self.invoice_ids).unlink()
        self.env["account.dispute.line"].create(
            [
                {
                    "dispute_id": self.id,
                    "move_id": move.id,
                    "amount_disputed": move.amount_residual,
                }
                for move in self.invoice_ids - self.line_ids.move_id
            ]
        )
        total = sum(self.line_ids.mapped("amount_disputed"))
        if (
            not given
            and "amount_disputed" in vals
            and self.currency_id.compare_amounts(total, self.amount_disputed)
        ):
            self._share_amount_disputed()
        self._sum_lines()

    @api.model
    def _line_amounts_given(self, vals):
        """Whether ``vals`` set the amount contested on some invoice (a
        ``line_ids`` command that creates or updates a line with an amount),
        as the dispute's form does when a person edits a line."""
        return any(
            isinstance(command, (list, tuple))
            and command[0] in (Command.CREATE, Command.UPDATE)
            and "amount_disputed" in (command[2] or {})
            for command in vals.get("line_ids") or []
        )

    def _share_amount_disputed(self):
        """Contest on each invoice its share of the dispute's amount (see
        ``_get_shared_amounts``)."""
        for dispute in self.filtered(
            lambda d: d.state not in ("resolved", "cancelled")
        ):
            amounts = dispute._get_shared_amounts()
            lines = {line.move_id: line for line in dispute.line_ids}
            dispute.line_ids.filtered(lambda x, a=amounts: x.move_id not in a).unlink()
            for move, amount in amounts.items():
                if move in lines:
                    lines[move].amount_disputed = amount
                else:
                    self.env["account.dispute.line"].create(
                        {
                            "dispute_id": dispute.id,
                            "move_id": move.id,
                            "amount_disputed": amount,
                        }
                    )

    def _get_shared_amounts(self):
        """{invoice: amount}: the dispute's amount shared among its invoices
        (see ``_share_amount``)."""
        self.ensure_one()
        return self._share_amount(self.amount_disputed, self.invoice_ids)

    @api.model
    def _share_amount(self, amount, invoices):
        """{invoice: share}: ``amount`` (in the invoices' currency) shared
        among ``invoices`` in proportion to what is left to pay on each (the
        invoice due last takes the rounding); a single invoice takes it all.
        How a total typed on a dispute or in its opening wizard becomes an
        amount contested per invoice."""
        currency = invoices.currency_id[:1]
        invoices = invoices.sorted(lambda m: (m.invoice_date_due, m.id))
        residual = invoices._get_amount_residual_sum(currency)
        amounts, left = {}, amount
        for move in invoices:
            if move == invoices[-1] or currency.is_zero(residual):
                amounts[move] = currency.round(left)
                break
            share = currency.round(amount * move.amount_residual / residual)
            amounts[move] = share
            left -= share
        return amounts

    def _sum_lines(self):
        """The dispute's amount is the sum of what it contests on each invoice."""
        for dispute in self:
            total = dispute.currency_id.round(
                sum(dispute.line_ids.mapped("amount_disputed"))
            )
            if dispute.amount_disputed != total:
                dispute.with_context(dispute_lines_sync=True).amount_disputed = total

    def _follow_proposal(self, fname, proposed_fname, proposal):
        """Give ``fname`` what its sources propose now, unless it was typed.

        For computes only. A stored compute with readonly=False is a default,
        not a rule: the value follows its sources (reason, customer, opening
        date) while it is the one they proposed last, kept in
        ``proposed_fname``; a value typed by hand stays until someone changes
        it, and an empty proposal leaves the value as it is.
        """
        self.ensure_one()
        current, before = self[fname], self[proposed_fname]
        if proposal and (not current or current == before):
            self[fname] = proposal
        else:
            self[fname] = current
        self[proposed_fname] = proposal or before

    @api.model
    def _amount_after_invoice_change(self, amount, counted, invoices):
        """The disputed amount once the invoices ``counted`` become ``invoices``.

        ``amount`` (in the invoices' currency) is what the customer contests
        of the ``counted`` invoices: it stays. An invoice added adds what is
        left to pay on it, an invoice taken off takes that away; when nothing
        is left of the amount, or nothing was given, it is what is left to pay
        on ``invoices``. With no invoice counted yet, an amount given stays:
        it was typed for the invoices being chosen.
        """
        currency = invoices.currency_id[:1] or counted.currency_id[:1]
        if counted:
            added = (invoices - counted)._get_amount_residual_sum(currency)
            removed = (counted - invoices)._get_amount_residual_sum(currency)
            amount += added - removed
        if currency and currency.compare_amounts(amount, 0.0) <= 0:
            amount = invoices._get_amount_residual_sum(currency)
        return currency.round(amount) if currency else amount

    def _schedule_followup(self):
        """Ask the owner to call the customer back once things have settled."""
        activity_type = self.env.ref("account_dispute.mail_activity_type_followup")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": dispute.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": fields.Date.add(
                        dispute.date_resolved,
                        days=dispute.company_id.dispute_followup_days,
                    ),
                    "user_id": dispute.user_id.id or self.env.user.id,
                    "summary": self.env._("Call the customer: are they satisfied?"),
                }
                for dispute in self
                if dispute.company_id.dispute_followup_days
            ]
        )

    def _autoresolve(self):
        """Resolve active disputes whose invoices are settled, with a note.

        Called after each reconciliation: ``credit_note`` when a credit note
        settled part of the invoices, ``customer_paid`` otherwise.
        """
        for dispute in self.filtered("is_active"):
            invoices = dispute.invoice_ids
            if not all(
                inv.currency_id.is_zero(inv.amount_residual) for inv in invoices
            ):
                continue
            credited = dispute.credit_note_ids.filtered(
                lambda m: m.state == "posted"
            ) or invoices._get_reconciled_invoices().filtered(
                lambda m: m.move_type == "out_refund"
            )
            if credited:
                dispute._resolve("credit_note", validity="founded")
                body = self.env._(
                    "Every invoice of the dispute is settled: the dispute resolved "
                    "itself by a credit note."
                )
            else:
                dispute._resolve("customer_paid")
                body = self.env._(
                    "Every invoice of the dispute is settled: the dispute resolved "
                    "itself, the customer paid."
                )
            dispute.message_post(body=body)

    @api.model
    def _cron_dispute_escalation(self):
        """Alert the owner, then the dispute manager, about stalled disputes.

        Each alert is an activity given once; formal notices whose deadline
        passed unpaid and payment plans left unpaid are followed up by the same
        nightly run.
        """
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("account_dispute.mail_activity_type_escalation")
        late = self.search(
            [
                ("state", "in", ACTIVE_STATES),
                ("date_deadline", "<", today),
                ("date_escalated", "=", False),
            ]
        )
        for dispute in late:
            dispute.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=dispute.user_id.id or self.env.user.id,
                summary=self.env._("Dispute past its deadline"),
            )
        late.date_escalated = today
        stalled = self.search(
            [
                ("state", "in", ACTIVE_STATES),
                ("date_escalated", "!=", False),
                ("date_escalated_manager", "=", False),
                ("company_id.dispute_manager_id", "!=", False),
            ]
        ).filtered(
            lambda d: (
                fields.Date.add(
                    d.date_deadline, days=d.company_id.dispute_escalation_days
                )
                < today
            )
        )
        for dispute in stalled:
            dispute.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=dispute.company_id.dispute_manager_id.id,
                summary=self.env._("Dispute stalled: decide what comes next"),
            )
        stalled.date_escalated_manager = today
        self.env["account.dunning.letter"]._cron_recourse_alerts()
        self.env["account.dispute.payment.plan"]._cron_payment_plan_check()
        return late | stalled

    def _dispute_owner(self):
        """Who takes over what the addon could not do on the dispute."""
        self.ensure_one()
        return self.user_id

    def _wizard_action(self, xml_id, **defaults):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["context"] = {"default_dispute_id": self.id, **defaults}
        return action

    def _prepare_cost_invoice_lines(self):
        """The lines of the costs invoice; their labels are printed for the
        customer, in the customer's language."""
        product = self.company_id.dispute_cost_product_id
        _ = self.with_context(lang=self.partner_id.lang).env._
        costs = [
            (
                _("Mediation costs, dispute %(dispute)s", dispute=self.name),
                self.mediation_cost,
            ),
            (
                _("Recovery costs, dispute %(dispute)s", dispute=self.name),
                self.litigation_cost,
            ),
        ]
        return [
            Command.create(
                {
                    "product_id": product.id,
                    "name": label,
                    "quantity": 1.0,
                    "price_unit": amount,
                }
            )
            for label, amount in costs
            if not self.currency_id.is_zero(amount)
        ]

    def _prepare_cost_invoice_vals(self, lines):
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "dispute_id": self.id,
            "invoice_line_ids": lines,
        }

    def _reset_alerts(self):
        """Give the owner and the manager a new chance before any alert: for
        every path that (re)starts the clock or moves the deadline."""
        self.filtered(lambda d: d.date_escalated or d.date_escalated_manager).write(
            {"date_escalated": False, "date_escalated_manager": False}
        )

    def _set_active_state(self, state):
        self._check_state(ACTIVE_STATES, "move")
        self._write_internal({"state": state})
        return True

    def _check_state(self, allowed_states, action):
        """Refuse ``action`` on a dispute whose status it does not start from.

        :param action: a key of :meth:`_get_state_error` (``open``,
            ``resolve``, ``cancel``, ``draft``, ``refer``, ``settlement``,
            ``move``).
        :raise UserError: for the first dispute not in ``allowed_states``.
        """
        refused = self.filtered(lambda d: d.state not in allowed_states)[:1]
        if refused:
            raise UserError(refused._get_state_error(action))

    def _lock_or_refuse(self):
        """Hold the disputes until the transaction ends, so that two users
        confirming the same change at once (two resolution wizards) change
        them once: the second is refused at once with a message about the
        dispute, never a database error. Check the status after this call:
        it is then the last one committed.

        :raise UserError: another user is changing a dispute, or has just
            changed it.
        """
        lock_rows_or_refuse(
            self,
            self.env._(
                "Another user is changing dispute %(dispute)s or has just changed "
                "it (it may already be resolved or cancelled): reload the dispute "
                "to see its status.",
                dispute=", ".join(self.mapped("name")),
            ),
        )
        self.invalidate_recordset(["state"])

    def _get_letter_date(self):
        """The date a letter about the dispute prints when it has none of its
        own (the acknowledgement; the settlement before a resolution date):
        the day it is printed, in the user's time zone
        (``fields.Date.context_today``), as every "today" of the addon."""
        return fields.Date.context_today(self)

    def _get_state_error(self, action):
        """Why ``action`` is refused on this dispute: one whole sentence per
        action, so that each translates as a sentence."""
        self.ensure_one()
        states = dict(self._fields["state"]._description_selection(self.env))
        args = {"dispute": self.name, "state": states[self.state]}
        _ = self.env._
        messages = {
            "open": _(
                "You cannot open dispute %(dispute)s: its status is “%(state)s”. "
                "Only a draft dispute can be opened.",
                **args,
            ),
            "resolve": _(
                "You cannot resolve dispute %(dispute)s: its status is "
                "“%(state)s”. Only an active dispute can be resolved.",
                **args,
            ),
            "cancel": _(
                "You cannot cancel dispute %(dispute)s: its status is "
                "“%(state)s”. Only a draft or active dispute can be cancelled.",
                **args,
            ),
            "draft": _(
                "You cannot reset dispute %(dispute)s to draft: its status is "
                "“%(state)s”. Only a cancelled dispute can be reset to draft.",
                **args,
            ),
            "refer": _(
                "You cannot refer dispute %(dispute)s to a third party: its status "
                "is “%(state)s”. Only an active dispute can be referred.",
                **args,
            ),
            "settlement": _(
                "You cannot print the settlement of dispute %(dispute)s: its "
                "status is “%(state)s”. Resolve the dispute first.",
                **args,
            ),
            "move": _(
                "You cannot move dispute %(dispute)s to another stage: its status "
                "is “%(state)s”. Only an active dispute changes stage.",
                **args,
            ),
        }
        return messages[action]

    def _check_amount_against_invoices(self):
        self.ensure_one()
        residual = self.invoice_ids._get_amount_residual_sum(self.currency_id)
        if self.currency_id.compare_amounts(self.amount_disputed, residual) > 0:
            raise ValidationError(
                self.env._(
                    "The disputed amount of %(dispute)s (%(amount)s) is more than "
                    "what is left to pay on its invoices (%(residual)s).",
                    dispute=self.name,
                    amount=self.currency_id.format(self.amount_disputed),
                    residual=self.currency_id.format(residual),
                )
            )
        if self.currency_id.compare_amounts(self.amount_disputed, 0.0) <= 0:
            raise ValidationError(
                self.env._(
                    "The disputed amount of %(dispute)s must be positive.",
                    dispute=self.name,
                )
            )

    @api.model
    def _normalize_partner_vals(self, vals):
        """Keep disputes on the commercial entity, whichever contact was given."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id

    @api.model
    def _prepare_from_invoices_vals(self, invoices):
        """Values of a dispute about these invoices, for wizards and intakes."""
        return {
            "partner_id": invoices[:1].commercial_partner_id.id,
            "company_id": invoices[:1].company_id.id or self.env.company.id,
            "invoice_ids": [Command.set(invoices.ids)],
        }
