# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestReportsPartialContest(LatePaymentCommon):
    """The reports and KPIs count the same parts as the dunning: the amount a
    dispute contests, not the invoice (Civil Code art. 1219 and 1220), and
    each installment by its own due date.

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30; the company's
    fiscal year is the calendar year.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.dispute_followup_days = 0

    def _contest(self, invoice, amount, opened):
        with freeze_time(opened):
            return self._dispute(invoice, opened=opened, amount_disputed=amount)

    def _installments(self, amount=2000.0):
        """An invoice of 2026-09-01 in 30 % / 70 % installments, due on
        2026-10-01 and 2026-10-31."""
        return self._invoice(
            amount, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )

    def _issued(self, closing, basis="unpaid"):
        """{column: (count, amount)} and (B) of the issued half at ``closing``."""
        table = self.env[
            "report.account_dispute.report_payment_delays"
        ]._get_payment_delays(self.env.company, D(closing), basis)
        issued = table["halves"][1]
        columns = {c["key"]: (c["count"], c["amount"]) for c in issued["columns"]}
        excluded = (issued["excluded"]["count"], issued["excluded"]["amount"])
        return columns, excluded

    @staticmethod
    def _columns(**values):
        """Every column of the table, (0, 0.0) unless given."""
        keys = ("0", "1_30", "31_60", "61_90", "over_90", "total")
        return {key: values.get(key, (0, 0.0)) for key in keys}

    # ------------------------------------------------------------------
    # D441-6: unpaid at the closing date
    # ------------------------------------------------------------------

    def test_contested_part_in_b_rest_late_in_a(self):
        invoice = self._inv(12000.0)
        self._contest(invoice, 1500.0, "2026-10-05")
        columns, excluded = self._issued("2026-12-31")
        # 2026-09-30 to 2026-12-31: 92 days late
        self.assertEqual(
            columns,
            self._columns(over_90=(1, 10500.0), total=(1, 10500.0)),
        )
        self.assertEqual(excluded, (1, 1500.0))
        self.assertEqual(invoice.amount_contested, 1500.0, "the same part")

    def test_whole_contest_all_in_b(self):
        self._contest(self._inv(3000.0), 3000.0, "2026-10-05")
        columns, excluded = self._issued("2026-12-31")
        self.assertEqual(columns, self._columns())
        self.assertEqual(excluded, (1, 3000.0))

    def test_installments_each_late_from_its_own_date(self):
        self._installments()
        columns, excluded = self._issued("2026-11-15")
        # 600.00 due 2026-10-01: 45 days; 1,400.00 due 2026-10-31: 15 days
        self.assertEqual(
            columns,
            self._columns(
                **{"1_30": (1, 1400.0), "31_60": (1, 600.0), "total": (1, 2000.0)}
            ),
        )
        self.assertEqual(excluded, (0, 0.0))

    def test_installment_not_due_is_in_the_zero_day_column(self):
        self._installments()
        columns, __ = self._issued("2026-10-15")
        self.assertEqual(
            columns,
            self._columns(
                **{"0": (1, 1400.0), "1_30": (1, 600.0), "total": (1, 600.0)}
            ),
        )

    def test_contest_taken_on_the_first_installment(self):
        invoice = self._installments()
        self._contest(invoice, 600.0, "2026-09-20")
        columns, excluded = self._issued("2026-11-15")
        self.assertEqual(
            columns, self._columns(**{"1_30": (1, 1400.0), "total": (1, 1400.0)})
        )
        self.assertEqual(excluded, (1, 600.0))

    def test_contest_opened_after_the_closing_is_not_in_b(self):
        invoice = self._inv(12000.0)
        self._contest(invoice, 1500.0, "2026-10-05")
        columns, excluded = self._issued("2026-10-04")
        self.assertEqual(
            columns, self._columns(**{"1_30": (1, 12000.0), "total": (1, 12000.0)})
        )
        self.assertEqual(excluded, (0, 0.0))

    def test_contest_resolved_after_the_closing_stays_in_b(self):
        """The table states the closing date's facts: an unfounded contest
        resolved since still held its 1,500.00 then."""
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-11-20"):
            dispute._resolve(
                "withdrawn", date_resolved=D("2026-11-20"), validity="unfounded"
            )
        self.assertEqual(invoice.amount_contested, 0.0)
        columns, excluded = self._issued("2026-10-31")
        self.assertEqual(
            columns, self._columns(**{"31_60": (1, 10500.0), "total": (1, 10500.0)})
        )
        self.assertEqual(excluded, (1, 1500.0))
        # after the resolution, the whole invoice is late
        columns, excluded = self._issued("2026-11-30")
        self.assertEqual(
            columns, self._columns(**{"61_90": (1, 12000.0), "total": (1, 12000.0)})
        )
        self.assertEqual(excluded, (0, 0.0))

    def test_rescheduled_part_late_from_its_new_date(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-11-20"):
            dispute._resolve(
                "replacement",
                date_resolved=D("2026-11-20"),
                validity="founded",
                due_date_policy="restart",
            )
        self.assertEqual(str(dispute.line_ids.date_due), "2026-12-20")
        columns, excluded = self._issued("2026-12-31")
        # 10,500.00: 92 days; 1,500.00 due 2026-12-20: 11 days
        self.assertEqual(
            columns,
            self._columns(
                **{
                    "1_30": (1, 1500.0),
                    "over_90": (1, 10500.0),
                    "total": (1, 12000.0),
                }
            ),
        )
        self.assertEqual(excluded, (0, 0.0))

    def test_table_matches_the_due_parts(self):
        """The table reads uncontested invoices in SQL and contested ones by
        their due parts: on a mixed book whose facts have not changed since
        the closing date, it is what ``_get_due_parts`` gives for all."""
        partial = self._inv(12000.0)
        self._contest(partial, 1500.0, "2026-10-05")
        with freeze_time("2026-10-20"):
            self._pay(partial, 4000.0, date="2026-10-20")
        self._contest(self._inv(3000.0), 3000.0, "2026-10-05")
        paid_in_part = self._inv(800.0)
        with freeze_time("2026-10-10"):
            self._pay(paid_in_part, 300.0, date="2026-10-10")
        self._installments()
        contested_installments = self._installments(1000.0)
        self._contest(contested_installments, 450.0, "2026-09-20")
        with freeze_time("2026-10-25"):
            self._pay(contested_installments, 200.0, date="2026-10-25")
        self._inv(500.0, invoice_date=D("2026-11-30"))
        closing = D("2026-12-15")
        Report = self.env["report.account_dispute.report_payment_delays"]
        moves = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("company_id", "=", self.env.company.id),
            ]
        )
        keys = ("0", "1_30", "31_60", "61_90", "over_90")
        expected = {key: [set(), 0.0] for key in (*keys, "excluded")}
        for part in moves._get_due_parts(closing):
            key = (
                Report._bucket((closing - part.date_due).days)
                if part.date_due
                else "excluded"
            )
            expected[key][0].add(part.move.id)
            expected[key][1] += part.amount
        columns, excluded = self._issued(closing)
        for key in keys:
            self.assertEqual(
                columns[key], (len(expected[key][0]), expected[key][1]), key
            )
        self.assertEqual(
            excluded, (len(expected["excluded"][0]), expected["excluded"][1])
        )
        # (B): 1,500.00 held on the 12,000.00, the 3,000.00 whole, and the
        # 450.00 taken on the installments of the 1,000.00 as they stand
        # now: 100.00 left on the first (200.00 paid on 2026-10-25), 350.00
        # on the second
        self.assertEqual(excluded, (3, 4950.0))
        # 61 to 90 days, due 2026-09-30 (76 days) or 2026-10-01 (75 days):
        # 12,000.00 - 1,500.00 - 4,000.00 paid, 800.00 - 300.00 paid, the
        # first installment of 600.00
        self.assertEqual(columns["61_90"], (3, 6500.0 + 500.0 + 600.0))
        # due 2026-10-31 (45 days): 1,400.00, and 700.00 - 350.00 contested
        self.assertEqual(columns["31_60"], (2, 1400.0 + 350.0))
        self.assertEqual(columns["0"], (1, 500.0), "due 2026-12-30")
        self.assertEqual(columns["total"], (4, 9350.0))

    # ------------------------------------------------------------------
    # D441-6: paid late during the year
    # ------------------------------------------------------------------

    def test_paid_late_contested_part_in_b(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-11-20"):
            dispute._resolve(
                "withdrawn", date_resolved=D("2026-11-20"), validity="unfounded"
            )
        with freeze_time("2026-12-10"):
            self._pay(invoice, 12000.0, date="2026-12-10")
        columns, excluded = self._issued("2026-12-31", "paid_late")
        # paid 71 days after 2026-09-30
        self.assertEqual(
            columns, self._columns(**{"61_90": (1, 10500.0), "total": (1, 10500.0)})
        )
        self.assertEqual(excluded, (1, 1500.0))

    def test_paid_late_installments_each_by_its_delay(self):
        invoice = self._installments()
        with freeze_time("2026-10-11"):
            self._pay(invoice, 600.0, date="2026-10-11")
        with freeze_time("2026-10-31"):
            self._pay(invoice, 1400.0, date="2026-10-31")
        columns, excluded = self._issued("2026-12-31", "paid_late")
        # 600.00 paid 10 days late, 1,400.00 on its due date
        self.assertEqual(
            columns,
            self._columns(
                **{"0": (1, 1400.0), "1_30": (1, 600.0), "total": (1, 600.0)}
            ),
        )
        self.assertEqual(excluded, (0, 0.0))

    # ------------------------------------------------------------------
    # KPIs and the analysis
    # ------------------------------------------------------------------

    def test_kpis_count_the_contested_part(self):
        invoice = self._inv(12000.0)
        self._inv(4000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        dashboard = self.env["account.dispute.dashboard"].create(
            {"date_from": "2026-08-01", "date_to": "2026-10-29"}
        )
        self.assertEqual(dashboard.open_count, 1)
        self.assertEqual(dashboard.open_amount, 1500.0, "not the 12,000.00 invoice")
        self.assertEqual(dashboard.disputed_invoice_count, 1)
        # owed 16,000.00 on sales of 16,000.00 over 90 days; without the
        # 1,500.00 held: 14,500.00
        self.assertAlmostEqual(dashboard.dso, 90.0, places=1)
        self.assertAlmostEqual(
            dashboard.dso_undisputed, 14500.0 / 16000.0 * 90, places=1
        )
        row = self.env["account.dispute.report"].search(
            [("dispute_id", "=", dispute.id)]
        )
        self.assertEqual(row.amount_disputed, 1500.0)
        self.assertEqual(row.amount_residual_uncontested, 10500.0)

    def _export(self, export_type, date_closing):
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": export_type, "date_closing": date_closing}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.file_data)), data_only=True
        )
        rows = list(book.active.iter_rows(values_only=True))
        return rows[0], rows[1:]

    def test_dunning_status_late_for_the_uncontested_part(self):
        partial = self._inv(12000.0)
        self._contest(partial, 1500.0, "2026-10-05")
        whole = self._inv(3000.0)
        self._contest(whole, 3000.0, "2026-10-05")
        first_held = self._installments()
        self._contest(first_held, 600.0, "2026-09-20")
        header, rows = self._export("dunning", "2026-11-15")
        self.assertEqual(header[11:13], ("Amount Contested", "Amount Due Uncontested"))
        by_invoice = {row[1]: row for row in rows[:-1]}
        self.assertEqual(set(by_invoice), {partial.name, whole.name, first_held.name})
        # (due date, days late, amount due, contested, uncontested)
        figures = {
            name: (row[3].date(), row[4], row[5], row[11], row[12])
            for name, row in by_invoice.items()
        }
        self.assertEqual(
            figures[partial.name], (D("2026-09-30"), 46, 12000.0, 1500.0, 10500.0)
        )
        self.assertEqual(
            figures[whole.name], (D("2026-09-30"), None, 3000.0, 3000.0, 0.0)
        )
        # the first installment is held: late for the second, due 2026-10-31
        self.assertEqual(
            figures[first_held.name], (D("2026-10-31"), 15, 2000.0, 600.0, 1400.0)
        )
        self.assertEqual(by_invoice[whole.name][9], "Yes")
        total = rows[-1]
        self.assertEqual((total[5], total[11], total[12]), (17000.0, 5100.0, 11900.0))

    def test_register_contested_and_uncontested_per_invoice(self):
        first, second = self._inv(12000.0), self._inv(500.0)
        dispute = self._contest(first | second, 12500.0, "2026-10-05")
        dispute.line_ids.filtered(lambda x: x.move_id == first).amount_disputed = 1500.0
        header, rows = self._export("register", "2026-11-15")
        self.assertEqual(
            header[17:], ("Amount Contested", "Amount Due Uncontested", "Currency")
        )
        by_invoice = {row[12]: row for row in rows[:-1]}
        self.assertEqual(by_invoice[first.name][17:19], (1500.0, 10500.0))
        self.assertEqual(by_invoice[second.name][17:19], (500.0, 0.0))
        self.assertEqual(rows[-1][17:19], (2000.0, 10500.0))
        self.assertEqual(rows[-1][10], 2000.0, "the dispute's amount")
