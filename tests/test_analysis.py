# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import ast
import base64
import io
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from ..report.xlsx_book import XlsxBook
from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestAnalysis(AccountDisputeCommon):
    """A known book: five invoices of 2026 on 30 days, three disputes.

    - A (1,000, 2026-01-10): dispute 1, opened 2026-02-01, resolved 2026-02-21
      by a credit note of 200 (20 days, founded, not escalated);
    - B (2,000, 2026-02-10): dispute 2, opened 2026-03-01, resolved 2026-04-30
      as unfounded after a mediation (60 days);
    - C (500, 2026-03-10): dispute 3, opened 2026-04-25, still open, deadline
      2026-05-15; A, B and C had been reminded on 2026-04-20;
    - D (800, 2026-04-10) and E (300, 2026-05-10): not disputed, D half paid.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.env.company.dispute_followup_days = 0
        inv = cls._invoice
        terms = cls.terms_30
        cls.inv_a = inv(1000.0, terms=terms)
        cls.inv_b = inv(2000.0, terms=terms, invoice_date=D("2026-02-10"))
        cls.inv_c = inv(500.0, terms=terms, invoice_date=D("2026-03-10"))
        cls.inv_d = inv(800.0, terms=terms, invoice_date=D("2026-04-10"))
        cls.inv_e = inv(300.0, terms=terms, invoice_date=D("2026-05-10"))
        with freeze_time("2026-04-20"):
            cls.env["account.dunning.letter"]._run_escalation(
                partners=cls.partner_a
            ).action_send()
        cls.dispute_1 = cls._dispute(cls.inv_a, opened="2026-02-01")
        cls._settle_by_credit_note(cls.dispute_1, 200.0, "2026-02-21")
        cls.dispute_2 = cls._dispute(cls.inv_b, opened="2026-03-01")
        cls.dispute_2.write({"mediator_type": "business_mediation"})
        cls.dispute_2.action_mediate()
        cls.dispute_2._resolve(
            "withdrawn", date_resolved=D("2026-04-30"), validity="unfounded"
        )
        cls.dispute_3 = cls._dispute(cls.inv_c, opened="2026-04-25")
        cls.dispute_3.date_deadline = D("2026-05-15")
        cls._pay(cls, cls.inv_d, 400.0, date="2026-05-15")

    def _row(self, dispute):
        return self.env["account.dispute.report"].search(
            [("dispute_id", "=", dispute.id)]
        )

    def _dashboard(self, date_from="2026-01-01", date_to="2026-06-30"):
        return self.env["account.dispute.dashboard"].create(
            {"date_from": date_from, "date_to": date_to}
        )

    # SQL view ----------------------------------------------------------

    def test_report_matches_the_disputes(self):
        today = fields.Date.context_today(self.dispute_3)
        for dispute in self.dispute_1 | self.dispute_2 | self.dispute_3:
            row = self._row(dispute)
            self.assertEqual(len(row), 1)
            for name in ("name", "date_opened", "date_resolved", "state", "fault"):
                self.assertEqual(row[name], dispute[name], name)
            self.assertEqual(row.reason_id, dispute.reason_id)
            self.assertEqual(row.reason_category, dispute.reason_category)
            self.assertEqual(row.partner_id, dispute.partner_id)
            self.assertEqual(row.user_id, dispute.user_id)
            self.assertEqual(row.amount_disputed, dispute.amount_disputed)
            self.assertEqual(row.amount_credited, dispute.amount_credited)
        self.assertEqual(self._row(self.dispute_1).amount_credited, 200.0)
        self.assertEqual(self._row(self.dispute_1).days_to_resolve, 20)
        self.assertEqual(self._row(self.dispute_1).aging, "0_30")
        self.assertEqual(self._row(self.dispute_2).days_to_resolve, 60)
        self.assertEqual(self._row(self.dispute_2).aging, "31_60")
        self.assertTrue(self._row(self.dispute_2).escalated)
        self.assertFalse(self._row(self.dispute_1).escalated)
        row_3 = self._row(self.dispute_3)
        self.assertEqual(row_3.days_open, (today - D("2026-04-25")).days)
        self.assertEqual(row_3.aging, "over_90")
        self.assertTrue(row_3.past_deadline)
        self.assertTrue(row_3.from_reminder)
        self.assertFalse(self._row(self.dispute_1).from_reminder)

    def test_report_aggregates_like_the_orm(self):
        Report = self.env["account.dispute.report"]
        groups = Report._read_group(
            [("company_id", "=", self.env.company.id)],
            groupby=["state"],
            aggregates=["__count", "amount_disputed:sum"],
        )
        orm = self.env["account.dispute"]._read_group(
            [("company_id", "=", self.env.company.id)],
            groupby=["state"],
            aggregates=["__count", "amount_disputed:sum"],
        )
        self.assertEqual(sorted(groups), sorted(orm))

    def test_saved_analyses(self):
        filters = self.env["ir.filters"].search(
            [("model_id", "=", "account.dispute.report"), ("user_id", "=", False)]
        )
        self.assertEqual(
            sorted(filters.mapped("name")),
            [
                "Fault by category",
                "Open disputes by aging",
                "Resolution time by reason (Pareto)",
            ],
        )

    # KPIs --------------------------------------------------------------

    def test_kpis(self):
        dashboard = self._dashboard()
        self.assertEqual(dashboard.open_count, 1)
        self.assertEqual(dashboard.open_amount, 500.0)
        self.assertEqual(dashboard.past_deadline_count, 1)
        # resolved within the 90 days up to 2026-06-30: dispute 2 only
        self.assertEqual(dashboard.resolve_days_avg, 60.0)
        self.assertEqual(dashboard.resolve_days_median, 60.0)
        self.assertEqual(dashboard.invoice_count, 5)
        self.assertEqual(dashboard.disputed_invoice_count, 3)
        self.assertEqual(dashboard.dispute_rate, 60.0)
        self.assertEqual(dashboard.amount_credited, 200.0)
        self.assertEqual(dashboard.resolved_count, 2)
        self.assertEqual(dashboard.unfounded_rate, 50.0)
        self.assertEqual(dashboard.no_escalation_rate, 50.0)
        # owed: A 800 + B 2000 + C 500 + D 400 + E 300 = 4,000 on sales of
        # 4,600 - 200 = 4,400 over 181 days; C (500) is disputed
        self.assertAlmostEqual(dashboard.dso, 4000.0 / 4400.0 * 181, places=1)
        self.assertAlmostEqual(
            dashboard.dso_undisputed, 3500.0 / 4400.0 * 181, places=1
        )

    def test_kpis_over_a_longer_window(self):
        dashboard = self._dashboard(date_from="2026-01-01", date_to="2026-04-30")
        self.assertEqual(dashboard.resolve_days_avg, 40.0)
        self.assertEqual(dashboard.resolve_days_median, 40.0)
        self.assertEqual(dashboard.invoice_count, 4)
        self.assertEqual(dashboard.dispute_rate, 75.0)

    def test_kpis_empty_period(self):
        dashboard = self._dashboard(date_from="2025-01-01", date_to="2025-03-31")
        self.assertEqual(dashboard.invoice_count, 0)
        self.assertEqual(dashboard.dispute_rate, 0.0)
        self.assertEqual(dashboard.dso, 0.0)
        self.assertEqual(dashboard.unfounded_rate, 0.0)

    def test_kpi_actions(self):
        dashboard = self._dashboard()
        action = dashboard.action_view_past_deadline()
        self.assertEqual(
            self.env["account.dispute"].search(action["domain"]), self.dispute_3
        )
        self.assertEqual(
            dashboard.action_view_analysis()["res_model"], "account.dispute.report"
        )

    # XLSX --------------------------------------------------------------

    def _export(self, **vals):
        wizard = self.env["account.dispute.export.wizard"].create(vals)
        action = wizard.action_export()
        self.assertIn(f"/{wizard.id}/file_data/", action["url"])
        return openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.file_data)), data_only=True
        )

    def test_register_xlsx(self):
        book = self._export(export_type="register")
        self.assertEqual(book.sheetnames, ["Disputes"])
        sheet = book["Disputes"]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Dispute")
        self.assertEqual(rows[0][10], "Amount Disputed")
        self.assertEqual(len(rows), 1 + 3 + 1, "header, one row per invoice, total")
        self.assertEqual(sheet.freeze_panes, "A2")
        total = rows[-1]
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[10], 3500.0)
        self.assertEqual(total[11], 200.0)
        self.assertEqual(total[16], 3500.0, "residuals of A, B and C")
        self.assertIn('"$"', sheet.cell(row=2, column=11).number_format)
        self.assertEqual(sheet.cell(row=2, column=3).number_format, "dd/mm/yyyy")
        self.assertIsInstance(sheet.cell(row=2, column=11).value, int | float)

    def test_register_streams_by_chunks_in_constant_memory(self):
        Wizard = type(self.env["account.dispute.export.wizard"])
        with patch.object(Wizard, "_export_chunk", 2):
            book = self._export(export_type="register")
        rows = list(book.active.iter_rows(values_only=True))
        names = [row[0] for row in rows[1:-1]]
        self.assertEqual(
            names, (self.dispute_1 | self.dispute_2 | self.dispute_3).mapped("name")
        )
        book = XlsxBook()
        self.assertTrue(book.workbook.constant_memory)
        book.close()

    def test_register_filters_and_selection(self):
        book = self._export(export_type="register", state_filter="active")
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[1:-1]], [self.dispute_3.name])
        book = self._export(
            export_type="register", date_from="2026-02-15", date_to="2026-03-31"
        )
        rows = list(book.active.iter_rows(values_only=True))
        self.assertEqual([r[0] for r in rows[1:-1]], [self.dispute_2.name])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_export_wizard_action_register"
        )
        form = Form(
            self.env["account.dispute.export.wizard"].with_context(
                active_model="account.dispute",
                active_ids=self.dispute_1.ids,
                **ast.literal_eval(action["context"]),
            )
        )
        self.assertEqual(form.export_type, "register")
        wizard = form.save()
        self.assertEqual(wizard.dispute_ids, self.dispute_1)
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.active.max_row, 3)

    def test_dunning_status_xlsx(self):
        book = self._export(export_type="dunning", date_closing="2026-06-30")
        sheet = book["Dunning"]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(header[9], "Suspended")
        by_invoice = {row[1]: row for row in rows[1:-1]}
        # all overdue on 2026-06-30 (A's credit note is not reconciled)
        self.assertEqual(
            set(by_invoice),
            {
                self.inv_a.name,
                self.inv_b.name,
                self.inv_c.name,
                self.inv_d.name,
                self.inv_e.name,
            },
        )
        self.assertEqual(by_invoice[self.inv_c.name][9], "Yes")
        self.assertIn(self.dispute_3.name, by_invoice[self.inv_c.name][10])
        self.assertEqual(
            by_invoice[self.inv_c.name][8], self.inv_c.dunning_letter_ids.name
        )
        self.assertEqual(by_invoice[self.inv_d.name][9], "No")
        self.assertEqual(by_invoice[self.inv_d.name][5], 400.0)
        self.assertEqual(
            by_invoice[self.inv_e.name][4], (D("2026-06-30") - D("2026-06-09")).days
        )
        self.assertEqual(rows[-1][5], 4200.0)

    # D441-6 ------------------------------------------------------------

    def _issued_delays(self, date_closing):
        issued = self.env[
            "report.account_dispute.report_payment_delays"
        ]._get_payment_delays(self.env.company, D(date_closing))["halves"][1]
        return issued, {column["key"]: column for column in issued["columns"]}

    def test_payment_delays_table(self):
        issued, buckets = self._issued_delays("2026-05-31")
        # at 2026-05-31: A due 03-23 once its dispute restarted the term (69
        # days, 1,000), B due 03-12 (80 days, unfounded dispute: date kept,
        # 2,000), D due 05-10 (21 days, 400 left after the payment of 05-15),
        # E not due yet (0 day); C disputed at the closing date
        self.assertEqual(buckets["over_90"]["count"], 0)
        self.assertEqual(buckets["61_90"]["count"], 2)
        self.assertEqual(buckets["61_90"]["amount"], 3000.0)
        self.assertEqual(buckets["1_30"]["count"], 1)
        self.assertEqual(buckets["1_30"]["amount"], 400.0)
        self.assertEqual(buckets["31_60"]["count"], 0)
        self.assertEqual(buckets["0"]["count"], 1)
        self.assertEqual(buckets["0"]["amount"], 300.0)
        self.assertEqual(buckets["total"]["count"], 3)
        self.assertEqual(buckets["total"]["amount"], 3400.0)
        self.assertEqual(issued["excluded"], {"count": 1, "amount": 500.0})
        self.assertEqual(issued["base"], 4400.0)
        self.assertAlmostEqual(buckets["total"]["share"], 3400.0 / 4400.0 * 100)

    def test_payment_delays_before_the_payment(self):
        __, buckets = self._issued_delays("2026-05-14")
        self.assertEqual(buckets["1_30"]["amount"], 800.0, "paid on 05-15 only")

    def test_payment_delays_xlsx_and_pdf(self):
        book = self._export(export_type="payment_delays", date_closing="2026-05-31")
        rows = {
            row[0]: row[1:]
            for row in book["D441-6"].iter_rows(values_only=True)
            if row[0]
        }
        self.assertEqual(
            list(rows["Number of invoices concerned"][6:]), [1, 1, 0, 2, 0, 3]
        )
        self.assertEqual(
            rows["Total amount of the invoices concerned (incl. VAT)"][11], 3400.0
        )
        self.assertEqual(rows["Number of invoices excluded"][6], 1)
        self.assertEqual(
            rows["Total amount of the invoices excluded (incl. VAT)"][6], 500.0
        )
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": "payment_delays", "date_closing": "2026-05-31"}
        )
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_payment_delays", wizard.ids
        )
        html = " ".join(html.decode().split())
        self.assertIn("art. D441-6", html)
        self.assertIn("Number of invoices excluded", html)
        self.assertIn("3,400.00", html)

    # Customer ----------------------------------------------------------

    def test_customer_totals(self):
        partner = self.partner_a
        self.assertEqual(partner.dispute_count, 3)
        self.assertEqual(partner.amount_disputed_open, 500.0)
        self.assertEqual(partner.amount_disputed_total, 3500.0)
        self.assertEqual(partner.amount_credited_total, 200.0)
