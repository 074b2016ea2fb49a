# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields
from odoo.tests import tagged

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestClaimDebtor(LatePaymentCommon):
    """Who owes penalties, and on what (shared/domain/litiges-fr.md): a
    company however it was created.

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
