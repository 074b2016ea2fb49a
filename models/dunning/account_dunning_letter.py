# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import Command, api, fields, models, sql_db
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..common.states import ISSUED_STATES, UNPAID_PAYMENT_STATES
from ..dispute.res_partner import DEBTOR_TYPE_SELECTION
from .account_dunning_level import LETTER_TYPE_SELECTION

# What the claim of a draft letter is computed from: changing one of them
# computes its rows again.
CLAIM_FIELDS = {"partner_id", "level_id", "currency_id", "date", "invoice_ids"}


class AccountDunningLetter(models.Model):
    """A dunning letter. Once it leaves its draft (sent, e-mail failed,
    cancelled) it is kept as it was: its date, its rows, its PDF and its
    sending cannot be changed by any user (``account.frozen.record.mixin``);
    its state and what records its sending are written by its buttons and
    the dunning only."""

    _name = "account.dunning.letter"
    _description = "Dunning Letter"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "account.dispute.date.range.mixin",
        "account.frozen.record.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    # Written by the letter's methods only (models/dunning/account_dunning_letter_*.py).
    _protected_fields = (
        "state",
        "attachment_id",
        "date_recourse_alert",
        "run_id",
        "sending_state",
        "send_attempt_count",
        "send_retry_date",
        "send_error",
        "email_failure_reason",
        "date_received",
    )
    _frozen_attachment_fields = ("attachment_id",)
    # A cancelled letter may be deleted; a letter that went out may not
    # (``_unlink_except_sent``, ``_unlink_except_email_error``).
    _frozen_unlink = False

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    level_id = fields.Many2one(
        comodel_name="account.dunning.level",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    letter_type = fields.Selection(
        selection=LETTER_TYPE_SELECTION,
        compute="_compute_letter_type",
        store=True,
        precompute=True,
        readonly=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dunning_letter_account_move_rel",
        column1="letter_id",
        column2="move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', partner_id), ('is_contested', '=', False)]",
    )
    currency_id = fields.Many2one(comodel_name="res.currency", required=True)
    line_ids = fields.One2many(
        comodel_name="account.dunning.letter.line",
        inverse_name="letter_id",
        string="Calculation",
        readonly=True,
        copy=False,
    )
    debtor_type = fields.Selection(
        selection=DEBTOR_TYPE_SELECTION,
        default="professional",
        required=True,
        readonly=True,
        help="The customer's kind when the letter was prepared or sent: penalties "
        "of art. L441-10 and the indemnity of art. D441-5 are claimed from "
        "professionals only.",
    )
    date_deadline = fields.Date(
        string="Pay By",
        compute="_compute_date_deadline",
        store=True,
        precompute=True,
        readonly=False,
    )
    registered_mail_ref = fields.Char(
        string="Registered Letter Number",
        tracking=True,
        help="The number of the registered letter with acknowledgement of receipt.",
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("sent", "Sent"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    cancel_reason = fields.Text(
        copy=False,
        help="Why the letter was cancelled: a cancelled letter claims nothing, "
        "and prints this reason instead of a claim. Typed before Cancel, or "
        "written by the addon when the invoices were paid, contested or "
        "covered by open credits before the letter was sent.",
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Letter (PDF)", readonly=True, copy=False
    )
    date_recourse_alert = fields.Date(
        readonly=True,
        copy=False,
        help="When the owner was asked to choose an external recourse because the "
        "formal notice's deadline passed unpaid.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("level_id")
    def _compute_letter_type(self):
        """The level's kind when the letter is prepared: editing the level
        later does not turn sent reminders into formal notices."""
        for letter in self:
            letter.letter_type = letter.level_id.letter_type

    @api.depends("date", "level_id")
    def _compute_date_deadline(self):
        """The date the letter gives to pay, kept as printed once it is sent.

        The level's days to pay run from the letter's receipt ("sous huitaine à
        compter de la réception", French practice): letter date + the company's
        postal delay in days (letters sent by post) + the level's days to pay.
        Set when the letter is prepared and when it is sent (dated that day);
        changing the settings rewrites no letter. A letter that went out keeps
        it: sent, or its e-mail failed (``_get_deadline_kept_states``, in
        account_dunning_letter_email.py).
        """
        kept_states = ("sent", *self._get_deadline_kept_states())
        for letter in self:
            if letter.state in kept_states or not letter.date:
                letter.date_deadline = letter.date_deadline
                continue
            level = letter.level_id
            letter.date_deadline = fields.Date.add(
                letter.date,
                days=level._get_postal_delay_days() + level.deadline_days,
            )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        unnamed = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        for vals, name in zip(unnamed, self._next_names(len(unnamed)), strict=True):
            vals["name"] = name
        letters = super().create(vals_list)
        letters._compute_claim()
        return letters

    def write(self, vals):
        res = super().write(vals)
        if CLAIM_FIELDS.intersection(vals) and not self.env.context.get(
            "dunning_claim_later"
        ):
            self._compute_claim()
        return res

    def _is_frozen(self):
        """A letter is kept as it is once it left its draft."""
        self.ensure_one()
        return self.state != "draft"

    def _get_frozen_error(self):
        self.ensure_one()
        if self.state in ISSUED_STATES:
            return self.env._(
                "Letter %(letter)s went out: it is kept as evidence as it was sent "
                "(its date, its rows, its PDF) and cannot be changed or deleted. "
                "Record its acknowledgement of receipt with its button; to claim "
                "more, prepare a new letter.",
                letter=self.name,
            )
        return self.env._(
            "Letter %(letter)s is cancelled: it is kept as it was and cannot be "
            "changed. Prepare a new letter instead.",
            letter=self.name,
        )

    def _get_protected_error(self, field_names):
        return self.env._(
            "What records a dunning letter's sending is written by its buttons "
            "(Send, Cancel, Record the Acknowledgement...) and the dunning runs "
            "only, never by hand: %(fields)s.",
            fields=self._describe_fields(field_names),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(letter.state == "sent" for letter in self):
            raise UserError(
                self.env._("A sent letter is kept as evidence: it cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_print(self):
        """Print the letters; drafts as their invoices stand now."""
        self._refresh_drafts()
        return self.env.ref(
            "account_dispute.report_dunning_letter_action"
        ).report_action(self)

    def action_cancel(self):
        """Cancel draft letters by hand, for the reason typed on each, else
        "Cancelled by <user>."."""
        for letter in self:
            letter._cancel(
                letter.cancel_reason
                or self.env._("Cancelled by %(user)s.", user=self.env.user.name)
            )
        return True

    def _cancel(self, reason):
        """Cancel the draft letters: a cancelled letter claims nothing, so its
        rows (and with them its totals) are cleared, and it keeps ``reason``
        (plain text) to say why.

        :raises UserError: a letter is not a draft (a sent letter stays as
            evidence).
        """
        if any(letter.state != "draft" for letter in self):
            raise UserError(
                self.env._("Only draft letters can be cancelled: a sent letter stays.")
            )
        self.line_ids.unlink()
        self._write_internal({"state": "cancelled", "cancel_reason": reason})

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_invoices_action()

    # ------------------------------------------------------------------
    # BUSINESS METHODS: letters
    # ------------------------------------------------------------------

    def _drop_settled_invoices(self):
        """Take paid or contested invoices out of draft letters (see
        ``account.move.is_contested``); cancel empty ones."""
        for letter in self.filtered(lambda x: x.state == "draft"):
            settled = letter.invoice_ids.filtered(
                lambda m: (
                    m.is_contested
                    or m.payment_state not in UNPAID_PAYMENT_STATES
                    or m.state != "posted"
                )
            )
            if settled:
                # The caller computes the claims of all its letters at once.
                letter.with_context(dunning_claim_later=True).invoice_ids = [
                    Command.unlink(m.id) for m in settled
                ]
        self.filtered(lambda x: x.state == "draft" and not x.invoice_ids)._cancel(
            self.env._(
                "Its invoices were paid, credited or contested before it was sent."
            )
        )

    # ------------------------------------------------------------------
    # BUSINESS METHODS: escalation (account.dunning.run runs it)
    # ------------------------------------------------------------------

    @api.model
    def _cron_dunning_escalation(self):
        """The nightly step of ``ir_cron_dunning_escalation``: see
        ``account.dunning.run._cron_prepare``."""
        return self.env["account.dunning.run"]._cron_prepare()

    @api.model
    def _run_escalation(self, date=None, partners=None):
        """Create the letters that are due on ``date``; send those to send,
        at once: one whole escalation, for tests, scripts and other modules
        (the nightly run goes by bounded steps instead).

        Re-running it creates nothing twice: an invoice waiting in a draft
        letter is left alone, and a level is reached no sooner after the
        previous letter than after the previous level.

        :return: the letters prepared.
        :raises UserError: ``date`` is to come, or a run is under way.
        """
        return self.env["account.dunning.run"]._run_escalation(date, partners)

    def _letters_counted_by_planner(self):
        """How many letters PostgreSQL's planner believes there are."""
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self._table]
        )
        return max(self.env.cr.fetchone()[0], 0)

    def _count_letters_for_planner(self):
        """Have PostgreSQL's planner count the letters again: ``ANALYZE``, on
        a connection of its own, outside the run's transaction.

        The checks of the letters' foreign keys keep the plan made when the
        table was small: on a table believed nearly empty (a new database,
        the first big run) they scan it whole for each invoice linked, and
        the run grows with the square of its letters. Measured on 100,000
        invoices after emptying the table: 136 s without, 9.5 s with
        (benchmarks/README.md, "A trap found at 100,000"). The statistics it
        writes make PostgreSQL plan those checks again, with the table's
        size on disk. Odoo has no public mechanism for this (its autovacuum
        does not see uncommitted rows). In the run's transaction, ``ANALYZE``
        held its lock until the run ended, and a second run's ``ANALYZE``
        of the letters waited for it: two companies' runs waited on each
        other. On its own connection it holds it while it counts only.
        """
        # The cursor commits as it closes.
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))

    @api.model
    def _next_names(self, count):
        """``count`` references at once, from the letters' sequence
        (``ir.sequence`` of code ``account.dunning.letter``, the company's
        or a shared one): Odoo's own ``_next()`` for a no-gap or date-range
        sequence, one query for a standard one (``_select_next_numbers``).

        :return: the references, in order; "/" without a sequence.
        """
        if not count:
            return []
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "account.dunning.letter"),
                    ("company_id", "in", (self.env.company.id, False)),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return ["/"] * count
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _i in range(count)]
        return [
            sequence.get_next_char(number)
            for number in self._select_next_numbers(sequence, count)
        ]

    @api.model
    def _select_next_numbers(self, sequence, count):
        """``count`` numbers of a standard ``ir.sequence`` in one query.

        Odoo's ``_next()`` takes one query a number: 199 more for the 200
        letters of 2,000 invoices (bench.py -n 2000), whose escalation must
        cost at most 40. The PostgreSQL sequence is the one
        ``ir.sequence._next_do`` draws from; Odoo names it after the record
        and offers no accessor nor a call for several numbers.
        """
        return [
            number
            for (number,) in self.env.execute_query(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    f"ir_sequence_{sequence.id:03d}",
                    count,
                )
            )
        ]

    @api.model
    def _cron_recourse_alerts(self):
        """Formal notices whose deadline passed unpaid: choose an external recourse."""
        today = fields.Date.context_today(self)
        letters = self.search(
            [
                ("state", "=", "sent"),
                ("letter_type", "=", "formal_notice"),
                ("date_deadline", "<", today),
                ("date_recourse_alert", "=", False),
                ("invoice_ids.payment_state", "in", UNPAID_PAYMENT_STATES),
            ]
        )
        activity_type = self.env.ref("account_dispute.mail_activity_type_recourse")
        for letter in letters:
            letter.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=letter._get_responsible().id,
                note=Markup("<p>%s</p>")
                % self.env._(
                    "The deadline of the formal notice passed and the invoices are "
                    "still unpaid: choose an external recourse (mediation, "
                    "collection agency, injunction to pay)."
                ),
            )
        letters._write_internal({"date_recourse_alert": today})
        return letters
