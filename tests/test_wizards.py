# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestWizards(AccountDisputeCommon):
    """The open and resolve wizards, driven through their form views."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(1000.0)

    def _open_wizard(self, invoices):
        action = invoices.action_open_dispute()
        self.assertEqual(action["res_model"], "account.dispute.open.wizard")
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    def _resolve_form(self, dispute):
        action = dispute.action_resolve()
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    def test_open_wizard_from_invoice(self):
        wizard = self._open_wizard(self.invoice)
        self.assertEqual(wizard.partner_id, self.partner_a)
        self.assertEqual(wizard.amount_residual, 1000.0)
        self.assertEqual(wizard.amount_disputed, 1000.0)
        wizard.reason_id = self.env.ref("account_dispute.reason_poor_quality")
        wizard.amount_disputed = 250.0
        wizard.channel = "phone"
        wizard.contract_ref = "PO-4512"
        action = wizard.save().action_confirm()
        dispute = self.env["account.dispute"].browse(action["res_id"])
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.invoice_ids, self.invoice)
        self.assertEqual(dispute.amount_disputed, 250.0)
        self.assertEqual(dispute.channel, "phone")
        self.assertEqual(dispute.contract_ref, "PO-4512")
        self.assertEqual(dispute.fault, "unknown")
        self.assertEqual(dispute.user_id, self.env.user)
        self.assertTrue(self.invoice.is_disputed)

    def test_open_wizard_refuses_amount_above_residual(self):
        wizard = self._open_wizard(self.invoice)
        wizard.reason_id = self.reason
        wizard.amount_disputed = 1000.01
        with self.assertRaises(ValidationError):
            wizard.save().action_confirm()
        self.assertFalse(self.invoice.dispute_ids, "nothing half-done")

    def test_open_wizard_refuses_two_customers(self):
        other = self._invoice(300.0, partner=self.partner_b)
        wizard = self._open_wizard(self.invoice | other)
        wizard.reason_id = self.reason
        with self.assertRaises(ValidationError):
            wizard.save().action_confirm()

    def _form_amounts(self, form):
        """{invoice: amount contested} as the wizard's list shows them."""
        return {
            self.env["account.move"].browse(vals["move_id"]): vals["amount_disputed"]
            for vals in form.line_ids._records
        }

    def _line_index(self, form, invoice):
        """Where ``invoice`` is in the wizard's list of contested amounts."""
        return list(self._form_amounts(form)).index(invoice)

    def test_open_wizard_amount_per_invoice(self):
        """Each invoice is contested for what is left to pay on it unless a
        person sets its amount; the dispute gets those amounts."""
        other = self._invoice(600.0)
        wizard = self._open_wizard(self.invoice | other)
        self.assertEqual(wizard.amount_disputed, 1600.0)
        wizard.reason_id = self.reason
        with wizard.line_ids.edit(self._line_index(wizard, other)) as line:
            self.assertEqual(line.amount_residual, 600.0)
            self.assertEqual(line.amount_disputed, 600.0)
            line.amount_disputed = 150.0
        self.assertEqual(wizard.amount_disputed, 1150.0)
        action = wizard.save().action_confirm()
        dispute = self.env["account.dispute"].browse(action["res_id"])
        self.assertEqual(dispute.amount_disputed, 1150.0)
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {self.invoice: 1000.0, other: 150.0},
        )
        self.assertEqual(other.amount_contested, 150.0)
        self.assertEqual(other.amount_residual_uncontested, 450.0)
        self.assertFalse(other.is_contested, "contested in part: still reminded")
        self.assertEqual(self._due_dates(other), ["2026-02-09", "2026-03-11"])
        self.assertTrue(self.invoice.is_contested)

    def test_open_wizard_shares_a_total_typed(self):
        other = self._invoice(600.0)
        wizard = self._open_wizard(self.invoice | other)
        wizard.reason_id = self.reason
        wizard.amount_disputed = 800.0
        # 800.00 x 1,000 / 1,600 = 500.00; the invoice due last takes the rest.
        self.assertEqual(
            self._form_amounts(wizard), {self.invoice: 500.0, other: 300.0}
        )
        dispute = self.env["account.dispute"].browse(
            wizard.save().action_confirm()["res_id"]
        )
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {self.invoice: 500.0, other: 300.0},
        )

    def test_open_wizard_total_written_by_code_is_shared(self):
        other = self._invoice(600.0)
        wizard = self.env["account.dispute.open.wizard"].create(
            {
                "invoice_ids": [(6, 0, (self.invoice | other).ids)],
                "reason_id": self.reason.id,
                "amount_disputed": 160.0,
            }
        )
        dispute = self.env["account.dispute"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {self.invoice: 100.0, other: 60.0},
        )

    def test_resolve_wizard_defaults_and_custom_date(self):
        self.env.company.dispute_due_date_policy = "extend"
        dispute = self._dispute(self.invoice)
        form = self._resolve_form(dispute)
        self.assertEqual(form.dispute_id, dispute)
        self.assertEqual(form.due_date_policy, "extend")
        self.assertEqual(form.date_resolved, fields.Date.context_today(dispute))
        form.resolution = "credit_note"
        form.due_date_policy = "custom"
        self.assertTrue(form._get_modifier("date_custom", "required"))
        form.date_custom = "2026-07-01"
        form.date_resolved = "2026-04-01"
        form.resolution_note = "<p>Price list not updated in time.</p>"
        form.save().action_confirm()
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.resolution, "credit_note")
        self.assertEqual(str(dispute.date_resolved), "2026-04-01")
        self.assertIn("Price list", dispute.resolution_note)
        self.assertEqual(self._due_dates(self.invoice), ["2026-07-01", "2026-07-01"])

    def test_resolve_wizard_restart(self):
        dispute = self._dispute(self.invoice)
        form = self._resolve_form(dispute)
        form.resolution = "withdrawn"
        form.date_resolved = "2026-04-01"
        form.save().action_confirm()
        self.assertEqual(self._due_dates(self.invoice), ["2026-05-01", "2026-05-31"])

    def test_resolve_wizard_refuses_second_resolution(self):
        dispute = self._dispute(self.invoice)
        form = self._resolve_form(dispute)
        form.resolution = "withdrawn"
        form.date_resolved = "2026-04-01"
        wizard = form.save()
        wizard.action_confirm()
        with self.assertRaisesRegex(Exception, "resolved"):
            wizard.action_confirm()

    def test_settings_set_company_policy(self):
        settings = Form(self.env["res.config.settings"])
        settings.dispute_due_date_policy = "keep"
        settings.save().execute()
        self.assertEqual(self.env.company.dispute_due_date_policy, "keep")
