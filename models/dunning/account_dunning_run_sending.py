# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The send step: the queued letters, taken by the send crons."""

import time

import psycopg2.errors

from odoo import api, models
from odoo.tools import mute_logger

# Letters taken from the queue in one call (about 2 s each to send).
SEND_BATCH = 5
SEND_CRONS = ("ir_cron_dunning_send", "ir_cron_dunning_send_2")


class AccountDunningRun(models.Model):
    _inherit = "account.dunning.run"

    @api.model
    def _cron_send(self):
        """The send step: take one batch of queued letters with ``FOR UPDATE
        SKIP LOCKED`` (so any number of cron workers, processes or hosts
        share the queue, no letter sent twice), send them while the job's
        time lasts (``_get_step_deadline``; those not begun stay queued),
        close the runs whose queue is empty, and report the letters left to
        Odoo, which commits and calls again at once. A call that finds the
        job's time spent does nothing: the next cycle goes on.

        :return: (letters sent or tried, letters left in the queue).
        """
        Letter = self.env["account.dunning.letter"]
        deadline = self._get_step_deadline()
        if time.monotonic() >= deadline:
            return self._notify_step(0, Letter._count_queued_letters())
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                letters = Letter._take_queued_letters(SEND_BATCH)
        except psycopg2.errors.SerializationFailure:
            # Another sender committed letters that this transaction's
            # snapshot still saw queued: the next call takes the queue again,
            # in a new transaction.
            letters = Letter
        done = len(letters._send_queued(deadline)) if letters else 0
        self._close_finished()
        return self._notify_step(done, Letter._count_queued_letters())

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
