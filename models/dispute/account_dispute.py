# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    """The dispute's file: who, which invoices, why, who handles it; its
    creation and its changes (``write``). Each concern has its own file in
    this folder, all on this one model:

    - account_dispute_amount.py: what is contested on each invoice;
    - account_dispute_stage.py: the stages and their buttons, cancelling;
    - account_dispute_suspension.py: what is held out of the dunning;
    - account_dispute_resolution.py: resolving (by hand, or by itself when
      its invoices are settled) and the due dates it gives;
    - account_dispute_escalation.py: the deadline and its nightly alerts;
    - account_dispute_intake.py: the e-mail and portal contests;
    - account_dispute_letter.py: the acknowledgement and settlement letters.
    """

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
        """Write ``vals``, then keep in step what depends on them: the amount
        contested per invoice (``_sync_lines``), the draft letters, the
        deadline's alerts, the suspension of the invoices added or taken off.

        The intake and the limitation take part through the hooks they
        define, read before and applied after the write, in this order:
        ``_get_amounts_not_stated_before_write`` and
        ``_clear_amount_not_stated`` (account_dispute_intake.py),
        ``_get_limitation_stages_before_write`` and
        ``_limitation_follow_stage`` (limitation/account_dispute_limitation.py).

        :raise UserError: ``vals`` change the invoices of a resolved or
            cancelled dispute.
        """
        stages_before = self._get_limitation_stages_before_write(vals)
        amounts_before = self._get_amounts_not_stated_before_write(vals)
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
        if not self.env.context.get("dispute_lines_sync"):
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
            self._update_invoices_suspension(invoices_before)
        self._clear_amount_not_stated(amounts_before)
        if stages_before:
            self._limitation_follow_stage(stages_before)
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
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_invoices_action()

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _wizard_action(self, xml_id, **defaults):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["context"] = {"default_dispute_id": self.id, **defaults}
        return action

    def _dispute_owner(self):
        """Who takes over what the addon could not do on the dispute."""
        self.ensure_one()
        return self.user_id

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
