# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields
from odoo.tests import tagged

from ..hooks import uninstall_hook
from .common import AccountDisputeCommon

ORIGINAL = ["2026-02-09", "2026-03-11"]


@tagged("post_install", "-at_install")
class TestDueDates(AccountDisputeCommon):
    """Suspension while a dispute runs, and the due dates it leaves behind.

    The invoice of 2026-01-10 is due 30 % on 2026-02-09 and 70 % on
    2026-03-11; its dispute is opened on 2026-02-01.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(1000.0)

    def _resolve(self, dispute, policy, date="2026-04-01", **kwargs):
        dispute._resolve(
            "price_adjustment",
            date_resolved=fields.Date.to_date(date),
            due_date_policy=policy,
            **kwargs,
        )

    def _messages(self, invoice):
        return " ".join(invoice.message_ids.mapped("body"))

    def test_suspension_keeps_original_dates(self):
        self.assertEqual(self._due_dates(self.invoice), ORIGINAL)
        dispute = self._dispute(self.invoice)
        lines = self.invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term"
        )
        self.assertEqual(
            sorted(str(d) for d in lines.mapped("date_maturity_original")), ORIGINAL
        )
        self.assertTrue(self.invoice.is_disputed)
        self.assertEqual(str(self.invoice.dispute_suspension_date), "2026-02-01")
        self.assertEqual(str(self.invoice.invoice_date_due_original), "2026-03-11")
        self.assertIn(dispute.name, self._messages(self.invoice))

    def test_policy_restart(self):
        dispute = self._dispute(self.invoice)
        self._resolve(dispute, "restart")
        self.assertEqual(self._due_dates(self.invoice), ["2026-05-01", "2026-05-31"])
        self.assertEqual(str(self.invoice.invoice_date_due), "2026-05-31")
        self.assertFalse(self.invoice.is_disputed)
        self.assertFalse(self.invoice.line_ids.filtered("date_maturity_original"))
        self.assertFalse(self.invoice.dispute_suspension_date)
        self.assertEqual(dispute.due_date_policy, "restart")
        messages = self._messages(self.invoice)
        self.assertIn("05/31/2026", messages)
        self.assertIn("03/11/2026", messages)

    def test_policy_restart_is_company_default(self):
        self.assertEqual(self.env.company.dispute_due_date_policy, "restart")
        dispute = self._dispute(self.invoice)
        dispute._resolve("other", date_resolved=fields.Date.to_date("2026-04-01"))
        self.assertEqual(dispute.due_date_policy, "restart")
        self.assertEqual(self._due_dates(self.invoice), ["2026-05-01", "2026-05-31"])

    def test_policy_extend(self):
        dispute = self._dispute(self.invoice)
        self._resolve(dispute, "extend")
        # 59 days between 2026-02-01 and 2026-04-01.
        self.assertEqual(self._due_dates(self.invoice), ["2026-04-09", "2026-05-09"])

    def test_policy_keep(self):
        self.env.company.dispute_due_date_policy = "keep"
        dispute = self._dispute(self.invoice)
        dispute._resolve("other", date_resolved=fields.Date.to_date("2026-04-01"))
        self.assertEqual(self._due_dates(self.invoice), ORIGINAL)
        self.assertEqual(str(self.invoice.invoice_date_due), "2026-03-11")
        self.assertIn("unchanged", self._messages(self.invoice))

    def test_policy_custom(self):
        dispute = self._dispute(self.invoice)
        self._resolve(dispute, "custom", date_custom=fields.Date.to_date("2026-06-15"))
        self.assertEqual(self._due_dates(self.invoice), ["2026-06-15", "2026-06-15"])
        self.assertEqual(str(dispute.date_due_custom), "2026-06-15")

    def test_cancel_restores_original_dates(self):
        dispute = self._dispute(self.invoice)
        self.invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term"
        ).with_context(skip_invoice_sync=True).date_maturity = "2026-12-31"
        dispute.action_cancel()
        self.assertEqual(self._due_dates(self.invoice), ORIGINAL)
        self.assertEqual(str(self.invoice.invoice_date_due), "2026-03-11")
        self.assertFalse(self.invoice.is_disputed)
        self.assertIn("restored", self._messages(self.invoice))

    def test_uninstall_hook_restores_original_dates(self):
        """Removing the addon while a dispute runs loses no due date."""
        self._dispute(self.invoice)
        self.invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term"
        ).with_context(skip_invoice_sync=True).date_maturity = "2026-12-31"
        self.env.flush_all()
        uninstall_hook(self.env)
        self.assertEqual(self._due_dates(self.invoice), ORIGINAL)
        self.assertEqual(str(self.invoice.invoice_date_due), "2026-03-11")

    def test_paid_installment_untouched(self):
        self._pay(self.invoice, 300.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        dispute = self._dispute(self.invoice, amount_disputed=700.0)
        self._resolve(dispute, "restart")
        self.assertEqual(self._due_dates(self.invoice), ["2026-02-09", "2026-05-31"])

    def test_partially_paid_installment_moves(self):
        self._pay(self.invoice, 100.0)
        dispute = self._dispute(self.invoice)
        self.assertEqual(dispute.amount_disputed, 900.0)
        self._resolve(dispute, "restart")
        self.assertEqual(self._due_dates(self.invoice), ["2026-05-01", "2026-05-31"])
        self._pay(self.invoice, 900.0, date="2026-05-02")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_two_disputes_suspend_until_the_last_ends(self):
        first = self._dispute(self.invoice)
        second = self._dispute(self.invoice, opened="2026-03-01")
        self.assertEqual(str(self.invoice.dispute_suspension_date), "2026-02-01")
        self._resolve(first, "restart", date="2026-03-15")
        self.assertTrue(self.invoice.is_disputed, "the second dispute still runs")
        self.assertEqual(self._due_dates(self.invoice), ORIGINAL)
        self._resolve(second, "extend", date="2026-04-01")
        self.assertFalse(self.invoice.is_disputed)
        # Extended by the whole suspension, from the first opening.
        self.assertEqual(self._due_dates(self.invoice), ["2026-04-09", "2026-05-09"])

    def test_cancel_after_other_resolved_applies_resolution(self):
        first = self._dispute(self.invoice)
        second = self._dispute(self.invoice, opened="2026-03-01")
        self._resolve(first, "restart")
        second.action_cancel()
        self.assertEqual(self._due_dates(self.invoice), ["2026-05-01", "2026-05-31"])

    def test_new_dispute_after_resolution_starts_a_new_suspension(self):
        first = self._dispute(self.invoice)
        self._resolve(first, "restart", date="2026-03-01")
        self.assertEqual(self._due_dates(self.invoice), ["2026-03-31", "2026-04-30"])
        second = self._dispute(self.invoice, opened="2026-03-10")
        self.assertEqual(str(self.invoice.invoice_date_due_original), "2026-04-30")
        second.action_cancel()
        self.assertEqual(self._due_dates(self.invoice), ["2026-03-31", "2026-04-30"])

    def test_hash_locked_journal_stays_valid(self):
        journal = self.company_data["default_journal_sale"]
        journal.restrict_mode_hash_table = True
        invoice = self._invoice(800.0)
        self.assertTrue(invoice.inalterable_hash)
        dispute = self._dispute(invoice)
        self._resolve(dispute, "restart")
        self.assertEqual(self._due_dates(invoice), ["2026-05-01", "2026-05-31"])
        results = self.env.company._check_hash_integrity()["results"]
        statuses = {r["journal_name"]: r["status"] for r in results}
        sale = [s for name, s in statuses.items() if name.startswith(journal.name)]
        self.assertEqual(sale, ["verified"])

    def test_single_due_date_without_payment_term(self):
        invoice = self.init_invoice(
            "out_invoice", invoice_date="2026-01-10", amounts=[500.0], taxes=[]
        )
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = "2026-02-15"
        invoice.action_post()
        dispute = self._dispute(invoice)
        self._resolve(dispute, "restart")
        # 36 days of term, from 2026-04-01.
        self.assertEqual(str(invoice.invoice_date_due), "2026-05-07")
        self.assertEqual(self._due_dates(invoice), ["2026-05-07"])
