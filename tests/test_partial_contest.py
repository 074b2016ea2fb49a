# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import importlib.util

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestPartialContest(LatePaymentCommon):
    """A dispute contests an amount, not an invoice (Civil Code art. 1219 and
    1220): the rest stays due on its contractual dates, and each installment
    is its own due item.

    12 % is the company's contractual rate; an invoice of 2026-08-31 on 30
    days is due on 2026-09-30.
    """

    def _contest(self, invoice, amount, opened):
        with freeze_time(opened):
            return self._dispute(invoice, opened=opened, amount_disputed=amount)

    def _letter(self, date, level=None):
        """The letters the nightly run prepares on ``date``."""
        with freeze_time(date):
            return self.env["account.dunning.letter"]._run_escalation(date=D(date))

    def _rows(self, letter, line_type):
        return [
            (row.amount, str(row.date_due) if row.date_due else None)
            for row in letter.line_ids.filtered(lambda x: x.line_type == line_type)
        ]

    def _penalties(self, letter):
        rows = letter.line_ids.filtered(lambda x: x.line_type == "penalty")
        return [(x.base_amount, str(x.date_from), x.days, x.amount) for x in rows]

    def _resolve(self, dispute, date, **kwargs):
        with freeze_time(date):
            dispute._resolve(
                kwargs.pop("resolution", "other"), date_resolved=D(date), **kwargs
            )

    # ------------------------------------------------------------------
    # The figures
    # ------------------------------------------------------------------

    def test_formal_notice_claims_the_uncontested_part(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        self.assertEqual(dispute.line_ids.amount_disputed, 1500.0)
        self.assertEqual(invoice.amount_contested, 1500.0)
        self.assertEqual(invoice.amount_residual_uncontested, 10500.0)
        self.assertFalse(invoice.is_contested, "contested in part only")
        self.assertEqual(str(invoice.invoice_date_due), "2026-09-30", "not moved")
        notice = self._letter("2026-11-09")
        self.assertEqual(notice.level_id, self.level_3)
        self.assertEqual(notice.invoice_ids, invoice)
        self.assertEqual(self._rows(notice, "principal"), [(10500.0, "2026-09-30")])
        # 10,500.00 x 12 % x 40 / 365 = 138.08
        self.assertEqual(self._penalties(notice), [(10500.0, "2026-09-30", 40, 138.08)])
        self.assertAlmostEqual(notice.amount_due, 10500.0)
        self.assertAlmostEqual(notice.penalty_amount, 138.08)
        self.assertAlmostEqual(notice.indemnity_amount, 40.0)
        self.assertAlmostEqual(notice.amount_total, 10678.08)
        self.assertEqual(self._rows(notice, "contested"), [(1500.0, None)])
        sentence = notice._get_contested_sentence()
        self.assertIn("1,500.00", sentence)
        self.assertIn(invoice.name, sentence)
        self.assertIn(dispute.name, sentence)

    def test_unfounded_contest_counts_from_the_original_date(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        self._letter("2026-11-09")
        self._resolve(dispute, "2026-11-20", validity="unfounded")
        self.assertFalse(dispute.line_ids.date_due, "original date kept")
        self.assertEqual(invoice.amount_contested, 0.0)
        letter = self._notice_for(invoice, "2026-11-30")
        self.assertEqual(self._rows(letter, "principal"), [(12000.0, "2026-09-30")])
        # 12,000.00 x 12 % x 61 / 365 = 240.66
        self.assertEqual(self._penalties(letter), [(12000.0, "2026-09-30", 61, 240.66)])
        self.assertFalse(self._rows(letter, "contested"))

    def test_founded_contest_credited_keeps_the_rest_on_its_date(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-11-20"):
            refund = self._settle_by_credit_note(dispute, 1500.0, "2026-11-20")
            (refund | invoice).line_ids.filtered(
                lambda x: x.account_id.account_type == "asset_receivable"
            ).reconcile()
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(invoice.amount_residual, 10500.0)
        self.assertEqual(str(invoice.invoice_date_due), "2026-09-30")
        letter = self._notice_for(invoice, "2026-11-30")
        self.assertEqual(self._rows(letter, "principal"), [(10500.0, "2026-09-30")])
        # The credit note credits what was never owed: 10,500.00 x 12 % x 61 / 365
        self.assertEqual(self._penalties(letter), [(10500.0, "2026-09-30", 61, 210.58)])

    def test_founded_contest_restarts_the_term_of_its_part_only(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 1500.0, "2026-10-05")
        self._resolve(
            dispute,
            "2026-11-20",
            resolution="replacement",
            validity="founded",
            due_date_policy="restart",
        )
        # 30 days of payment term from the resolution, for the 1,500.00 only.
        self.assertEqual(str(dispute.line_ids.date_due), "2026-12-20")
        self.assertEqual(dispute.line_ids.amount_rescheduled, 1500.0)
        self.assertEqual(str(invoice.invoice_date_due), "2026-09-30")
        letter = self._notice_for(invoice, "2026-12-30")
        self.assertEqual(
            self._rows(letter, "principal"),
            [(10500.0, "2026-09-30"), (1500.0, "2026-12-20")],
        )
        # 10,500.00 x 12 % x 91 / 365 = 314.14; 1,500.00 x 12 % x 10 / 365 = 4.93
        self.assertEqual(
            self._penalties(letter),
            [(10500.0, "2026-09-30", 91, 314.14), (1500.0, "2026-12-20", 10, 4.93)],
        )
        self.assertAlmostEqual(letter.indemnity_amount, 40.0, msg="once per invoice")

    def test_payment_goes_to_the_uncontested_part_first(self):
        """Civil Code art. 1342-10: a payment pays the debt due, not the part
        the customer withholds."""
        invoice = self._inv(12000.0)
        self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-10-20"):
            self._pay(invoice, 4000.0, date="2026-10-20")
        self.assertEqual(invoice.amount_contested, 1500.0)
        self.assertEqual(invoice.amount_residual_uncontested, 6500.0)
        letter = self._notice_for(invoice, "2026-11-09")
        self.assertEqual(self._rows(letter, "principal"), [(6500.0, "2026-09-30")])
        # 10,500 x 20 days, then 6,500 x 20 days at 12 %.
        self.assertEqual(
            self._penalties(letter),
            [(10500.0, "2026-09-30", 20, 69.04), (6500.0, "2026-10-20", 20, 42.74)],
        )

    def test_paying_the_uncontested_part_takes_the_invoice_out(self):
        invoice = self._inv(12000.0)
        self._contest(invoice, 1500.0, "2026-10-05")
        with freeze_time("2026-10-20"):
            self._pay(invoice, 10500.0, date="2026-10-20")
        self.assertTrue(invoice.is_contested, "all that is left is held")
        self.assertFalse(self._letter("2026-11-09"))

    def test_whole_residual_suspends_as_before(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 12000.0, "2026-10-05")
        self.assertTrue(dispute.line_ids.is_whole)
        self.assertTrue(invoice.is_contested)
        self.assertEqual(str(invoice.dispute_suspension_date), "2026-10-05")
        self.assertFalse(self._letter("2026-11-09"))

    def test_draft_letter_is_updated_not_cancelled(self):
        invoice = self._inv(3780.0)
        notice = self._notice_for(invoice, "2026-11-09")
        self.assertAlmostEqual(notice.amount_due, 3780.0)
        with freeze_time("2026-11-10"):
            self.env["account.dispute"].create(
                {
                    "partner_id": invoice.partner_id.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "amount_disputed": 180.0,
                    "channel": "portal",
                    "reason_id": self.reason.id,
                }
            )
        self.assertEqual(notice.state, "draft")
        self.assertEqual(notice.invoice_ids, invoice)
        self.assertAlmostEqual(notice.amount_due, 3600.0)
        self.assertEqual(self._rows(notice, "contested"), [(180.0, None)])

    def test_contested_amount_per_invoice(self):
        inv_a, inv_b = self._inv(1000.0), self._inv(500.0)
        dispute = self._contest(inv_a | inv_b, 1500.0, "2026-10-05")
        line_b = dispute.line_ids.filtered(lambda x: x.move_id == inv_b)
        line_b.amount_disputed = 100.0
        self.assertEqual(dispute.amount_disputed, 1100.0)
        self.assertEqual(inv_b.amount_residual_uncontested, 400.0)
        self.assertFalse(inv_b.is_contested)
        self.assertTrue(inv_a.is_contested)
        with self.assertRaises(ValidationError):
            line_b.amount_disputed = 500.01
        with self.assertRaises(ValidationError):
            line_b.amount_disputed = 0.0

    # ------------------------------------------------------------------
    # Installments
    # ------------------------------------------------------------------

    def test_reminder_claims_the_installment_due(self):
        invoice = self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )
        letter = self._letter("2026-10-16")
        self.assertEqual(letter.invoice_ids, invoice)
        self.assertEqual(
            [(row.amount, str(row.date_due)) for row in letter.line_ids],
            [(600.0, "2026-10-01")],
        )
        self.assertIn("installment", letter.line_ids.name)
        self.assertAlmostEqual(letter.amount_due, 600.0)

    def test_penalties_run_per_installment(self):
        invoice = self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )
        letter = self._notice_for(invoice, "2026-11-10")
        self.assertEqual(
            self._rows(letter, "principal"),
            [(600.0, "2026-10-01"), (1400.0, "2026-10-31")],
        )
        # 600 x 12 % x 40 / 365 = 7.89; 1,400 x 12 % x 10 / 365 = 4.60
        self.assertEqual(
            self._penalties(letter),
            [(600.0, "2026-10-01", 40, 7.89), (1400.0, "2026-10-31", 10, 4.6)],
        )

    def test_contest_is_taken_on_the_first_installment(self):
        invoice = self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )
        self._contest(invoice, 600.0, "2026-09-20")
        self.assertFalse(self._letter("2026-10-16"), "the first installment is held")
        letter = self._notice_for(invoice, "2026-11-10")
        self.assertEqual(self._rows(letter, "principal"), [(1400.0, "2026-10-31")])
        self.assertEqual(self._rows(letter, "contested"), [(600.0, None)])

    def test_customer_lists_invoices_contested_in_part(self):
        invoice = self._inv(12000.0)
        self._contest(invoice, 1500.0, "2026-10-05")
        partner = self.partner_a.with_company(self.env.company)
        self.assertEqual(partner.contested_invoice_ids, invoice)
        self.assertEqual(partner.contested_invoice_ids.amount_contested, 1500.0)

    def test_upgrade_gives_each_dispute_its_amounts_per_invoice(self):
        """Migration 18.0.1.3.0: a dispute of the previous release (one amount
        for its invoices, no contested amounts) gets its amount shared among
        its invoices, marked whole once opened, and its invoices' contested
        amounts computed."""
        inv_a, inv_b = self._inv(3000.0), self._inv(1000.0)
        dispute = self._contest(inv_a | inv_b, 400.0, "2026-10-05")
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM account_dispute_line WHERE dispute_id = %s", [dispute.id]
        )
        self.env.cr.execute(
            "UPDATE account_move SET amount_contested = NULL,"
            " amount_residual_uncontested = amount_residual WHERE id IN %s",
            [tuple((inv_a | inv_b).ids)],
        )
        self.env.invalidate_all()
        migration = file_path("account_dispute/migrations/18.0.1.3.0/post-migration.py")
        spec = importlib.util.spec_from_file_location("post_migration", migration)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.2.0")
        self.assertEqual(
            sorted(dispute.line_ids.mapped("amount_disputed")), [100.0, 300.0]
        )
        self.assertTrue(all(dispute.line_ids.mapped("is_whole")))
        self.assertEqual(inv_a.amount_contested, 300.0)
        self.assertEqual(inv_b.amount_residual_uncontested, 900.0)

    def test_lowering_a_whole_contest_gives_the_due_dates_back(self):
        invoice = self._inv(12000.0)
        dispute = self._contest(invoice, 12000.0, "2026-10-05")
        self.assertEqual(str(invoice.dispute_suspension_date), "2026-10-05")
        with freeze_time("2026-10-10"):
            dispute.line_ids.amount_disputed = 1500.0
        self.assertFalse(dispute.line_ids.is_whole)
        self.assertFalse(invoice.dispute_suspension_date)
        self.assertFalse(invoice.line_ids.filtered("date_maturity_original"))
        self.assertEqual(invoice.amount_residual_uncontested, 10500.0)
        self._resolve(
            dispute, "2026-11-20", validity="founded", due_date_policy="restart"
        )
        self.assertEqual(str(invoice.invoice_date_due), "2026-09-30", "rest kept")
        self.assertEqual(str(dispute.line_ids.date_due), "2026-12-20")
        with freeze_time("2026-11-25"):
            other = self._dispute(invoice, opened="2026-11-25", amount_disputed=500.0)
            other.line_ids.amount_disputed = 12000.0
        self.assertTrue(other.line_ids.is_whole, "raised to all that is left")
        self.assertEqual(str(invoice.dispute_suspension_date), "2026-11-25")
