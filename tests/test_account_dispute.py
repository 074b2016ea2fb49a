# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval, time

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestAccountDispute(AccountDisputeCommon):
    """The dispute file: its defaults, its states and the input it refuses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(1000.0)

    def _new(self, invoices=None, **vals):
        invoices = self.invoice if invoices is None else invoices
        return self.env["account.dispute"].create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(invoices.ids)],
                **vals,
            }
        )

    def test_defaults_from_invoices_and_reason(self):
        owner = self.env["res.users"].search([("share", "=", False)], limit=1)
        self.reason.user_id = owner
        dispute = self._new(
            partner_id=self.partner_a_contact.id, reason_id=self.reason.id
        )
        self.assertRegex(dispute.name, r"^LIT/\d{4}/\d{5}$")
        self.assertEqual(dispute.partner_id, self.partner_a, "kept on the company")
        self.assertEqual(dispute.currency_id, self.invoice.currency_id)
        self.assertEqual(dispute.amount_disputed, 1000.0)
        self.assertEqual(dispute.amount_residual, 1000.0)
        self.assertEqual(dispute.fault, "company")
        self.assertEqual(dispute.user_id, owner)
        self.assertEqual(dispute.state, "draft")
        self.assertFalse(self.invoice.is_disputed, "a draft suspends nothing")

    def test_open_sets_dates_and_deadline(self):
        dispute = self._new(reason_id=self.reason.id, amount_disputed=200.0)
        dispute.action_open()
        today = fields.Date.context_today(dispute)
        self.assertEqual(dispute.state, "open")
        self.assertEqual(dispute.date_opened, today)
        self.assertEqual(
            dispute.date_deadline, fields.Date.add(today, days=self.reason.sla_days)
        )
        self.assertTrue(self.invoice.is_disputed)
        self.assertEqual(self.invoice.dispute_count, 1)

    def test_stage_transitions(self):
        dispute = self._dispute(self.invoice)
        dispute.action_negotiate()
        self.assertEqual(dispute.state, "negotiation")
        dispute.action_mediate()
        self.assertEqual(dispute.state, "mediation")
        dispute.action_litigate()
        self.assertEqual(dispute.state, "litigation")
        self.assertTrue(self.invoice.is_disputed, "every active stage suspends")
        with self.assertRaises(UserError):
            dispute.action_open()
        with self.assertRaises(UserError):
            dispute.action_draft()
        dispute.action_cancel()
        self.assertEqual(dispute.state, "cancelled")
        self.assertFalse(self.invoice.is_disputed)
        dispute.action_draft()
        self.assertEqual(dispute.state, "draft")
        self.assertFalse(dispute.date_opened)

    def test_action_resolve_opens_wizard_only_when_active(self):
        dispute = self._new()
        with self.assertRaises(UserError):
            dispute.action_resolve()
        dispute.action_open()
        action = dispute.action_resolve()
        self.assertEqual(action["res_model"], "account.dispute.resolve.wizard")
        self.assertEqual(action["context"]["default_dispute_id"], dispute.id)

    def test_refuse_amount_not_positive(self):
        with self.assertRaises(ValidationError):
            self._new(amount_disputed=0.0)
        with self.assertRaises(ValidationError):
            self._new(amount_disputed=-10.0)

    def test_refuse_amount_above_residual(self):
        self._pay(self.invoice, 400.0)
        with self.assertRaises(ValidationError):
            self._new(amount_disputed=600.01)
        dispute = self._new(amount_disputed=600.0)
        self.assertEqual(dispute.amount_residual, 600.0)

    def test_refuse_draft_cancelled_and_vendor_invoices(self):
        draft = self.init_invoice("out_invoice", amounts=[100.0])
        cancelled = self.init_invoice("out_invoice", amounts=[100.0])
        cancelled.button_cancel()
        bill = self.init_invoice("in_invoice", amounts=[100.0], post=True)
        refund = self.init_invoice("out_refund", amounts=[100.0], post=True)
        for invoice in draft | cancelled | bill | refund:
            with self.subTest(invoice=invoice.move_type, state=invoice.state):
                with self.assertRaises(ValidationError):
                    self._new(invoice, amount_disputed=10.0)

    def test_refuse_two_customers(self):
        other = self._invoice(500.0, partner=self.partner_b)
        with self.assertRaises(ValidationError):
            self._new(self.invoice | other)
        with self.assertRaises(ValidationError):
            self._new(other)

    def test_refuse_two_currencies(self):
        other_currency = self.setup_other_currency("EUR")
        if other_currency == self.invoice.currency_id:
            other_currency = self.setup_other_currency("CHF")
        other = self._invoice(500.0, currency=other_currency)
        with self.assertRaises(ValidationError):
            self._new(self.invoice | other)

    def test_refuse_open_without_invoice(self):
        dispute = self.env["account.dispute"].create({"partner_id": self.partner_a.id})
        self.assertEqual(dispute.amount_disputed, 0.0)
        with self.assertRaises(UserError):
            dispute.action_open()

    def test_refuse_opening_before_the_invoice_date(self):
        dispute = self._new(self.invoice)
        dispute.date_opened = "2026-01-09"
        with self.assertRaisesRegex(UserError, "before its invoices were issued"):
            dispute.action_open()
        self.assertEqual(dispute.state, "draft")
        self.assertFalse(self.invoice.is_disputed)
        dispute.date_opened = "2026-01-10"
        dispute.action_open()
        self.assertTrue(self.invoice.is_disputed)

    def test_refuse_opening_with_an_archived_reason(self):
        dispute = self._new(self.invoice, reason_id=self.reason.id)
        self.reason.active = False
        with self.assertRaisesRegex(UserError, "is archived"):
            dispute.action_open()
        self.assertFalse(self.invoice.is_disputed)

    def test_refuse_resolving_twice(self):
        dispute = self._dispute(self.invoice)
        dispute._resolve(
            "customer_paid", date_resolved=fields.Date.to_date("2026-03-01")
        )
        with self.assertRaises(UserError):
            dispute._resolve("customer_paid")
        with self.assertRaises(UserError):
            dispute.action_cancel()
        with self.assertRaises(UserError):
            dispute.write({"invoice_ids": [Command.clear()]})

    def test_refuse_resolution_dates(self):
        dispute = self._dispute(self.invoice)
        future = fields.Date.add(fields.Date.context_today(dispute), days=1)
        with self.assertRaises(ValidationError):
            dispute._resolve("other", date_resolved=future)
        with self.assertRaises(ValidationError):
            dispute._resolve("other", date_resolved=fields.Date.to_date("2026-01-31"))
        with self.assertRaises(ValidationError):
            dispute._resolve(
                "other",
                date_resolved=fields.Date.to_date("2026-03-01"),
                due_date_policy="custom",
            )
        self.assertEqual(dispute.state, "open", "nothing half-done")
        self.assertTrue(self.invoice.is_disputed)

    def test_unlink_only_draft_or_cancelled(self):
        dispute = self._dispute(self.invoice)
        with self.assertRaises(UserError):
            dispute.unlink()
        dispute.action_cancel()
        dispute.unlink()
        self.assertFalse(dispute.exists())

    def test_add_and_remove_invoices_of_active_dispute(self):
        second = self._invoice(500.0)
        dispute = self._dispute(self.invoice)
        dispute.write({"invoice_ids": [Command.link(second.id)]})
        self.assertTrue(second.is_disputed)
        self.assertTrue(second.line_ids.filtered("date_maturity_original"))
        self.assertEqual(
            second.dispute_suspension_date,
            fields.Date.context_today(dispute),
            "suspended from the day it joined the dispute",
        )
        dispute.write({"invoice_ids": [Command.unlink(self.invoice.id)]})
        self.assertFalse(self.invoice.is_disputed)
        self.assertFalse(self.invoice.dispute_suspension_date)
        self.assertEqual(self._due_dates(self.invoice), ["2026-02-09", "2026-03-11"])

    def test_partner_statistics(self):
        self._dispute(self.invoice, amount_disputed=300.0)
        self._new(self._invoice(200.0))
        partner = self.partner_a_contact
        self.assertEqual(partner.dispute_count, 2)
        self.assertEqual(partner.dispute_open_count, 1)
        self.assertEqual(partner.amount_disputed_open, 300.0)
        action = partner.action_view_disputes()
        self.assertEqual(action["domain"], [("partner_id", "=", self.partner_a.id)])

    def test_disputed_invoice_stays_posted(self):
        self.assertTrue(self.invoice.show_reset_to_draft_button)
        dispute = self._dispute(self.invoice)
        self.assertFalse(self.invoice.show_reset_to_draft_button)
        with self.assertRaises(UserError):
            self.invoice.button_draft()
        with self.assertRaises(UserError):
            self.invoice.button_cancel()
        self.assertEqual(self.invoice.state, "posted")
        dispute.action_cancel()
        self.invoice.button_draft()
        self.assertEqual(self.invoice.state, "draft")

    def test_open_dispute_action_refuses_other_moves(self):
        bill = self.init_invoice("in_invoice", amounts=[100.0], post=True)
        with self.assertRaises(UserError):
            (self.invoice | bill).action_open_dispute()

    def test_invoice_actions(self):
        dispute = self._dispute(self.invoice)
        action = self.invoice.action_view_disputes()
        self.assertEqual(action["res_id"], dispute.id)
        action = dispute.action_view_invoices()
        self.assertEqual(action["res_id"], self.invoice.id)

    def test_overdue_filter_leaves_disputed_invoices_out(self):
        """An invoice a dispute holds wholly is not overdue; one contested in
        part is, for the rest."""
        other = self._invoice(500.0)
        in_part = self._invoice(800.0)
        self._dispute(self.invoice)
        self._dispute(in_part, amount_disputed=200.0)
        search_view = self.env.ref("account.view_account_invoice_filter")
        arch = self.env["account.move"].get_views([(search_view.id, "search")])
        late = etree.fromstring(arch["views"]["search"]["arch"]).xpath(
            "//filter[@name='late']"
        )[0]
        domain = safe_eval(late.get("domain"), {"time": time})
        overdue = self.env["account.move"].search(
            [("id", "in", (self.invoice | other | in_part).ids), *domain]
        )
        self.assertEqual(overdue, other | in_part)

    def test_invoice_contested_in_part_says_what_is_held(self):
        in_part = self._invoice(800.0)
        dispute = self._new(in_part | self.invoice, reason_id=self.reason.id)
        dispute.line_ids.filtered(
            lambda x: x.move_id == in_part
        ).amount_disputed = 200.0
        dispute.action_open()
        self.assertEqual(dispute.amount_disputed, 1200.0)
        self.assertFalse(in_part.dispute_suspension_date, "its dates stay")
        self.assertEqual(in_part.amount_contested, 200.0)
        self.assertEqual(in_part.amount_residual_uncontested, 600.0)
        self.assertEqual(in_part.status_in_payment, "not_paid", "Odoo's status")
        self.assertEqual(
            in_part._dunning_suspension_reasons(),
            [f"Dispute {dispute.name}: $\xa0200.00 contested, the rest is reminded"],
        )
        self.assertEqual(
            in_part.dispute_contest_note,
            f"$\xa0200.00 of this invoice is contested in dispute {dispute.name}: "
            "the rest ($\xa0600.00) stays due on its dates.",
        )
        self.assertFalse(self.invoice.dispute_contest_note, "held wholly")
        self.assertEqual(
            self.invoice._dunning_suspension_reasons(), [f"Dispute {dispute.name}"]
        )
        self.assertEqual(self.invoice.status_in_payment, "suspended")

    def test_contest_in_part_to_review_is_named_so(self):
        dispute = self._new(channel="email", reason_id=self.reason.id)
        dispute.line_ids.amount_disputed = 300.0
        self.assertEqual(self.invoice.amount_residual_uncontested, 700.0)
        self.assertEqual(self.invoice.status_in_payment, "not_paid")
        self.assertEqual(
            self.invoice._dunning_suspension_reasons(),
            [
                f"Dispute {dispute.name}: $\xa0300.00 contested by the customer, to "
                "review; the rest is reminded"
            ],
        )
        dispute.line_ids.amount_disputed = 1000.0
        self.assertEqual(self.invoice.status_in_payment, "contested")
        self.assertEqual(
            self.invoice._dunning_suspension_reasons(),
            [f"Dispute {dispute.name}: contested by the customer, to review"],
        )
