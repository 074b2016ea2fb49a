# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
import threading
from collections import defaultdict
from contextlib import closing, contextmanager

import psycopg2.errors
from markupsafe import Markup

from odoo import Command, api, fields, models, sql_db
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, mute_logger, split_every

from .account_dunning_level import LETTER_TYPE_SELECTION
from .res_partner import DEBTOR_TYPE_SELECTION

_logger = logging.getLogger(__name__)

PARTNER_BATCH = 200
# What the claim of a draft letter is computed from: changing one of them
# computes its rows again.
CLAIM_FIELDS = {"partner_id", "level_id", "currency_id", "date", "invoice_ids"}
# First key of the session advisory lock that one company's escalation run
# holds (the second key is the company's id): two runs never overlap.
ESCALATION_LOCK = 0x444E4E47


class AccountDunningLetter(models.Model):
    _name = "account.dunning.letter"
    _description = "Dunning Letter"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

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
        changing the settings rewrites no letter.
        """
        for letter in self:
            if letter.state == "sent" or not letter.date:
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(letter.state == "sent" for letter in self):
            raise UserError(
                self.env._("A sent letter is kept as evidence: it cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_send(self):
        """Date the letters today, claim what is due today, print them, e-mail
        them where their level says so, and trace them.

        What a sent letter states is frozen. A letter whose invoices were all
        paid or contested meanwhile is cancelled; one whose customer's open
        credits cover its invoices is not sent, and the user is told why.

        :raises UserError: a letter is not a draft, or the only letter to send
            is covered by open credits.
        """
        if any(letter.state != "draft" for letter in self):
            raise UserError(self.env._("Only draft letters can be sent."))
        self._lock_for_sending()
        self.with_context(dunning_claim_later=True).write(
            {"date": fields.Date.context_today(self)}
        )
        self._refresh_drafts()
        letters = self.filtered(lambda letter: letter.state == "draft")
        covered = letters.filtered(lambda letter: letter._is_covered())
        if covered and covered == self:
            raise UserError(
                "\n".join(letter._get_covered_message() for letter in covered)
            )
        for letter in covered:
            letter.message_post(body=letter._get_covered_message())
        covered.action_cancel()
        for letter in letters - covered:
            if not letter._attach_pdf():
                continue
            if letter.level_id.channel in ("email", "email_letter"):
                letter._send_email()
            letter.state = "sent"
            letter._trace_sent()
        if covered:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "message": "\n".join(x._get_covered_message() for x in covered),
                },
            }
        return True

    def action_print(self):
        """Print the letters; drafts as their invoices stand now."""
        self._refresh_drafts()
        return self.env.ref(
            "account_dispute.report_dunning_letter_action"
        ).report_action(self)

    def action_cancel(self):
        if any(letter.state != "draft" for letter in self):
            raise UserError(
                self.env._("Only draft letters can be cancelled: a sent letter stays.")
            )
        self.write({"state": "cancelled"})
        return True

    def action_view_invoices(self):
        self.ensure_one()
        return self.invoice_ids._get_invoices_action()

    # ------------------------------------------------------------------
    # BUSINESS METHODS: letters
    # ------------------------------------------------------------------

    def _lock_for_sending(self):
        """Hold the letters and their invoices, or refuse at once.

        So that a letter is not sent twice by two users or runs, nor sent on
        an invoice whose dispute or payment another user is saving.
        """
        company = self.env.company
        if not all(
            not records or company._with_locked_records(records, allow_raising=False)
            for records in (self, self.invoice_ids)
        ):
            raise UserError(
                self.env._(
                    "Another user is changing these letters or their invoices (a "
                    "payment, a dispute, a sending): try again in a moment."
                )
            )

    def _drop_settled_invoices(self):
        """Take paid or contested invoices out of draft letters (see
        ``account.move.is_contested``); cancel empty ones."""
        for letter in self.filtered(lambda x: x.state == "draft"):
            settled = letter.invoice_ids.filtered(
                lambda m: (
                    m.is_contested
                    or m.payment_state not in ("not_paid", "partial")
                    or m.state != "posted"
                )
            )
            if settled:
                # The caller computes the claims of all its letters at once.
                letter.with_context(dunning_claim_later=True).invoice_ids = [
                    Command.unlink(m.id) for m in settled
                ]
        self.filtered(
            lambda x: x.state == "draft" and not x.invoice_ids
        ).action_cancel()

    def _attach_pdf(self):
        """Render the letter and keep it; a rendering failure leaves it in draft."""
        self.ensure_one()
        report = self.env.ref("account_dispute.report_dunning_letter_action")
        try:
            content, __ = report._render_qweb_pdf(report.report_name, self.ids)
        except UserError as error:
            _logger.warning("Dunning letter %s not rendered: %s", self.name, error)
            self.message_post(
                body=self.env._(
                    "The letter could not be printed, it stays in draft: %(error)s",
                    error=str(error),
                )
            )
            return False
        self.attachment_id = self.env["ir.attachment"].create(
            {
                "name": "{}.pdf".format(self.name.replace("/", "-")),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        return True

    def _send_email(self):
        self.ensure_one()
        recipient = self.partner_id.address_get(["invoice"])["invoice"]
        recipient = self.env["res.partner"].browse(recipient)
        if not recipient.email:
            self.message_post(
                body=self.env._(
                    "%(partner)s has no e-mail address: print the letter and post it.",
                    partner=self.partner_id.display_name,
                )
            )
            return
        template = self.level_id.mail_template_id or self.env.ref(
            "account_dispute.mail_template_dunning_letter"
        )
        self.message_post(
            subject=template._render_field("subject", self.ids, compute_lang=True)[
                self.id
            ],
            body=template._render_field("body_html", self.ids, compute_lang=True)[
                self.id
            ],
            partner_ids=recipient.ids,
            attachment_ids=self.attachment_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _trace_sent(self):
        """Raise the invoices' level and say so on the customer and the invoices."""
        self.ensure_one()
        self.invoice_ids.with_context(skip_is_manually_modified=True).write(
            {"dunning_level_id": self.level_id.id, "dunning_date": self.date}
        )
        body = self.env._(
            "%(level)s sent: %(letter)s.",
            level=self.level_id.name,
            letter=self._get_html_link(),
        )
        self.partner_id.message_post(body=body)
        self.invoice_ids._message_log_batch(
            bodies=dict.fromkeys(self.invoice_ids.ids, body)
        )
        activity_type = self.level_id.activity_type_id
        if activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=self._get_responsible().id,
                summary=self.env._("Follow up %(letter)s", letter=self.name),
            )

    def _get_responsible(self):
        """Who follows the letter up: the salesperson, else the dispute manager."""
        self.ensure_one()
        return (
            self.partner_id.user_id
            or self.company_id.dispute_manager_id
            or self.env.user
        )

    # ------------------------------------------------------------------
    # BUSINESS METHODS: escalation
    # ------------------------------------------------------------------

    @api.model
    def _cron_dunning_escalation(self):
        return self.with_context(dunning_commit=True)._run_escalation()

    @api.model
    def _run_escalation(self, date=None, partners=None):
        """Create the letters that are due on ``date``; send those to send.

        Re-running it creates nothing twice: an invoice waiting in a draft
        letter is left alone, and a level is reached no sooner after the
        previous letter than after the previous level.
        """
        date = date or fields.Date.context_today(self)
        letters = self.browse()
        levels_by_company = self.env["account.dunning.level"]._read_group(
            [], ["company_id"], ["id:recordset"]
        )
        for company, levels in levels_by_company:
            if partners is not None and not partners:
                break
            letters |= self.with_company(company)._run_company_escalation(
                company, levels.sorted("sequence"), date, partners
            )
        return letters

    def _run_company_escalation(self, company, levels, date, partners):
        """Run the company's escalation unless another run is under way.

        A second run meanwhile is skipped by the cron and refused to a user.
        """
        self._check_dunning_date(date)
        with self._escalation_lock(company) as locked:
            if locked and self._stamp_escalation(company):
                letters = self._run_locked_escalation(company, levels, date, partners)
                self._stamp_escalation(company)
                return letters
        if self.env.context.get("dunning_commit"):
            _logger.info("Dunning of %s skipped: a run is under way", company.name)
            return self.browse()
        raise UserError(
            self.env._(
                "A dunning run is under way or has just ended for %(company)s: "
                "try again in a moment.",
                company=company.name,
            )
        )

    @api.model
    def _check_dunning_date(self, date):
        """Letters claim what is due on the day they are prepared: never a day
        to come (the user's today).

        :raises UserError: ``date`` is after today.
        """
        if date > fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "The dunning cannot run for a day to come (%(date)s): letters "
                    "claim what is due on the day they are prepared.",
                    date=format_date(self.env, date),
                )
            )

    @contextmanager
    def _escalation_lock(self, company):
        """A session advisory lock on the company's escalation, taken on a
        connection of its own: it outlives the commits between batches, is
        released whatever happens to the run's transaction, and goes with the
        connection if the process dies."""
        key = [ESCALATION_LOCK, company.id]
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as lock_cr:
            lock_cr.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            locked = lock_cr.fetchone()[0]
            # The lock stays; the connection need not sit in a transaction.
            lock_cr.commit()
            try:
                yield locked
            finally:
                if locked:
                    lock_cr.execute("SELECT pg_advisory_unlock(%s, %s)", key)

    def _stamp_escalation(self, company):
        """Stamp the company's last run, at its start and at its end.

        The run's transaction may have begun before another run ended: it
        would not see that run's letters, and create them again. Then this
        update meets the other run's and PostgreSQL refuses it: False.
        """
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                company.sudo().dunning_last_run = fields.Datetime.now()
                company.flush_recordset(["dunning_last_run"])
        except psycopg2.errors.SerializationFailure:
            company.invalidate_recordset(["dunning_last_run"])
            return False
        return True

    def _run_locked_escalation(self, company, levels, date, partners):
        plan_by_partner = defaultdict(dict)
        for key, move_ids in self._get_dunning_plan(
            company, levels, date, partners
        ).items():
            plan_by_partner[key[0]][key] = move_ids
        letters = self.browse()
        existing = counted = self._letters_counted_by_planner()
        for batch in split_every(PARTNER_BATCH, sorted(plan_by_partner)):
            batch_plan = {
                key: move_ids
                for partner_id in batch
                for key, move_ids in plan_by_partner[partner_id].items()
            }
            try:
                with self.env.cr.savepoint():
                    batch_plan = self._lock_plan_invoices(batch_plan)
                    created = self._create_letters(company, date, batch_plan)
                    to_send = created.filtered(
                        lambda x: x.level_id.auto_send or company.dunning_mode == "send"
                    )
                    to_send.action_send()
            except Exception:  # pylint: disable=broad-except
                # One bad batch must not stop the night: the next run retries it.
                _logger.exception(
                    "Dunning of %s: a batch of %s customers failed and was skipped",
                    company.name,
                    len(batch),
                )
                self.env.invalidate_all()
                continue
            letters |= created
            if existing + len(letters) > 2 * counted + PARTNER_BATCH:
                counted = self._count_letters_for_planner()
            if self.env.context.get("dunning_commit") and not getattr(
                threading.current_thread(), "testing", False
            ):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return letters

    def _lock_plan_invoices(self, plan):
        """Lock the plan's invoices still due, and leave out the others.

        An invoice that another transaction holds (a payment being registered,
        a dispute being opened) is skipped: the next run takes it up. One that
        was paid or contested since the plan was made is dropped.
        """
        ids = [move_id for move_ids in plan.values() for move_id in move_ids]
        if not ids:
            return plan
        self.env["account.move"].flush_model(["state", "payment_state", "is_contested"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM account_move
                 WHERE id IN %s AND state = 'posted'
                   AND payment_state IN ('not_paid', 'partial')
                   AND is_contested IS NOT TRUE
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                tuple(ids),
            )
        )
        locked = {move_id for (move_id,) in rows}
        plan = {
            key: [move_id for move_id in move_ids if move_id in locked]
            for key, move_ids in plan.items()
        }
        return {key: move_ids for key, move_ids in plan.items() if move_ids}

    def _letters_counted_by_planner(self):
        """How many letters PostgreSQL's planner believes there are."""
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [self._table]
        )
        return max(self.env.cr.fetchone()[0], 0)

    def _count_letters_for_planner(self):
        """Let PostgreSQL's planner count the letters this run added.

        The checks of the letters' foreign keys keep the plan made when the
        table was small: on a table believed nearly empty (a new database,
        the first big run) they scan it whole for each invoice linked, and
        the run grows with the square of its letters. ANALYZE counts the rows
        this transaction added, and the plans are made again. Odoo has no
        public mechanism for this (its autovacuum does not see uncommitted
        rows); measured on 100,000 invoices after emptying the table: 136 s
        without, 9.5 s with (benchmarks/README.md, "A trap found at 100,000").
        """
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
        return self._letters_counted_by_planner()

    def _get_dunning_plan(self, company, levels, date, partners=None):
        """{(partner id, level, currency id): invoice ids} due on ``date``."""
        rows = self._query_dunning_candidates(company, levels, date, partners)
        plan = defaultdict(list)
        skip = company.dunning_skip_levels
        # (level, sequence, delay) of the ladder, and of the levels reached.
        ladder = [(level, level.sequence, level.delay_days) for level in levels]
        reached_levels = {
            level.id: (level.sequence, level.delay_days)
            for level in levels.browse({row[4] for row in rows if row[4]})
        }
        for move_id, partner_id, currency_id, date_due, level_id, last_date in rows:
            current = reached_levels.get(level_id)
            above = [step for step in ladder if not current or step[1] > current[0]]
            days_late = (date - date_due).days
            reached = [step for step in above if step[2] <= days_late]
            if not reached or (not skip and reached[0] is not above[0]):
                continue
            target, __, delay = reached[-1] if skip else reached[0]
            # The next level comes no sooner after the last letter than the
            # gap between the two levels.
            if current and last_date and (date - last_date).days < delay - current[1]:
                continue
            plan[(partner_id, target, currency_id)].append(move_id)
        return plan

    def _query_dunning_candidates(self, company, levels, date, partners):
        """Unpaid invoices of the company that may be reminded, in one query.

        An invoice under a running payment plan is due when the plan's oldest
        unpaid installment is: it is reminded only for installments past due.
        """
        self.env.flush_all()
        earliest = fields.Date.add(date, days=-min(levels.mapped("delay_days")))
        partner_clause = SQL()
        if partners is not None:
            partner_clause = SQL(
                "AND m.commercial_partner_id IN %s",
                tuple(partners.commercial_partner_id.ids) or (0,),
            )
        return self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.currency_id,
                       CASE WHEN plan.planned THEN plan.date_due
                            ELSE MIN(l.date_maturity) END AS date_due,
                       m.dunning_level_id, m.dunning_date
                  FROM account_move m
                  JOIN account_move_line l
                    ON l.move_id = m.id
                   AND l.display_type = 'payment_term'
                   AND NOT l.reconciled
                  JOIN res_partner p ON p.id = m.commercial_partner_id
                  LEFT JOIN LATERAL (
                        SELECT TRUE AS planned, MIN(pl.date) AS date_due
                          FROM account_dispute_payment_plan_account_move_rel pr
                          JOIN account_dispute_payment_plan pp
                            ON pp.id = pr.plan_id AND pp.state = 'running'
                     LEFT JOIN account_dispute_payment_plan_line pl
                            ON pl.plan_id = pp.id AND pl.state != 'paid'
                         WHERE pr.move_id = m.id
                      GROUP BY pr.move_id) plan ON TRUE
                 WHERE m.company_id = %(company)s
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.is_contested IS NOT TRUE
                   AND m.dunning_excluded IS NOT TRUE
                   AND %(partner_excluded)s IS NOT TRUE
                   %(partner_clause)s
                   AND NOT EXISTS (
                        SELECT 1
                          FROM account_dunning_letter_account_move_rel r
                          JOIN account_dunning_letter dl ON dl.id = r.letter_id
                         WHERE r.move_id = m.id AND dl.state = 'draft')
              GROUP BY m.id, plan.planned, plan.date_due
                HAVING CASE WHEN plan.planned THEN plan.date_due
                            ELSE MIN(l.date_maturity) END <= %(earliest)s
              ORDER BY m.commercial_partner_id, m.id
                """,
                company=company.id,
                partner_clause=partner_clause,
                earliest=earliest,
                partner_excluded=self.env["res.partner"]
                .with_company(company)
                ._field_to_sql("p", "dunning_excluded"),
            )
        )

    def _create_letters(self, company, date, plan):
        if not plan:
            return self.browse()
        # The letter's chatter starts with its sending: no creation note, and
        # whoever runs the dunning does not follow thousands of letters.
        letters = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                self._prepare_letter_vals(
                    company, date, partner_id, level, currency, ids
                )
                for (partner_id, level, currency), ids in plan.items()
            ]
        )
        letters = letters.with_env(self.env)
        covered = letters.filtered(lambda letter: letter._is_covered())
        for letter in covered:
            _logger.info(letter._get_covered_message())
        covered.unlink()
        return letters - covered

    @api.model
    def _prepare_letter_vals(self, company, date, partner_id, level, currency_id, ids):
        return {
            "partner_id": partner_id,
            "company_id": company.id,
            "level_id": level.id,
            "currency_id": currency_id,
            "date": date,
            "invoice_ids": [Command.set(ids)],
        }

    @api.model
    def _next_names(self, count):
        """``count`` references at once: one query for a standard sequence,
        where ``next_by_code`` costs two per letter (the escalation takes 81
        queries for 10,000 invoices with it; benchmarks/README.md). A no-gap
        or date-range sequence goes through Odoo's own ``_next()``."""
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
        numbers = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(number) for (number,) in numbers]

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
                ("invoice_ids.payment_state", "in", ("not_paid", "partial")),
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
        letters.date_recourse_alert = today
        return letters
