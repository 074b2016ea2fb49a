# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestClaimDebtor(LatePaymentCommon):
    """Who owes penalties, and on what (shared/domain/litiges-fr.md): a
    company however it was created; never an invoice of late-payment charges.

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30; 12 % contractual
    rate, 40.00 indemnity.
    """

    def _rows(self, letter, line_type, move):
        lines = letter.line_ids.filtered(
            lambda x: x.line_type == line_type and x.move_id == move
        )
        return [(x.base_amount, x.days, x.rate, x.amount) for x in lines]

    # The right debtor

    def test_company_created_by_code_is_a_professional(self):
        customer = self.env["res.partner"].create(
            {"name": "Menuiserie Lenoir", "company_type": "company"}
        )
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.debtor_type, "professional")
        invoice = self._inv(1200.0, partner=customer)
        # 40 days overdue: 1,200 x 12 % x 40/365 and the indemnity.
        letter = self._notice_for(invoice, "2026-11-09")
        self.assertEqual(letter.debtor_type, "professional")
        self.assertEqual(
            self._rows(letter, "penalty", invoice), [(1200.0, 40, 12.0, 15.78)]
        )
        self.assertAlmostEqual(letter.penalty_amount, 15.78)
        self.assertAlmostEqual(letter.indemnity_amount, 40.0)
        self.assertAlmostEqual(letter.amount_total, 1255.78)

    def test_company_imported_is_a_professional(self):
        Partner = self.env["res.partner"]
        for value in ("company", "Company"):
            result = Partner.load(
                ["name", "company_type"], [[f"Import {value}", value]]
            )
            self.assertFalse(result["messages"])
            customer = Partner.browse(result["ids"])
            self.assertTrue(customer.is_company)
            self.assertEqual(customer.debtor_type, "professional", value)
        person = Partner.browse(
            Partner.load(["name", "company_type"], [["Jeanne Martin", "person"]])["ids"]
        )
        self.assertEqual(person.debtor_type, "consumer")

    def test_person_turned_company_is_a_professional(self):
        customer = self.env["res.partner"].create({"name": "Atelier Roux"})
        self.assertEqual(customer.debtor_type, "consumer")
        customer.company_type = "company"
        self.assertEqual(customer.debtor_type, "professional")

    # No charges on charges

    def test_charges_invoice_bears_no_penalty_nor_indemnity(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 600.0, date="2026-10-20")
        self._pay(invoice, 600.0, date="2026-11-09")
        with freeze_time("2026-11-10"):
            invoice.action_invoice_late_charges()
            charges = invoice.late_charge_move_id
            charges.invoice_date = D("2026-11-10")
            charges.action_post()
        self.assertAlmostEqual(charges.amount_total, 51.84)
        self.assertEqual(charges.invoice_date_due, D("2026-11-10"))
        # 40 days later, still unpaid: claimed as it is, nothing added.
        letter = self._notice_for(charges, "2026-12-20")
        self.assertFalse(self._rows(letter, "penalty", charges))
        self.assertFalse(self._rows(letter, "indemnity", charges))
        self.assertAlmostEqual(letter.amount_due, 51.84)
        self.assertAlmostEqual(letter.amount_total, 51.84)
        self.assertFalse(charges._get_late_payment_periods(D("2026-12-20")))

    def test_charges_invoice_takes_credits_first_when_oldest(self):
        # The charges invoice stays a debt: an open credit note goes to it
        # first (the oldest), and only the rest reduces the later invoice.
        invoice = self._inv(1200.0)
        self._pay(invoice, 1200.0, date="2026-11-09")
        with freeze_time("2026-11-10"):
            invoice.action_invoice_late_charges()
            charges = invoice.late_charge_move_id
            charges.invoice_date = D("2026-11-10")
            charges.action_post()
        # 1,200 x 12 % x 40/365 = 15.78, and 40.00.
        self.assertAlmostEqual(charges.amount_total, 55.78)
        later = self._inv(1000.0, invoice_date=D("2026-10-31"))
        self.init_invoice(
            "out_refund",
            partner=self.partner_a,
            invoice_date=D("2026-11-20"),
            amounts=[100.0],
            taxes=[],
            post=True,
        )
        letter = self._notice_for(charges | later, "2026-12-30")
        self.assertFalse(self._rows(letter, "penalty", charges))
        # 55.78 of the credit note on the charges, 44.22 on the invoice due
        # 2026-11-30: 955.78 x 12 % x 30/365.
        self.assertEqual(
            self._rows(letter, "penalty", later), [(955.78, 30, 12.0, 9.43)]
        )
