# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestSecurity(AccountDisputeCommon):
    """Who may do what, and which company sees which disputes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(1000.0)
        company = cls.env.company
        cls.internal = new_test_user(
            cls.env,
            login="ad_internal",
            groups="base.group_user",
            company_id=company.id,
        )
        cls.billing = new_test_user(
            cls.env,
            login="ad_billing",
            groups="account.group_account_invoice",
            company_id=company.id,
        )
        cls.dispute_manager = new_test_user(
            cls.env,
            login="ad_manager",
            groups="account.group_account_invoice,"
            "account_dispute.group_account_dispute_manager",
            company_id=company.id,
        )
        cls.auditor = new_test_user(
            cls.env,
            login="ad_auditor",
            groups="account.group_account_readonly",
            company_id=company.id,
        )

    def _vals(self):
        return {
            "partner_id": self.partner_a.id,
            "invoice_ids": [Command.set(self.invoice.ids)],
            "reason_id": self.reason.id,
        }

    def test_billing_user_is_dispute_user(self):
        self.assertTrue(
            self.billing.has_group("account_dispute.group_account_dispute_user")
        )
        self.assertFalse(
            self.billing.has_group("account_dispute.group_account_dispute_manager")
        )
        dispute = (
            self.env["account.dispute"].with_user(self.billing).create(self._vals())
        )
        dispute.action_open()
        dispute.action_negotiate()
        dispute.action_cancel()
        with self.assertRaises(AccessError):
            dispute.unlink()
        with self.assertRaises(AccessError):
            self.reason.with_user(self.billing).write({"sla_days": 3})

    def test_accounting_manager_is_dispute_manager(self):
        accountant = new_test_user(
            self.env, login="ad_accountant", groups="account.group_account_manager"
        )
        self.assertTrue(
            accountant.has_group("account_dispute.group_account_dispute_manager")
        )

    def test_manager_deletes_and_configures(self):
        dispute = (
            self.env["account.dispute"]
            .with_user(self.dispute_manager)
            .create(self._vals())
        )
        dispute.unlink()
        reason = (
            self.env["account.dispute.reason"]
            .with_user(self.dispute_manager)
            .create({"name": "Late delivery", "category": "delivery"})
        )
        reason.sla_days = 5
        self.assertEqual(reason.sla_days, 5)

    def test_internal_user_without_group(self):
        dispute = self.env["account.dispute"].create(self._vals())
        with self.assertRaises(AccessError):
            self.env["account.dispute"].with_user(self.internal).create(self._vals())
        with self.assertRaises(AccessError):
            dispute.with_user(self.internal).read(["name"])

    def test_auditor_reads_only(self):
        dispute = self.env["account.dispute"].create(self._vals())
        self.assertEqual(
            dispute.with_user(self.auditor).read(["name"])[0]["id"], dispute.id
        )
        with self.assertRaises(AccessError):
            dispute.with_user(self.auditor).write({"contract_ref": "X"})

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company()["company"]
        invoice_2 = self._invoice(400.0, company=company_2)
        dispute_2 = (
            self.env["account.dispute"]
            .with_company(company_2)
            .create(
                {
                    "partner_id": self.partner_a.id,
                    "company_id": company_2.id,
                    "invoice_ids": [Command.set(invoice_2.ids)],
                }
            )
        )
        dispute_1 = self.env["account.dispute"].create(self._vals())
        Dispute = self.env["account.dispute"].with_user(self.billing)
        self.assertEqual(Dispute.search([]), dispute_1)
        with self.assertRaises(AccessError):
            dispute_2.with_user(self.billing).read(["name"])

        both = new_test_user(
            self.env,
            login="ad_both",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set((self.env.company | company_2).ids)],
        )
        both_env = self.env["account.dispute"].with_user(both)
        only_1 = both_env.with_context(allowed_company_ids=[self.env.company.id])
        self.assertEqual(only_1.search([]), dispute_1)
        allowed = both_env.with_context(
            allowed_company_ids=[self.env.company.id, company_2.id]
        )
        self.assertEqual(allowed.search([]), dispute_1 | dispute_2)

    def test_dispute_company_must_match_invoices(self):
        company_2 = self.setup_other_company()["company"]
        invoice_2 = self._invoice(400.0, company=company_2)
        with self.assertRaises(Exception):  # noqa: B017 check_company or our own check
            self.env["account.dispute"].create(
                {
                    "partner_id": self.partner_a.id,
                    "invoice_ids": [Command.set((self.invoice | invoice_2).ids)],
                }
            )

    def test_payment_plans_by_company_and_group(self):
        Plan = self.env["account.dispute.payment.plan"]
        company_2 = self.setup_other_company()["company"]
        invoice_2 = self._invoice(400.0, company=company_2)
        plan_2 = Plan.with_company(company_2)._create_for_invoices(invoice_2)
        plan_1 = Plan.with_user(self.billing)._create_for_invoices(self.invoice)
        self.assertEqual(Plan.with_user(self.billing).search([]), plan_1)
        with self.assertRaises(AccessError):
            plan_2.with_user(self.billing).read(["name"])
        with self.assertRaises(AccessError):
            plan_2.line_ids.with_user(self.billing).read(["amount"])
        self.assertEqual(
            plan_1.with_user(self.auditor).read(["name"])[0]["id"], plan_1.id
        )
        with self.assertRaises(AccessError):
            plan_1.with_user(self.auditor).action_cancel()
        with self.assertRaises(AccessError):
            plan_1.with_user(self.billing).unlink()

    def test_analysis_and_exports_by_group(self):
        dispute = self.env["account.dispute"].create(self._vals())
        dispute.action_open()
        Report = self.env["account.dispute.report"]
        self.assertEqual(Report.with_user(self.auditor).search([]).dispute_id, dispute)
        self.assertEqual(Report.with_user(self.billing).search([]).dispute_id, dispute)
        with self.assertRaises(AccessError):
            Report.with_user(self.internal).search([])
        dashboard = (
            self.env["account.dispute.dashboard"].with_user(self.auditor).create({})
        )
        self.assertEqual(dashboard.open_count, 1)
        wizard = (
            self.env["account.dispute.export.wizard"]
            .with_user(self.auditor)
            .create({"export_type": "register"})
        )
        self.assertTrue(wizard.action_export()["url"])
        with self.assertRaises(AccessError):
            self.env["account.dispute.export.wizard"].with_user(self.internal).create(
                {"export_type": "register"}
            )
        with self.assertRaises(AccessError):
            self.env["account.dispute.payment.plan"].with_user(
                self.auditor
            )._create_for_invoices(self._invoice(300.0))
        portal = new_test_user(self.env, login="ad_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            dispute.with_user(portal).read(["name"])
