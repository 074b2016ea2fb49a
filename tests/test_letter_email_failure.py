# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import smtplib
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_mail_server import IrMailServer

from .common import LatePaymentCommon

D = fields.Date.to_date

# A delivery status notification (RFC 3464) as a mail server returns it.
BOUNCE = """\
From: {sender}
To: {company_email}
Subject: Undelivered Mail Returned to Sender
Date: Tue, 03 Nov 2026 09:00:00 +0100
Message-Id: <bounce-20261103@mx.partner-a.example.com>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered: 550 5.1.1 No such mailbox.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.partner-a.example.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 No such mailbox

--BOUNDARY
Content-Type: message/rfc822

From: {company_email}
To: {recipient}
Subject: {subject}
Message-Id: {message_id}

The letter.

--BOUNDARY--
"""

# What a mail server returns without RFC 3464's delivery report (some do):
# a text and the e-mail returned.
PLAIN_BOUNCE = """\
From: {sender}
To: {company_email}
Subject: Undeliverable: {subject}
Date: Tue, 03 Nov 2026 09:00:00 +0100
Message-Id: <plain-bounce-20261103@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain; charset=us-ascii

Delivery to {recipient} failed: 550 5.1.1 No such mailbox.

--BOUNDARY
Content-Type: message/rfc822

From: {company_email}
To: {recipient}
Subject: {subject}
Message-Id: {message_id}

The letter.

--BOUNDARY--
"""

# The customer's mail server, a server of the customer's domain, any other.
CUSTOMER_MX = "MAILER-DAEMON@mx.partner-a.example.com (Mail Delivery System)"
OTHER_MX = "MAILER-DAEMON@mx.example.com (Mail Delivery System)"


@tagged("post_install", "-at_install")
class TestLetterEmailFailure(LatePaymentCommon):
    """A letter is sent when its e-mail really left (issue 18): an SMTP error
    or a bounce shows on the letter, which waits for a person.

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30; the formal
    notice (e-mail and registered letter here) is reached on 2026-10-30.

    Odoo sends a letter's e-mail after the sending's transaction commits (in
    test mode: at once, inside it); the tests leave it in the mail queue
    (``mail_notify_force_send=False``) and flush the queue as its cron does.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_3.channel = "email_letter"

    def _send_notice(self):
        invoice = self._inv(1200.0)
        with freeze_time("2026-10-30"):
            letter = self.env["account.dunning.letter"]._run_escalation()
            letter.with_context(mail_notify_force_send=False).action_send()
        self.assertEqual((letter.state, letter.invoice_ids), ("sent", invoice))
        return letter

    def _letter_mails(self, letter):
        """The letter's e-mails waiting in Odoo's mail queue."""
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", letter._name),
                ("res_id", "=", letter.id),
                ("state", "=", "outgoing"),
            ]
        )
        self.assertTrue(mails)
        return mails

    def _flush_queue(self, letter, error=None, connect_error=None):
        """Flush the letter's e-mails from Odoo's mail queue, as its cron does,
        through an SMTP server that accepts them, refuses them (``error``) or
        cannot be reached (``connect_error``)."""

        def send_email(server, message, *args, **kwargs):
            if error:
                raise error
            return message["Message-Id"]

        with (
            patch.object(IrMailServer, "connect", side_effect=connect_error),
            patch.object(
                IrMailServer, "send_email", autospec=True, side_effect=send_email
            ),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            self._letter_mails(letter).send()

    def _fail_smtp(self, letter):
        """The server refuses the letter's recipient."""
        self._flush_queue(
            letter,
            error=smtplib.SMTPRecipientsRefused(
                {"compta@partner-a.example.com": (550, b"5.1.1 No such mailbox")}
            ),
        )

    def _bounce(self, letter, sender=CUSTOMER_MX, template=BOUNCE, context=None):
        """Feed the mail gateway the bounce of the letter's e-mail, from
        ``sender``."""
        message = letter._get_email_messages()
        self.assertEqual(len(message), 1)
        self._flush_queue(letter)
        self.assertEqual(letter.state, "sent")
        raw = template.format(
            sender=sender,
            company_email=self.env.company.email or "noreply@company.example.com",
            recipient=self.partner_a.email,
            subject=message.subject,
            message_id=message.message_id,
        )
        gateway = self.env["mail.thread"].with_context(**(context or {}))
        gateway.message_process(False, raw)

    def _bounce_checks(self, letter):
        """The activities asking a person to check a bounce of the letter."""
        return letter.activity_ids.filtered(
            lambda a: a.summary == f"Check the bounce of {letter.name}"
        )

    # ------------------------------------------------------------------
    # Failures shown on the letter
    # ------------------------------------------------------------------

    def test_smtp_error_marks_letter_email_failed(self):
        letter = self._send_notice()
        self._fail_smtp(letter)
        self.assertEqual(letter.state, "email_error")
        self.assertIn("No such mailbox", letter.email_failure_reason)
        self.assertIn("not delivered", letter.message_ids[0].body)
        self.assertEqual(
            self.env["mail.notification"]
            .search([("mail_message_id", "=", letter._get_email_messages().id)])
            .notification_status,
            "exception",
            "Odoo's own notification says so too",
        )
        run = letter.run_id
        # The run may also warn that a half-year has no late-payment rate.
        failure = run.failure_ids.filtered(lambda f: f.kind != "warning")
        self.assertEqual(failure.kind, "email")
        self.assertIn("No such mailbox", failure.message)
        self.assertEqual((run.letter_sent_count, run.letter_failed_count), (0, 1))

    def test_smtp_server_down_marks_letter_email_failed(self):
        letter = self._send_notice()
        self._flush_queue(
            letter, connect_error=ConnectionRefusedError("Connection refused")
        )
        self.assertEqual(letter.state, "email_error")
        self.assertIn("Connection refused", letter.email_failure_reason)

    def test_delivered_email_keeps_letter_sent(self):
        letter = self._send_notice()
        self._flush_queue(letter)
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.email_failure_reason)

    def test_bounce_marks_letter_email_failed(self):
        letter = self._send_notice()
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self._bounce(letter)
        self.assertEqual(letter.state, "email_error")
        self.assertIn(self.partner_a.email, letter.email_failure_reason)
        self.assertIn("bounce", letter.email_failure_reason)
        self.assertEqual(
            self.env["mail.notification"]
            .search([("mail_message_id", "=", letter._get_email_messages().id)])
            .notification_status,
            "bounce",
        )

    # ------------------------------------------------------------------
    # What the mail gateway trusts (issue 25, point 4)
    # ------------------------------------------------------------------

    def test_report_from_a_mail_server_marks_letter_email_failed(self):
        letter = self._send_notice()
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self._bounce(letter, sender=OTHER_MX)
        self.assertEqual(letter.state, "email_error")
        self.assertIn(self.partner_a.email, letter.email_failure_reason)
        self.assertNotIn("could have written", letter.email_failure_reason)
        self.assertFalse(self._bounce_checks(letter))

    def test_forged_report_from_the_customer_leaves_letter_sent(self):
        """The debtor mails a delivery report of its own, quoting the
        letter's Message-Id, from its address or one of its contacts': the
        letter stays sent, and a person is asked to check."""
        self.partner_a_contact.email = "Clerk <Clerk@Partner-A.example.com>"
        for sender in (self.partner_a.email, "clerk@partner-a.example.com"):
            letter = self._send_notice()
            with mute_logger("odoo.addons.mail.models.mail_thread"):
                self._bounce(letter, sender=sender)
            self.assertEqual(letter.state, "sent", sender)
            self.assertFalse(letter.email_failure_reason)
            self.assertIn(sender, letter.message_ids[0].body)
            self.assertIn("an address of the customer", letter.message_ids[0].body)
            check = self._bounce_checks(letter)
            self.assertEqual(len(check), 1)
            self.assertIn("stays sent", check.note)

    def test_bounce_the_customer_could_have_written_is_flagged(self):
        """A bounce from the customer's own domain, or without a mail
        server's delivery report, counts, and says it could be forged."""
        cases = (
            (CUSTOMER_MX, BOUNCE, "of the customer's own domain"),
            (OTHER_MX, PLAIN_BOUNCE, "not a mail server's delivery status report"),
        )
        for sender, template, doubt in cases:
            letter = self._send_notice()
            with mute_logger("odoo.addons.mail.models.mail_thread"):
                self._bounce(letter, sender=sender, template=template)
            self.assertEqual(letter.state, "email_error", doubt)
            self.assertIn("could have written this bounce", letter.email_failure_reason)
            self.assertIn(doubt, letter.email_failure_reason)
            check = self._bounce_checks(letter)
            self.assertEqual(len(check), 1)
            self.assertIn(doubt, check.note)
            # Checked and posted by hand: the next letter is of the next invoice.
            letter.action_mark_posted()

    def test_bounce_evidence_is_read_from_the_email_not_the_context(self):
        """A caller cannot vouch for a forged report through the context."""
        letter = self._send_notice()
        trusted = {"dunning_bounce_evidence": ("mailer-daemon@mx.example.com", True)}
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self._bounce(letter.with_context(**trusted), sender=self.partner_a.email)
        self.assertEqual(letter.state, "sent")
        self.assertEqual(len(self._bounce_checks(letter)), 1)

    # ------------------------------------------------------------------
    # What a person does next
    # ------------------------------------------------------------------

    def test_resend_email_puts_letter_back_to_sent(self):
        letter = self._send_notice()
        with self.assertRaisesRegex(UserError, "Only letters whose e-mail failed"):
            letter.action_resend_email()
        self._fail_smtp(letter)
        self.partner_a.email = False
        with self.assertRaisesRegex(UserError, "has no e-mail address"):
            letter.action_resend_email()
        self.partner_a.email = "factures@partner-a.example.com"
        with freeze_time("2026-11-03"):
            letter.with_context(mail_notify_force_send=False).action_resend_email()
        self.assertEqual(letter.state, "sent")
        self.assertFalse(letter.email_failure_reason)
        self.assertEqual(str(letter.date), "2026-10-30", "sent as it was")
        messages = letter._get_email_messages()
        self.assertEqual(len(messages), 2)
        self.assertEqual(messages[0].partner_ids, self.partner_a)
        mail = self._letter_mails(letter)
        self.assertEqual(mail.mail_message_id, messages[0])
        # The new e-mail is followed like the first one.
        self._fail_smtp(letter)
        self.assertEqual(letter.state, "email_error")

    def test_mark_posted_puts_letter_back_to_sent(self):
        letter = self._send_notice()
        with self.assertRaisesRegex(UserError, "Only letters whose e-mail failed"):
            letter.action_mark_posted()
        self._fail_smtp(letter)
        letter.action_mark_posted()
        self.assertEqual(letter.state, "sent")
        self.assertIn("posted", letter.message_ids[0].body)

    # ------------------------------------------------------------------
    # A failed letter is still evidence, but was not received
    # ------------------------------------------------------------------

    def test_failed_letter_is_kept_as_it_was_sent(self):
        letter = self._send_notice()
        self._fail_smtp(letter)
        with self.assertRaisesRegex(UserError, "kept as evidence"):
            letter.unlink()
        with self.assertRaisesRegex(UserError, "Only draft letters"):
            letter.action_cancel()
        with self.assertRaisesRegex(UserError, "went out"):
            letter.date = D("2026-11-20")
        deadline = letter.date_deadline
        letter._write_internal({"date": D("2026-11-20")})
        self.assertEqual(letter.date_deadline, deadline, "printed, not recomputed")

    def test_failed_notice_indemnity_restated_by_the_next(self):
        letter = self._send_notice()
        self._fail_smtp(letter)
        self.assertAlmostEqual(letter.indemnity_amount, 40.0)
        second = self.env["account.dunning.letter"].create(
            {
                "partner_id": self.partner_a.id,
                "level_id": self.level_3.id,
                "currency_id": letter.currency_id.id,
                "date": D("2026-11-25"),
                "invoice_ids": [fields.Command.set(letter.invoice_ids.ids)],
            }
        )
        # Owed once per invoice and still unpaid: the next notice restates the
        # same 40.00 (issue 24, point 4), it does not drop it.
        self.assertAlmostEqual(second.indemnity_amount, 40.0)

    def test_no_recourse_alert_on_a_notice_not_received(self):
        letter = self._send_notice()
        self._fail_smtp(letter)
        Letter = self.env["account.dunning.letter"]
        with freeze_time("2026-11-30"):
            self.assertFalse(Letter._cron_recourse_alerts())
            letter.action_mark_posted()
            self.assertEqual(Letter._cron_recourse_alerts(), letter)
