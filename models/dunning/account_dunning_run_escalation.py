# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The escalation: what puts an invoice at a level, and the letters a run
prepares for it, by batches of customers."""

import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..common.frozen_record_mixin import internal_writes
from ..common.row_lock import lock_rows_or_refuse

_logger = logging.getLogger(__name__)

PARTNER_BATCH = 200


class AccountDunningRun(models.Model):
    _inherit = "account.dunning.run"

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
            trigger = "cron" if self.env.context.get("dunning_nightly") else "script"
            prepared, *__ = self.with_company(company)._run_company(
                company, levels, date, partners, trigger=trigger, send_now=True
            )
            letters |= prepared
        return letters

    def _run_company(
        self,
        company,
        levels,
        date,
        partners,
        trigger,
        send_now=False,
        run=None,
        batches=None,
    ):
        """Prepare the company's letters due on ``date`` unless another run is
        under way: the nightly run (context ``dunning_nightly``) skips, a
        user is refused.

        :param run: the run to go on with, else a new one.
        :param batches: at most this many batches of customers (the nightly
            step takes one a call), else all.
        :return: (letters prepared, customers done, customers left).
        :raises UserError: ``date`` is to come, or another run is under way
            or has just ended and this is not the nightly run.
        """
        self._check_dunning_date(date)
        if not self._lock_company_dunning(company):
            _logger.info("Dunning of %s skipped: a run is under way", company.name)
            return self.env["account.dunning.letter"], 0, 0
        if not run:
            with internal_writes():
                run = self.create(
                    {"company_id": company.id, "date": date, "trigger": trigger}
                )
        return run._prepare(levels, partners, send_now, batches)

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

    def _lock_company_dunning(self, company):
        """Hold the company's preparation until this transaction ends, and
        stamp it (``res.company.dunning_last_run``).

        The company's row is locked (``row_lock.lock_rows_or_refuse``, ``FOR
        NO KEY UPDATE NOWAIT``): two runs of one company never prepare at
        once, and runs of two companies never wait on each other. A run whose
        transaction began before another run of the company committed would
        not see that run's letters and would create them again: the stamp
        that every run writes makes PostgreSQL refuse its lock.

        :return: whether the company is held; False for the nightly run
            (context ``dunning_nightly``) when another run holds it.
        :raises UserError: another run holds the company, or has just ended,
            and this is not the nightly run.
        """
        try:
            lock_rows_or_refuse(
                company,
                self.env._(
                    "A dunning run is under way or has just ended for %(company)s: "
                    "try again in a moment.",
                    company=company.name,
                ),
            )
        except UserError:
            if self.env.context.get("dunning_nightly"):
                return False
            raise
        # No field of the company's chatter changes: no tracking to prepare.
        company.sudo().with_context(
            tracking_disable=True
        ).dunning_last_run = fields.Datetime.now()
        company.flush_recordset(["dunning_last_run"])
        return True

    def _prepare(self, levels, partners, send_now, batches=None):
        """Create the run's letters by batches of customers; queue those to
        send, or send them at once. The run is prepared once no customer is
        left.

        A batch that fails rolls back alone and is logged; its customers are
        left out of the run's later steps (the next run retries them).

        :param batches: at most this many batches, else all.
        :return: (letters prepared, customers done, customers left).
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
        partner_ids = sorted(plan_by_partner)
        starts = range(0, len(partner_ids), PARTNER_BATCH)
        if batches is not None:
            starts = starts[:batches]
        counted = Letter._letters_counted_by_planner() if starts else 0
        existing = counted
        done = 0
        for start in starts:
            batch = partner_ids[start : start + PARTNER_BATCH]
            done += len(batch)
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
                continue
            letters |= created
            if existing + len(letters) > 2 * counted + PARTNER_BATCH:
                Letter._count_letters_for_planner()
                counted = existing + len(letters)
        left = len(partner_ids) - done
        if not left:
            self._write_internal({"date_prepared": fields.Datetime.now()})
            self._close_finished()
        return letters, done, left

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

    # ------------------------------------------------------------------
    # BUSINESS METHODS: what puts an invoice at a level
    # ------------------------------------------------------------------

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
