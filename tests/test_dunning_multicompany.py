# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestDunningMultiCompany(AccountDisputeCommon):
    """*No Reminder* on a customer two companies share is each company's own.

    partner_a (no company of its own) is invoiced by company A (the test
    company) and by company B; A keeps it from reminders, B does not. Both
    invoices of 2026-01-10 on 30 days reach level 1 on 2026-02-16.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.company_a = cls.env.company
        cls.company_data_2 = cls.setup_other_company()
        cls.company_b = cls.company_data_2["company"]
        cls.levels_b = cls._copy_ladder(cls.company_b)
        cls.customer = cls.partner_a
        cls.customer.with_company(cls.company_a).dunning_excluded = True
        cls.invoice_a = cls._invoice(partner=cls.customer, terms=cls.terms_30)
        cls.invoice_b = cls._invoice(
            partner=cls.customer, terms=cls.terms_30, company=cls.company_b
        )

    def _run(self, date="2026-02-16"):
        return self.env["account.dunning.letter"]._run_escalation(date=D(date))

    def test_setting_is_kept_per_company(self):
        self.assertFalse(self.customer.company_id, "a customer both companies share")
        self.assertTrue(self.customer.with_company(self.company_a).dunning_excluded)
        self.assertFalse(self.customer.with_company(self.company_b).dunning_excluded)

    def test_escalation_reminds_only_where_not_excluded(self):
        letters = self._run()
        self.assertEqual(len(letters), 1, "company A writes no letter")
        self.assertEqual(letters.company_id, self.company_b)
        self.assertEqual(letters.partner_id, self.customer)
        self.assertEqual(letters.level_id, self.levels_b[0])
        self.assertEqual(letters.invoice_ids, self.invoice_b)

    def test_excluded_in_the_other_company_only(self):
        self.customer.with_company(self.company_a).dunning_excluded = False
        self.customer.with_company(self.company_b).dunning_excluded = True
        letters = self._run()
        self.assertEqual(letters.company_id, self.company_a)
        self.assertEqual(letters.invoice_ids, self.invoice_a)

    def test_contacts_follow_their_company_in_each_company(self):
        contact_invoice = self._invoice(
            partner=self.partner_a_contact, terms=self.terms_30
        )
        letters = self._run()
        self.assertNotIn(contact_invoice, letters.invoice_ids)
        self.assertEqual(letters.invoice_ids, self.invoice_b)

    def test_suspension_reasons_name_the_invoice_company_setting(self):
        reason = "No reminder for this customer"
        self.assertEqual(self.invoice_a._dunning_suspension_reasons(), [reason])
        self.assertEqual(self.invoice_b._dunning_suspension_reasons(), [])
        # Whichever company the user is in, the invoice's company decides.
        in_b = self.invoice_a.with_company(self.company_b)
        self.assertEqual(in_b._dunning_suspension_reasons(), [reason])
        in_a = self.invoice_b.with_company(self.company_a)
        self.assertEqual(in_a._dunning_suspension_reasons(), [])

    def test_company_default_applies_to_customers_it_did_not_set(self):
        """A company may keep all its customers from reminders by default
        (ir.default of the field for that company): the escalation and the
        invoice read it as the ORM does."""
        self.env["ir.default"].set(
            "res.partner", "dunning_excluded", True, company_id=self.company_b.id
        )
        self.assertTrue(self.customer.with_company(self.company_b).dunning_excluded)
        self.assertFalse(self._run())
        self.assertEqual(
            self.invoice_b._dunning_suspension_reasons(),
            ["No reminder for this customer"],
        )

    def test_form_shows_the_current_company_setting(self):
        with Form(self.customer.with_company(self.company_b)) as form:
            self.assertFalse(form.dunning_excluded)
            form.dunning_excluded = True
        with Form(self.customer.with_company(self.company_a)) as form:
            self.assertTrue(form.dunning_excluded)
            form.dunning_excluded = False
        self.assertFalse(self.customer.with_company(self.company_a).dunning_excluded)
        self.assertTrue(self.customer.with_company(self.company_b).dunning_excluded)
