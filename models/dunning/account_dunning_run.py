# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The dunning run: the record a user follows, and the engine that prepares
the letters due (planning, locking, creating) and sends the queued ones, in
bounded steps that commit and report their progress to Odoo's cron."""

import logging
import threading
import time
from collections import defaultdict
from contextlib import closing, contextmanager

import psycopg2.errors

from odoo import Command, api, fields, models, sql_db
from odoo.exceptions import UserError
from odoo.tools import SQL, config, format_date, mute_logger

from ..common.frozen_record_mixin import internal_writes, is_internal_write

_logger = logging.getLogger(__name__)

PARTNER_BATCH = 200
# First key of the session advisory lock that one company's preparation
# holds (the second key is the company's id): two runs never overlap.
ESCALATION_LOCK = 0x444E4E47
# A cron job of the dunning works for this share of Odoo's smaller time limit
# (limit_time_real_cron or limit_time_real, limit_time_cpu): the jobs that
# share the cron worker's cycle, ours included, have the rest.
STEP_SHARE = 4
# Letters taken from the queue in one transaction (about 1.25 s each).
SEND_BATCH = 5
SEND_CRONS = ("ir_cron_dunning_send", "ir_cron_dunning_send_2")


class AccountDunningRun(models.Model):
    """What a dunning run did. Only the dunning creates and writes runs;
    a finished run (done or failed) is read-only to every user, and no run
    can be deleted: archive it (``account.frozen.record.mixin``)."""

    _name = "account.dunning.run"
    _description = "Dunning Run"
    _inherit = ["account.dispute.date.range.mixin", "account.frozen.record.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _protected_fields = (
        "company_id",
        "date",
        "trigger",
        "user_id",
        "state",
        "date_start",
        "date_prepared",
        "date_end",
        "invoice_count",
        "letter_prepared_count",
        "letter_skipped_count",
    )
    _frozen_writable_fields = ("active",)
    # ``_unlink_except_run``: no run is deleted, finished or not.
    _frozen_unlink = False

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(
        default=True,
        help="Archive a run to hide it: a run is never deleted, it records what "
        "the dunning did.",
    )
    date = fields.Date(
        required=True,
        readonly=True,
        default=fields.Date.context_today,
        help="The day the letters claim what is due.",
    )
    trigger = fields.Selection(
        selection=[
            ("cron", "Scheduled Action"),
            ("wizard", "Run the Dunning"),
            ("send", "Send Button"),
            ("script", "Script or Module"),
        ],
        string="Started From",
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Started By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        selection=[("running", "Running"), ("done", "Done"), ("failed", "Failed")],
        default="running",
        required=True,
        readonly=True,
        index=True,
    )
    date_start = fields.Datetime(
        string="Started On", readonly=True, default=fields.Datetime.now
    )
    date_prepared = fields.Datetime(
        string="Prepared On",
        readonly=True,
        help="When the letters due were all prepared; sending goes on after.",
    )
    date_end = fields.Datetime(string="Ended On", readonly=True)
    invoice_count = fields.Integer(string="Invoices Considered", readonly=True)
    letter_prepared_count = fields.Integer(string="Letters Prepared", readonly=True)
    letter_skipped_count = fields.Integer(
        string="Skipped",
        readonly=True,
        help="Customers left out: open credits cover their invoices, or another "
        "user was changing the invoices (the next run takes them up).",
    )
    letter_queued_count = fields.Integer(
        string="Waiting to Be Sent", compute="_compute_letter_counts"
    )
    letter_sent_count = fields.Integer(string="Sent", compute="_compute_letter_counts")
    letter_failed_count = fields.Integer(
        string="Failed", compute="_compute_letter_counts"
    )
    progress = fields.Float(
        compute="_compute_letter_counts",
        help="Share of the letters to send that were sent or given up, in %.",
    )
    letter_ids = fields.One2many(
        comodel_name="account.dunning.letter", inverse_name="run_id", readonly=True
    )
    failure_ids = fields.One2many(
        comodel_name="account.dunning.run.failure",
        inverse_name="run_id",
        string="Log",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("date", "company_id")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "Dunning of %(date)s, %(company)s",
                date=format_date(self.env, run.date),
                company=run.company_id.name,
            )

    def _compute_letter_counts(self):
        """Counted from the letters, which several senders change at once:
        the run's own row is never written by a sender."""
        counts = defaultdict(lambda: defaultdict(int))
        for run, state, sending_state, count in self.env[
            "account.dunning.letter"
        ]._read_group(
            [("run_id", "in", self.ids)],
            ["run_id", "state", "sending_state"],
            ["__count"],
        ):
            if sending_state == "blocked" or state == "email_error":
                key = "failed"
            elif sending_state == "queued":
                key = "queued"
            elif state == "sent":
                key = "sent"
            else:
                continue
            counts[run.id][key] += count
        for run in self:
            count = counts[run.id]
            run.letter_queued_count = count["queued"]
            run.letter_sent_count = count["sent"]
            run.letter_failed_count = count["failed"]
            total = count["queued"] + count["sent"] + count["failed"]
            if not run.date_prepared:
                run.progress = 0.0
            elif not total:
                run.progress = 100.0
            else:
                run.progress = 100.0 * (total - count["queued"]) / total

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    def _is_frozen(self):
        """A finished run is kept as it ended."""
        self.ensure_one()
        return self.state != "running"

    def _get_frozen_error(self):
        self.ensure_one()
        return self.env._(
            "%(run)s is finished: it records what the dunning did and cannot be "
            "changed. Archive it to hide it.",
            run=self.display_name,
        )

    def _get_protected_error(self, field_names):
        return self.env._(
            "Dunning runs are recorded by the dunning only: they are started by "
            "the nightly run, Run the Dunning or the Send button, and cannot be "
            "created or written by hand (%(fields)s).",
            fields=self._describe_fields(field_names),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_run(self):
        if self and not is_internal_write():
            raise UserError(
                self.env._(
                    "A dunning run records what the dunning did, with its log and "
                    "the letters it prepared: it cannot be deleted. Archive it to "
                    "hide it."
                )
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_view_letters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dunning_letter_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # BUSINESS METHODS: preparing
    # ------------------------------------------------------------------

    @api.model
    def _run_escalation(self, date=None, partners=None):
        """Prepare the letters due on ``date`` and send those to send, all at
        once, as ``account.dunning.letter._run_escalation`` promises.

        :param date: the day the letters claim what is due (default: today).
        :param partners: only these customers (``res.partner``), or all.
        :return: the letters prepared (``account.dunning.letter``).
        :raises UserError: ``date`` is to come, or a run is under way and this
            is not the nightly run (which skips instead).
        """
        date = date or fields.Date.context_today(self)
        letters = self.env["account.dunning.letter"]
        for company, levels in self._get_levels_by_company():
            if partners is not None and not partners:
                break
            trigger = "cron" if self.env.context.get("dunning_commit") else "script"
            prepared, __ = self.with_company(company)._run_company(
                company, levels, date, partners, trigger=trigger, send_now=True
            )
            letters |= prepared
        return letters

    @api.model
    def _cron_prepare(self):
        """The nightly step: prepare today's letters of every company, for a
        bounded time, queue those to send and report the progress to Odoo,
        which calls it again at once while customers remain.

        A company whose nightly run of the day ended is left alone: the
        *Run the Dunning* wizard runs it again on demand.

        :return: the letters prepared by this step.
        """
        self = self.with_context(dunning_commit=True)
        deadline = self._get_step_deadline()
        date = fields.Date.context_today(self)
        prepared = self.env["account.dunning.letter"]
        remaining = 0
        for company, levels in self._get_levels_by_company():
            run = self.with_context(active_test=False).search(
                [
                    ("company_id", "=", company.id),
                    ("date", "=", date),
                    ("trigger", "=", "cron"),
                ],
                order="id desc",
                limit=1,
            )
            if run.date_prepared:
                continue
            if time.monotonic() >= deadline:
                remaining += 1
                continue
            letters, left = self.with_company(company)._run_company(
                company, levels, date, None, "cron", deadline=deadline, run=run
            )
            prepared |= letters
            remaining += left
        self._notify_step(len(prepared), remaining)
        return prepared

    def _run_company(
        self, company, levels, date, partners, trigger, send_now=False, **kwargs
    ):
        """Prepare the company's letters due on ``date`` unless another run is
        under way: the nightly run skips, a user is refused.

        :param deadline: ``time.monotonic()`` value after which no batch of
            customers is begun; the rest is left for the next step.
        :param run: the run to go on with, else a new one.
        :return: (letters prepared, customers left for the next step).
        """
        self._check_dunning_date(date)
        with self._escalation_lock(company) as locked:
            if locked and self._stamp_escalation(company):
                run = kwargs.get("run")
                if not run:
                    with internal_writes():
                        run = self.create(
                            {"company_id": company.id, "date": date, "trigger": trigger}
                        )
                result = run._prepare(
                    levels, partners, send_now, kwargs.get("deadline")
                )
                self._stamp_escalation(company)
                return result
        if self.env.context.get("dunning_commit"):
            _logger.info("Dunning of %s skipped: a run is under way", company.name)
            return self.env["account.dunning.letter"], 0
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
        """A session advisory lock on the company's preparation, taken on a
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

    def _prepare(self, levels, partners, send_now, deadline=None):
        """Create the run's letters by batches of customers, each committed
        by the nightly run; queue those to send, or send them at once.

        A batch that fails rolls back alone and is logged; its customers are
        left out of the run's later steps (the next run retries them).

        :return: (letters prepared, customers left for the next step).
        """
        self.ensure_one()
        company = self.company_id
        failed = set(
            self.failure_ids.filtered(lambda x: x.kind == "failed").partner_id.ids
        )
        plan_by_partner = defaultdict(dict)
        for key, move_ids in self._get_dunning_plan(
            company, levels, self.date, partners
        ).items():
            if key[0] not in failed:
                plan_by_partner[key[0]][key] = move_ids
        Letter = self.env["account.dunning.letter"]
        letters = Letter.browse()
        existing = counted = Letter._letters_counted_by_planner()
        partner_ids = sorted(plan_by_partner)
        for start in range(0, len(partner_ids), PARTNER_BATCH):
            if deadline and time.monotonic() >= deadline:
                return letters, len(partner_ids) - start
            batch = partner_ids[start : start + PARTNER_BATCH]
            batch_plan = {
                key: move_ids
                for partner_id in batch
                for key, move_ids in plan_by_partner[partner_id].items()
            }
            try:
                with self.env.cr.savepoint():
                    created = self._prepare_batch(batch_plan, send_now)
            except Exception as error:  # pylint: disable=broad-except
                # One bad batch must not stop the night: the next run retries it.
                _logger.exception(
                    "Dunning of %s: a batch of %s customers failed and was skipped",
                    company.name,
                    len(batch),
                )
                self.env.invalidate_all()
                self._log_batch_failure(batch, error)
                self._commit()
                continue
            letters |= created
            if existing + len(letters) > 2 * counted + PARTNER_BATCH:
                counted = Letter._count_letters_for_planner()
            self._commit()
        self._write_internal({"date_prepared": fields.Datetime.now()})
        self._close_finished()
        self._commit()
        return letters, 0

    def _prepare_batch(self, plan, send_now):
        """Lock, create, then queue or send one batch's letters."""
        company = self.company_id
        locked_plan = self._lock_plan_invoices(plan)
        planned = sum(len(ids) for ids in plan.values())
        held = planned - sum(len(ids) for ids in locked_plan.values())
        created, covered = self._create_letters(locked_plan)
        to_send = created.filtered(
            lambda x: x.level_id.auto_send or company.dunning_mode == "send"
        )
        if send_now:
            to_send._send_now()
        else:
            to_send._queue_for_sending(self)
        if held:
            self._log(
                "skipped",
                self.env._(
                    "%(count)s invoices were being changed by another user (a "
                    "payment, a dispute): the next run takes them up.",
                    count=held,
                ),
            )
        self._write_internal(
            {
                "invoice_count": self.invoice_count + planned,
                "letter_prepared_count": self.letter_prepared_count + len(created),
                "letter_skipped_count": self.letter_skipped_count
                + covered
                + (1 if held else 0),
            }
        )
        return created

    def _log(self, kind, message, letter=None, partner=None, attempt=0):
        """Add a line to the run's log; the customer is the letter's if not given."""
        self.ensure_one()
        letter = letter or self.env["account.dunning.letter"]
        partner = partner or letter.partner_id
        with internal_writes():
            return (
                self.env["account.dunning.run.failure"]
                .sudo()
                .create(
                    {
                        "run_id": self.id,
                        "kind": kind,
                        "letter_id": letter.id,
                        "partner_id": partner.id,
                        "attempt": attempt,
                        "message": message,
                    }
                )
            )

    def _log_batch_failure(self, partner_ids, error):
        message = self.env._(
            "The letters of this customer could not be prepared: %(error)s",
            error=str(error),
        )
        with internal_writes():
            self.env["account.dunning.run.failure"].sudo().create(
                [
                    {
                        "run_id": self.id,
                        "kind": "failed",
                        "partner_id": partner_id,
                        "message": message,
                    }
                    for partner_id in partner_ids
                ]
            )

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

    @api.model
    def _get_levels_by_company(self):
        """[(company, its levels in ladder order)] of the companies with a ladder."""
        return [
            (company, levels.sorted("sequence"))
            for company, levels in self.env["account.dunning.level"]._read_group(
                [], ["company_id"], ["id:recordset"]
            )
        ]

    @api.model
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
        # An invoice a dispute contests in part is due from its oldest part
        # that no dispute holds (``account.move._get_due_parts``).
        contested = (
            self.env["account.move"]
            .browse({row[0] for row in rows if row[6]})
            ._get_dunning_date_due()
        )
        for row in rows:
            move_id, partner_id, currency_id, date_due, level_id, last_date = row[:6]
            if row[6]:
                date_due = contested[self.env["account.move"].browse(move_id)]
                if not date_due:
                    continue
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

    @api.model
    def _query_dunning_candidates(self, company, levels, date, partners):
        """Unpaid invoices of the company that may be reminded, in one query.

        An invoice waiting in a draft letter, or in a letter whose e-mail
        failed (until it is e-mailed again or posted), is left alone.

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
                       m.dunning_level_id, m.dunning_date,
                       plan.planned IS NOT TRUE
                       AND (m.amount_contested > 0
                            OR EXISTS (SELECT 1 FROM account_dispute_line dl
                                        WHERE dl.move_id = m.id
                                          AND dl.date_due IS NOT NULL))
                           AS has_contest
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
                         WHERE r.move_id = m.id
                           AND dl.state IN ('draft', 'email_error'))
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

    def _create_letters(self, plan):
        """Create the plan's letters; leave out those that open credits cover.

        :return: (letters created, count of customers left out).
        """
        Letter = self.env["account.dunning.letter"]
        if not plan:
            return Letter, 0
        # The letter's chatter starts with its sending: no creation note, and
        # whoever runs the dunning does not follow thousands of letters.
        with internal_writes():
            letters = Letter.with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True
            ).create(
                [
                    self._prepare_letter_vals(partner_id, level, currency, ids)
                    for (partner_id, level, currency), ids in plan.items()
                ]
            )
        letters = letters.with_env(self.env)
        covered = letters.filtered(lambda letter: letter._is_covered())
        for letter in covered:
            self._log(
                "skipped", letter._get_covered_message(), partner=letter.partner_id
            )
        covered.unlink()
        return letters - covered, len(covered)

    def _prepare_letter_vals(self, partner_id, level, currency_id, ids):
        self.ensure_one()
        return {
            "partner_id": partner_id,
            "company_id": self.company_id.id,
            "level_id": level.id,
            "currency_id": currency_id,
            "date": self.date,
            "invoice_ids": [Command.set(ids)],
            "run_id": self.id,
        }

    # ------------------------------------------------------------------
    # BUSINESS METHODS: sending
    # ------------------------------------------------------------------

    @api.model
    def _cron_send(self):
        """The send step: take queued letters by small batches with ``FOR
        UPDATE SKIP LOCKED`` (so any number of cron workers, processes or
        hosts share the queue, no letter sent twice), send them, commit each
        batch, for a bounded time; report the progress to Odoo."""
        self = self.with_context(dunning_commit=True)
        deadline = self._get_step_deadline()
        Letter = self.env["account.dunning.letter"]
        done = 0
        while time.monotonic() < deadline:
            try:
                with mute_logger("odoo.sql_db"):
                    letters = Letter._take_queued_letters(SEND_BATCH)
            except psycopg2.errors.SerializationFailure:
                if not self._can_commit():
                    raise
                # Another sender committed letters that this transaction's
                # snapshot still saw queued: take again in a new one.
                self.env.cr.rollback()
                continue
            if not letters:
                break
            done += len(letters._send_queued(deadline))
            self._close_finished()
            self._commit()
        self._close_finished()
        self._commit()
        return self._notify_step(done, Letter._count_queued_letters())

    def _close_finished(self):
        """Close the prepared runs whose queue is empty: done, or failed when
        letters wait for a person. A run another sender is closing is left
        to it."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT r.id FROM account_dunning_run r
                 WHERE r.state = 'running' AND r.date_prepared IS NOT NULL
                   AND NOT EXISTS (
                        SELECT 1 FROM account_dunning_letter l
                         WHERE l.run_id = r.id AND l.sending_state = 'queued')
                """
            )
        )
        for run in self.browse([run_id for (run_id,) in rows]):
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    if run._lock_skip_locked():
                        run._close()
            except psycopg2.errors.SerializationFailure:
                run.invalidate_recordset()

    def _lock_skip_locked(self):
        """Lock the run's row unless another transaction holds it."""
        return self.env.execute_query(
            SQL(
                "SELECT id FROM account_dunning_run WHERE id = %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                self.id,
            )
        )

    def _close(self):
        self.ensure_one()
        stuck = self.letter_failed_count or self.failure_ids.filtered(
            lambda x: x.kind == "failed" and not x.letter_id
        )
        self._write_internal(
            {
                "state": "failed" if stuck else "done",
                "date_end": fields.Datetime.now(),
            }
        )

    @api.model
    def _trigger_sending(self):
        """Wake the send crons now: each cron worker takes one of them."""
        self._trigger_sending_at(None)

    @api.model
    def _trigger_sending_at(self, when):
        """Wake the send crons at ``when`` (a letter to try again)."""
        for xmlid in SEND_CRONS:
            cron = self.sudo().env.ref(
                f"account_dispute.{xmlid}", raise_if_not_found=False
            )
            if cron and cron.active:
                cron._trigger(when)

    def _reopen(self):
        """Letters sent again: the runs are running until their queue is empty."""
        self.filtered(lambda run: run.state != "running")._write_internal(
            {"state": "running", "date_end": False}
        )

    # ------------------------------------------------------------------
    # BUSINESS METHODS: steps
    # ------------------------------------------------------------------

    @api.model
    def _get_step_seconds(self):
        """Seconds one cron job of the dunning may work: a quarter of the
        smaller of Odoo's limits (``limit_time_real_cron``, else
        ``limit_time_real``, and ``limit_time_cpu``; 120 s and 60 s by
        default, so 15 s), or the system parameter
        ``account_dispute.dunning_step_seconds``. Odoo kills a cron worker
        whose cycle of jobs passes the limits, ours and the others'."""
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("account_dispute.dunning_step_seconds")
        )
        if param:
            try:
                return max(float(param), 1.0)
            except ValueError:
                _logger.warning("account_dispute.dunning_step_seconds: %r", param)
        real = config["limit_time_real_cron"]
        if real is None or real < 0:
            real = config["limit_time_real"]
        limits = [limit for limit in (real, config["limit_time_cpu"]) if limit]
        return min(limits) / STEP_SHARE if limits else 30.0

    @api.model
    def _get_step_deadline(self):
        """The ``time.monotonic()`` at which the current cron job stops work.

        Odoo calls a job that reports work left up to ten times in one go
        (``ir.cron._run_job``), on one cursor: the calls share one budget.
        Called outside a cron job, each call has a budget of its own."""
        cron_id = self.env.context.get("cron_id")
        if not cron_id:
            return time.monotonic() + self._get_step_seconds()
        thread = threading.current_thread()
        job = getattr(thread, "account_dunning_job", None)
        if job is None or job[:2] != (self.env.cr, cron_id):
            job = (self.env.cr, cron_id, time.monotonic() + self._get_step_seconds())
            thread.account_dunning_job = job
        return job[2]

    @api.model
    def _notify_step(self, done, remaining):
        """Report the step to Odoo's cron (``ir.cron._notify_progress``).

        Work done and left: Odoo calls the job again at once. Nothing done
        because this job's time is spent: the cron is triggered for now, so
        that the next cycle of the cron worker, with time of its own, goes on.
        """
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        cron_id = self.env.context.get("cron_id")
        if remaining and not done and cron_id:
            self.env["ir.cron"].browse(cron_id).sudo()._trigger()
        return done, remaining

    def _can_commit(self):
        """Whether this is a nightly step, which commits as it goes (a test
        never does)."""
        return bool(self.env.context.get("dunning_commit")) and not getattr(
            threading.current_thread(), "testing", False
        )

    def _commit(self):
        """Commit the nightly run's work so far."""
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit
