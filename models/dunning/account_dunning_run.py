# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The dunning run: the record a user follows, its states and its log.

What puts an invoice in a letter is in ``account_dunning_run_escalation.py``,
the nightly steps in ``account_dunning_run_step.py``, the send step in
``account_dunning_run_sending.py``."""

from collections import defaultdict

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, mute_logger

from ..common.frozen_record_mixin import internal_writes, is_internal_write


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
    # BUSINESS METHODS: the log
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # BUSINESS METHODS: states
    # ------------------------------------------------------------------

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

    def _reopen(self):
        """Letters sent again: the runs are running until their queue is empty."""
        self.filtered(lambda run: run.state != "running")._write_internal(
            {"state": "running", "date_end": False}
        )
