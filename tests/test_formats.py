# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import html
import io
import re

import openpyxl
from lxml import html as lxml_html

from odoo import Command, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date
NBSP = "\N{NO-BREAK SPACE}"


class FrenchCommon(AccountDisputeCommon):
    """A French user and a French customer, an invoice of 1,234.56 EUR.

    French writes 1 234,56 € and 12,15 %: the grouping character is read
    from Odoo's fr_FR language record, the decimal comma and the currency
    symbol are asserted.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["account_dispute"], ["fr_FR"], overwrite=True
        )
        cls.env.user.lang = "fr_FR"
        cls.partner_a.lang = "fr_FR"
        cls.env = cls.env(context=dict(cls.env.context, lang="fr_FR"))
        cls.eur = cls.setup_other_currency("EUR")
        cls.invoice = cls._invoice(1234.56, currency=cls.eur)
        cls.sep = re.escape(cls.env["res.lang"]._lang_get("fr_FR").thousands_sep)
        # 1 234,56 € as a pattern: any space between the figure and the sign
        cls.amount_fr = rf"1{cls.sep}234,56\s€"

    def _in_french(self, source, **args):
        """``source`` as Odoo translates it in French (from the module's fr.po
        once the term is in its .pot)."""
        return self.env(context=dict(self.env.context, lang="fr_FR"))._(source, **args)

    def _dispute_fr(self, **vals):
        dispute = self._dispute(self.invoice, **vals)
        return dispute.with_env(self.env)


@tagged("post_install", "-at_install")
class TestFrenchFormats(FrenchCommon):
    """What the user reads in the back office, in the user's language."""

    def _last_message(self, record):
        """The text of the record's last message, entities decoded."""
        return html.unescape(str(record.message_ids[:1].body))

    def test_chatter_amount_and_date(self):
        plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
            self.invoice, count=3, date_first=D("2026-03-01")
        )
        body = self._last_message(self.invoice)
        self.assertIn(plan.name, body)
        self.assertRegex(body, self.amount_fr)
        self.assertIn("01/03/2026", body)
        self.assertIn(" 3 ", body, "the number of installments")

    def test_chatter_one_installment(self):
        """One sentence per case: one installment is not "1 installments"."""
        self.env["account.dispute.payment.plan"]._create_for_invoices(
            self.invoice, count=1, date_first=D("2026-03-01")
        )
        body = self._last_message(self.invoice)
        self.assertRegex(body, self.amount_fr)
        self.assertIn("01/03/2026", body)
        self.assertNotIn(" 1 ", body)

    def test_error_with_amounts(self):
        with self.assertRaisesRegex(
            ValidationError,
            rf"Le montant contesté du litige .+ \(2{self.sep}000,00\s€\) dépasse "
            rf"le montant restant à payer sur ses factures \({self.amount_fr}\)",
        ):
            self.env["account.dispute"].create(
                {
                    "partner_id": self.partner_a.id,
                    "invoice_ids": [Command.set(self.invoice.ids)],
                    "amount_disputed": 2000.0,
                }
            )

    def test_installments_total_error(self):
        plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
            self.invoice, count=2, date_first=D("2026-03-01")
        )
        with self.assertRaisesRegex(
            ValidationError,
            rf"totalisent 1{self.sep}235,56\s€ au lieu de {self.amount_fr}",
        ):
            plan.line_ids[0].amount += 1.0

    def test_state_error_is_one_sentence(self):
        """The refusal is one translatable sentence per action, not a verb
        slipped into a sentence."""
        dispute = self._dispute_fr().with_context(lang="en_US")
        with self.assertRaisesRegex(
            UserError,
            f"^You cannot reset dispute {dispute.name} to draft: its status is "
            "“Open”. Only a cancelled dispute can be reset to draft.$",
        ):
            dispute.action_draft()
        with self.assertRaisesRegex(
            UserError,
            f"^You cannot print the settlement of dispute {dispute.name}: its "
            "status is “Open”. Resolve the dispute first.$",
        ):
            dispute.action_print_settlement()

    def test_rate(self):
        Dashboard = self.env["account.dispute.dashboard"]
        self.assertEqual(Dashboard._format_rate(12.15), f"12,15{NBSP}%")
        self.assertEqual(Dashboard._format_rate(1234.5), f"1{NBSP}234,50{NBSP}%")

    def test_kpis(self):
        """One invoice disputed of the four issued in the quarter: 25,00 %; the
        amount in dispute is shown with the company's currency."""
        for __ in range(3):
            self._invoice(100.0)
        self._dispute_fr()
        dashboard = self.env["account.dispute.dashboard"].create(
            {"date_from": "2026-01-01", "date_to": "2026-03-31"}
        )
        self.assertEqual(dashboard.dispute_rate_display, f"25,00{NBSP}%")
        self.assertEqual(dashboard.no_escalation_rate_display, f"0,00{NBSP}%")
        views = dashboard.get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        for name in ("dispute_rate", "unfounded_rate", "no_escalation_rate"):
            self.assertIn(f'name="{name}_display"', arch)
            self.assertNotIn(f'name="{name}"', arch)
        described = views["models"]["account.dispute.dashboard"]["fields"]
        for name in ("open_amount", "amount_credited"):
            self.assertIn(f'name="{name}"', arch)
            self.assertEqual(described[name]["type"], "monetary")
            self.assertEqual(described[name]["currency_field"], "currency_id")
        self.assertIn('name="currency_id"', arch)

    def test_export_rates(self):
        """The spreadsheet shows the shares of the D441-6 table as 12,15 % in
        a French spreadsheet: a no-break space before the sign."""
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": "payment_delays", "date_closing": "2026-05-31"}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        formats = {
            cell.number_format
            for row in book.active.iter_rows()
            for cell in row
            if "%" in cell.number_format
        }
        self.assertEqual(formats, {f'0.00"{NBSP}"%'})

    def test_costs_invoice_in_the_customer_language(self):
        self.env.user.lang = "en_US"
        env = self.env(context=dict(self.env.context, lang="en_US"))
        self.env.company.dispute_cost_product_id = self.env["product.product"].create(
            {"name": "Costs", "type": "service", "taxes_id": False}
        )
        dispute = self._dispute_fr().with_env(env)
        dispute.write({"fault": "customer", "mediation_cost": 150.0})
        dispute.action_invoice_costs()
        source = "Mediation costs, dispute %(dispute)s"
        self.assertEqual(
            dispute.cost_invoice_id.invoice_line_ids.name,
            self._in_french(source, dispute=dispute.name),
        )


@tagged("post_install", "-at_install")
class TestFrenchCustomerFormats(FrenchCommon):
    """What the customer reads, in the customer's language, whatever the
    user's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.lang = "en_US"
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )

    def test_acknowledgement_email(self):
        dispute = self._dispute_fr()
        dispute.write({"amount_disputed": 1234.56, "date_deadline": "2026-03-15"})
        template = self.env.ref("account_dispute.mail_template_dispute_acknowledgement")
        body = template._render_field("body_html", dispute.ids, compute_lang=True)[
            dispute.id
        ]
        self.assertRegex(body, rf":\s{self.amount_fr}\)", "the amount contested")
        self.assertIn("<strong>15/03/2026</strong>", body, "the deadline")

    def _report_text(self, report_name, dispute):
        """The report's text: tags dropped, line breaks and indents as single
        spaces; no-break spaces stay."""
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(report_name, dispute.ids)[0]
            .decode()
        )
        return re.sub(r"[ \n\t]+", " ", re.sub(r"<[^>]+>", "", html))

    def test_acknowledgement_and_settlement_letters(self):
        dispute = self._dispute_fr()
        text = self._report_text(
            "account_dispute.report_dispute_acknowledgement", dispute
        )
        self.assertRegex(text, rf"Montant contesté\s:\s*{self.amount_fr}")
        self.assertIn("10/01/2026", text, "the invoice date")
        dispute._resolve(
            "payment_plan",
            date_resolved=D("2026-02-20"),
            payment_plan={"count": 2, "date_first": D("2026-03-20")},
        )
        text = self._report_text("account_dispute.report_dispute_settlement", dispute)
        self.assertRegex(text, r"20/03/2026 617,28\s€ 20/04/2026 617,28\s€")
        self.assertRegex(text, self.amount_fr)


@tagged("post_install", "-at_install")
class TestFrenchPortal(FrenchCommon, HttpCase):
    """The contest form and its confirmation, for a French customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="ad_portal_fr",
            password="ad_portal_fr",
            groups="base.group_portal",
            company_id=cls.env.company.id,
            lang="fr_FR",
        )
        cls.portal_user.partner_id.parent_id = cls.partner_a
        cls.owner = new_test_user(
            cls.env,
            login="ad_owner_en",
            groups="account.group_account_invoice,"
            "account_dispute.group_account_dispute_user",
            company_id=cls.env.company.id,
            lang="en_US",
        )
        cls.reason.user_id = cls.owner

    def _page(self, url=None):
        response = self.url_open(url or self.invoice.get_portal_url())
        self.assertEqual(response.status_code, 200)
        return lxml_html.fromstring(response.text)

    def _post(self, amount):
        return self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": self.invoice._portal_ensure_token(),
                "reason_id": self.reason.id,
                "amount": amount,
                "message": "Le prix n'est pas celui du devis.",
            },
            allow_redirects=False,
        )

    @staticmethod
    def _text(page, element_id):
        """The element's text, its line breaks and indents as single spaces;
        no-break spaces stay."""
        text = page.get_element_by_id(element_id).text_content()
        return re.sub(r"[ \n\t]+", " ", text)

    def test_form_and_confirmation(self):
        self.authenticate("ad_portal_fr", "ad_portal_fr")
        page = self._page()
        self.assertRegex(self._text(page, "dispute_amount_help"), self.amount_fr)
        field = page.get_element_by_id("dispute_amount")
        self.assertRegex(field.get("value"), rf"^1{self.sep}234,56$", "French")
        self.assertEqual(
            field.getnext().text_content(), "€", "the currency by the amount"
        )
        response = self._post("5000")
        page = self._page(response.headers["Location"])
        self.assertRegex(self._text(page, "portal_dispute_error"), self.amount_fr)
        self._post("120.5")
        page = self._page()
        self.assertRegex(self._text(page, "portal_dispute_amount"), r"^120,50\s€$")
        dispute = self.env["account.dispute"].search(
            [("invoice_ids", "in", self.invoice.ids)]
        )
        self.assertEqual(dispute.user_id, self.owner)
        self.assertEqual(
            dispute.activity_ids.summary,
            f"Contested on the portal for 120.50{NBSP}€: open the dispute",
            "the owner reads it in English",
        )
