# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..models.common.frozen_record_mixin import internal_writes
from ..models.dunning import account_dunning_letter_sending as sending_module
from ..models.dunning import account_dunning_run_escalation as escalation_module
from ..models.dunning import account_dunning_run_step as step_module
from .common import AccountDisputeCommon

D = fields.Date.to_date
TODAY = "2026-02-20"
RUN_LOGGER = "odoo.addons.account_dispute.models.dunning.account_dunning_run_escalation"
SENDING_LOGGER = (
    "odoo.addons.account_dispute.models.dunning.account_dunning_letter_sending"
)


class FakeClock:
    """``time.monotonic`` of a module: each reading moves it on by
    ``step`` seconds, so that a step's deadline passes after a known count
    of readings."""

    def __init__(self, step):
        self.now = 0.0
        self.step = step

    def monotonic(self):
        self.now += self.step
        return self.now


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningRun(AccountDisputeCommon):
    """The run record, the bounded steps of the nightly run, the queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.Run = cls.env["account.dunning.run"]
        cls.Letter = cls.env["account.dunning.letter"]
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Customer {index}",
                    "is_company": True,
                    "email": f"customer{index}@example.com",
                }
                for index in range(6)
            ]
        )
        cls.invoices = cls.env["account.move"]
        for customer in cls.customers:
            cls.invoices |= cls._invoice(500.0, partner=customer, terms=cls.terms_30)
        cls.cron_prepare = cls.env.ref(
            "account_dispute.ir_cron_dunning_escalation"
        ).sudo()
        cls.cron_send = cls.env.ref("account_dispute.ir_cron_dunning_send").sudo()

    def setUp(self):
        super().setUp()
        # Each call of the send step has a tenth of this: time enough for its
        # batch whatever the machine (test_step_budget_is_a_share_of_odoo_limits
        # checks the default).
        self.env["ir.config_parameter"].set_param(
            "account_dispute.dunning_step_seconds", "600"
        )

    def _as_cron_job(self, cron):
        """The model as Odoo's cron calls it, with a progress record."""
        cron, progress = cron._add_progress()
        model = self.Run.with_context(ir_cron_progress_id=progress.id, cron_id=cron.id)
        return model, progress

    def _run_send_cron(self):
        """The send cron as Odoo runs it: called again while it reports
        letters done and left. Returns the letters done in all."""
        done = 0
        while True:
            model, progress = self._as_cron_job(self.cron_send)
            model._cron_send()
            done += progress.done
            if not (progress.done and progress.remaining):
                return done

    def _send_mode(self):
        self.env.company.dunning_mode = "send"

    # ------------------------------------------------------------------
    # The run record
    # ------------------------------------------------------------------

    def test_escalation_is_recorded_in_a_run(self):
        self._send_mode()
        letters = self.Letter._run_escalation(date=D(TODAY))
        self.assertEqual(len(letters), 6)
        self.assertEqual(set(letters.mapped("state")), {"sent"})
        run = letters.run_id
        self.assertEqual(len(run), 1)
        self.assertRecordValues(
            run,
            [
                {
                    "company_id": self.env.company.id,
                    "date": D(TODAY),
                    "trigger": "script",
                    "user_id": self.env.user.id,
                    "state": "done",
                    "invoice_count": 6,
                    "letter_prepared_count": 6,
                    "letter_sent_count": 6,
                    "letter_failed_count": 0,
                    "letter_queued_count": 0,
                    "letter_skipped_count": 0,
                    "progress": 100.0,
                }
            ],
        )
        self.assertTrue(run.date_start)
        self.assertTrue(run.date_end)
        self.assertEqual(
            run.display_name, f"Dunning of 02/20/2026, {self.env.company.name}"
        )

    def test_covered_customer_is_skipped_with_the_reason(self):
        customer = self.customers[0]
        credit = self.init_invoice(
            "out_refund", partner=customer, amounts=[500.0], taxes=[]
        )
        credit.invoice_date = D("2026-01-12")
        credit.action_post()
        letters = self.Letter._run_escalation(date=D(TODAY))
        self.assertNotIn(customer, letters.partner_id)
        run = letters.run_id
        self.assertEqual(run.letter_skipped_count, 1)
        self.assertEqual(run.failure_ids.kind, "skipped")
        self.assertEqual(run.failure_ids.partner_id, customer)
        self.assertIn("open credits", run.failure_ids.message)

    def test_wizard_prepares_and_queues_the_letters_to_send(self):
        self._send_mode()
        wizard = Form(self.env["account.dunning.run.wizard"])
        wizard.date = D(TODAY)
        action = wizard.save().action_run()
        letters = self.Letter.search(action["domain"])
        self.assertEqual(len(letters), 6)
        self.assertEqual(set(letters.mapped("state")), {"draft"})
        self.assertEqual(set(letters.mapped("sending_state")), {"queued"})
        run = letters.run_id
        self.assertRecordValues(
            run,
            [
                {
                    "trigger": "wizard",
                    "state": "running",
                    "letter_queued_count": 6,
                    "progress": 0.0,
                }
            ],
        )
        self.assertTrue(
            self.env["ir.cron.trigger"]
            .sudo()
            .search([("cron_id", "=", self.cron_send.id)])
        )
        self.assertEqual(self._run_send_cron(), 6)
        self.assertEqual(set(letters.mapped("state")), {"sent"})
        self.assertFalse(any(letters.mapped("sending_state")))
        self.assertEqual(len(letters.attachment_id), 6)
        self.assertRecordValues(
            run, [{"state": "done", "letter_sent_count": 6, "progress": 100.0}]
        )

    # ------------------------------------------------------------------
    # Bounded steps
    # ------------------------------------------------------------------

    def test_step_budget_is_a_share_of_odoo_limits(self):
        """120 s real, 60 s CPU by default: a quarter of 60 s."""
        limits = {
            "limit_time_real": 120,
            "limit_time_cpu": 60,
            "limit_time_real_cron": -1,
        }
        self.env["ir.config_parameter"].set_param(
            "account_dispute.dunning_step_seconds", False
        )
        with patch.dict(step_module.config.options, limits):
            self.assertEqual(self.Run._get_step_seconds(), 15.0)
            with patch.dict(step_module.config.options, {"limit_time_real_cron": 40}):
                self.assertEqual(self.Run._get_step_seconds(), 10.0)
            self.env["ir.config_parameter"].set_param(
                "account_dispute.dunning_step_seconds", "8"
            )
            self.assertEqual(self.Run._get_step_seconds(), 8.0)

    def test_nightly_preparation_goes_by_bounded_steps(self):
        """Two customers a batch: the cron prepares one batch a call, reports
        the four left, and Odoo calls it again until all six are done; then
        it leaves the day alone."""
        self._send_mode()
        done = []
        with patch.object(escalation_module, "PARTNER_BATCH", 2):
            for __ in range(3):
                model, progress = self._as_cron_job(self.cron_prepare)
                letters = model.env["account.dunning.letter"]._cron_dunning_escalation()
                done.append((len(letters), progress.remaining))
                run = letters.run_id
                self.assertEqual(run.letter_prepared_count, 2 * len(done))
            self.assertEqual(done, [(2, 4), (2, 2), (2, 0)])
            self.assertTrue(run.date_prepared)
            self.assertEqual(run.trigger, "cron")
            self.assertEqual(run.letter_queued_count, 6)
            self.assertEqual(self.Run.search_count([("trigger", "=", "cron")]), 1)
            # The day's run is prepared: a call later that day does nothing.
            model, progress = self._as_cron_job(self.cron_prepare)
            self.assertFalse(model._cron_prepare())
            self.assertEqual(self.Run.search_count([("trigger", "=", "cron")]), 1)

    def test_send_step_sends_one_batch_a_call(self):
        """The send step takes one batch a call, sends what the call's time
        allows, and reports the letters left: Odoo commits and calls again."""
        self.Letter._run_escalation(date=D(TODAY))._write_internal(
            {"sending_state": "queued"}
        )
        model, progress = self._as_cron_job(self.cron_send)
        model._cron_send()
        self.assertEqual((progress.done, progress.remaining), (5, 1))
        model, progress = self._as_cron_job(self.cron_send)
        model._cron_send()
        self.assertEqual((progress.done, progress.remaining), (1, 0))

    def test_spent_step_hands_over_to_the_next_cycle(self):
        """Called again in the same job once its time is spent (Odoo calls a
        job up to ten times, and the calls share its time), the step does
        nothing and triggers its cron, so that the worker's next cycle goes
        on with time of its own."""
        self.Letter._run_escalation(date=D(TODAY))._write_internal(
            {"sending_state": "queued"}
        )
        model, progress = self._as_cron_job(self.cron_send)
        model._cron_send()
        self.assertEqual((progress.done, progress.remaining), (5, 1))
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([]).unlink()
        with patch.object(type(self.Run), "_get_step_seconds", lambda self: 0.0):
            model, progress = self._as_cron_job(self.cron_send)
            model._cron_send()
        self.assertEqual((progress.done, progress.remaining), (0, 1))
        self.assertEqual(Trigger.search([]).cron_id, self.cron_send)

    def test_step_deadline_is_the_jobs(self):
        """The calls of one job share its time, from its first call's
        progress record; a call after one that reported nothing left, or
        nothing done, begins a new job."""
        Progress = self.env["ir.cron.progress"].sudo()
        cron = self.cron_send
        first = Progress.create({"cron_id": cron.id, "done": 5, "remaining": 1})
        second = Progress.create({"cron_id": cron.id})
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE ir_cron_progress
               SET create_date = (clock_timestamp() AT TIME ZONE 'UTC')
                   - CASE WHEN id = %s THEN interval '100 seconds'
                          ELSE interval '0 seconds' END
             WHERE id IN %s
            """,
            [first.id, (first.id, second.id)],
        )
        Run = self.Run.with_context(ir_cron_progress_id=second.id)
        with patch.object(step_module, "time", FakeClock(step=1000.0)):
            self.assertAlmostEqual(Run._get_step_deadline(), 1500.0, delta=5)
            first.remaining = 0
            self.assertAlmostEqual(Run._get_step_deadline(), 2600.0, delta=5)

    def test_send_step_begins_no_letter_past_its_deadline(self):
        """The step's time is checked before each letter, not each batch:
        the letters not begun stay queued, with no attempt counted."""
        letters = self._drafts()[:5]
        letters._queue_for_sending(letters.run_id)
        with patch.object(sending_module, "time", FakeClock(step=10.0)):
            done = letters._send_queued(deadline=25.0)
        self.assertEqual(done, letters[:2])
        self.assertEqual(done.mapped("state"), ["sent", "sent"])
        rest = letters - done
        self.assertEqual(set(rest.mapped("state")), {"draft"})
        self.assertEqual(set(rest.mapped("sending_state")), {"queued"})
        self.assertEqual(set(rest.mapped("send_attempt_count")), {0})

    # ------------------------------------------------------------------
    # Send from the screen
    # ------------------------------------------------------------------

    def _drafts(self):
        return self.Letter._run_escalation(date=D(TODAY))

    def test_send_few_letters_at_once(self):
        letters = self._drafts()[:5]
        letters.action_send()
        self.assertEqual(set(letters.mapped("state")), {"sent"})
        self.assertFalse(any(letters.mapped("sending_state")))

    def test_send_many_letters_through_the_queue(self):
        letters = self._drafts()
        action = letters.action_send()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("6 letters are queued", action["params"]["message"])
        self.assertEqual(set(letters.mapped("state")), {"draft"})
        self.assertEqual(set(letters.mapped("sending_state")), {"queued"})
        run = self.Run.search(action["params"]["next"]["domain"])
        self.assertEqual(letters.run_id, run)
        self.assertRecordValues(run, [{"trigger": "send", "state": "running"}])
        self._run_send_cron()
        self.assertEqual(set(letters.mapped("state")), {"sent"})
        self.assertEqual(run.state, "done")

    # ------------------------------------------------------------------
    # Failures
    # ------------------------------------------------------------------

    def _queue_one_letter(self):
        """(letter, run): one letter queued by *Send* in a run of its own."""
        letter = self._drafts()[0]
        with internal_writes():
            run = self.Run.create(
                {"trigger": "send", "date_prepared": fields.Datetime.now()}
            )
        letter._queue_for_sending(run)
        return letter, run

    def _send_step_failing(self, when):
        """A send step at ``when`` while wkhtmltopdf fails."""

        def broken(report, report_ref, res_ids=None, data=None):
            raise OSError("wkhtmltopdf failed: disk full")

        with (
            freeze_time(when),
            patch.object(
                type(self.env["ir.actions.report"]), "_render_qweb_pdf", broken
            ),
            mute_logger(SENDING_LOGGER),
        ):
            self.Run._cron_send()

    def test_failure_is_retried_then_left_for_a_person(self):
        letter, run = self._queue_one_letter()
        for attempt, minute in ((1, 0), (2, 6), (3, 17)):
            self._send_step_failing(datetime(2026, 2, 20, 10, minute))
            self.assertEqual(letter.send_attempt_count, attempt)
            self.assertEqual(letter.state, "draft")
            self.assertIn("disk full", letter.send_error)
        self.assertEqual(letter.sending_state, "blocked")
        self.assertFalse(self.Letter._count_queued_letters())
        self.assertEqual(
            run.failure_ids.sorted("id").mapped("kind"), ["retry", "retry", "failed"]
        )
        self.assertEqual(run.state, "failed")
        self.assertEqual(run.letter_failed_count, 1)
        self.assertTrue(letter.activity_ids)
        self.assertIn("after 3 attempts", letter.message_ids[0].body)
        # Once the cause is corrected, a person sends it again.
        letter.action_send_again()
        self.assertEqual(run.state, "running")
        with freeze_time(datetime(2026, 2, 20, 11, 0)):
            self.Run._cron_send()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(run.state, "done")

    def test_retry_waits_its_time(self):
        letter, __ = self._queue_one_letter()
        self._send_step_failing(datetime(2026, 2, 20, 10, 0))
        self.assertEqual(letter.send_retry_date, datetime(2026, 2, 20, 10, 5))
        with freeze_time(datetime(2026, 2, 20, 10, 4)):
            self.assertEqual(self.Letter._count_queued_letters(), 0)
            self.Run._cron_send()
        self.assertEqual((letter.state, letter.send_attempt_count), ("draft", 1))
        self.assertTrue(
            self.env["ir.cron.trigger"]
            .sudo()
            .search(
                [
                    ("cron_id", "=", self.cron_send.id),
                    ("call_at", "=", datetime(2026, 2, 20, 10, 5)),
                ]
            ),
            "the send cron is woken for the retry",
        )

    def test_failing_batch_is_logged_and_left_out_of_the_run(self):
        Run = type(self.Run)
        real_create = Run._create_letters

        def create_letters(run, plan):
            if self.customers[0].id in {key[0] for key in plan}:
                raise ValueError("the database is on fire")
            return real_create(run, plan)

        with (
            patch.object(escalation_module, "PARTNER_BATCH", 1),
            patch.object(Run, "_create_letters", create_letters),
            mute_logger(RUN_LOGGER),
        ):
            letters = self.Letter._run_escalation(date=D(TODAY))
        self.assertEqual(len(letters), 5)
        run = letters.run_id
        failure = run.failure_ids
        self.assertEqual(failure.partner_id, self.customers[0])
        self.assertEqual(failure.kind, "failed")
        self.assertIn("on fire", failure.message)
        self.assertEqual(run.state, "failed")

    # ------------------------------------------------------------------
    # PDFs
    # ------------------------------------------------------------------

    def test_letters_rendered_together_where_wkhtmltopdf_splits_them(self):
        """With the patched-Qt wkhtmltopdf, Odoo splits one rendering of
        several records by their outlines: the send step renders its batch in
        one call. (Debian's build cannot: it renders one letter a call.)"""
        letters = self._drafts()[:3]
        letters._queue_for_sending(letters.run_id)
        Report = type(self.env["ir.actions.report"])
        calls = []

        def prepare_streams(report, report_ref, data, res_ids=None):
            calls.append(list(res_ids))
            return {
                res_id: {"stream": io.BytesIO(b"%%PDF letter %d" % res_id)}
                for res_id in res_ids
            }

        with (
            patch.object(
                sending_module, "wkhtmltopdf_splits_records", return_value=True
            ),
            patch.object(Report, "_render_qweb_pdf_prepare_streams", prepare_streams),
        ):
            self.Run._cron_send()
        self.assertEqual(calls, [letters.ids])
        self.assertEqual(set(letters.mapped("state")), {"sent"})
        for letter in letters:
            self.assertEqual(letter.attachment_id.raw, b"%%PDF letter %d" % letter.id)
