# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..common.states import UNPAID_PAYMENT_STATES
from ..dispute.res_partner import DEBTOR_TYPE_SELECTION

RECOVERY_KIND_SELECTION = [
    ("injunction", "Injunction to pay"),
    ("small_claims", "Simplified recovery of small claims"),
    ("agency", "Collection agency or commissaire de justice"),
]


class AccountDisputeRecovery(models.Model):
    """The file of an external recourse after an unpaid formal notice.

    What an injunction to pay (Code of civil procedure, art. 1405-1422), the
    simplified recovery of small claims (Code des procédures civiles
    d'exécution, art. L125-1) or a collection agency needs: who the debtor
    is, what it owes on the day the file is prepared, and the proofs
    (shared/domain/litiges-fr.md). The addon prepares the file; it files
    nothing with a court, a commissaire de justice or an agency.

    The figures are those of the formal notice computed again at the file's
    date by the letters' own code (``account.dunning.letter``
    ``_prepare_claim_lines_vals``): same invoices still unpaid, same rules for
    professionals and private persons, penalties grown by the days since.
    """

    _name = "account.dispute.recovery"
    _description = "Recovery File"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.dispute.date.range.mixin",
        "account.frozen.record.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    # A filed (or closed) file is kept as it was filed: its figures, its
    # proofs, its filing (``account.frozen.record.mixin``).
    _protected_fields = ("state",)
    _frozen_attachment_fields = (
        "bundle_attachment_id",
        "acknowledgement_file",
        "terms_file",
    )
    # ``_unlink_except_filed`` says why a filed file stays.
    _frozen_unlink = False

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        string="Formal Notice",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        help="The dispute whose litigation stage records the filing.",
    )
    recovery_kind = fields.Selection(
        selection=RECOVERY_KIND_SELECTION,
        string="Recourse",
        required=True,
        readonly=True,
        tracking=True,
    )
    date = fields.Date(
        string="Figures As Of",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="The day up to which the penalties are computed (arrêté au).",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("filed", "Filed"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_filed = fields.Date(string="Filed On", tracking=True, copy=False)
    filing_ref = fields.Char(
        string="Filing Reference",
        tracking=True,
        copy=False,
        help="The reference the court registry, the commissaire de justice or "
        "the agency gave to the file.",
    )
    court_name = fields.Char(
        string="Court",
        compute="_compute_court_name",
        store=True,
        readonly=False,
        help="Proposed from the city of the debtor's registered office (Code of "
        "civil procedure, art. 1406): check the court whose area covers it.",
    )
    agent_id = fields.Many2one(
        comodel_name="res.partner",
        string="Commissaire de Justice or Agency",
        check_company=True,
        help="Whom the letter of instruction is addressed to.",
    )
    debtor_type = fields.Selection(
        selection=DEBTOR_TYPE_SELECTION, required=True, readonly=True
    )
    debtor_legal_form = fields.Char(
        string="Debtor's Legal Form",
        compute="_compute_debtor_legal_form",
        store=True,
        readonly=False,
        help="SARL, SAS...: guessed from the customer's name, editable.",
    )
    debtor_representative = fields.Char(
        string="Debtor's Legal Representative",
        help="Who legally represents the debtor, e.g. its manager (gérant): the "
        "request names it (Code of civil procedure, art. 1407).",
    )
    date_notice_received = fields.Date(
        string="Notice Received On",
        compute="_compute_date_notice_received",
        store=True,
        readonly=False,
        help="The date on the acknowledgement of receipt of the formal notice: "
        "the one recorded on the notice, editable.",
    )
    acknowledgement_file = fields.Binary(
        string="Acknowledgement of Receipt", attachment=True, copy=False
    )
    acknowledgement_filename = fields.Char(copy=False)
    terms_file = fields.Binary(string="Terms of Sale", attachment=True, copy=False)
    terms_filename = fields.Char(copy=False)
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_recovery_account_move_rel",
        column1="recovery_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
        help="The formal notice's invoices still unpaid when the figures were "
        "computed.",
    )
    line_ids = fields.One2many(
        comodel_name="account.dispute.recovery.line",
        inverse_name="recovery_id",
        string="Calculation",
        readonly=True,
        copy=False,
    )
    amount_due = fields.Monetary(
        string="Principal", compute="_compute_amounts", store=True
    )
    penalty_amount = fields.Monetary(
        string="Penalties or Interest", compute="_compute_amounts", store=True
    )
    indemnity_amount = fields.Monetary(
        string="Recovery Indemnity", compute="_compute_amounts", store=True
    )
    amount_total = fields.Monetary(
        string="Total Claimed", compute="_compute_amounts", store=True
    )
    bundle_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Proofs (PDF)", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends(
        "partner_id.city", "partner_id.zip", "partner_id.country_id", "debtor_type"
    )
    def _compute_court_name(self):
        """Proposed while the file is a draft; a filed file keeps its court."""
        for recovery in self:
            if recovery.state != "draft":
                recovery.court_name = recovery.court_name
                continue
            recovery.court_name = recovery._get_proposed_court_name()

    @api.depends("letter_id.date_received")
    def _compute_date_notice_received(self):
        for recovery in self:
            if recovery.state != "draft":
                recovery.date_notice_received = recovery.date_notice_received
                continue
            recovery.date_notice_received = (
                recovery.letter_id.date_received or recovery.date_notice_received
            )

    @api.depends("partner_id.name")
    def _compute_debtor_legal_form(self):
        for recovery in self:
            if recovery.state != "draft":
                recovery.debtor_legal_form = recovery.debtor_legal_form
                continue
            recovery.debtor_legal_form = recovery._guess_legal_form(
                recovery.partner_id.name
            )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("account.dispute.recovery")
                    or "/"
                )
        return super().create(vals_list)

    def _is_frozen(self):
        """A file is kept as it was filed."""
        self.ensure_one()
        return self.state != "draft"

    def _get_frozen_writable_fields(self):
        """The registry's reference often comes after the filing: it may be
        entered once, while it is empty."""
        writable = super()._get_frozen_writable_fields()
        if not self.filing_ref:
            writable.add("filing_ref")
        return writable

    def _get_frozen_error(self):
        self.ensure_one()
        return self.env._(
            "Recovery file %(file)s was filed: it is kept as it was filed (its "
            "figures, its proofs, its filing date) and cannot be changed. Close "
            "it when the procedure ends, or put it back to draft with its "
            "button if it was marked filed by mistake.",
            file=self.name,
        )

    def _get_protected_error(self, field_names):
        return self.env._(
            "A recovery file's status is recorded by its buttons only (Mark as "
            "Filed, Close, Back to Draft) and cannot be written by hand: "
            "%(fields)s.",
            fields=self._describe_fields(field_names),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        if any(recovery.state != "draft" for recovery in self):
            raise UserError(
                self.env._(
                    "A filed recovery file is kept as a record of the procedure: "
                    "close it instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_update_figures(self):
        """Compute the figures again to today, while the file is a draft."""
        self._check_state("draft")
        for recovery in self:
            today = fields.Date.context_today(recovery)
            recovery._check_notice_recoverable(recovery.letter_id, today)
            recovery.write(
                {
                    "date": today,
                    "invoice_ids": [
                        Command.set(
                            recovery._get_unpaid_invoices(recovery.letter_id).ids
                        )
                    ],
                }
            )
        self._compute_claim()
        return True

    def action_file(self):
        """Record that the file was filed (on the day given, else today), and
        tell the dispute's litigation stage."""
        self._check_state("draft")
        today = fields.Date.context_today(self)
        for recovery in self:
            date_filed = recovery.date_filed or today
            if date_filed > today or date_filed < recovery.date:
                raise UserError(
                    self.env._(
                        "%(file)s: the filing date must lie between the date of "
                        "its figures (%(date)s) and today.",
                        file=recovery.name,
                        date=format_date(self.env, recovery.date),
                    )
                )
            recovery._write_internal({"state": "filed", "date_filed": date_filed})
            if recovery.dispute_id:
                recovery.dispute_id._record_recovery_filing(recovery)
        return True

    def action_close(self):
        self._check_state("filed")
        self._write_internal({"state": "closed"})
        return True

    def action_reset_draft(self):
        self._check_state("filed")
        self._write_internal({"state": "draft"})
        return True

    def action_print(self):
        """The request's elements (injunction to pay) or the letter of
        instruction (small claims, agency)."""
        self.ensure_one()
        return self.env.ref(self._get_report_xmlid()).report_action(self)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    @api.model
    def _create_from_notice(self, notice, recovery_kind, dispute=None, agent=None):
        """Prepare the recovery file of a formal notice past its deadline.

        :raises UserError: the notice is not a sent formal notice, its
            deadline has not passed, its invoices are paid or covered by the
            customer's open credits, or the small claims procedure is chosen
            above its threshold.
        """
        today = fields.Date.context_today(self)
        self._check_notice_recoverable(notice, today)
        partner = notice.partner_id.commercial_partner_id
        recovery = self.create(
            {
                "company_id": notice.company_id.id,
                "letter_id": notice.id,
                "partner_id": partner.id,
                "currency_id": notice.currency_id.id,
                "dispute_id": dispute.id if dispute else False,
                "agent_id": agent.id if agent else False,
                "recovery_kind": recovery_kind,
                "date": today,
                "debtor_type": partner._get_debtor_type(),
                "invoice_ids": [Command.set(self._get_unpaid_invoices(notice).ids)],
            }
        )
        recovery._compute_claim()
        return recovery

    @api.model
    def _get_unpaid_invoices(self, notice):
        """The formal notice's invoices posted and still (partly) unpaid."""
        return notice.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.payment_state in UNPAID_PAYMENT_STATES
        )

    @api.model
    def _check_notice_recoverable(self, notice, date):
        """:raises UserError: ``notice`` is not a sent formal notice whose
        deadline passed before ``date`` with invoices still unpaid (the
        condition of ``account.dunning.letter._cron_recourse_alerts``), or
        the customer's open credits cover what is unpaid on them: a court or
        an agency is asked for a principal still owed, never for 0.00."""
        _ = self.env._
        if notice.letter_type != "formal_notice" or notice.state != "sent":
            raise UserError(
                _(
                    "%(letter)s is not a sent formal notice: a recovery file starts "
                    "from a formal notice sent to the customer.",
                    letter=notice.name,
                )
            )
        if not notice.date_deadline or notice.date_deadline >= date:
            raise UserError(
                _(
                    "The customer has until %(date)s to pay formal notice "
                    "%(letter)s: prepare the recovery file once that day has "
                    "passed.",
                    date=format_date(self.env, notice.date_deadline),
                    letter=notice.name,
                )
            )
        if not self._get_unpaid_invoices(notice):
            raise UserError(
                _(
                    "The invoices of formal notice %(letter)s are paid: there is "
                    "nothing to recover.",
                    letter=notice.name,
                )
            )
        if self._is_covered_by_credits(notice, date):
            raise UserError(
                _(
                    "The open credits of %(partner)s (credit notes, payments not "
                    "matched yet) cover the invoices of formal notice %(letter)s: "
                    "it owes no principal to recover. Reconcile them with the "
                    "invoices; the late-payment charges still owed are claimed "
                    "by the next formal notice or an invoice of charges.",
                    partner=notice.partner_id.commercial_partner_id.display_name,
                    letter=notice.name,
                )
            )

    def _check_state(self, state):
        if any(recovery.state != state for recovery in self):
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Only a recovery file in status “%(state)s” can do this.",
                    state=states[state],
                )
            )

    def _get_report_xmlid(self):
        self.ensure_one()
        if self.recovery_kind == "injunction":
            return "account_dispute.report_recovery_injunction_action"
        return "account_dispute.report_recovery_instruction_action"
