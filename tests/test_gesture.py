# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestGesture(AccountDisputeCommon):
    """Credit notes granted as commercial gestures, on a two-VAT invoice.

    The invoice: 10 x 100.00 at 20 % on the first income account, 4 x 125.00
    at 5.5 % and 1 x 333.33 at 20 % on the second one. Bases 1,833.33; VAT
    20 % 266.67 (200.00 + 66.67), VAT 5.5 % 27.50; total 2,127.50.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.income_1 = cls.company_data["default_account_revenue"]
        cls.income_2 = cls.income_1.copy({"code": "707100"})
        cls.vat_20 = cls.env["account.tax"].create(
            {"name": "VAT 20 %", "amount": 20.0, "type_tax_use": "sale"}
        )
        cls.vat_55 = cls.env["account.tax"].create(
            {"name": "VAT 5.5 %", "amount": 5.5, "type_tax_use": "sale"}
        )
        cls.writeoff_account = cls.company_data["default_account_expense"]
        company.write(
            {
                "dispute_writeoff_threshold": 5.0,
                "dispute_writeoff_account_id": cls.writeoff_account.id,
            }
        )

    def setUp(self):
        super().setUp()
        self.invoice = self._vat_invoice()
        self.dispute = self._dispute(self.invoice)

    def _vat_invoice(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_a.id,
                "invoice_date": "2026-01-10",
                "invoice_payment_term_id": self.pay_terms_installments.id,
                "invoice_line_ids": [
                    self._line("Consulting", 10, 100.0, self.vat_20, self.income_1),
                    self._line("Books", 4, 125.0, self.vat_55, self.income_2),
                    self._line("Training", 1, 333.33, self.vat_20, self.income_2),
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _line(self, name, quantity, price, tax, account):
        return Command.create(
            {
                "name": name,
                "quantity": quantity,
                "price_unit": price,
                "tax_ids": [Command.set(tax.ids)],
                "account_id": account.id,
            }
        )

    def _wizard(self, **vals):
        return self.env["account.dispute.gesture.wizard"].create(
            {"dispute_id": self.dispute.id, "invoice_id": self.invoice.id, **vals}
        )

    @staticmethod
    def _by_account(move):
        lines = move.line_ids.filtered(lambda x: x.display_type == "product")
        return {
            account.code: round(
                sum(
                    lines.filtered(lambda x, a=account: x.account_id == a).mapped(
                        "balance"
                    )
                ),
                2,
            )
            for account in lines.account_id
        }

    @staticmethod
    def _by_tax(move):
        taxes = {}
        for line in move.line_ids.filtered(lambda x: x.display_type == "tax"):
            name = line.tax_line_id.name
            taxes[name] = round(taxes.get(name, 0.0) + abs(line.balance), 2)
        return taxes

    def test_invoice_figures(self):
        self.assertAlmostEqual(self.invoice.amount_total, 2127.50)
        self.assertEqual(
            self._by_tax(self.invoice), {"VAT 20 %": 266.67, "VAT 5.5 %": 27.50}
        )

    def test_amount_splits_over_taxes_and_accounts(self):
        refund = self._wizard(mode="amount", amount=500.0, resolve_dispute=False)
        refund = self.env["account.move"].browse(refund.action_confirm()["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.amount_total, 500.0)
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertEqual(refund.dispute_id, self.dispute)
        # ratio 500 / 2127.50: each tax and each account in proportion
        self.assertEqual(self._by_tax(refund), {"VAT 20 %": 62.67, "VAT 5.5 %": 6.46})
        self.assertEqual(
            self._by_account(refund),
            {self.income_1.code: 235.02, self.income_2.code: 195.85},
        )
        self.assertTrue(refund.line_ids.filtered("tax_ids"))
        self.assertEqual(
            sorted(refund.invoice_line_ids.tax_ids.mapped("name")),
            ["VAT 20 %", "VAT 5.5 %"],
        )
        # reconciled with the invoice
        self.assertEqual(refund.payment_state, "paid")
        self.assertAlmostEqual(self.invoice.amount_residual, 1627.50)
        self.assertEqual(self.dispute.credit_note_ids, refund)
        self.assertEqual(self.dispute.amount_credited, 500.0)
        self.assertTrue(self.dispute.is_active, "not resolved when not asked to")

    def test_percentage_is_of_the_invoice_total(self):
        wizard = self._wizard(
            mode="percentage", percentage=10.0, reason="Late delivery"
        )
        refund = self.env["account.move"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(refund.amount_total, 212.75)
        self.assertEqual(self._by_tax(refund), {"VAT 20 %": 26.67, "VAT 5.5 %": 2.75})
        self.assertEqual(
            self._by_account(refund),
            {self.income_1.code: 100.0, self.income_2.code: 83.33},
        )
        self.assertIn("Late delivery", refund.ref)
        self.assertEqual(self.dispute.state, "resolved")
        self.assertEqual(self.dispute.resolution, "credit_note")
        self.assertEqual(self.dispute.validity, "founded")

    def test_rounding_goes_to_the_last_line(self):
        """Odd amounts still give a credit note exact to the cent."""
        for amount in (0.01, 0.07, 1.0, 333.33, 1000.01, 2127.49):
            wizard = self._wizard(
                mode="amount", amount=amount, post=False, resolve_dispute=False
            )
            refund = self.env["account.move"].browse(wizard.action_confirm()["res_id"])
            self.assertEqual(refund.amount_total, amount, f"credit of {amount}")
            refund.action_post()
            self.assertEqual(refund.amount_total, amount)
            refund.button_draft()
            refund.button_cancel()

    def test_lines_credits_chosen_quantities(self):
        wizard = self._wizard(mode="lines")
        self.assertEqual(len(wizard.line_ids), 3)
        consulting = wizard.line_ids.filtered(lambda x: x.name == "Consulting")
        consulting.quantity = 2
        refund = self.env["account.move"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(refund.amount_total, 240.0)
        self.assertEqual(self._by_tax(refund), {"VAT 20 %": 40.0})
        self.assertEqual(self._by_account(refund), {self.income_1.code: 200.0})
        self.assertEqual(refund.invoice_line_ids.quantity, 2.0)
        self.assertEqual(refund.invoice_line_ids.price_unit, 100.0)

    def test_lines_refuses_more_than_invoiced(self):
        wizard = self._wizard(mode="lines")
        wizard.line_ids.filtered(lambda x: x.name == "Books").quantity = 5
        with self.assertRaisesRegex(UserError, "only 4.0 were invoiced"):
            wizard.action_confirm()
        wizard.line_ids.quantity = 0
        with self.assertRaisesRegex(UserError, "one line at least"):
            wizard.action_confirm()

    def test_full_uses_odoo_reversal_and_resolves(self):
        refund = self.env["account.move"].browse(
            self._wizard(mode="full").action_confirm()["res_id"]
        )
        self.assertEqual(refund.amount_total, 2127.50)
        self.assertEqual(self._by_tax(refund), self._by_tax(self.invoice))
        self.assertEqual(
            self._by_account(refund),
            {k: -v for k, v in self._by_account(self.invoice).items()},
        )
        self.assertIn(self.invoice.name, refund.ref)
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEqual(self.dispute.state, "resolved")
        self.assertEqual(self.dispute.resolution, "credit_note")
        self.assertEqual(self.dispute.amount_credited, 2127.50)
        self.assertEqual(self.dispute.amount_open, 0.0)

    def test_full_after_a_payment_credits_the_residual(self):
        self._pay(self.invoice, 127.50)
        refund = self.env["account.move"].browse(
            self._wizard(mode="full").action_confirm()["res_id"]
        )
        self.assertEqual(refund.amount_total, 2000.0)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(self.dispute.amount_paid, 127.50)
        self.assertEqual(self.dispute.amount_credited, 2000.0)

    def test_draft_credit_note_when_not_posted(self):
        refund = self.env["account.move"].browse(
            self._wizard(mode="amount", amount=100.0, post=False).action_confirm()[
                "res_id"
            ]
        )
        self.assertEqual(refund.state, "draft")
        self.assertEqual(self.invoice.amount_residual, 2127.50)
        self.assertEqual(self.dispute.amount_credited, 0.0, "only posted ones count")

    def test_refusals(self):
        for vals, message in (
            ({"mode": "amount", "amount": 0.0}, "must be positive"),
            ({"mode": "amount", "amount": -5.0}, "must be positive"),
            ({"mode": "amount", "amount": 2127.51}, "only 2127.5 is left"),
            ({"mode": "percentage", "percentage": 101.0}, "is left to pay"),
        ):
            with self.assertRaisesRegex(UserError, message):
                self._wizard(**vals).action_confirm()
        other = self._vat_invoice()
        with self.assertRaisesRegex(UserError, "is not an invoice of dispute"):
            self._wizard(
                mode="amount", amount=10.0, invoice_id=other.id
            ).action_confirm()
        self.assertFalse(self.dispute.credit_note_ids)

    def test_refuses_a_paid_invoice(self):
        second = self._vat_invoice()
        self.dispute.invoice_ids = [Command.link(second.id)]
        self._pay(self.invoice, 2127.50)
        self.assertEqual(self.invoice.payment_state, "paid")
        with self.assertRaisesRegex(UserError, "already paid"):
            self._wizard(mode="full").action_confirm()

    def test_refuses_a_user_who_is_not_dispute_manager(self):
        clerk = new_test_user(
            self.env,
            login="clerk",
            groups="account.group_account_invoice,account_dispute.group_account_dispute_user",
        )
        self.assertFalse(
            clerk.has_group("account_dispute.group_account_dispute_manager")
        )
        with self.assertRaises(AccessError):
            self.env["account.dispute.gesture.wizard"].with_user(clerk).create(
                {"dispute_id": self.dispute.id, "invoice_id": self.invoice.id}
            )
        wizard = self._wizard(mode="amount", amount=10.0)
        with self.assertRaisesRegex(AccessError, "Only dispute managers"):
            wizard.with_user(clerk).action_confirm()

    def test_refuses_tax_included_prices_for_a_split(self):
        included = self.vat_20.copy(
            {"name": "VAT 20 % incl.", "price_include_override": "tax_included"}
        )
        self.dispute.action_cancel()
        self.invoice.button_draft()
        self.invoice.invoice_line_ids[0].tax_ids = included
        self.invoice.action_post()
        self.dispute = self._dispute(self.invoice)
        with self.assertRaisesRegex(UserError, "tax-included prices"):
            self._wizard(mode="amount", amount=10.0).action_confirm()
        refund = self.env["account.move"].browse(
            self._wizard(mode="full").action_confirm()["res_id"]
        )
        self.assertEqual(refund.amount_total, self.invoice.amount_total)

    def test_small_residual_written_off(self):
        wizard = self._wizard(mode="amount", amount=2124.50, write_off=True)
        wizard.action_confirm()
        self.assertEqual(self.invoice.amount_residual, 0.0)
        entry = self.dispute.write_off_move_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.state, "posted")
        debit = entry.line_ids.filtered(lambda x: x.balance > 0)
        self.assertEqual(debit.account_id, self.writeoff_account)
        self.assertEqual(debit.balance, 3.0)
        self.assertEqual(self.dispute.amount_written_off, 3.0)
        self.assertEqual(self.dispute.amount_credited, 2124.50)
        self.assertEqual(self.dispute.amount_open, 0.0)
        self.assertEqual(self.dispute.state, "resolved")

    def test_write_off_above_threshold_refused_before_anything(self):
        wizard = self._wizard(mode="amount", amount=2000.0, write_off=True)
        with self.assertRaisesRegex(UserError, "above the write-off threshold"):
            wizard.action_confirm()
        self.assertFalse(
            self.env["account.move"].search([("dispute_id", "=", self.dispute.id)])
        )

    def test_credit_note_settling_the_invoice_resolves_the_dispute(self):
        self._wizard(
            mode="amount", amount=2127.50, resolve_dispute=False
        ).action_confirm()
        self.assertEqual(self.dispute.state, "resolved")
        self.assertEqual(self.dispute.resolution, "credit_note")
        self.assertTrue(
            any(
                "resolved itself" in body
                for body in self.dispute.message_ids.mapped("body")
            )
        )

    def test_payment_settling_the_invoices_resolves_the_dispute(self):
        self._pay(self.invoice, 2127.50)
        self.assertEqual(self.dispute.state, "resolved")
        self.assertEqual(self.dispute.resolution, "customer_paid")
        self.assertEqual(self.dispute.amount_paid, 2127.50)
        self.assertTrue(
            any(
                "resolved itself" in body
                for body in self.dispute.message_ids.mapped("body")
            )
        )

    def test_form_from_disputed_invoice(self):
        action = self.invoice.action_gesture()
        self.assertEqual(action["res_model"], "account.dispute.gesture.wizard")
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.dispute_id, self.dispute)
        self.assertEqual(form.invoice_id, self.invoice)
        form.mode = "percentage"
        form.percentage = 50.0
        refund = self.env["account.move"].browse(form.save().action_confirm()["res_id"])
        self.assertEqual(refund.amount_total, 1063.75)

    def test_not_disputed_invoice_has_no_gesture(self):
        with self.assertRaisesRegex(UserError, "not in an active dispute"):
            self._vat_invoice().action_gesture()

    def test_dispute_action_proposes_the_first_open_invoice(self):
        action = self.dispute.action_gesture()
        self.assertEqual(action["context"]["default_invoice_id"], self.invoice.id)
