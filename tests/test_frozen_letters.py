# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from ..models.common.frozen_record_mixin import internal_writes, is_internal_write
from .frozen_common import FORGED_CONTEXT, D, FrozenRecordsCommon

SENT = "went out: it is kept as evidence"
BY_BUTTONS = "written by its buttons"


@tagged("post_install", "-at_install")
class TestFrozenLetters(FrozenRecordsCommon):
    """A letter is sent by Send only, and once sent its date, its rows and
    its PDF are kept as they went out, whoever calls the API (issue 25)."""

    # ------------------------------------------------------------------
    # A draft becomes sent by Send only
    # ------------------------------------------------------------------

    def test_draft_letter_is_not_marked_sent_by_write(self):
        pdf = self.notice.attachment_id
        for vals in (
            {"state": "sent"},
            {"state": "email_error", "email_failure_reason": "bounce"},
            {"attachment_id": pdf.id},
            {"sending_state": "blocked", "send_attempt_count": 3},
            {"date_received": "2026-11-10"},
            {"date_recourse_alert": "2026-11-10"},
        ):
            self.assertRefused(self.draft, "write", vals, message=BY_BUTTONS)
        self.assertRecordValues(
            self.draft, [{"state": "draft", "attachment_id": False}]
        )
        self.assertFalse(self.invoice_b.dunning_level_id)

    def test_rpc_context_does_not_open_the_internal_path(self):
        """A context key is the caller's: the addon's own path is a Python
        context variable that call_kw cannot set."""
        self.assertRefused(
            self.draft,
            "write",
            {"state": "sent"},
            message=BY_BUTTONS,
            context=FORGED_CONTEXT,
        )
        self.assertRefused(
            self.notice,
            "write",
            {"date": "2001-01-01"},
            message=SENT,
            context=FORGED_CONTEXT,
        )
        self.assertFalse(is_internal_write())

    def test_letter_is_not_created_sent(self):
        vals = {
            "partner_id": self.partner_b.id,
            "level_id": self.level_3.id,
            "currency_id": self.invoice_b.currency_id.id,
            "invoice_ids": [Command.set(self.invoice_b.ids)],
        }
        Letter = self.env["account.dunning.letter"]
        self.assertRefused(
            Letter, "create", {**vals, "state": "sent"}, message=BY_BUTTONS
        )
        # The context's defaults (a kanban column, a link) do not make it sent.
        letter_id = self._call(
            self.billing, Letter, "create", vals, context={"default_state": "sent"}
        )
        self.assertEqual(Letter.browse(letter_id).state, "draft")

    # ------------------------------------------------------------------
    # A sent letter, its rows and its PDF are read-only
    # ------------------------------------------------------------------

    def test_sent_letter_is_read_only(self):
        before = {
            "date": D("2026-11-09"),
            "date_deadline": self.notice.date_deadline,
            "registered_mail_ref": False,
            "state": "sent",
            "amount_total": self.notice.amount_total,
        }
        for vals in (
            {"date": "2001-01-01"},
            {"date_deadline": "2027-01-31"},
            {"registered_mail_ref": "1A 000 000 0000 0"},
            {"cancel_reason": "Not sent after all"},
            {"state": "draft"},
            {"invoice_ids": [Command.clear()]},
            {"line_ids": [Command.clear()]},
        ):
            self.assertRefused(self.notice, "write", vals, message=SENT)
        self.assertRecordValues(self.notice, [before])
        self.assertRefused(self.notice, "unlink", message="kept as evidence")

    def test_sent_letter_rows_are_read_only(self):
        rows = self.notice.line_ids
        total = self.notice.amount_total
        self.assertRefused(rows[:1], "write", {"amount": 0.0}, message=SENT)
        self.assertRefused(rows, "unlink", message=SENT)
        self.assertRefused(
            rows.browse(),
            "create",
            {
                "letter_id": self.notice.id,
                "line_type": "penalty",
                "name": "Penalty",
                "amount": 999.0,
            },
            message=SENT,
        )
        # Nor can a row of a draft be moved into it.
        self.assertRefused(
            self.draft.line_ids[:1],
            "write",
            {"letter_id": self.notice.id},
            message=SENT,
        )
        self.assertEqual(self.notice.line_ids, rows)
        self.assertEqual(self.notice.amount_total, total)

    def test_sent_letter_pdf_is_kept(self):
        pdf = self.notice.attachment_id
        content = pdf.raw
        Attachment = self.env["ir.attachment"]
        for vals in (
            {"datas": base64.b64encode(b"%PDF-1.4 forged")},
            {"name": "forged.pdf"},
            {"res_id": self.draft.id},
        ):
            self.assertRefused(pdf, "write", vals, message=SENT)
        self.assertRefused(pdf, "unlink", message=SENT)
        self.assertRecordValues(pdf, [{"raw": content, "res_id": self.notice.id}])
        # A document a user attached to the letter's chatter is not its PDF.
        scan_id = self._call(
            self.billing,
            Attachment,
            "create",
            {
                "name": "scan.pdf",
                "raw": b"scan",
                "res_model": self.notice._name,
                "res_id": self.notice.id,
            },
        )
        self._call(self.billing, Attachment.browse(scan_id), "unlink")
        self.assertFalse(Attachment.browse(scan_id).exists())
        # Odoo's storage migration writes the same content again: let be.
        pdf.write({"raw": content, "mimetype": pdf.mimetype})

    def test_cancelled_letter_is_read_only(self):
        self._call(self.billing, self.draft, "action_cancel")
        self.assertEqual(self.draft.state, "cancelled")
        self.assertRefused(
            self.draft, "write", {"cancel_reason": "Other"}, message="is cancelled"
        )
        # A manager still deletes it, as before.
        self._call(self.manager, self.draft, "unlink")
        self.assertFalse(self.draft.exists())

    # ------------------------------------------------------------------
    # The buttons keep their rights
    # ------------------------------------------------------------------

    def test_buttons_still_work_for_a_billing_user(self):
        with freeze_time("2026-11-10"):
            self._call(self.billing, self.draft, "action_send")
        self.assertRecordValues(
            self.draft, [{"state": "sent", "date": D("2026-11-10")}]
        )
        self.assertTrue(self.draft.attachment_id)
        self.assertEqual(self.invoice_b.dunning_level_id, self.level_3)
        with freeze_time("2026-11-12"):
            action = self._call(self.billing, self.draft, "action_open_receipt_wizard")
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.billing)
                .with_context(**action["context"])
            )
            wizard.registered_mail_ref = "1A 182 457 3309 2"
            wizard.date_received = D("2026-11-11")
            wizard.save().action_confirm()
        self.assertRecordValues(
            self.draft,
            [
                {
                    "registered_mail_ref": "1A 182 457 3309 2",
                    "date_received": D("2026-11-11"),
                }
            ],
        )

    def test_email_failure_then_posted_by_hand(self):
        self.notice._record_email_failure("the mail server refused it")
        self.assertEqual(self.notice.state, "email_error")
        self.assertRefused(self.notice, "write", {"state": "sent"}, message=SENT)
        self._call(self.billing, self.notice, "action_mark_posted")
        self.assertEqual(self.notice.state, "sent")

    def test_internal_writes_end_with_their_block(self):
        with self.assertRaises(ZeroDivisionError), internal_writes():
            self.assertTrue(is_internal_write())
            __ = 1 / 0
        self.assertFalse(is_internal_write())


@tagged("post_install", "-at_install")
class TestFrozenRuns(FrozenRecordsCommon):
    """Runs are recorded by the dunning only; a finished run, and its log,
    are kept as they ended; no run is deleted (issue 25)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["account.dunning.run"]
        cls.dunning_run = cls.notice.run_id
        with internal_writes():
            cls.log = cls.dunning_run._log("skipped", "Covered by open credits")

    def test_run_is_not_forged(self):
        for vals in (
            {"trigger": "script", "state": "done", "letter_prepared_count": 40},
            {"trigger": "wizard"},
            {"date_prepared": "2026-11-09 10:00:00"},
        ):
            self.assertRefused(self.Run, "create", vals, message="recorded by the")
        running = self.Run.search([("state", "=", "running")])
        self.assertFalse(running)
        with internal_writes():
            running = self.Run.create({"trigger": "script"})
        for vals in ({"state": "done"}, {"invoice_count": 12}):
            self.assertRefused(running, "write", vals, message="recorded by the")
        self.assertEqual(running.state, "running")

    def test_finished_run_is_read_only_and_kept(self):
        self.assertEqual(self.dunning_run.state, "done")
        for vals in (
            {"state": "running"},
            {"letter_prepared_count": 99},
            {"date": "2001-01-01"},
        ):
            self.assertRefused(self.dunning_run, "write", vals, message="is finished")
        self.assertRefused(
            self.dunning_run,
            "unlink",
            message="cannot be deleted",
            users=["manager", "admin"],
        )
        # Archived instead, by a manager.
        self._call(self.manager, self.dunning_run, "action_archive")
        self.assertFalse(self.dunning_run.active)
        self.assertEqual(self.notice.run_id, self.dunning_run)

    def test_run_log_is_read_only(self):
        self.assertRefused(self.log, "write", {"message": "All fine"}, message="log of")
        self.assertRefused(self.log, "unlink", message="log of")
        self.assertRefused(
            self.log.browse(),
            "create",
            {"run_id": self.dunning_run.id, "kind": "failed", "message": "Forged"},
            message="log of",
        )
        self.assertEqual(self.log.message, "Covered by open credits")

    def test_run_the_dunning_still_works_for_a_billing_user(self):
        invoice = self._invoice(
            300.0,
            partner=self.partner_b,
            terms=self.terms_30,
            invoice_date=D("2026-08-31"),
        )
        self.draft.action_cancel()
        with freeze_time("2026-11-09"):
            wizard = Form(
                self.env["account.dunning.run.wizard"].with_user(self.billing)
            )
            wizard.date = D("2026-11-09")
            wizard.save().action_run()
        run = self.Run.search([("trigger", "=", "wizard")])
        self.assertEqual(run.user_id, self.billing)
        self.assertIn(invoice, run.letter_ids.invoice_ids)
