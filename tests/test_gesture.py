# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AccountDisputeCommon


def _money(currency, amount):
    """The amount as the messages write it, in the user's format, as a
    pattern."""
    return re.escape(currency.format(amount))


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

    @staticmethod
    def _line(name, quantity, price, tax, account, product=None):
        return Command.create(
            {
                "name": name,
                "product_id": product.id if product else False,
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
        with self.assertRaisesRegex(UserError, "only 4.00 were invoiced"):
            wizard.action_confirm()
        wizard.line_ids.quantity = 0
        with self.assertRaisesRegex(UserError, "one line at least"):
            wizard.action_confirm()

    def test_full_credits_the_whole_invoice_and_resolves(self):
        """A price, per tax and income account (no 709 account in the chart)."""
        refund = self.env["account.move"].browse(
            self._wizard(mode="full").action_confirm()["res_id"]
        )
        self.assertEqual(refund.amount_total, 2127.50)
        self.assertEqual(
            sorted(refund.invoice_line_ids.mapped("name")),
            ["Commercial gesture - VAT 20 %"] * 2 + ["Commercial gesture - VAT 5.5 %"],
        )
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
            (
                {"mode": "amount", "amount": 2127.51},
                f"only {_money(self.invoice.currency_id, 2127.5)} is left",
            ),
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
        """A price gesture is refused on tax-included prices, the whole
        residual too; crediting every line credits the whole invoice."""
        included = self.vat_20.copy(
            {"name": "VAT 20 % incl.", "price_include_override": "tax_included"}
        )
        self.dispute.action_cancel()
        self.invoice.button_draft()
        self.invoice.invoice_line_ids[0].tax_ids = included
        self.invoice.action_post()
        self.dispute = self._dispute(self.invoice)
        for vals in ({"mode": "amount", "amount": 10.0}, {"mode": "full"}):
            with self.assertRaisesRegex(UserError, "tax-included prices"):
                self._wizard(**vals).action_confirm()
        wizard = self._wizard(mode="lines")
        for line in wizard.line_ids:
            line.quantity = line.quantity_invoiced
        refund = self.env["account.move"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(refund.amount_total, self.invoice.amount_total)
        self.assertEqual(self.invoice.amount_residual, 0.0)

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


@tagged("post_install", "-at_install")
class TestGesturesAddUp(AccountDisputeCommon):
    """Successive gestures on one invoice credit it all, never more.

    The invoice of issue 14, point 7: 68.33 + 68.33 + 57.50 + 85.00 at 20 %,
    tax rounded globally: bases 279.16, VAT 55.83 (not 55.84 line by line),
    total 334.99.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.tax_calculation_rounding_method = "round_globally"
        cls.income = cls.company_data["default_account_revenue"]
        cls.vat_20 = cls.env["account.tax"].create(
            {"name": "VAT 20 %", "amount": 20.0, "type_tax_use": "sale"}
        )

    def setUp(self):
        super().setUp()
        self.invoice = self._french_invoice((68.33, 68.33, 57.50, 85.00))
        self.dispute = self._dispute(self.invoice)

    def _french_invoice(self, prices):
        products = (self.product_a, self.product_a, self.product_b, self.product_b)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_a.id,
                "invoice_date": "2026-01-10",
                "invoice_line_ids": [
                    TestGesture._line(
                        f"Item {index}", 1, price, self.vat_20, self.income, product
                    )
                    for index, (price, product) in enumerate(
                        zip(prices, products, strict=True)
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    def _gesture(self, invoice=None, **vals):
        return self.env["account.dispute.gesture.wizard"].create(
            {
                "dispute_id": self.dispute.id,
                "invoice_id": (invoice or self.invoice).id,
                "resolve_dispute": False,
                **vals,
            }
        )

    def _confirm(self, wizard):
        return self.env["account.move"].browse(wizard.action_confirm()["res_id"])

    def _credit_line(self, index, invoice=None):
        wizard = self._gesture(invoice, mode="lines")
        line = wizard.line_ids[index]
        line.quantity = line.quantity_invoiced
        return self._confirm(wizard)

    @staticmethod
    def _base_and_tax(moves):
        lines = moves.line_ids
        return (
            round(sum(lines.filtered(lambda x: x.tax_ids).mapped("price_subtotal")), 2),
            round(sum(abs(x.balance) for x in lines if x.display_type == "tax"), 2),
        )

    def _quantity_sold(self):
        self.env.flush_all()
        report = self.env["account.invoice.report"].search(
            [("partner_id", "=", self.partner_a.id), ("product_id", "!=", False)]
        )
        return round(sum(report.mapped("quantity")), 2)

    def test_invoice_figures(self):
        self.assertEqual(self.invoice.amount_untaxed, 279.16)
        self.assertEqual(self.invoice.amount_tax, 55.83)
        self.assertEqual(self.invoice.amount_total, 334.99)
        self.assertEqual(self._quantity_sold(), 4.0)

    def test_four_quarters_credit_the_whole_invoice(self):
        """The fourth 25 % takes the 83.74 left, 69.79 + 13.95, not 83.75."""
        refunds = self.env["account.move"]
        for _quarter in range(4):
            refunds |= self._confirm(self._gesture(mode="percentage", percentage=25))
        self.assertEqual(refunds.mapped("amount_total"), [83.75, 83.75, 83.75, 83.74])
        self.assertEqual(
            [self._base_and_tax(refund) for refund in refunds],
            [(69.79, 13.96), (69.79, 13.96), (69.79, 13.96), (69.79, 13.95)],
        )
        self.assertEqual(self._base_and_tax(refunds), (279.16, 55.83))
        self.assertEqual(refunds.mapped("state"), ["posted"] * 4)
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEqual(self.dispute.amount_credited, 334.99)
        self.assertEqual(self.dispute.amount_open, 0.0)
        with self.assertRaisesRegex(UserError, "nothing left to credit"):
            self._gesture(mode="percentage", percentage=25).action_confirm()

    def test_quarters_rounded_down_credit_the_whole_invoice(self):
        """334.97: each quarter is 83.74, the fourth takes the 83.75 left."""
        invoice = self._french_invoice((68.33, 68.33, 57.48, 85.00))
        self.assertEqual(invoice.amount_total, 334.97)
        self.dispute.invoice_ids = [Command.link(invoice.id)]
        refunds = self.env["account.move"]
        for _quarter in range(4):
            refunds |= self._confirm(
                self._gesture(invoice, mode="percentage", percentage=25)
            )
        self.assertEqual(refunds.mapped("amount_total"), [83.74, 83.74, 83.74, 83.75])
        self.assertEqual(self._base_and_tax(refunds), (279.14, 55.83))
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_one_gesture_per_line_credits_the_whole_invoice(self):
        """The last line takes the 16.99 of VAT left, not 17.00."""
        refunds = self.env["account.move"]
        for index in range(4):
            refunds |= self._credit_line(index)
        self.assertEqual(refunds.mapped("amount_total"), [82.00, 82.00, 69.00, 101.99])
        self.assertEqual(self._base_and_tax(refunds[-1]), (85.00, 16.99))
        self.assertEqual(self._base_and_tax(refunds), (279.16, 55.83))
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "reversed")
        # returned goods: the products and their quantities are credited
        lines = refunds.invoice_line_ids
        self.assertEqual(lines.product_id, self.product_a | self.product_b)
        self.assertEqual(lines.mapped("quantity"), [1.0] * 4)
        self.assertEqual(lines.account_id, self.income)
        self.assertEqual(self._quantity_sold(), 0.0)

    def test_price_gesture_credits_amounts_not_products(self):
        """No 709 account in the chart: the invoice's income account."""
        refund = self._confirm(self._gesture(mode="percentage", percentage=25))
        line = refund.invoice_line_ids
        self.assertEqual(len(line), 1, "one line per tax")
        self.assertFalse(line.product_id)
        self.assertEqual(line.quantity, 1.0)
        self.assertEqual(line.price_unit, 69.79)
        self.assertEqual(line.tax_ids, self.vat_20)
        self.assertEqual(line.account_id, self.income)
        self.assertEqual(line.name, "Commercial gesture - VAT 20 %")
        self.assertEqual(self._quantity_sold(), 4.0, "no product comes back")

    def test_price_gesture_on_the_discounts_account(self):
        """The chart's 709 account, else the one the company chose."""
        discounts = self.env["account.account"].create(
            {
                "code": "709000",
                "name": "Rabais, remises et ristournes accordés",
                "account_type": "income",
            }
        )
        self.assertEqual(self.env.company._get_dispute_gesture_account(), discounts)
        refund = self._confirm(self._gesture(mode="amount", amount=100.0))
        self.assertEqual(refund.invoice_line_ids.account_id, discounts)
        self.assertFalse(refund.invoice_line_ids.product_id)
        self.assertEqual(self._base_and_tax(refund), (83.33, 16.67))
        chosen = self.income.copy({"code": "709700"})
        settings = self.env["res.config.settings"].create(
            {"dispute_gesture_account_id": chosen.id}
        )
        settings.execute()
        self.assertEqual(self.env.company.dispute_gesture_account_id, chosen)
        refund = self._confirm(self._gesture(mode="full"))
        self.assertEqual(refund.invoice_line_ids.account_id, chosen)
        self.assertEqual(refund.amount_total, 234.99)
        self.assertEqual(self.invoice.amount_residual, 0.0)

    def test_lines_after_a_price_gesture_credit_only_what_is_left(self):
        """A quarter credited, the four lines would credit 69.79 of base twice;
        three of them leave 15.21 + 3.04, which the whole residual takes."""
        self._confirm(self._gesture(mode="percentage", percentage=25))
        wizard = self._gesture(mode="lines")
        for line in wizard.line_ids:
            line.quantity = 1
        with self.assertRaisesRegex(
            UserError,
            f"come to {_money(self.invoice.currency_id, 279.16)} before taxes at "
            f"VAT 20 %: only {_money(self.invoice.currency_id, 209.37)}",
        ):
            wizard.action_confirm()
        self.assertEqual(len(self.dispute.credit_note_ids), 1, "nothing left behind")
        wizard.line_ids[-1].quantity = 0
        refund = self._confirm(wizard)
        self.assertEqual(self._base_and_tax(refund), (194.16, 38.83))
        last = self._confirm(self._gesture(mode="full"))
        self.assertEqual(self._base_and_tax(last), (15.21, 3.04))
        self.assertEqual(self.invoice.amount_residual, 0.0)

    def test_unreconciled_credit_note_counts(self):
        """A posted credit note not reconciled leaves the invoice to pay, but
        not to credit again."""
        self._confirm(self._gesture(mode="amount", amount=100.0)).line_ids.filtered(
            "reconciled"
        ).remove_move_reconcile()
        self.assertEqual(self.invoice.amount_residual, 334.99)
        wizard = self._gesture(mode="amount", amount=300.0)
        self.assertEqual(wizard.amount_left, 234.99)
        with self.assertRaisesRegex(
            UserError,
            f"only {_money(self.invoice.currency_id, 234.99)} is left to credit",
        ):
            wizard.action_confirm()
        refund = self._confirm(self._gesture(mode="full"))
        self.assertEqual(refund.amount_total, 234.99)
        self.assertEqual(
            self._base_and_tax(self.dispute.credit_note_ids), (279.16, 55.83)
        )

    def test_amount_above_what_is_left_is_refused(self):
        """An amount typed by hand is not rounded to what is left."""
        for _quarter in range(3):
            self._confirm(self._gesture(mode="percentage", percentage=25))
        with self.assertRaisesRegex(
            UserError, f"only {_money(self.invoice.currency_id, 83.74)} is left to pay"
        ):
            self._gesture(mode="amount", amount=83.75).action_confirm()
        refund = self._confirm(self._gesture(mode="amount", amount=83.74))
        self.assertEqual(self._base_and_tax(refund), (69.79, 13.95))

    def test_quarters_after_a_payment_settle_the_invoice(self):
        """Half paid (167.50), the second 25 % takes the 83.74 left to pay."""
        self._pay(self.invoice, 167.50)
        refunds = self._confirm(self._gesture(mode="percentage", percentage=25))
        refunds |= self._confirm(self._gesture(mode="percentage", percentage=25))
        self.assertEqual(refunds.mapped("amount_total"), [83.75, 83.74])
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.invoice.payment_state, "paid")
