# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import ast
import re

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestResolution(AccountDisputeCommon):
    """Mediation, litigation, their costs, and closing well."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mediator = cls.env["res.partner"].create(
            {"name": "Médiateur des entreprises", "is_company": True}
        )
        cls.court = cls.env["res.partner"].create(
            {"name": "Tribunal de commerce de Lyon", "is_company": True}
        )
        cls.cost_product = cls.env["product.product"].create(
            {"name": "Recovery costs", "type": "service", "taxes_id": False}
        )
        cls.env.company.dispute_cost_product_id = cls.cost_product

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(1000.0)
        self.dispute = self._dispute(self.invoice)

    def _refer(self, target, **vals):
        action = self.dispute.with_context(target_state=target).action_refer()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save().action_confirm()

    def _resolve_with_wizard(self, **vals):
        action = self.dispute.action_resolve()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        for name, value in vals.items():
            setattr(form, name, value)
        return form.save().action_confirm()

    @staticmethod
    def _text(html):
        return " ".join(re.sub(r"<[^>]+>", " ", html.decode()).split())

    def test_mediation_asks_for_the_third_party(self):
        self._refer(
            "mediation",
            mediator_type="business_mediation",
            mediator_id=self.mediator,
            date_referral=D("2026-03-02"),
            cost=150.0,
        )
        self.assertEqual(self.dispute.state, "mediation")
        self.assertEqual(self.dispute.mediator_type, "business_mediation")
        self.assertEqual(self.dispute.mediator_id, self.mediator)
        self.assertEqual(self.dispute.date_mediation, D("2026-03-02"))
        self.assertEqual(self.dispute.mediation_cost, 150.0)
        self.assertTrue(self.invoice.is_disputed)

    def test_litigation_asks_for_court_procedure_and_reference(self):
        self._refer(
            "litigation",
            court_id=self.court,
            litigation_procedure="injunction",
            litigation_ref="IP 2026/1234",
            cost=420.0,
        )
        self.assertEqual(self.dispute.state, "litigation")
        self.assertEqual(self.dispute.court_id, self.court)
        self.assertEqual(self.dispute.litigation_procedure, "injunction")
        self.assertEqual(self.dispute.litigation_ref, "IP 2026/1234")
        self.assertEqual(self.dispute.litigation_cost, 420.0)
        self.assertEqual(
            self.dispute.date_litigation, fields.Date.context_today(self.dispute)
        )

    def test_referral_refusals(self):
        wizard = self.env["account.dispute.referral.wizard"].create(
            {"dispute_id": self.dispute.id, "target_state": "litigation"}
        )
        with self.assertRaisesRegex(UserError, "court and the procedure"):
            wizard.action_confirm()
        wizard.target_state = "mediation"
        with self.assertRaisesRegex(UserError, "who the dispute is referred to"):
            wizard.action_confirm()
        self.assertEqual(self.dispute.state, "open")
        self.dispute._resolve("withdrawn")
        with self.assertRaises(UserError):
            self.dispute.action_refer()

    def test_costs_reinvoiced_to_a_customer_at_fault(self):
        self.dispute.write(
            {"fault": "customer", "mediation_cost": 150.0, "litigation_cost": 420.0}
        )
        self.dispute.action_invoice_costs()
        costs = self.dispute.cost_invoice_id
        self.assertEqual(costs.move_type, "out_invoice")
        self.assertEqual(costs.state, "draft")
        self.assertEqual(costs.partner_id, self.partner_a)
        self.assertEqual(costs.dispute_id, self.dispute)
        self.assertEqual(costs.invoice_line_ids.product_id, self.cost_product)
        self.assertEqual(
            sorted(costs.invoice_line_ids.mapped("price_unit")), [150.0, 420.0]
        )
        self.assertEqual(costs.amount_total, 570.0)
        self.assertIn(self.dispute.name, costs.invoice_line_ids[0].name)
        with self.assertRaisesRegex(UserError, "already invoiced"):
            self.dispute.action_invoice_costs()
        self.assertNotIn(costs, self.dispute.credit_note_ids)

    def test_costs_not_reinvoiced_otherwise(self):
        self.dispute.write({"fault": "company", "mediation_cost": 150.0})
        with self.assertRaisesRegex(UserError, "customer's fault"):
            self.dispute.action_invoice_costs()
        self.dispute.write({"fault": "customer", "mediation_cost": 0.0})
        with self.assertRaisesRegex(UserError, "Enter the mediation or recovery costs"):
            self.dispute.action_invoice_costs()
        self.assertFalse(self.dispute.cost_invoice_id)

    def test_unfounded_dispute_keeps_original_due_dates(self):
        before = self._due_dates(self.invoice)
        action = self.dispute.action_resolve()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.validity, "founded")
        self.assertEqual(form.due_date_policy, "restart")
        form.resolution = "withdrawn"
        form.validity = "unfounded"
        self.assertEqual(form.due_date_policy, "keep")
        form.save().action_confirm()
        self.assertEqual(self.dispute.validity, "unfounded")
        self.assertEqual(self.dispute.due_date_policy, "keep")
        self.assertEqual(self._due_dates(self.invoice), before)

    def test_unfounded_defaults_to_keep_in_the_orm_too(self):
        self.dispute._resolve("withdrawn", validity="unfounded")
        self.assertEqual(self.dispute.due_date_policy, "keep")

    def test_founded_dispute_follows_the_company_policy(self):
        self._resolve_with_wizard(resolution="price_adjustment", validity="founded")
        self.assertEqual(self.dispute.due_date_policy, "restart")
        self.assertEqual(self.dispute.validity, "founded")

    def test_followup_activity_for_the_owner(self):
        self.env.company.dispute_followup_days = 45
        self._resolve_with_wizard(resolution="price_adjustment")
        activity = self.dispute.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("account_dispute.mail_activity_type_followup")
            )
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.dispute.user_id)
        self.assertEqual(
            activity.date_deadline, fields.Date.add(self.dispute.date_resolved, days=45)
        )

    def test_no_followup_when_disabled(self):
        self.env.company.dispute_followup_days = 0
        self.dispute._resolve("withdrawn")
        self.assertFalse(self.dispute.activity_ids)

    def test_outcome_of_the_disputed_amount(self):
        self.assertEqual(self.dispute.amount_open, 1000.0)
        self._pay(self.invoice, 400.0)
        self.assertEqual(self.dispute.amount_paid, 400.0)
        self.assertEqual(self.dispute.amount_open, 600.0)
        self.assertEqual(self.dispute.amount_disputed, 1000.0, "kept as disputed")

    def test_settlement_letter(self):
        self.env.company.external_report_layout_id = self.env.ref(
            "web.external_layout_standard"
        )
        self.dispute._resolve(
            "payment_plan",
            date_resolved=D("2026-02-20"),
            resolution_customer_note="<p>Two installments agreed by phone</p>",
            resolution_note="<p>Lesson: call before invoicing</p>",
            payment_plan={"count": 2, "date_first": D("2026-03-20")},
        )
        self.assertEqual(
            self.dispute.action_print_settlement()["report_name"],
            "account_dispute.report_dispute_settlement",
        )
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_dispute_settlement", self.dispute.ids
        )
        html = self._text(html)
        self.assertIn(f"Settlement of dispute {self.dispute.name}", html)
        self.assertIn("Two installments agreed by phone", html)
        self.assertNotIn("call before invoicing", html, "the internal note stays in")
        self.assertIn("Payment plan", html)
        self.assertIn("03/20/2026", html)
        self.assertIn("04/20/2026", html)
        self.assertIn("500.00", html)
        self.assertIn(self.dispute.user_id.name, html)

    def test_settlement_letter_shows_new_due_dates(self):
        self.dispute._resolve("price_adjustment", date_resolved=D("2026-02-20"))
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_dispute_settlement", self.dispute.ids
        )
        html = self._text(html)
        self.assertIn("New due dates", html)
        self.assertIn(self.invoice.name, html)
        # restarted: 30 and 60 days after 2026-02-20
        self.assertIn("04/21/2026", html)

    def test_settlement_letter_only_once_resolved(self):
        with self.assertRaisesRegex(UserError, "print the settlement"):
            self.dispute.action_print_settlement()

    def test_lessons_learned_grouped_by_category_and_reason(self):
        self.dispute._resolve(
            "withdrawn", resolution_note="<p>Check the price list</p>"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_lessons_action"
        )
        self.assertEqual(
            action["context"], "{'group_by': ['reason_category', 'reason_id']}"
        )
        domain = ast.literal_eval(action["domain"])
        groups = self.env["account.dispute"].read_group(
            domain,
            ["amount_disputed:sum"],
            ["reason_category", "reason_id"],
            lazy=False,
        )
        self.assertEqual(groups[0]["reason_id"][0], self.reason.id)
        self.assertIn(self.dispute, self.env["account.dispute"].search(domain))
