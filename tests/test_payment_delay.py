# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io
import shutil
import zipfile
from html import unescape
from pathlib import Path

import openpyxl
import polib

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestPaymentDelays(AccountDisputeCommon):
    """The D441-6 table of a known book, closing on 2026-06-30 (fiscal year
    from 2026-01-01).

    Customer invoices (issued), on 30 days unless said:
    - I1 1,000 + 15 % VAT = 1,150 of 06-10, due 07-10: not due (0 day);
    - I8 250 of 05-31, due 06-30, the closing day: 0 day;
    - I2 2,000 of 05-01, due 05-31: 30 days late;
    - I3 500 of 04-20, due 05-20: 41 days late, 200 paid on 06-15 and 100 on
      07-05 (after the closing): 300 due;
    - I5 400 of 03-31, due 04-30: 61 days late;
    - I4 800 of 03-01 on 30 % at 30 days, 70 % at 60 days: each installment
      late from its own due date, 240 due 03-31 (91 days) and 560 due 04-30
      (61 days);
    - I6 700 of 04-01, due 05-01, disputed since 05-15: excluded (B);
    - I7 600 of 02-01, due 03-03, paid on 03-15 (12 days late);
    - I9 300 of 02-10, due 03-12, paid on 03-01 (on time);
    - I10 350 of 01-10, due 02-09, disputed on 02-20 (resolved 03-01), paid
      on 04-20;
    - a credit note of 250 of 06-20, not reconciled.

    Vendor bills (received):
    - B1 1,000 + 15 % VAT = 1,150 of 06-20 on 30 days: not due;
    - B2 3,000 of 05-10, due date written on it 06-09: 21 days late;
    - B5 600 of 04-01 on 30 days, due 05-01: 60 days late;
    - B3 1,200 of 03-15 on "=45 Days", due 04-29: 62 days late, 200 paid on
      06-01: 1,000 due;
    - B4 900 of 01-15 on 30 days, due 02-14: 136 days late;
    - B6 500 of 04-01 on 30 days, payment blocked: excluded (B);
    - B7 400 of 02-01 on 30 days, due 03-03, paid on 04-02 (30 days late).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.dispute_followup_days = 0
        cls.closing = D("2026-06-30")
        terms_30 = cls.env.ref("account.account_payment_term_30days")
        # a name that would be a formula in a spreadsheet
        cls.terms_45 = cls.env["account.payment.term"].create(
            {
                "name": "=45 Days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 45}
                    )
                ],
            }
        )
        sale, purchase = cls.tax_sale_a, cls.tax_purchase_a
        issue = cls._issue
        cls.inv_1 = issue(1000.0, "2026-06-10", terms_30, sale)
        cls.inv_8 = issue(250.0, "2026-05-31", terms_30)
        cls.inv_2 = issue(2000.0, "2026-05-01", terms_30)
        cls.inv_3 = issue(500.0, "2026-04-20", terms_30)
        cls.inv_5 = issue(400.0, "2026-03-31", terms_30)
        cls.inv_4 = issue(800.0, "2026-03-01", cls.pay_terms_installments)
        cls.inv_6 = issue(700.0, "2026-04-01", terms_30)
        cls.inv_7 = issue(600.0, "2026-02-01", terms_30)
        cls.inv_9 = issue(300.0, "2026-02-10", terms_30)
        cls.inv_10 = issue(350.0, "2026-01-10", terms_30)
        cls._pay(cls, cls.inv_3, 200.0, date="2026-06-15")
        cls._pay(cls, cls.inv_3, 100.0, date="2026-07-05")
        cls._pay(cls, cls.inv_7, 600.0, date="2026-03-15")
        cls._pay(cls, cls.inv_9, 300.0, date="2026-03-01")
        cls.dispute_6 = cls._dispute(cls.inv_6, opened="2026-05-15")
        dispute_10 = cls._dispute(cls.inv_10, opened="2026-02-20")
        dispute_10._resolve(
            "withdrawn", date_resolved=D("2026-03-01"), validity="unfounded"
        )
        cls._pay(cls, cls.inv_10, 350.0, date="2026-04-20")
        refund = cls.init_invoice(
            "out_refund", invoice_date=D("2026-06-20"), amounts=[250.0], taxes=[]
        )
        refund.action_post()

        receive = cls._receive
        cls.bill_1 = receive(1000.0, "2026-06-20", terms_30, purchase)
        cls.bill_2 = receive(3000.0, "2026-05-10", due="2026-06-09")
        cls.bill_5 = receive(600.0, "2026-04-01", terms_30)
        cls.bill_3 = receive(1200.0, "2026-03-15", cls.terms_45)
        cls.bill_4 = receive(900.0, "2026-01-15", terms_30)
        cls.bill_6 = receive(500.0, "2026-04-01", terms_30)
        cls.bill_7 = receive(400.0, "2026-02-01", terms_30)
        cls._pay(cls, cls.bill_3, 200.0, date="2026-06-01")
        cls._pay(cls, cls.bill_7, 400.0, date="2026-04-02")
        cls.bill_6.action_toggle_block_payment()

    @classmethod
    def _issue(cls, amount, date, terms, tax=None):
        invoice = cls.init_invoice(
            "out_invoice", invoice_date=D(date), amounts=[amount], taxes=tax or []
        )
        invoice.invoice_payment_term_id = terms
        invoice.action_post()
        return invoice

    @classmethod
    def _receive(cls, amount, date, terms=None, tax=None, due=None):
        bill = cls.init_invoice(
            "in_invoice", invoice_date=D(date), amounts=[amount], taxes=tax or []
        )
        bill.invoice_payment_term_id = terms
        if due:
            bill.invoice_date_due = D(due)
        bill.action_post()
        return bill

    def _table(self, basis="unpaid", closing=None):
        return self.env[
            "report.account_dispute.report_payment_delays"
        ]._get_payment_delays(self.env.company, closing or self.closing, basis)

    def _wizard(self, basis="unpaid"):
        return self.env["account.dispute.export.wizard"].create(
            {
                "export_type": "payment_delays",
                "date_closing": self.closing,
                "payment_delays_basis": basis,
            }
        )

    @staticmethod
    def _by_key(half, field):
        return {column["key"]: column[field] for column in half["columns"]}

    # Unpaid at the closing date (art. D441-6 I) ----------------------------

    def test_book(self):
        self.assertEqual(self.inv_1.amount_total, 1150.0)
        self.assertEqual(self.bill_1.amount_total, 1150.0)
        self.assertEqual(self.bill_6.payment_state, "blocked")
        self.assertEqual(self._due_dates(self.bill_3), ["2026-04-29"])
        self.assertEqual(self._due_dates(self.inv_4), ["2026-03-31", "2026-04-30"])

    def test_halves_and_columns(self):
        table = self._table()
        received, issued = table["halves"]
        self.assertEqual(
            [received["key"], issued["key"]], ["received", "issued"], "I 1° then I 2°"
        )
        self.assertEqual(
            table["labels"]["columns"],
            [
                "0 day (indicative)",
                "1 to 30 days",
                "31 to 60 days",
                "61 to 90 days",
                "91 days and more",
                "Total (1 day and more)",
            ],
        )
        self.assertEqual(table["date_from"], D("2026-01-01"))
        self.assertEqual(table["currency"], self.env.company.currency_id)

    def test_issued_half(self):
        issued = self._table()["halves"][1]
        self.assertEqual(
            self._by_key(issued, "count"),
            # I4 counts in two columns, once in the total
            {"0": 2, "1_30": 1, "31_60": 1, "61_90": 2, "over_90": 1, "total": 4},
        )
        self.assertEqual(
            self._by_key(issued, "amount"),
            {
                "0": 1400.0,
                "1_30": 2000.0,
                "31_60": 300.0,
                "61_90": 400.0 + 560.0,
                "over_90": 240.0,
                "total": 3500.0,
            },
        )
        self.assertEqual(issued["excluded"], {"count": 1, "amount": 700.0})
        # turnover excl. VAT: the ten invoices, less the credit note
        self.assertEqual(issued["base"], 6900.0 - 250.0)
        shares = self._by_key(issued, "share")
        self.assertAlmostEqual(shares["total"], 3500.0 / 6650.0 * 100)
        self.assertAlmostEqual(shares["0"], 1400.0 / 6650.0 * 100)
        self.assertEqual(
            issued["share_label"],
            "Percentage of the turnover of the fiscal year (excl. VAT)",
        )
        self.assertEqual(
            issued["title"],
            "Article D.441 I.-2°: Invoices issued, unpaid at the closing date of "
            "the fiscal year, whose term has passed",
        )
        self.assertEqual(
            issued["terms"],
            {
                "contractual": "Contractual terms: 30 Days, "
                "30% at 30 days, 70% at 60 days",
                "legal": "Legal terms: not used",
            },
        )

    def test_received_half(self):
        received = self._table()["halves"][0]
        self.assertEqual(
            self._by_key(received, "count"),
            {"0": 1, "1_30": 1, "31_60": 1, "61_90": 1, "over_90": 1, "total": 4},
        )
        self.assertEqual(
            self._by_key(received, "amount"),
            {
                "0": 1150.0,
                "1_30": 3000.0,
                "31_60": 600.0,
                "61_90": 1000.0,
                "over_90": 900.0,
                "total": 5500.0,
            },
        )
        self.assertEqual(received["excluded"], {"count": 1, "amount": 500.0})
        self.assertEqual(received["base"], 7600.0, "purchases excl. VAT")
        self.assertAlmostEqual(
            self._by_key(received, "share")["total"], 5500.0 / 7600.0 * 100
        )
        self.assertEqual(
            received["share_label"],
            "Percentage of the total purchases of the fiscal year (excl. VAT)",
        )
        self.assertEqual(
            received["terms"]["contractual"],
            "Contractual terms: 30 Days, =45 Days, due date written on the invoice",
        )

    def test_payments_after_the_closing_do_not_count(self):
        issued = self._table(closing=D("2026-07-10"))["halves"][1]
        # I3 is 51 days late, 200 left after the payment of 07-05; I2 40
        # days late; I1 due that day
        self.assertEqual(self._by_key(issued, "amount")["31_60"], 200.0 + 2000.0)
        self.assertEqual(self._by_key(issued, "amount")["0"], 1150.0)

    def test_dispute_settled_before_the_closing_is_not_excluded(self):
        self.dispute_6._resolve(
            "withdrawn", date_resolved=D("2026-06-20"), validity="unfounded"
        )
        issued = self._table()["halves"][1]
        self.assertEqual(issued["excluded"], {"count": 0, "amount": 0.0})
        self.assertEqual(self._by_key(issued, "amount")["31_60"], 300.0 + 700.0)

    def test_section_labels(self):
        labels = self._table()["labels"]
        self.assertEqual(labels["section_a"], "(A) Late payment brackets")
        self.assertEqual(labels["count"], "Number of invoices concerned")
        self.assertEqual(
            labels["amount"], "Total amount of the invoices concerned (incl. VAT)"
        )
        self.assertEqual(
            labels["section_b"],
            "(B) Invoices excluded from (A) relating to disputed or unrecorded "
            "debts and claims",
        )
        self.assertEqual(
            labels["excluded_amount"],
            "Total amount of the invoices excluded (incl. VAT)",
        )
        self.assertEqual(
            labels["section_c"],
            "(C) Reference payment terms used (contractual or legal term - "
            "article L. 441-10 of the French Commercial Code)",
        )

    def test_company_must_be_allowed(self):
        other = self.env["res.company"].create({"name": "Other company"})
        Report = self.env["report.account_dispute.report_payment_delays"]
        with self.assertRaises(AccessError):
            Report.with_context(
                allowed_company_ids=self.env.company.ids
            )._get_payment_delays(other, self.closing)

    # Paid late during the year (art. D441-6 II) ---------------------------

    def test_paid_late(self):
        table = self._table("paid_late")
        received, issued = table["halves"]
        self.assertEqual(
            self._by_key(issued, "count"),
            {"0": 1, "1_30": 1, "31_60": 0, "61_90": 0, "over_90": 0, "total": 1},
        )
        self.assertEqual(self._by_key(issued, "amount")["0"], 300.0)
        self.assertEqual(self._by_key(issued, "amount")["1_30"], 600.0)
        self.assertEqual(issued["excluded"], {"count": 1, "amount": 350.0})
        # invoices issued in the year incl. VAT (credit notes are not invoices)
        self.assertEqual(issued["base"], 7050.0)
        self.assertAlmostEqual(
            self._by_key(issued, "share")["total"], 600.0 / 7050.0 * 100
        )
        self.assertEqual(
            self._by_key(received, "count"),
            {"0": 0, "1_30": 1, "31_60": 0, "61_90": 0, "over_90": 0, "total": 1},
        )
        self.assertEqual(self._by_key(received, "amount")["total"], 400.0)
        self.assertEqual(received["excluded"], {"count": 0, "amount": 0.0})
        self.assertEqual(received["base"], 7750.0)
        self.assertEqual(
            received["title"],
            "Article D.441 II: Invoices received paid late during the fiscal year",
        )
        self.assertEqual(
            table["labels"]["count"], "Cumulative number of invoices concerned"
        )
        self.assertEqual(
            issued["share_label"],
            "Percentage of the total amount of the invoices issued in the year "
            "(incl. VAT)",
        )

    def test_paid_late_counts_the_year_only(self):
        issued = self._table("paid_late", closing=D("2026-03-31"))["halves"][1]
        self.assertEqual(self._by_key(issued, "count")["total"], 1, "I7")
        issued = self._table("paid_late", closing=D("2026-03-10"))["halves"][1]
        self.assertEqual(self._by_key(issued, "count")["total"], 0)
        self.assertEqual(self._by_key(issued, "count")["0"], 1, "I9")

    # XLSX and PDF -----------------------------------------------------------

    def _xlsx(self, basis="unpaid"):
        wizard = self._wizard(basis)
        wizard.action_export()
        return base64.b64decode(wizard.file_data)

    def test_xlsx_holds_the_table(self):
        content = self._xlsx()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet_xml, "every text is a string, not a formula")
        sheet = openpyxl.load_workbook(io.BytesIO(content))["D441-6"]
        rows = {
            row[0]: row[1:]
            for row in sheet.iter_rows(values_only=True)
            if isinstance(row[0], str)
        }
        table = self._table()
        labels = table["labels"]
        received, issued = table["halves"]
        self.assertEqual(sheet["A1"].value, table["title"])
        self.assertEqual(rows["Purchases of the fiscal year (excl. VAT)"][0], 7600.0)
        self.assertEqual(rows["Turnover of the fiscal year (excl. VAT)"][0], 6650.0)
        header = next(
            r for r in sheet.iter_rows(values_only=True) if r[1] == "0 day (indicative)"
        )
        self.assertEqual(list(header[1:]), labels["columns"] * 2)
        titles = [
            r for r in sheet.iter_rows(values_only=True) if r[1] == received["title"]
        ]
        self.assertEqual(titles[0][7], issued["title"])
        for key in ("count", "amount"):
            self.assertEqual(
                list(rows[labels[key]]),
                [c[key] for c in received["columns"] + issued["columns"]],
            )
        received_shares = rows[received["share_label"]]
        self.assertAlmostEqual(received_shares[5], 5500.0 / 7600.0)
        self.assertEqual(received_shares[6:], (None,) * 6)
        issued_shares = rows[issued["share_label"]]
        self.assertEqual(issued_shares[:6], (None,) * 6)
        self.assertAlmostEqual(issued_shares[11], 3500.0 / 6650.0)
        self.assertIn(labels["section_a"], rows)
        self.assertIn(labels["section_b"], rows)
        self.assertIn(labels["section_c"], rows)
        self.assertEqual(rows[labels["excluded_count"]][0], 1)
        self.assertEqual(rows[labels["excluded_count"]][6], 1)
        self.assertEqual(rows[labels["excluded_amount"]][0], 500.0)
        self.assertEqual(rows[labels["excluded_amount"]][6], 700.0)
        terms = rows[labels["terms"]]
        self.assertEqual(
            terms[0],
            "Contractual terms: 30 Days, =45 Days, due date written on the "
            "invoice\nLegal terms: not used",
        )
        self.assertTrue(terms[6].startswith("Contractual terms: 30 Days, 30%"))

    def test_xlsx_paid_late(self):
        sheet = openpyxl.load_workbook(io.BytesIO(self._xlsx("paid_late")))["D441-6"]
        rows = {
            row[0]: row[1:]
            for row in sheet.iter_rows(values_only=True)
            if isinstance(row[0], str)
        }
        self.assertEqual(
            list(rows["Cumulative number of invoices concerned"]),
            [0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1],
        )

    def _html(self, wizard):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_payment_delays", wizard.ids
        )
        return unescape(" ".join(html.decode().split()))

    def test_pdf_labels(self):
        html = self._html(self._wizard())
        table = self._table()
        labels = table["labels"]
        for text in (
            table["halves"][0]["title"],
            table["halves"][1]["title"],
            "0 day (indicative)",
            "Total (1 day and more)",
            labels["section_a"],
            labels["count"],
            labels["amount"],
            "Percentage of the total purchases of the fiscal year (excl. VAT)",
            "Percentage of the turnover of the fiscal year (excl. VAT)",
            labels["section_b"],
            labels["excluded_count"],
            labels["excluded_amount"],
            labels["section_c"],
            "Contractual terms: 30 Days, =45 Days, due date written on the invoice",
            "Legal terms: not used",
            "5,500.00",
            "3,500.00",
            "72.37",
        ):
            self.assertIn(text, html)

    def test_french_wording(self):
        """fr.po gives every label its French, the model's own wording.

        Read without the .pot (Odoo merges fr.po with it, and the .pot is
        refreshed from the code separately): each text the table shows has its
        translation here.
        """
        content = Path(file_path("account_dispute/i18n/fr.po")).read_text()
        french = {entry.msgid: entry.msgstr for entry in polib.pofile(content)}
        for basis in ("unpaid", "paid_late"):
            table = self._table(basis)
            texts = [table["title"], *table["labels"]["columns"]]
            texts += [
                text
                for key, text in table["labels"].items()
                if key not in ("columns", "notes")
            ]
            for half in table["halves"]:
                texts += [half["title"], half["share_label"], half["base_label"]]
                texts.append(half["terms"]["legal"])
            for text in texts:
                self.assertTrue(french.get(text), text)
        for english, wording in (
            (
                "Article D.441 I.-1°: Invoices received, unpaid at the closing date "
                "of the fiscal year, whose term has passed",
                "Article D.441 I.-1° : Factures reçues non réglées à la date de "
                "clôture de l'exercice dont le terme est échu",
            ),
            (
                "Article D.441 I.-2°: Invoices issued, unpaid at the closing date "
                "of the fiscal year, whose term has passed",
                "Article D.441 I.-2° : Factures émises non réglées à la date de "
                "clôture de l'exercice dont le terme est échu",
            ),
            ("0 day (indicative)", "0 jour (indicatif)"),
            ("1 to 30 days", "1 à 30 jours"),
            ("31 to 60 days", "31 à 60 jours"),
            ("61 to 90 days", "61 à 90 jours"),
            ("91 days and more", "91 jours et plus"),
            ("Total (1 day and more)", "Total (1 jour et plus)"),
            ("(A) Late payment brackets", "(A) Tranches de retard de paiement"),
            ("Number of invoices concerned", "Nombre de factures concernées"),
            (
                "Total amount of the invoices concerned (incl. VAT)",
                "Montant total des factures concernées (TTC)",
            ),
            (
                "Percentage of the total purchases of the fiscal year (excl. VAT)",
                "Pourcentage du montant total des achats de l'exercice (HT)",
            ),
            (
                "Percentage of the turnover of the fiscal year (excl. VAT)",
                "Pourcentage du chiffre d'affaires de l'exercice (HT)",
            ),
            (
                "(B) Invoices excluded from (A) relating to disputed or unrecorded "
                "debts and claims",
                "(B) Factures exclues du (A) relatives à des dettes et créances "
                "litigieuses ou non comptabilisées",
            ),
            ("Number of invoices excluded", "Nombre de factures exclues"),
            (
                "Total amount of the invoices excluded (incl. VAT)",
                "Montant total des factures exclues (TTC)",
            ),
            (
                "(C) Reference payment terms used (contractual or legal term - "
                "article L. 441-10 of the French Commercial Code)",
                "(C) Délais de paiement de référence utilisés (contractuel ou délai "
                "légal \u2013 article L. 441-10 du code de commerce)",
            ),
            ("Contractual terms: %(terms)s", "Délais contractuels : %(terms)s"),
            ("Legal terms: not used", "Délais légaux : non utilisés"),
            (
                "Article D.441 II: Invoices received paid late during the fiscal year",
                "Article D.441 II : Factures reçues ayant connu un retard de "
                "paiement au cours de l'exercice",
            ),
            (
                "Cumulative number of invoices concerned",
                "Nombre cumulé de factures concernées",
            ),
        ):
            self.assertEqual(french[english], wording)

    def test_pdf_where_wkhtmltopdf_is_installed(self):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if shutil.which("wkhtmltopdf"):
            content, kind = report._render_qweb_pdf(
                "account_dispute.report_payment_delays", self._wizard().ids
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(content.startswith(b"%PDF"))
        else:
            with self.assertRaises(UserError):
                report._render_qweb_pdf(
                    "account_dispute.report_payment_delays", self._wizard().ids
                )

    def test_print_action(self):
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        action = self._wizard("paid_late").action_print_payment_delays()
        self.assertEqual(action["report_name"], "account_dispute.report_payment_delays")
