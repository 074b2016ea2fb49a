# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import importlib.util

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLatePaymentRates(LatePaymentCommon):
    """The rates of each half-year (French Commercial Code, art. L441-10;
    Monetary and Financial Code, art. L313-2, shared/domain/litiges-fr.md).

    Unless said otherwise the company has no contractual rate: the table's
    ECB rate plus 10 points applies, 2024-H2 14.25 %, 2025-H1 13.15 %,
    2025-H2 12.15 %, 2026-H1 12.15 % as shipped.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.late_payment_rate = 0.0
        cls.Rate = cls.env["account.late.payment.rate"]
        # The half-year the addon's data does not know yet when written.
        cls.Rate.search([("date_start", ">=", D("2026-07-01"))]).unlink()

    @staticmethod
    def _rows(letter, line_type, move=None):
        lines = letter.line_ids.filtered(
            lambda x: x.line_type == line_type and (not move or x.move_id == move)
        )
        return [
            (str(x.date_from), str(x.date_to), x.days, x.rate, x.amount) for x in lines
        ]

    def _paid(self, amount, invoice_date, date_paid, partner=None):
        invoice = self._invoice(
            amount, partner=partner, terms=self.terms_30, invoice_date=D(invoice_date)
        )
        self._pay(invoice, amount, date=date_paid)
        return invoice

    # The table

    def test_shipped_rates(self):
        def rate(kind, date):
            return self.Rate.search(
                [("kind", "=", kind), ("date_start", "=", D(date))]
            ).rate

        ecb = [
            rate("ecb_plus_10", date)
            for date in (
                "2022-07-01",
                "2023-01-01",
                "2023-07-01",
                "2024-01-01",
                "2024-07-01",
                "2025-01-01",
                "2025-07-01",
            )
        ]
        self.assertEqual(ecb, [10.0, 12.5, 14.0, 14.5, 14.25, 13.15, 12.15])
        self.assertEqual(rate("legal_professional", "2025-07-01"), 2.76)
        self.assertEqual(rate("legal_consumer", "2025-07-01"), 6.65)
        self.assertEqual(rate("legal_professional", "2026-01-01"), 2.62)
        shipped = self.Rate.search([("date_start", "<", D("2026-07-01"))])
        self.assertEqual(len(shipped), 13 * 3)
        self.assertTrue(all(shipped.mapped("source")))
        self.assertTrue(all(shipped.mapped("source_url")))
        self.assertEqual(shipped[0].display_name, "2026-H1")

    def test_a_rate_starts_a_half_year(self):
        with self.assertRaisesRegex(ValidationError, "1 January or 1 July"):
            self.Rate.create(
                {"kind": "ecb_plus_10", "date_start": D("2026-08-01"), "rate": 12.0}
            )

    # Periods split at 1 January and 1 July

    def test_worked_case_across_1_july(self):
        # 1,000.00 due 2025-05-31, paid 2025-08-30: 30 days of 2025-H1 at
        # 13.15 % = 10.81 and 61 days of 2025-H2 at 12.15 % = 20.31.
        invoice = self._paid(1000.0, "2025-05-01", "2025-08-30")
        charge = invoice._get_late_charges()[invoice]
        self.assertEqual(
            [(s.base, s.days, s.rate, s.amount) for s in charge.periods],
            [(1000.0, 30, 13.15, 10.81), (1000.0, 61, 12.15, 20.31)],
        )
        self.assertEqual(invoice.late_charge_penalty, 31.12)
        self.assertEqual(invoice.late_charge_rate, 0.0)
        # The same rows on a formal notice of the customer (one formula).
        other = self._invoice(500.0, terms=self.terms_30, invoice_date=D("2025-08-01"))
        letter = self._notice_for(other, "2025-09-15")
        self.assertEqual(
            self._rows(letter, "penalty", invoice),
            [
                ("2025-05-31", "2025-06-30", 30, 13.15, 10.81),
                ("2025-06-30", "2025-08-30", 61, 12.15, 20.31),
            ],
        )
        # And on the charges invoice: each period says its rate.
        invoice.action_invoice_late_charges()
        line = invoice.late_charge_move_id.invoice_line_ids.filtered(
            lambda x: x.display_type == "product"
        )[0]
        self.assertEqual(line.price_unit, 31.12)
        self.assertIn("for 30 days at 13.15\xa0%", line.name)
        self.assertIn("for 61 days at 12.15\xa0%", line.name)

    def test_unpaid_invoice_across_1_january(self):
        # Due 2024-12-01, notice of 2025-01-30: 30 days at 14.25 % (2024-H2),
        # then 30 days at 13.15 % (2025-H1).
        invoice = self._invoice(
            1000.0, terms=self.terms_30, invoice_date=D("2024-11-01")
        )
        letter = self._notice_for(invoice, "2025-01-30")
        self.assertEqual(
            self._rows(letter, "penalty"),
            [
                ("2024-12-01", "2024-12-31", 30, 14.25, 11.71),
                ("2024-12-31", "2025-01-30", 30, 13.15, 10.81),
            ],
        )
        self.assertAlmostEqual(letter.penalty_amount, 22.52)
        self.assertIn(
            "at the annual rates shown above", letter._get_penalty_rate_sentence()
        )

    def test_half_years_at_the_same_rate_make_one_row(self):
        # 2025-H2 and 2026-H1 are both at 12.15 %: one period of 61 days.
        invoice = self._invoice(
            1000.0, terms=self.terms_30, invoice_date=D("2025-11-01")
        )
        letter = self._notice_for(invoice, "2026-01-31")
        self.assertEqual(
            self._rows(letter, "penalty"),
            [("2025-12-01", "2026-01-31", 61, 12.15, 20.31)],
        )

    def test_sent_letter_keeps_its_rates(self):
        # The case: due 2026-02-09, claimed on 2026-09-30. 141 days
        # of 2026-H1 at 12.15 % and 92 days of 2026-H2 at 12.00 %.
        self._set_rate("ecb_plus_10", "2026-07-01", 12.0)
        invoice = self._invoice(1000.0, terms=self.terms_30)
        self.assertEqual(invoice.invoice_date_due, D("2026-02-09"))
        sent = self._notice_for(invoice, "2026-09-30")
        with freeze_time("2026-09-30"):
            sent.action_send()
        expected = [
            ("2026-02-09", "2026-06-30", 141, 12.15, 46.94),
            ("2026-06-30", "2026-09-30", 92, 12.0, 30.25),
        ]
        self.assertEqual(self._rows(sent, "penalty"), expected)
        self.assertAlmostEqual(sent.penalty_amount, 77.19)
        # The table changes afterwards: the sent letter stays as it was, a
        # draft takes the new rates (both half-years at 14.15 %: one row).
        self._set_rate("ecb_plus_10", "2026-01-01", 14.15)
        self._set_rate("ecb_plus_10", "2026-07-01", 14.15)
        draft = self._notice_for(invoice, "2026-09-30")
        (sent | draft)._refresh_drafts()
        self.assertEqual(self._rows(sent, "penalty"), expected)
        self.assertAlmostEqual(sent.penalty_amount, 77.19)
        self.assertEqual(
            self._rows(draft, "penalty"),
            [("2026-02-09", "2026-09-30", 233, 14.15, 90.33)],
        )

    # The contractual rate

    def test_contractual_rate_replaces_the_table(self):
        self.env.company.late_payment_rate = 12.0
        invoice = self._invoice(
            1000.0, terms=self.terms_30, invoice_date=D("2026-05-01")
        )
        letter = self._notice_for(invoice, "2026-08-30")
        self.assertEqual(
            self._rows(letter, "penalty"),
            [("2026-05-31", "2026-08-30", 91, 12.0, 29.92)],
        )

    def test_contractual_rate_not_below_three_times_legal_interest(self):
        # 2026-H1: legal interest 2.62 % (other than private creditors),
        # floor 7.86 %.
        company = self.env.company
        with freeze_time("2026-03-01"):
            with self.assertRaisesRegex(ValidationError, "at least 7.86 %"):
                company.late_payment_rate = 7.85
            company.late_payment_rate = 7.86
            company.late_payment_rate = 0.0
        self.assertEqual(company.late_payment_rate, 0.0)

    # Legal interest of private persons

    def test_private_person_interest_across_1_july(self):
        # The company is the creditor: the legal rate "for all other cases"
        # (art. L313-2), not the one of creditors who are private persons.
        self._set_rate("legal_professional", "2026-07-01", 3.0)
        self._set_rate("legal_consumer", "2026-07-01", 6.5)
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        invoice = self._invoice(
            6000.0, partner=person, terms=self.terms_30, invoice_date=D("2026-04-01")
        )
        first = self._notice_for(invoice, "2026-06-15")
        self.assertEqual(first.debtor_type, "consumer")
        with freeze_time("2026-06-15"):
            first.action_send()
        later = self._notice_for(invoice, "2026-07-15")
        # 6,000 x 2.62 % x 15/365 + 6,000 x 3 % x 15/365
        self.assertEqual(
            self._rows(later, "interest"),
            [
                ("2026-06-15", "2026-06-30", 15, 2.62, 6.46),
                ("2026-06-30", "2026-07-15", 15, 3.0, 7.4),
            ],
        )
        self.assertFalse(self._rows(later, "penalty"))

    # The nightly warning

    def _run_log(self, date):
        with freeze_time(date):
            self.env["account.dunning.letter"]._run_escalation(date=D(date))
        run = self.env["account.dunning.run"].search(
            [("company_id", "=", self.env.company.id), ("date", "=", D(date))]
        )
        return run.failure_ids.filtered(lambda x: x.kind == "warning").mapped("message")

    def test_run_warns_when_the_half_year_has_no_rate(self):
        messages = self._run_log("2026-09-15")
        self.assertEqual(len(messages), 2)
        self.assertIn("ECB rate + 10 points", messages[0] + messages[1])
        self.assertIn("all other creditors", messages[0] + messages[1])
        self.assertIn("the last one known, 12.15 %", messages[0] + messages[1])

    def test_run_warns_of_the_legal_rate_only_under_a_contractual_rate(self):
        self.env.company.late_payment_rate = 12.0
        messages = self._run_log("2026-09-15")
        self.assertEqual(len(messages), 1)
        self.assertIn("all other creditors", messages[0])

    def test_run_says_nothing_when_the_rates_are_known(self):
        self._set_rate("ecb_plus_10", "2026-07-01", 12.0)
        self._set_rate("legal_professional", "2026-07-01", 2.5)
        self.assertEqual(self._run_log("2026-09-15"), [])

    def test_upgrade_empties_a_rate_that_was_the_tables(self):
        """Migration 18.0.1.4.0: a company rate equal to one of the table's
        ECB + 10 rates was the legal rate kept up to date: the table applies
        from now on; a rate in no half-year was contractual, it stays."""
        company = self.env.company
        other = self.setup_other_company()["company"]
        self.env.cr.execute(
            "UPDATE res_company SET late_payment_rate = CASE id"
            " WHEN %s THEN 13.15 ELSE 9.0 END WHERE id IN %s",
            [company.id, (company.id, other.id)],
        )
        self.env.invalidate_all()
        migration = file_path("account_dispute/migrations/18.0.1.4.0/post-migration.py")
        spec = importlib.util.spec_from_file_location("post_migration_140", migration)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.3.0")
        self.assertFalse(company.late_payment_rate)
        self.assertEqual(other.late_payment_rate, 9.0)
