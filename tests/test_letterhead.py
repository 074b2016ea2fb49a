# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from ..models.dunning import res_company_letter
from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLetterhead(AccountDisputeCommon):
    """Who writes and who signs the letters: the company's letterhead when
    the PDF cannot print the layout's header, the city and date in full, one
    signature with a name and a title."""

    country_code = "FR"
    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.company = cls.env.company
        cls.company.write(
            {
                "street": "18 rue de la Charité",
                "zip": "69002",
                "city": "Lyon",
                "company_registry": "732 829 320 R.C.S. Lyon",
                "vat": "FR44732829320",
                "report_footer": "<p>SAS au capital de 150 000 €</p>",
                "dunning_signatory_name": "Hélène Dupont",
                "dunning_signatory_title": "Chief Financial Officer",
            }
        )
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)
        cls.letter = cls.env["account.dunning.letter"].create(
            {
                "partner_id": cls.partner_a.id,
                "level_id": cls.level_3.id,
                "date": D("2026-12-20"),
                "invoice_ids": [Command.set(cls.invoice.ids)],
                "currency_id": cls.invoice.currency_id.id,
            }
        )

    def _render(self, report, records, report_type, headers_printed=False):
        """The report's HTML as rendered for ``report_type``, wkhtmltopdf
        printing the layout's header or not."""
        with patch.object(
            res_company_letter,
            "wkhtmltopdf_prints_headers",
            return_value=headers_printed,
        ):
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                report, records.ids, data={"report_type": report_type}
            )
        return html.decode()

    def _settled_dispute(self):
        dispute = self._dispute(self.invoice, opened="2026-02-15")
        dispute._resolve("customer_paid", date_resolved=D("2026-02-21"))
        return dispute

    # The letterhead ----------------------------------------------------

    def test_letterhead_lines(self):
        lines = self.company._get_letterhead_lines()
        self.assertEqual(lines[0], "732 829 320 R.C.S. Lyon")
        self.assertEqual(lines[-1], "VAT FR44732829320")
        if "siret" in self.company._fields:
            self.company.siret = "73282932000017"
            self.assertIn(
                "SIRET 732 829 320 00017", self.company._get_letterhead_lines()
            )
        self.company.write({"company_registry": False, "vat": False})
        self.assertEqual(self.company._get_letterhead_lines(), [])

    def test_letterhead_only_in_a_pdf_without_header(self):
        self.assertFalse(self.company._letterhead_in_body("html"))
        self.assertEqual(
            self.company._letterhead_in_body("pdf"),
            not res_company_letter.wkhtmltopdf_prints_headers(),
        )

    def test_every_letter_prints_the_letterhead_when_the_header_cannot(self):
        dispute = self._settled_dispute()
        for report, records in (
            ("account_dispute.report_dunning_letter", self.letter),
            ("account_dispute.report_dispute_settlement", dispute),
            ("account_dispute.report_dispute_acknowledgement", dispute),
        ):
            with self.subTest(report=report):
                html = self._render(report, records, "pdf")
                self.assertIn('name="letterhead"', html)
                letterhead = html[html.index('name="letterhead"') :]
                letterhead = letterhead[: letterhead.index('name="address"')]
                for text in (
                    'alt="Logo"',
                    self.company.name,
                    "18 rue de la Charité",
                    "69002 Lyon",
                    "732 829 320 R.C.S. Lyon",
                    "FR44732829320",
                ):
                    self.assertIn(text, letterhead)
                self.assertIn(self.partner_a.name, html[html.index('name="address"') :])
                footer = html[html.index('name="legal_footer"') :]
                self.assertIn("SAS au capital de 150 000 €", footer)
                for report_type, headers_printed in (("pdf", True), ("html", False)):
                    html = self._render(report, records, report_type, headers_printed)
                    self.assertNotIn('name="letterhead"', html)
                    self.assertNotIn('name="legal_footer"', html)

    # Place and date ----------------------------------------------------

    def test_dispute_letters_are_written_from_the_company_city(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["account_dispute"], ["fr_FR"])
        self.partner_a.lang = "fr_FR"
        dispute = self._settled_dispute()
        # Dated the day it is printed, as every letter.
        with freeze_time("2026-02-23 10:00"):
            html = self._render(
                "account_dispute.report_dispute_settlement", dispute, "html"
            )
        self.assertIn('name="place_date">Lyon, le 23 février 2026<', html)
        self.assertEqual(
            self.company.with_context(lang="fr_FR")._get_letter_place_and_date(
                D("2026-12-20")
            ),
            "Lyon, le 20 décembre 2026",
        )

    # Signature ---------------------------------------------------------

    def _signature(self, html):
        return html[html.index('name="signature"') :][:400]

    def test_settlement_is_signed_once_by_a_name_and_title(self):
        self.env.user.signature = "<p>-- <br/>Mitchell Admin, sent from my phone</p>"
        dispute = self._settled_dispute()
        html = self._render(
            "account_dispute.report_dispute_settlement", dispute, "html"
        )
        self.assertEqual(html.count('name="signature"'), 1)
        signature = self._signature(html)
        self.assertIn("<strong>Hélène Dupont</strong>", signature)
        self.assertIn("Chief Financial Officer", signature)
        self.assertIn(self.company.name, signature)
        self.assertNotIn("sent from my phone", html)
        self.assertEqual(html.count("Hélène Dupont"), 1)

    def test_settlement_without_signatory_is_signed_by_its_owner(self):
        self.company.dunning_signatory_name = False
        dispute = self._settled_dispute()
        dispute.user_id.partner_id.function = "Credit Manager"
        self.assertEqual(
            dispute._get_letter_signatory(), (dispute.user_id.name, "Credit Manager")
        )
        html = self._render(
            "account_dispute.report_dispute_settlement", dispute, "html"
        )
        signature = self._signature(html)
        self.assertIn(f"<strong>{dispute.user_id.name}</strong>", signature)
        self.assertIn("Credit Manager", signature)
        dispute.user_id = False
        self.assertEqual(dispute._get_letter_signatory(), (self.company.name, ""))
