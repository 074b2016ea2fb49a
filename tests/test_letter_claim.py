# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLetterClaim(LatePaymentCommon):
    """What a formal notice claims, to the cent (shared/domain/litiges-fr.md).

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30; the formal
    notice (level 3, 30 days late, 8 days to pay) is reached on 2026-10-30.
    """

    def _notice(self, date, partners=None):
        letters = self.env["account.dunning.letter"]._run_escalation(
            date=D(date), partners=partners
        )
        self.assertEqual(letters.level_id, self.level_3)
        return letters

    def _rows(self, letter, line_type):
        lines = letter.line_ids.filtered(lambda x: x.line_type == line_type)
        return [(x.base_amount, x.days, x.rate, x.amount) for x in lines]

    # Penalties on the dated history (art. L441-10)

    def test_partial_payment_stops_accrual_on_its_part(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 600.0, date="2026-10-20")
        letter = self._notice("2026-11-09")
        # 1,200 x 12 % x 20/365 + 600 x 12 % x 20/365 = 7.89 + 3.95
        self.assertEqual(
            self._rows(letter, "penalty"),
            [(1200.0, 20, 12.0, 7.89), (600.0, 20, 12.0, 3.95)],
        )
        self.assertAlmostEqual(letter.penalty_amount, 11.84)
        self.assertAlmostEqual(letter.amount_due, 600.0)
        self.assertAlmostEqual(letter.indemnity_amount, 40.0)
        self.assertAlmostEqual(letter.amount_total, 651.84)

    def test_several_partial_payments_and_one_before_due_date(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 200.0, date="2026-09-15")
        self._pay(invoice, 300.0, date="2026-10-10")
        self._pay(invoice, 100.0, date="2026-10-30")
        letter = self._notice("2026-11-09")
        # 1,000 x 10 d, then 700 x 20 d, then 600 x 10 d, at 12 %.
        self.assertEqual(
            self._rows(letter, "penalty"),
            [(1000.0, 10, 12.0, 3.29), (700.0, 20, 12.0, 4.6), (600.0, 10, 12.0, 1.97)],
        )
        self.assertAlmostEqual(letter.penalty_amount, 9.86)

    def test_partly_matched_credit_note_was_never_owed(self):
        invoice = self._inv(1200.0)
        refund = self.init_invoice(
            "out_refund",
            partner=self.partner_a,
            invoice_date=D("2026-10-15"),
            amounts=[200.0],
            taxes=[],
            post=True,
        )
        (invoice | refund).line_ids.filtered(
            lambda x: x.account_id.account_type == "asset_receivable"
        ).reconcile()
        letter = self._notice("2026-11-09")
        # The credit note takes its 200.00 out from the due date on.
        self.assertEqual(self._rows(letter, "penalty"), [(1000.0, 40, 12.0, 13.15)])

    def test_foreign_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self._inv(1200.0, currency=currency)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 600.0, "currency_id": currency.id, "payment_date": "2026-10-20"}
        )._create_payments()
        letter = self._notice("2026-11-09")
        self.assertEqual(letter.currency_id, currency)
        self.assertAlmostEqual(letter.penalty_amount, 11.84)
        self.assertAlmostEqual(letter.indemnity_amount, 80.0, msg="40.00 at 2 for 1")

    def test_paid_late_in_full_owes_no_letter_but_penalties(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 1200.0, date="2026-10-20")
        self.assertFalse(self._notice_or_none("2026-11-09"))
        periods = invoice._get_late_payment_periods(D("2026-11-09"))
        self.assertEqual([(p.base, p.days) for p in periods], [(1200.0, 20)])

    def _notice_or_none(self, date):
        return self.env["account.dunning.letter"]._run_escalation(date=D(date))

    # Professionals and private persons

    def test_private_person_owes_no_commercial_penalties(self):
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        self.assertEqual(person.debtor_type, "consumer")
        # The legal interest rate a company claims (art. L313-2, "all other
        # cases"), set here so that the figures do not follow the data.
        self._set_rate("legal_professional", "2026-07-01", 7.0)
        invoice = self._inv(600.0, partner=person)
        letter = self._notice("2026-11-09", partners=person)
        self.assertEqual(letter.debtor_type, "consumer")
        self.assertEqual(letter.penalty_amount, 0.0)
        self.assertEqual(letter.indemnity_amount, 0.0)
        self.assertEqual(letter.amount_total, 600.0)
        with freeze_time("2026-11-09"):
            letter.action_send()
        # Legal interest runs from the formal notice (Civil Code 1231-6):
        # 600 x 7 % x 10/365 on a later letter.
        later = self._notice_for(invoice, D("2026-11-19"))
        self.assertEqual(self._rows(later, "interest"), [(600.0, 10, 7.0, 1.15)])
        self.assertFalse(self._rows(later, "penalty") + self._rows(later, "indemnity"))

    def test_debtor_type_defaults(self):
        company = self.env["res.partner"].create({"name": "SARL", "is_company": True})
        employee = self.env["res.partner"].create(
            {"name": "Paul", "parent_id": company.id}
        )
        trader = self.env["res.partner"].create({"name": "Luc", "vat": "FR23334175221"})
        self.assertEqual(company.debtor_type, "professional")
        self.assertEqual(employee.debtor_type, "professional")
        self.assertEqual(employee._get_debtor_type(), "professional")
        self.assertEqual(trader.debtor_type, "professional")

    # Open credits

    def _open_credits(self, refund_amount, payment_amount):
        self.init_invoice(
            "out_refund",
            partner=self.partner_a,
            invoice_date=D("2026-10-05"),
            amounts=[refund_amount],
            taxes=[],
            post=True,
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.partner_a.id,
                "amount": payment_amount,
                "date": "2026-10-25",
            }
        )
        payment.action_post()
        return payment

    def test_open_credits_reduce_the_claim(self):
        invoice = self._inv(1200.0)
        self._open_credits(360.0, 240.0)
        letter = self._notice("2026-11-09")
        self.assertAlmostEqual(letter.amount_due, 600.0)
        self.assertEqual(
            sorted(self._rows(letter, "credit")),
            [(0.0, 0, 0.0, -360.0), (0.0, 0, 0.0, -240.0)],
        )
        # 840 x 25 days (credit note from the due date), then 600 x 15 days.
        self.assertEqual(
            self._rows(letter, "penalty"),
            [(840.0, 25, 12.0, 6.9), (600.0, 15, 12.0, 2.96)],
        )
        letter.action_reconcile_credits()
        self.assertAlmostEqual(invoice.amount_residual, 600.0)
        self.assertFalse(self._rows(letter, "credit"))
        self.assertAlmostEqual(letter.amount_due, 600.0)

    def test_credits_covering_the_debt_give_no_letter(self):
        invoice = self._inv(500.0)
        self.assertFalse(self._run_after_credits())
        letter = self._notice_for(invoice, D("2026-11-09"))
        with freeze_time("2026-11-09"), self.assertRaisesRegex(UserError, "cover"):
            letter.action_send()

    def _run_after_credits(self):
        self._open_credits(360.0, 240.0)
        return self._notice_or_none("2026-11-09")

    # A letter is dated the day it goes out

    def test_letter_sent_later_is_dated_that_day(self):
        invoice = self._inv(1200.0)
        letter = self._notice("2026-11-09")
        with freeze_time("2026-11-20"):
            letter.action_send()
        self.assertEqual(letter.date, D("2026-11-20"))
        # Registered letter: 2 days by post, then 8 days to pay.
        self.assertEqual(letter.date_deadline, D("2026-11-30"))
        self.assertEqual(invoice.dunning_date, D("2026-11-20"))
        # 1,200 x 12 % x 51 days, computed to the day it went out.
        self.assertEqual(self._rows(letter, "penalty"), [(1200.0, 51, 12.0, 20.12)])

    def test_letter_sent_the_day_it_was_prepared(self):
        self._inv(1200.0)
        letter = self._notice("2026-11-09")
        with freeze_time("2026-11-09"):
            letter.action_send()
        self.assertEqual(letter.date, D("2026-11-09"))
        self.assertAlmostEqual(letter.penalty_amount, 15.78)

    def test_draft_shows_invoices_as_they_stand(self):
        paid = self._inv(1200.0)
        cancelled = self._inv(300.0)
        reversed_ = self._inv(200.0)
        kept = self._inv(100.0)
        letter = self._notice("2026-11-09")
        reversed_._reverse_moves(cancel=True)
        self.assertNotIn(reversed_, letter.invoice_ids, "reversed: out at once")
        self._pay(paid, 1200.0, date="2026-11-10")
        self.assertEqual(letter.invoice_ids, cancelled | kept, "paid: out at once")
        cancelled.button_draft()
        self.assertEqual(letter.invoice_ids, kept, "reset to draft: out at once")
        self.assertAlmostEqual(letter.amount_due, 100.0)
        self.assertEqual(letter.line_ids.move_id, kept)

    def test_no_run_for_a_day_to_come(self):
        with (
            freeze_time("2026-11-09"),
            self.assertRaisesRegex(UserError, "day to come"),
        ):
            self._notice_or_none("2026-11-10")

    # Payment plans

    def test_plan_letter_claims_the_late_installment(self):
        invoice = self._invoice(
            900.0, terms=self.terms_30, invoice_date=D("2026-08-10")
        )
        plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
            invoice,
            installments=[
                (D("2026-10-10"), 300.0),
                (D("2026-10-28"), 300.0),
                (D("2026-11-29"), 300.0),
            ],
        )
        self._pay(invoice, 300.0, date="2026-10-10")
        self.env.company.dunning_skip_levels = False
        reminder = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-11-09")
        )
        self.assertEqual(reminder.level_id, self.level_1)
        self.assertAlmostEqual(reminder.amount_due, 300.0)
        self.assertEqual(reminder.line_ids.installment_id.date, D("2026-10-28"))
        self.assertIn(plan.name, reminder.line_ids.name)
        notice = self._notice_for(invoice, D("2026-11-28"))
        # 300 x 12 % x 31 days from the installment's own date.
        self.assertEqual(self._rows(notice, "penalty"), [(300.0, 31, 12.0, 3.06)])
        self.assertAlmostEqual(notice.amount_due, 300.0)

    # The indemnity once per invoice

    def test_indemnity_owed_once_restated_until_paid(self):
        """The indemnity is owed once per invoice (art. D441-5), not once per
        letter; a second notice restates the same 40.00, still unpaid, as it
        restates the penalties grown since (1,200 x 12 % x 56/365 = 22.09)."""
        invoice = self._inv(1200.0)
        letter = self._notice("2026-11-09")
        with freeze_time("2026-11-09"):
            letter.action_send()
        self.assertAlmostEqual(letter.indemnity_amount, 40.0)
        second = self._notice_for(invoice, D("2026-11-25"))
        self.assertEqual(
            [x.amount for x in second.line_ids if x.line_type == "indemnity"], [40.0]
        )
        self.assertAlmostEqual(second.penalty_amount, 22.09)
        self.assertAlmostEqual(second.amount_total, 1262.09)

    def test_no_preview_nor_run_wizard_for_a_day_to_come(self):
        self._inv(1200.0)
        with freeze_time("2026-11-09"):
            form = Form(self.env["account.dunning.run.wizard"])
            form.date = D("2026-11-10")
            self.assertEqual(form.letter_count, 0)
            self.assertIn("day to come", form.preview)
            with self.assertRaisesRegex(ValidationError, "day to come"):
                form.save()
