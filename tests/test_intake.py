# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from email.message import EmailMessage

from odoo import SUPERUSER_ID, Command, http
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.dispute.account_dispute_intake import (
    AMOUNT_SENTENCE_MAX,
    INVOICE_SCAN_CHARS,
)
from .common import AccountDisputeCommon


def _raw_email(sender, to, subject, body, message_id, in_reply_to=None, attach=None):
    """An RFC 822 message, as the mail gateway receives it."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg.set_content(body)
    if attach:
        name, content = attach
        msg.add_attachment(
            content, maintype="application", subtype="pdf", filename=name
        )
    return msg.as_string()


@tagged("post_install", "-at_install")
class TestMailIntake(AccountDisputeCommon):
    """Complaints sent to the company's disputes address."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "dispute-test.example.com"}
        )
        company.dispute_alias_name = "litiges"
        cls.invoice = cls._invoice(1000.0)

    def _process(self, raw):
        """As the mail gateway does: as the superuser."""
        gateway = self.env["mail.thread"].with_user(SUPERUSER_ID)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return gateway.message_process(None, raw)

    def test_alias_is_configured_per_company(self):
        alias = self.env.company.dispute_alias_id
        self.assertEqual(alias.alias_name, "litiges")
        self.assertEqual(alias.alias_model_id.model, "account.dispute")
        self.assertIn(str(self.env.company.id), alias.alias_defaults)
        self.env.company.dispute_alias_name = "reclamations"
        self.assertEqual(alias.alias_name, "reclamations")
        self.env.company.dispute_alias_name = False
        self.assertFalse(alias.exists())

    def test_email_creates_a_draft_dispute_and_acknowledges_it(self):
        raw = _raw_email(
            "Compta Partner A <compta@partner-a.example.com>",
            "litiges@dispute-test.example.com",
            f"Contestation de la facture {self.invoice.name}",
            "Bonjour, le prix unitaire facturé n'est pas celui du devis.",
            "<complaint-1@partner-a.example.com>",
            attach=("devis.pdf", b"%PDF-1.4 quote"),
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertEqual(dispute.state, "draft")
        self.assertEqual(
            dispute.user_id, self.env.ref("base.user_admin"), "no one else"
        )
        self.assertEqual(dispute.company_id, self.env.company)
        self.assertEqual(dispute.partner_id, self.partner_a)
        self.assertEqual(dispute.invoice_ids, self.invoice)
        self.assertEqual(dispute.channel, "email")
        self.assertFalse(dispute.to_review)
        self.assertIn("prix unitaire", dispute.description)
        self.assertEqual(
            dispute.message_ids.attachment_ids.filtered(
                lambda a: a.name == "devis.pdf"
            ).raw,
            b"%PDF-1.4 quote",
        )
        acknowledgement = dispute.message_ids.filtered(
            lambda m: "we have received your dispute" in (m.subject or "")
        )
        self.assertEqual(len(acknowledgement), 1)
        self.assertIn(dispute.name, acknowledgement.subject)
        self.assertIn(self.partner_a, acknowledgement.notified_partner_ids)

        reply = _raw_email(
            "Compta Partner A <compta@partner-a.example.com>",
            "litiges@dispute-test.example.com",
            f"Re: Contestation de la facture {self.invoice.name}",
            "Voici le bon de livraison signé.",
            "<complaint-2@partner-a.example.com>",
            in_reply_to="<complaint-1@partner-a.example.com>",
        )
        self.assertEqual(self._process(reply), dispute.id)
        self.assertEqual(
            self.env["account.dispute"].search_count(
                [("partner_id", "=", self.partner_a.id)]
            ),
            1,
        )
        self.assertTrue(
            any(
                "bon de livraison" in body
                for body in dispute.message_ids.mapped("body")
            )
        )

    def test_sender_is_a_contact_of_the_customer(self):
        raw = _raw_email(
            "clerk@partner-a.example.com",
            "litiges@dispute-test.example.com",
            "Problème de facture",
            f"La facture {self.invoice.name} est fausse.",
            "<complaint-3@partner-a.example.com>",
        )
        self.partner_a_contact.email = "clerk@partner-a.example.com"
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertEqual(dispute.partner_id, self.partner_a)
        self.assertEqual(dispute.invoice_ids, self.invoice, "number in the body")

    def test_unknown_sender_is_flagged_for_review(self):
        raw = _raw_email(
            "Someone <someone@unknown.example.org>",
            "litiges@dispute-test.example.com",
            f"Invoice {self.invoice.name}",
            "This is wrong.",
            "<complaint-4@unknown.example.org>",
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertTrue(dispute.to_review)
        self.assertFalse(dispute.partner_id, "no contact until someone confirms")
        self.assertIn("someone@unknown.example.org", dispute.email_from)
        self.assertFalse(dispute.invoice_ids, "not an invoice of that sender")
        self.assertEqual(dispute.state, "draft")

    def test_email_without_invoice_number_is_flagged(self):
        raw = _raw_email(
            "compta@partner-a.example.com",
            "litiges@dispute-test.example.com",
            "Réclamation",
            "Votre livreur a abîmé notre porte.",
            "<complaint-5@partner-a.example.com>",
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertEqual(dispute.partner_id, self.partner_a)
        self.assertTrue(dispute.to_review)
        dispute.invoice_ids = self.invoice
        dispute.action_open()
        self.assertFalse(dispute.to_review, "reviewed once opened")

    def test_amount_not_stated_holds_the_whole_until_set(self):
        raw = _raw_email(
            "compta@partner-a.example.com",
            "litiges@dispute-test.example.com",
            f"Contestation de la facture {self.invoice.name}",
            "Le prix unitaire facturé n'est pas celui du devis.",
            "<complaint-6@partner-a.example.com>",
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertTrue(dispute.amount_not_stated)
        self.assertFalse(dispute.to_review, "nothing suspicious")
        self.assertEqual(dispute.amount_disputed, 1000.0)
        self.assertEqual(self.invoice.amount_contested, 1000.0, "all held meanwhile")
        self.assertTrue(self.invoice.is_contested)
        self.assertIn("amount not stated", dispute.activity_ids.summary)
        other = self._invoice(600.0)
        dispute.invoice_ids = [Command.link(other.id)]
        self.assertEqual(dispute.amount_disputed, 1600.0)
        self.assertTrue(dispute.amount_not_stated, "no amount changed")
        with Form(dispute) as form:
            index = dispute.line_ids.move_id.ids.index(self.invoice.id)
            with form.line_ids.edit(index) as line:
                line.amount_disputed = 250.0
        self.assertFalse(dispute.amount_not_stated)
        self.assertEqual(dispute.amount_disputed, 850.0)
        self.assertEqual(self.invoice.amount_contested, 250.0)
        self.assertEqual(self.invoice.amount_residual_uncontested, 750.0)
        self.assertFalse(self.invoice.is_contested, "the rest is reminded")

    def test_total_typed_clears_the_amount_not_stated(self):
        raw = _raw_email(
            "compta@partner-a.example.com",
            "litiges@dispute-test.example.com",
            f"Facture {self.invoice.name}",
            "Livraison incomplète.",
            "<complaint-7@partner-a.example.com>",
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertTrue(dispute.amount_not_stated)
        with Form(dispute) as form:
            form.amount_disputed = 400.0
        self.assertFalse(dispute.amount_not_stated)
        self.assertEqual(self.invoice.amount_residual_uncontested, 600.0)

    def test_amount_stated_next_to_the_invoice(self):
        raw = _raw_email(
            "compta@partner-a.example.com",
            "litiges@dispute-test.example.com",
            "Contestation",
            f"Bonjour,\nnous contestons 150,00 $ sur la facture {self.invoice.name}. "
            "Le reste sera payé à l'échéance.",
            "<complaint-8@partner-a.example.com>",
        )
        dispute = self.env["account.dispute"].browse(self._process(raw))
        self.assertFalse(dispute.amount_not_stated)
        self.assertEqual(dispute.amount_disputed, 150.0)
        self.assertEqual(self.invoice.amount_contested, 150.0)
        self.assertEqual(self.invoice.amount_residual_uncontested, 850.0)
        self.assertFalse(self.invoice.is_contested)
        self.assertNotIn("amount not stated", dispute.activity_ids.summary)


@tagged("post_install", "-at_install")
class TestAmountStated(AccountDisputeCommon):
    """What an e-mail states as contested is read only where it cannot be
    misread; a sender's text never stalls the reading (hostile input)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(1000.0)
        cls.other = cls._invoice(600.0)
        cls.Dispute = cls.env["account.dispute"]

    def _read(self, text):
        amounts = self.Dispute._find_amounts_in_text(text, self.invoice | self.other)
        return {move.name: amount for move, amount in amounts.items()}

    def test_amount_next_to_the_invoice(self):
        inv, other = self.invoice.name, self.other.name
        self.assertEqual(self._read(f"We contest USD 120.50 on {inv}."), {inv: 120.5})
        self.assertEqual(
            self._read(f"Nous contestons 1 200,00 $ sur {inv}"),
            {inv: 1000.0},
            "at most what is left to pay",
        )
        self.assertEqual(
            self._read(f"{inv} : 80 dollars contestés. {other} : 60 $ contestés"),
            {inv: 80.0, other: 60.0},
        )
        self.assertEqual(
            self._read(
                f"Nous contestons 100,00 $ sur {inv}. Oui, 100 $ contestés sur {inv}!"
            ),
            {inv: 100.0},
            "the same amount twice",
        )

    def test_anything_unclear_states_nothing(self):
        inv, other = self.invoice.name, self.other.name
        unclear = {
            "no amount": f"Nous contestons la facture {inv}.",
            "no contest": f"La facture {inv} de 150,00 $.",
            "two amounts": f"La facture {inv} de 1 000,00 $ comporte une erreur "
            "de 150,00 $ que nous contestons.",
            "two invoices": f"Nous contestons 100,00 $ sur {inv} et {other}.",
            "two sentences disagree": f"Nous contestons 100,00 $ sur {inv}. "
            f"Nous contestons 200,00 $ sur {inv}.",
            "no currency": f"Nous contestons 100,00 sur {inv}.",
            "another currency": f"Nous contestons 100,00 € sur {inv}.",
            "a date": f"Nous contestons {inv} du 10.01.2026, USD.",
            "a word ending in the code": f"Nous contestons {inv} : FOCUSD 150",
            "too long a sentence": f"Nous contestons 100,00 $ sur {inv} "
            + "x" * AMOUNT_SENTENCE_MAX,
            "empty": "",
        }
        for case, text in unclear.items():
            with self.subTest(case=case):
                self.assertEqual(self._read(text), {})
        self.assertEqual(self._read(False), {})

    def test_hostile_text_is_read_in_a_bounded_part(self):
        inv = self.invoice.name
        sentence = f"contest 1 $ on {inv}; "
        flood = sentence * (INVOICE_SCAN_CHARS // len(sentence) + 1000)
        self.assertEqual(self._read(flood), {inv: 1.0})
        digits = f"contest {inv} " + "1 000" * 40_000 + " $"
        self.assertEqual(self._read(digits), {})
        past = " " * INVOICE_SCAN_CHARS + f"We contest 10 $ on {inv}."
        self.assertEqual(self._read(past), {}, "past the bound")


@tagged("post_install", "-at_install")
class TestRouting(AccountDisputeCommon):
    """Who owns a new dispute."""

    def _new(self):
        return self.env["account.dispute"].create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(self._invoice(100.0).ids)],
                "reason_id": self.reason.id,
            }
        )

    def test_owner_routing(self):
        owner = new_test_user(self.env, login="reason_owner", groups="base.group_user")
        salesperson = new_test_user(self.env, login="sales", groups="base.group_user")
        manager = new_test_user(self.env, login="ad_mgr", groups="base.group_user")
        self.env.company.dispute_manager_id = manager
        self.partner_a.user_id = salesperson
        self.reason.user_id = owner
        self.assertEqual(self._new().user_id, owner, "the reason's owner first")
        self.reason.user_id = False
        self.assertEqual(self._new().user_id, salesperson, "then the salesperson")
        self.partner_a.user_id = False
        self.assertEqual(self._new().user_id, manager, "then the dispute manager")
        self.env.company.dispute_manager_id = False
        self.assertEqual(self._new().user_id, self.env.user, "then the user")


class PortalCommon(AccountDisputeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="ad_portal_a",
            password="ad_portal_a",
            groups="base.group_portal",
            company_id=cls.env.company.id,
        )
        cls.portal_user.partner_id.parent_id = cls.partner_a
        cls.invoice = cls._invoice(1000.0)


@tagged("post_install", "-at_install")
class TestPortalRoute(PortalCommon):
    """The portal's "Contest this invoice" form and its access checks."""

    def _post(self, invoice, **data):
        values = {
            "csrf_token": http.Request.csrf_token(self),
            "access_token": invoice._portal_ensure_token(),
            "reason_id": self.reason.id,
            "amount": "120",
            "message": "<script>alert(1)</script>The price is wrong",
            **data,
        }
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data=values,
            files={"attachment": ("quote.pdf", b"%PDF quote", "application/pdf")},
            allow_redirects=False,
        )

    def _disputes(self, invoice):
        return self.env["account.dispute"].search([("invoice_ids", "in", invoice.ids)])

    def test_customer_contests_its_invoice(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        response = self._post(self.invoice)
        self.assertEqual(response.status_code, 303)
        dispute = self._disputes(self.invoice)
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.state, "draft")
        self.assertEqual(dispute.channel, "portal")
        self.assertEqual(dispute.amount_disputed, 120.0)
        self.assertEqual(dispute.reason_id, self.reason)
        self.assertNotIn("<script>", dispute.description)
        self.assertIn("The price is wrong", dispute.description)
        self.assertEqual(
            dispute.message_ids.attachment_ids.filtered(
                lambda a: a.name == "quote.pdf"
            ).raw,
            b"%PDF quote",
        )
        self.assertEqual(dispute.activity_ids.user_id, dispute.user_id)
        self.assertEqual(
            self.invoice._portal_amount_payable(), 880.0, "the rest, online"
        )
        page = self.url_open(self.invoice.get_portal_url())
        self.assertIn(dispute.name, page.text)
        self.assertNotIn("Contest this invoice", page.text)
        self._post(self.invoice)
        self.assertEqual(len(self._disputes(self.invoice)), 1, "contested once")

    def test_amount_and_reason_are_checked(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        for data in ({"amount": "0"}, {"amount": "1000.01"}, {"reason_id": "999999"}):
            response = self._post(self.invoice, **data)
            self.assertIn("dispute_error=", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice))

    def test_another_customer_cannot_contest(self):
        other = new_test_user(
            self.env,
            login="ad_portal_b",
            password="ad_portal_b",
            groups="base.group_portal",
        )
        other.partner_id.parent_id = self.partner_b
        self.authenticate("ad_portal_b", "ad_portal_b")
        response = self._post(self.invoice)
        self.assertEqual(response.status_code, 403, "even with the access token")
        self.assertFalse(self._disputes(self.invoice))

    def test_public_user_cannot_contest(self):
        self.authenticate(None, None)
        response = self._post(self.invoice)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice))

    def test_paid_invoice_cannot_be_contested(self):
        self._pay(self.invoice, 1000.0)
        self.authenticate("ad_portal_a", "ad_portal_a")
        response = self._post(self.invoice)
        self.assertIn("dispute_error=not_contestable", response.headers["Location"])
        self.assertFalse(self._disputes(self.invoice))

    def test_csrf_token_is_required(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        with mute_logger("odoo.http"):
            response = self._post(self.invoice, csrf_token="forged")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._disputes(self.invoice))
