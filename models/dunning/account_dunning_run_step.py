# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The nightly steps: Odoo's cron calls them, each call does one batch and
reports its progress (``ir.cron._notify_progress``); Odoo commits after each
call and calls again at once while work is left (``ir.cron._run_job``)."""

import logging
import time

from odoo import api, fields, models
from odoo.tools import SQL, config

from odoo.addons.base.models.ir_cron import MAX_BATCH_PER_CRON_JOB

_logger = logging.getLogger(__name__)

# A cron job of the dunning works for this share of Odoo's smaller time limit
# (limit_time_real_cron or limit_time_real, limit_time_cpu): the jobs that
# share the cron worker's cycle, ours included, have the rest.
STEP_SHARE = 4


class AccountDunningRun(models.Model):
    _inherit = "account.dunning.run"

    @api.model
    def _cron_prepare(self):
        """The nightly step: prepare one batch of today's letters of the
        first company whose nightly run is not prepared, queue those to
        send, and report the customers left to Odoo, which calls it again
        while the job's time lasts (``_get_step_deadline``).

        The companies after it are planned too (no batch), so that the
        customers left are counted and a company with none is finished. A
        company whose nightly run of the day ended is left alone: the *Run
        the Dunning* wizard runs it again on demand.

        :return: the letters prepared by this call.
        """
        self = self.with_context(dunning_nightly=True)
        date = fields.Date.context_today(self)
        prepared = self.env["account.dunning.letter"]
        done = remaining = 0
        # The job's time is spent: no batch in this call (``_notify_step``).
        spent = time.monotonic() >= self._get_step_deadline()
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
            letters, count, left = self.with_company(company)._run_company(
                company,
                levels,
                date,
                None,
                "cron",
                run=run,
                batches=0 if done or spent else 1,
            )
            prepared |= letters
            done += count
            remaining += left
        self._notify_step(done, remaining)
        return prepared

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

        Odoo calls a job that reports work left up to
        ``MAX_BATCH_PER_CRON_JOB`` (10) times in one cycle of the cron
        worker, whose limits cover the whole cycle: the calls share the
        job's seconds (``_get_step_seconds``). Each call begins by creating
        its progress record (``ir.cron.progress``): the job began with the
        first of the records that follow one reporting no work done or none
        left. Measured with a budget per call instead, a tenth of the job's
        (``make test-prod``, load average 5): a letter took 5 to 15 s to
        send, each call sent one, and the worker was killed after 120 s, its
        first cycle having also loaded the registry (70 s). Outside a cron
        job, each call has a budget of its own.
        """
        seconds = self._get_step_seconds()
        progress_id = self.env.context.get("ir_cron_progress_id")
        if not progress_id:
            return time.monotonic() + seconds
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT EXTRACT(EPOCH FROM (clock_timestamp() AT TIME ZONE 'UTC')
                                          - create_date),
                       done > 0 AND remaining > 0
                  FROM ir_cron_progress
                 WHERE cron_id = (SELECT cron_id FROM ir_cron_progress
                                   WHERE id = %(progress)s)
                   AND id <= %(progress)s
              ORDER BY id DESC
                 LIMIT %(calls)s
                """,
                progress=progress_id,
                calls=MAX_BATCH_PER_CRON_JOB,
            )
        )
        spent = rows[0][0]
        for since, going_on in rows[1:]:
            if not going_on:
                break
            spent = since
        return time.monotonic() + seconds - float(spent)

    @api.model
    def _notify_step(self, done, remaining):
        """Report the call to Odoo's cron (``ir.cron._notify_progress``).

        Work done and left: Odoo commits and calls the job again at once.
        Nothing done while work is left (letters another sender holds, or
        that changed since this call's transaction began): Odoo ends the job,
        so its cron is triggered for now, and the worker's next cycle goes
        on.

        :return: (done, remaining).
        """
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        cron_id = self.env.context.get("cron_id")
        if remaining and not done and cron_id:
            self.env["ir.cron"].browse(cron_id).sudo()._trigger()
        return done, remaining
