# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import IrMailServer

from .common import LatePaymentCommon

D = fields.Date.to_date
REFUSED = ConnectionRefusedError(111, "Connection refused")


@tagged("post_install", "-at_install")
class TestLetterDelivery(LatePaymentCommon):
    """A letter is sent when it is delivered (issue 24, point 8): a failure
    of Odoo's mail queue after Send takes back the level the letter reached,
    and the ladder waits for a delivered letter.

    The ladder goes one level at a time: the invoice of 1,200.00 due on
    2026-09-30 reaches the friendly reminder (e-mail) on 2026-10-07, the
    second reminder (e-mail and letter) 8 days after it, and the formal notice
    (registered letter) 15 days after that.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.dunning_skip_levels = False

    def _escalate(self, date):
        with freeze_time(date):
            return self.env["account.dunning.letter"]._run_escalation()

    def _send(self, letter, date):
        """Send on ``date``, the e-mail left in Odoo's mail queue."""
        with freeze_time(date):
            letter.with_context(mail_notify_force_send=False).action_send()
        self.assertEqual(letter.state, "sent")

    def _flush_queue(self, letter, connect_error=None):
        """Odoo's mail queue sends the letter's e-mail through ``mail.mail``'s
        ``send``, the SMTP server reachable or not (``connect_error``)."""
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", letter._name),
                ("res_id", "=", letter.id),
                ("state", "=", "outgoing"),
            ]
        )
        self.assertEqual(len(mails), 1)
        with (
            patch.object(IrMailServer, "connect", side_effect=connect_error),
            patch.object(
                IrMailServer,
                "send_email",
                autospec=True,
                side_effect=lambda server, message, *a, **k: message["Message-Id"],
            ),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            mails.send()
        return mails

    def test_queue_failure_takes_the_level_back_and_the_ladder_waits(self):
        invoice = self._inv(1200.0)
        reminder = self._escalate("2026-10-07")
        self.assertEqual(reminder.level_id, self.level_1)
        self._send(reminder, "2026-10-07")
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_date),
            (self.level_1, D("2026-10-07")),
        )
        mail = self._flush_queue(reminder, connect_error=REFUSED)
        self.assertEqual(mail.state, "exception")
        self.assertEqual(reminder.state, "email_error")
        self.assertIn("Connection refused", reminder.email_failure_reason)
        self.assertFalse(invoice.dunning_level_id, "the level was not reached")
        self.assertFalse(invoice.dunning_date)
        # The second reminder would be due on 2026-10-15: it waits.
        self.assertFalse(self._escalate("2026-10-16"))
        with freeze_time("2026-10-16"):
            reminder.action_mark_posted()
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_date),
            (self.level_1, D("2026-10-07")),
        )
        second = self._escalate("2026-10-16")
        self.assertEqual((second.level_id, second.invoice_ids), (self.level_2, invoice))

    def test_failure_goes_back_to_the_last_delivered_letter(self):
        invoice = self._inv(1200.0)
        reminder = self._escalate("2026-10-07")
        self._send(reminder, "2026-10-07")
        self._flush_queue(reminder)
        self.assertEqual(reminder.state, "sent")
        second = self._escalate("2026-10-15")
        self._send(second, "2026-10-15")
        self.assertEqual(invoice.dunning_level_id, self.level_2)
        self._flush_queue(second, connect_error=REFUSED)
        self.assertEqual(second.state, "email_error")
        self.assertEqual(
            (invoice.dunning_level_id, invoice.dunning_date),
            (self.level_1, D("2026-10-07")),
        )

    def test_failure_takes_invoices_out_of_higher_drafts(self):
        invoice = self._inv(1200.0)
        other = self._inv(800.0, invoice_date=D("2026-08-01"))
        reminder = self._escalate("2026-10-07")
        self.assertEqual(reminder.invoice_ids, invoice | other)
        self._send(reminder, "2026-10-07")
        # Prepared while the reminder's e-mail still waits in the queue.
        second = self._escalate("2026-10-15")
        self.assertEqual(second.level_id, self.level_2)
        self._flush_queue(reminder, connect_error=REFUSED)
        self.assertEqual(second.state, "cancelled")
        self.assertFalse(second.invoice_ids)
        self.assertIn("not delivered", second.message_ids[0].body)

    def test_failure_met_at_once_marks_the_letter_failed(self):
        """Odoo sends at once when asked to (``mail_notify_force_send``, and
        always in tests): the failure comes while the letter is being sent."""
        invoice = self._inv(1200.0)
        reminder = self._escalate("2026-10-07")
        with (
            freeze_time("2026-10-07"),
            patch.object(IrMailServer, "connect", side_effect=REFUSED),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            reminder.action_send()
        self.assertEqual(reminder.state, "email_error")
        self.assertIn("Connection refused", reminder.email_failure_reason)
        self.assertFalse(invoice.dunning_level_id)

    # ------------------------------------------------------------------
    # The formal notice says "despite our previous reminders" only if one
    # reached the customer
    # ------------------------------------------------------------------

    def _html(self, letter):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_dunning_letter", letter.ids
        )
        return html.decode()

    def test_notice_cites_a_delivered_reminder_only(self):
        invoice = self._inv(1200.0)
        reminder = self._escalate("2026-10-07")
        self._send(reminder, "2026-10-07")
        self._flush_queue(reminder, connect_error=REFUSED)
        notice = self._notice_for(invoice, "2026-10-30")
        html = self._html(notice)
        self.assertNotIn("previous reminders", html)
        self.assertIn(
            "The following invoices remain unpaid despite their due date having "
            "passed:",
            html,
        )
        reminder.action_mark_posted()
        self.assertIn(
            "Despite our previous reminders, the following invoices remain unpaid:",
            self._html(notice),
        )

    def test_notice_without_reminder(self):
        self.env.company.dunning_skip_levels = True
        invoice = self._inv(1200.0)
        notice = self._escalate("2026-10-30")
        self.assertEqual((notice.level_id, notice.invoice_ids), (self.level_3, invoice))
        self.assertEqual(
            notice._get_formal_notice_intro(),
            "The following invoices remain unpaid despite their due date having "
            "passed:",
        )
