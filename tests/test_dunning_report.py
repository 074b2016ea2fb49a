# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import shutil
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestDunningReport(AccountDisputeCommon):
    """The letters and the acknowledgement as the customer reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.env.company.write(
            {
                "late_payment_rate": 12.0,
                "recovery_indemnity": 40.0,
                "dunning_skip_levels": True,
                "city": "Lyon",
            }
        )
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)

    def _letter(self, date):
        return self.env["account.dunning.letter"]._run_escalation(date=D(date))

    def _html(self, report, records):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)
        return html.decode()

    def test_reminder_letter(self):
        letter = self._letter("2026-02-16")
        html = self._html("account_dispute.report_dunning_letter", letter)
        self.assertIn("Friendly reminder", html)
        self.assertIn(letter.name, html)
        self.assertIn(self.invoice.name, html)
        self.assertIn("Lyon", html)
        self.assertNotIn("mise en demeure", html)

    def test_formal_notice_letter(self):
        letter = self._letter("2026-03-11")
        letter.registered_mail_ref = "1A 234 567 8901 2"
        html = self._html("account_dispute.report_dunning_letter", letter)
        for text in (
            "Formal notice (mise en demeure)",
            "Registered letter with acknowledgement of receipt",
            "1A 234 567 8901 2",
            "article L441-10",
            "article D441-5",
            "12.00\N{NO-BREAK SPACE}%",
            "9.86",
            "1,049.86",
            # 11 March + 2 days by post + 8 days to pay.
            "within 8 days of receipt of this letter, that is by "
            "<strong>March 21, 2026</strong>",
        ):
            self.assertIn(text, html)

    def test_letter_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_dispute"], ["fr_FR"])
        self.partner_a.lang = "fr_FR"
        letter = self._letter("2026-03-11")
        html = self._html("account_dispute.report_dunning_letter", letter)
        self.assertIn("Mise en demeure", html)
        self.assertIn("Lettre recommandée", html)

    def test_pdf_where_wkhtmltopdf_is_installed(self):
        letter = self._letter("2026-02-16")
        dispute = self._dispute(self._invoice(500.0), opened="2026-02-10")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        for name, records in (
            ("account_dispute.report_dunning_letter", letter),
            ("account_dispute.report_dispute_acknowledgement", dispute),
        ):
            if shutil.which("wkhtmltopdf"):
                content, kind = report._render_qweb_pdf(name, records.ids)
                self.assertEqual(kind, "pdf")
                self.assertTrue(content.startswith(b"%PDF"))
            else:
                with self.assertRaises(UserError):
                    report._render_qweb_pdf(name, records.ids)

    def test_print_action(self):
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        letter = self._letter("2026-02-16")
        action = letter.action_print()
        self.assertEqual(action["report_name"], "account_dispute.report_dunning_letter")

    def test_sent_letter_cannot_be_cancelled_or_deleted(self):
        letter = self._letter("2026-02-16")
        letter.action_send()
        with self.assertRaises(UserError):
            letter.action_cancel()
        with self.assertRaises(UserError):
            letter.unlink()
        with self.assertRaises(UserError):
            letter.action_send()

    def test_acknowledgement(self):
        dispute = self._dispute(self.invoice, opened="2026-02-10")
        html = self._html("account_dispute.report_dispute_acknowledgement", dispute)
        self.assertIn(dispute.name, html)
        self.assertIn("What happens next", html)
        self.assertIn(dispute.user_id.name, html)
        action = dispute.action_send_acknowledgement()
        composer = (
            self.env[action["res_model"]].with_context(**action["context"]).create({})
        )
        self.assertIn(dispute.name, composer.subject)
        composer._action_send_mail()
        message = dispute.message_ids[0]
        self.assertIn(self.partner_a, message.partner_ids)
        self.assertTrue(message.attachment_ids)

    def test_pdf_failure_leaves_the_letter_in_draft(self):
        """wkhtmltopdf failing (here made to fail) sends nothing and says why."""
        letter = self._letter("2026-02-16")
        Report = type(self.env["ir.actions.report"])
        with patch.object(
            Report,
            "_run_wkhtmltopdf",
            side_effect=UserError("Wkhtmltopdf failed (error code: -6)"),
        ):
            letter.with_context(force_report_rendering=True).action_send()
        self.assertEqual(letter.state, "draft")
        self.assertFalse(letter.attachment_id)
        self.assertFalse(self.invoice.dunning_level_id)
        notes = " ".join(letter.message_ids.mapped("body"))
        self.assertIn("could not be printed", notes)
        self.assertIn("error code: -6", notes)
        self.assertFalse(
            letter.message_ids.filtered(lambda m: m.message_type == "comment").filtered(
                "partner_ids"
            )
        )

    def test_customer_without_address_nor_email_still_gets_a_letter(self):
        self.partner_a.write(
            {"street": False, "zip": False, "city": False, "email": False}
        )
        letter = self._letter("2026-02-16")
        html = self._html("account_dispute.report_dunning_letter", letter)
        self.assertIn(self.invoice.name, html)
        letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.assertTrue(letter.attachment_id)
        self.assertIn("no e-mail address", " ".join(letter.message_ids.mapped("body")))
