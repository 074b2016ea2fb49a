# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestPaymentPlan(AccountDisputeCommon):
    """Échéanciers: 1,000.00 due on 2026-02-09 (30 days), spread over three
    monthly installments from 2026-03-01."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.env.company.payment_plan_grace_days = 10
        cls.Plan = cls.env["account.dispute.payment.plan"]

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(1000.0, terms=self.terms_30)

    def _plan(self, invoices=None, **params):
        params.setdefault("date_first", D("2026-03-01"))
        return self.Plan._create_for_invoices(invoices or self.invoice, **params)

    def _candidates(self, date):
        rows = self.env["account.dunning.run"]._query_dunning_candidates(
            self.env.company, self.levels, D(date), None
        )
        return {row[0]: row[3] for row in rows}

    def test_installments_sum_to_the_residual(self):
        installments = self.Plan._prepare_installments(
            1000.0, self.invoice.currency_id, count=3, date_first=D("2026-03-01")
        )
        self.assertEqual(
            installments,
            [
                (D("2026-03-01"), 333.33),
                (D("2026-04-01"), 333.33),
                (D("2026-05-01"), 333.34),
            ],
        )
        weekly = self.Plan._prepare_installments(
            100.0,
            self.invoice.currency_id,
            count=2,
            date_first=D("2026-03-01"),
            interval=2,
            interval_type="weeks",
        )
        self.assertEqual([d for d, _a in weekly], [D("2026-03-01"), D("2026-03-15")])
        with self.assertRaisesRegex(UserError, "at least one installment"):
            self.Plan._prepare_installments(100.0, self.invoice.currency_id, count=0)

    def test_plan_created_from_overdue_invoice_wizard(self):
        self._pay(self.invoice, 100.0)
        action = self.invoice.action_payment_plan()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.amount_total, 900.0)
        form.installment_count = 4
        form.date_first = D("2026-03-15")
        self.assertEqual(len(form.line_ids), 4)
        wizard = form.save()
        self.assertEqual(sum(wizard.line_ids.mapped("amount")), 900.0)
        plan = self.Plan.browse(wizard.action_confirm()["res_id"])
        self.assertEqual(plan.state, "running")
        self.assertEqual(plan.amount_planned, 900.0)
        self.assertEqual(plan.line_ids.mapped("amount"), [225.0] * 4)
        self.assertEqual(plan.line_ids[-1].date, D("2026-06-15"))
        self.assertTrue(plan.name.startswith("ECH/"))
        self.assertEqual(self.invoice.payment_plan_ids, plan)

    def test_edited_lines_must_match_the_residual(self):
        action = self.invoice.action_payment_plan()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.installment_count = 2
        with form.line_ids.edit(0) as line:
            line.amount = 400.0
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "must match exactly"):
            wizard.action_confirm()
        with form.line_ids.edit(1) as line:
            line.amount = 600.0
        plan = self.Plan.browse(form.save().action_confirm()["res_id"])
        self.assertEqual(plan.line_ids.mapped("amount"), [400.0, 600.0])

    def test_plan_constraint_and_refusals(self):
        plan = self._plan()
        with self.assertRaisesRegex(ValidationError, "add up to"):
            plan.line_ids[0].amount = 1.0
        with self.assertRaisesRegex(UserError, "already has a running payment plan"):
            self._plan()
        self._pay(self.invoice, 1000.0)
        with self.assertRaisesRegex(UserError, "something left to pay"):
            self._plan()
        disputed = self._invoice(500.0)
        self._dispute(disputed)
        with self.assertRaisesRegex(UserError, "resolve the dispute"):
            self._plan(disputed)

    def test_amounts_compare_after_rounding_in_the_currency(self):
        """A difference below half a cent is none: 0.10 and 0.20 left to pay
        are 0.30 to plan, exactly (0.1 + 0.2 is 0.30000000000000004 in
        floats), and the plan is paid to the cent."""
        invoices = self._invoice(0.10, terms=self.terms_30) | self._invoice(
            0.20, terms=self.terms_30
        )
        residual = invoices._get_amount_residual_sum(invoices.currency_id)
        self.assertEqual(residual, 0.3)
        self.assertTrue(invoices.currency_id.is_zero(residual - 0.3))
        self.assertTrue(invoices.currency_id.is_zero(0.0049), "below half a cent")
        plan = self._plan(
            invoices,
            installments=[(D("2026-03-01"), 0.10), (D("2026-04-01"), 0.20)],
        )
        self.assertEqual(plan.amount_planned, 0.3)
        self.assertEqual(plan.amount_due, 0.3)
        for invoice in invoices:
            self._pay(invoice, invoice.amount_residual, date="2026-03-01")
        self.assertEqual(plan.amount_paid, 0.3)
        self.assertEqual(plan.amount_due, 0.0)
        self.assertEqual(plan.line_ids.mapped("amount_paid"), [0.1, 0.2])
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "paid"])
        self.assertEqual(plan.state, "done")

    def test_customer_of_another_company_is_refused(self):
        company_b = self.setup_other_company()["company"]
        customer_b = self.env["res.partner"].create(
            {"name": "Customer of company B only", "company_id": company_b.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.Plan.create(
                {
                    "partner_id": customer_b.id,
                    "company_id": self.env.company.id,
                    "currency_id": self.invoice.currency_id.id,
                    "amount_planned": 100.0,
                    "line_ids": [
                        Command.create({"date": D("2026-03-01"), "amount": 100.0})
                    ],
                }
            )

    def test_payments_match_installments_oldest_first(self):
        plan = self._plan()
        self._pay(self.invoice, 500.0, date="2026-03-01")
        self.assertEqual(plan.amount_paid, 500.0)
        self.assertEqual(plan.line_ids.mapped("amount_paid"), [333.33, 166.67, 0.0])
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "partial", "pending"])
        self.assertEqual(plan.state, "running")
        self._pay(self.invoice, 500.0, date="2026-04-01")
        self.assertEqual(plan.line_ids.mapped("state"), ["paid"] * 3)
        self.assertEqual(plan.state, "done")

    def test_undone_payment_puts_the_plan_back_to_running(self):
        plan = self._plan()
        self._pay(self.invoice, 1000.0, date="2026-03-01")
        self.assertEqual(plan.state, "done")
        self.invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term"
        ).remove_move_reconcile()
        self.assertEqual(plan.amount_due, 1000.0)
        self.Plan._cron_payment_plan_check(date=D("2026-03-02"))
        self.assertEqual(plan.state, "running")

    def test_dunning_follows_the_plan(self):
        """Due on 2026-02-09, the invoice would be reminded on 2026-02-16; under
        the plan, 7 days after an unpaid installment only."""
        self.assertIn(self.invoice.id, self._candidates("2026-02-16"))
        self._plan()
        self.assertNotIn(self.invoice.id, self._candidates("2026-03-07"))
        self.assertEqual(
            self._candidates("2026-03-08")[self.invoice.id], D("2026-03-01")
        )
        self._pay(self.invoice, 333.33, date="2026-03-01")
        self.assertNotIn(
            self.invoice.id, self._candidates("2026-04-07"), "first installment paid"
        )
        self.assertEqual(
            self._candidates("2026-04-08")[self.invoice.id], D("2026-04-01")
        )

    def test_letters_wait_for_the_installments(self):
        self._plan()
        run = self.env["account.dunning.letter"]._run_escalation
        self.assertFalse(run(date=D("2026-02-16")))
        letter = run(date=D("2026-03-08"))
        self.assertEqual(letter.invoice_ids, self.invoice)
        self.assertEqual(letter.level_id, self.level_1)

    def test_plan_resets_the_dunning_level(self):
        letter = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-02-16")
        )
        letter.action_send()
        self.assertEqual(self.invoice.dunning_level_id, self.level_1)
        self._plan()
        self.assertFalse(self.invoice.dunning_level_id)

    def test_unpaid_installment_breaks_the_plan(self):
        plan = self._plan()
        check = self.Plan._cron_payment_plan_check
        self.assertFalse(check(date=D("2026-03-11")), "within the grace days")
        self.assertEqual(check(date=D("2026-03-12")), plan)
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.date_broken, D("2026-03-12"))
        self.assertFalse(check(date=D("2026-03-13")), "re-running changes nothing")
        self.assertTrue(
            any("broken" in body for body in self.invoice.message_ids.mapped("body"))
        )
        # back on the ladder, on its own due date
        self.assertEqual(
            self._candidates("2026-03-12")[self.invoice.id], D("2026-02-09")
        )

    def test_paid_installments_do_not_break(self):
        plan = self._plan()
        self._pay(self.invoice, 333.33, date="2026-03-01")
        self.assertFalse(self.Plan._cron_payment_plan_check(date=D("2026-03-20")))
        self.assertEqual(plan.state, "running")

    def test_cancelled_plan_returns_to_the_ladder(self):
        plan = self._plan()
        plan.action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertIn(self.invoice.id, self._candidates("2026-02-16"))

    def test_resolving_a_dispute_with_a_payment_plan_creates_it(self):
        dispute = self._dispute(self.invoice)
        dispute._resolve(
            "payment_plan",
            date_resolved=D("2026-02-20"),
            payment_plan={"count": 2, "date_first": D("2026-03-20")},
        )
        plan = dispute.payment_plan_ids
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.invoice_ids, self.invoice)
        self.assertEqual(plan.line_ids.mapped("amount"), [500.0, 500.0])
        self.assertEqual(dispute.payment_plan_count, 1)
        self.assertFalse(self.invoice.is_disputed)

    def test_plan_wizard_from_a_dispute_resolves_it(self):
        dispute = self._dispute(self.invoice)
        action = dispute.action_payment_plan()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.installment_count = 2
        form.date_first = D("2026-03-20")
        plan = self.Plan.browse(form.save().action_confirm()["res_id"])
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.resolution, "payment_plan")
        self.assertEqual(plan.dispute_id, dispute)
        self.assertEqual(plan.amount_planned, 1000.0)
        view = dispute.action_view_payment_plans()
        self.assertEqual(view["res_id"], plan.id)

    def test_dispute_cron_checks_plans(self):
        plan = self._plan()
        self.assertEqual(plan.state, "running")
        self.env["account.dispute"]._cron_dispute_escalation()
        self.assertEqual(plan.state, "broken", "today is long after 2026-03-11")
