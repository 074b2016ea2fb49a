# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import json
import re
from urllib.parse import parse_qs, urlsplit

from lxml import html as lxml_html

from odoo import Command, http
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LatePaymentCommon


@tagged("post_install", "-at_install")
class TestPortalPartialContest(LatePaymentCommon, HttpCase):
    """The customer contests an amount on the portal, not the invoice (Civil
    Code art. 1219): only that amount is held, the rest stays payable online
    and claimed by the letters, in the customer's language.

    Invoices of 2026-08-31 on 30 days, due on 2026-09-30; portal payment is
    on (Odoo's default).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.config_parameter"].sudo().set_param(
            "account_payment.enable_portal_payment", "True"
        )
        cls.eur = cls.setup_other_currency("EUR")
        cls.sep = re.escape(cls.env["res.lang"]._lang_get("fr_FR").thousands_sep)
        cls.portal_en = cls._portal_user("ad_portal_pc_en", "en_US")
        cls.portal_fr = cls._portal_user("ad_portal_pc_fr", "fr_FR")
        payment_method = cls.env.ref("payment.payment_method_unknown")
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(payment_method.ids)],
                "redirect_form_view_id": cls.env["ir.ui.view"]
                .create(
                    {
                        "name": "Test redirect form",
                        "type": "qweb",
                        "arch": '<form action="test" method="post"/>',
                    }
                )
                .id,
            }
        )
        payment_method.active = True

    @classmethod
    def _portal_user(cls, login, lang):
        user = new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            company_id=cls.env.company.id,
            lang=lang,
        )
        user.partner_id.parent_id = cls.partner_a
        return user

    def _post(self, invoice, amount):
        """The contest form, posted as the logged-in customer: the page it
        redirects to."""
        response = self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": invoice._portal_ensure_token(),
                "reason_id": self.reason.id,
                "amount": amount,
                "message": "The price is not the one quoted.",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, amount)
        self.env.invalidate_all()
        return response.headers["Location"]

    def _page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return lxml_html.fromstring(response.text)

    @staticmethod
    def _text(page, element_id):
        """The element's text, its line breaks and indents as single spaces;
        no-break spaces stay."""
        text = page.get_element_by_id(element_id).text_content()
        return re.sub(r"[ \n\t]+", " ", text).strip()

    @staticmethod
    def _words(page):
        """The page's text, its line breaks and indents as single spaces."""
        return re.sub(r"\s+", " ", page.text_content())

    @staticmethod
    def _has_pay_now(page):
        return bool(page.xpath("//a[@data-bs-target='#pay_with']"))

    def _disputes(self, invoice):
        return self.env["account.dispute"].search([("invoice_ids", "in", invoice.ids)])

    def _transaction(self, invoice, amount):
        """Pay ``amount`` of ``invoice`` online, as the payment form does:
        the JSON-RPC error's message, or None if the transaction was made."""
        params = {
            "provider_id": self.provider.id,
            "payment_method_id": self.provider.payment_method_ids.id,
            "token_id": None,
            "amount": amount,
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": invoice.get_portal_url(),
            "access_token": invoice._portal_ensure_token(),
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/invoice/transaction/{invoice.id}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
                headers={"Content-Type": "application/json"},
            ).json()
        return response.get("error", {}).get("data", {}).get("message")

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def test_contest_of_180_keeps_the_notice_and_pay_now_for_3600(self):
        invoice = self._inv(3780.0)
        notice = self._notice_for(invoice, "2026-11-09")
        self.assertAlmostEqual(notice.amount_due, 3780.0)
        self.authenticate("ad_portal_pc_en", "ad_portal_pc_en")
        page = self._page(invoice.get_portal_url())
        self.assertEqual(
            page.get_element_by_id("dispute_amount").get("value"), "3,780.00"
        )
        self.assertEqual(
            self._text(page, "o_payment_summary_amount_full"), "$\xa03,780.00"
        )

        self.assertNotIn("dispute_error", self._post(invoice, "180"))
        dispute = self._disputes(invoice)
        self.assertEqual(dispute.state, "draft")
        self.assertEqual(dispute.line_ids.amount_disputed, 180.0)
        self.assertEqual(invoice.amount_contested, 180.0)
        self.assertEqual(invoice.amount_residual_uncontested, 3600.0)
        self.assertFalse(invoice.is_contested)
        self.assertEqual(notice.state, "draft", "updated, not cancelled")
        self.assertEqual(notice.invoice_ids, invoice)
        self.assertAlmostEqual(notice.amount_due, 3600.0)

        page = self._page(invoice.get_portal_url())
        self.assertTrue(self._has_pay_now(page), "the rest stays payable online")
        self.assertEqual(
            self._text(page, "o_payment_summary_amount_full"), "$\xa03,600.00"
        )
        form = page.get_element_by_id("o_payment_form")
        self.assertEqual(form.get("data-invoice-amount-due"), "3600.0")
        self.assertEqual(form.get("data-amount"), "3600.0")
        self.assertEqual(self._text(page, "portal_dispute_amount"), "$\xa0180.00")
        self.assertEqual(
            self._text(page, "portal_dispute_split"),
            "Contested: $\xa0180.00 — still due on its dates: $\xa03,600.00",
        )
        self.assertEqual(
            self._text(page, "portal_dispute_state"), "Received, under review"
        )
        self.assertIn("You contested part of this invoice", self._words(page))

    def test_payment_takes_the_uncontested_part_only(self):
        invoice = self._inv(3780.0)
        self.authenticate("ad_portal_pc_en", "ad_portal_pc_en")
        self._post(invoice, "180")
        self.assertEqual(
            self._transaction(invoice, 3780.0),
            "You contested part of this invoice: you can pay at most $\xa03,600.00 "
            "online, what stays due.",
        )
        self.assertFalse(invoice.transaction_ids)
        self.assertIsNone(self._transaction(invoice, 3600.0))
        self.env.invalidate_all()
        self.assertEqual(invoice.transaction_ids.mapped("amount"), [3600.0])

    def test_whole_residual_contest_removes_pay_now(self):
        invoice = self._inv(3780.0)
        self.authenticate("ad_portal_pc_en", "ad_portal_pc_en")
        self.assertTrue(self._has_pay_now(self._page(invoice.get_portal_url())))
        self._post(invoice, "3,780.00")
        self.assertTrue(invoice.is_contested)
        self.assertEqual(self._disputes(invoice).line_ids.amount_disputed, 3780.0)
        page = self._page(invoice.get_portal_url())
        self.assertFalse(self._has_pay_now(page))
        self.assertIn("You contested this invoice", self._words(page))
        self.assertFalse(page.xpath("//*[@id='portal_dispute_split']"))
        self.assertIn("cannot be paid online", self._transaction(invoice, 3780.0))
        self.assertFalse(invoice.transaction_ids)

    # ------------------------------------------------------------------
    # The customer's language
    # ------------------------------------------------------------------

    def test_french_customer_reads_and_types_french_amounts(self):
        invoice = self._inv(3780.0, currency=self.eur)
        self.authenticate("ad_portal_pc_fr", "ad_portal_pc_fr")
        page = self._page(invoice.get_portal_url())
        self.assertRegex(
            page.get_element_by_id("dispute_amount").get("value"),
            rf"^3{self.sep}780,00$",
        )
        self.assertRegex(
            self._text(page, "dispute_amount_help"), rf"3{self.sep}780,00\s€"
        )
        self.assertNotIn(
            "3780.00", page.get_element_by_id("portal_dispute_contest").text_content()
        )
        self._post(invoice, "180,00")
        self.assertEqual(self._disputes(invoice).line_ids.amount_disputed, 180.0)
        page = self._page(invoice.get_portal_url())
        self.assertRegex(self._text(page, "portal_dispute_amount"), r"^180,00\s€$")
        self.assertRegex(
            self._text(page, "portal_dispute_split"),
            rf"180,00\s€ .* 3{self.sep}600,00\s€$",
        )
        self.assertRegex(
            self._text(page, "o_payment_summary_amount_full"),
            rf"^3{self.sep}600,00\s€$",
        )

    def test_amounts_read_in_either_format(self):
        """What customers type: in their language's format, or in the other
        one of "." and "," for decimals; the currency's sign is ignored."""
        typed = (
            ("ad_portal_pc_fr", "1 500,50", 1500.5),
            ("ad_portal_pc_fr", "1\u202f500,50\xa0€", 1500.5),
            ("ad_portal_pc_fr", "1,500.50", 1500.5),
            ("ad_portal_pc_fr", "180", 180.0),
            ("ad_portal_pc_en", "1,500.50", 1500.5),
            ("ad_portal_pc_en", "180,00", 180.0),
        )
        for login, amount, expected in typed:
            invoice = self._inv(3780.0, currency=self.eur)
            self.authenticate(login, login)
            self.assertNotIn("dispute_error", self._post(invoice, amount), amount)
            self.assertEqual(
                self._disputes(invoice).line_ids.amount_disputed, expected, amount
            )

    def test_hostile_amounts_are_refused_in_the_customer_language(self):
        invoice = self._inv(3780.0, currency=self.eur)
        self.authenticate("ad_portal_pc_fr", "ad_portal_pc_fr")
        refused = {
            "amount": (
                "abc",
                "inf",
                "-inf",
                "nan",
                "NaN",
                "1e3",
                "1e308",
                "-180",
                "+180",
                "180;00",
                "1,500",  # 1,500 in French: three decimals, not guessed
                "1.500,50",
                "180,001",
                "9" * 40,
                "",
                " ",
            ),
            "amount_zero": ("0", "0,00"),
            "amount_max": ("3780,01", "3 780,01", "99999999999"),
        }
        for code, amounts in refused.items():
            for amount in amounts:
                location = self._post(invoice, amount)
                self.assertEqual(
                    parse_qs(urlsplit(location).query).get("dispute_error"),
                    [code],
                    amount,
                )
        self.assertFalse(self._disputes(invoice))
        # In French, the customer's language.
        messages = {
            "amount": rf"n'a pas pu être lu\s: saisissez-le en chiffres, par "
            rf"exemple 3{self.sep}780,00\.",
            "amount_zero": "doit être supérieur à zéro",
            "amount_max": rf"ne peut pas dépasser le reste à payer\s: "
            rf"3{self.sep}780,00\s€\.",
        }
        for code, message in messages.items():
            page = self._page(
                invoice.get_portal_url(query_string=f"&dispute_error={code}")
            )
            self.assertRegex(self._text(page, "portal_dispute_error_reason"), message)

    def test_status_is_meant_for_the_customer(self):
        invoice = self._inv(3780.0)
        self.authenticate("ad_portal_pc_en", "ad_portal_pc_en")
        self._post(invoice, "180")
        dispute = self._disputes(invoice)
        statuses = [("draft", "Received, under review")]
        for action, label in (
            ("action_open", "Under review"),
            ("action_negotiate", "Under discussion"),
            ("action_mediate", "In mediation"),
            ("action_litigate", "In litigation"),
        ):
            getattr(dispute, action)()
            statuses.append((dispute.state, label))
            page = self._page(invoice.get_portal_url())
            self.assertEqual(self._text(page, "portal_dispute_state"), label)
        self.assertEqual(
            [state for state, __ in statuses],
            ["draft", "open", "negotiation", "mediation", "litigation"],
        )
        phone = self._inv(500.0)
        self.env["account.dispute"].create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(phone.ids)],
                "reason_id": self.reason.id,
                "channel": "phone",
            }
        )
        page = self._page(phone.get_portal_url())
        self.assertEqual(self._text(page, "portal_dispute_state"), "Being recorded")
