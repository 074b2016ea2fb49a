# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date

ALL_STATES = (
    "draft",
    "open",
    "negotiation",
    "mediation",
    "litigation",
    "resolved",
    "cancelled",
)


@tagged("post_install", "-at_install")
class TestDisputeIntegrity(AccountDisputeCommon):
    """Odoo's flows never fail because of a dispute; configuration never
    rewrites history; what the user typed stays; alerts survive a reopening."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dispute = cls.env["account.dispute"]
        cls.takeover = cls.env.ref("account_dispute.mail_activity_type_takeover")
        cls.escalation = cls.env.ref("account_dispute.mail_activity_type_escalation")
        cls.owner, cls.other_owner, cls.manager = (
            new_test_user(
                cls.env,
                login=login,
                groups="account.group_account_invoice",
                company_id=cls.env.company.id,
            )
            for login in ("ad_owner", "ad_other_owner", "ad_manager")
        )

    def _today(self):
        return fields.Date.context_today(self.env.user)

    def _takeovers(self, record):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.takeover
        )

    def _escalations(self, record):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.escalation
        )

    def _notes(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def _dispute_in_state(self, invoice, state):
        """A dispute on the invoice, brought to ``state``."""
        if state == "draft":
            return self.Dispute.create(
                {
                    "partner_id": invoice.partner_id.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "reason_id": self.reason.id,
                }
            )
        dispute = self._dispute(invoice, opened="2026-02-01")
        if state == "negotiation":
            dispute.action_negotiate()
        elif state == "mediation":
            dispute.action_mediate()
        elif state == "litigation":
            dispute.action_litigate()
        elif state == "resolved":
            dispute._resolve("withdrawn", date_resolved=D("2026-02-10"))
        elif state == "cancelled":
            dispute.action_cancel()
        self.assertEqual(dispute.state, state)
        return dispute

    def _reconcile_bank_line(self, invoice, amount, date):
        """A bank statement line of ``amount``, matched with what is left to
        pay on the invoice, as Odoo community does it."""
        st_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.company_data["default_journal_bank"].id,
                "partner_id": invoice.partner_id.id,
                "payment_ref": invoice.name,
                "amount": amount,
                "date": date,
            }
        )
        _liquidity, suspense, _other = st_line._seek_for_lines()
        receivable = invoice.line_ids.filtered(
            lambda x: x.account_type == "asset_receivable" and not x.reconciled
        )
        suspense.account_id = receivable.account_id
        (suspense + receivable).reconcile()
        return st_line

    # ------------------------------------------------------------------
    # 1. Odoo's flows never fail because of the addon
    # ------------------------------------------------------------------

    def test_dates_to_come_are_refused_where_typed(self):
        in_5_days = fields.Date.add(self._today(), days=5)
        invoice = self._invoice(1000.0)
        with self.assertRaisesRegex(
            ValidationError, "cannot be opened on a day to come"
        ):
            self._dispute(invoice, opened=in_5_days)
        dispute = self._dispute(invoice, opened=self._today())
        for fname in ("date_opened", "date_mediation", "date_litigation"):
            with self.subTest(fname), self.assertRaises(ValidationError):
                dispute.write({fname: in_5_days})
        referral = self.env["account.dispute.referral.wizard"].create(
            {
                "dispute_id": dispute.id,
                "mediator_type": "business_mediation",
                "date_referral": in_5_days,
            }
        )
        with self.assertRaises(ValidationError):
            referral.action_confirm()
        resolve = self.env["account.dispute.resolve.wizard"].create(
            {
                "dispute_id": dispute.id,
                "resolution": "withdrawn",
                "date_resolved": in_5_days,
            }
        )
        with self.assertRaises(ValidationError):
            resolve.action_confirm()
        self.assertEqual(dispute.state, "open")

    def test_payment_dated_before_the_opening_resolves_the_dispute(self):
        invoice = self._invoice(1000.0)
        dispute = self._dispute(invoice, opened="2026-02-01")
        self._pay(invoice, 1000.0, date="2026-01-20")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.resolution, "customer_paid")
        self.assertFalse(self._takeovers(dispute))

    def test_payment_goes_through_when_the_dispute_cannot_resolve(self):
        """A dispute opened 5 days ahead (before such dates were refused):
        resolving it today is refused, the payment is not."""
        invoice = self._invoice(1000.0)
        with freeze_time("2026-03-10"):
            dispute = self._dispute(invoice, opened="2026-03-10")
        dispute.user_id = self.owner
        with freeze_time("2026-03-05"):
            self._pay(invoice, 1000.0, date="2026-03-05")
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertEqual(dispute.state, "open", "left for a person")
        activity = self._takeovers(dispute)
        self.assertEqual(activity.user_id, self.owner)
        self.assertIn("Resolve this dispute", activity.summary)
        self.assertTrue(self._notes(dispute, "cannot be resolved before"))

    def test_one_hand_over_per_task_in_a_foreign_currency(self):
        """Odoo reconciles an exchange difference too: still one activity."""
        currency = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 2.0), ("2026-03-01", 2.5)]
        )
        invoice = self._invoice(1000.0, currency=currency)
        with freeze_time("2026-03-10"):
            dispute = self._dispute(invoice, opened="2026-03-10")
        with freeze_time("2026-03-05"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {
                    "payment_date": "2026-03-05",
                    "currency_id": currency.id,
                    "amount": 1000.0,
                }
            )._create_payments()
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(dispute.state, "open", "left for a person")
        self.assertEqual(len(self._takeovers(dispute)), 1)

    def test_a_dispute_that_cannot_resolve_does_not_hold_the_others(self):
        """One payment for two invoices: the dispute that can resolve does."""
        self.env.company.dispute_manager_id = self.manager
        invoices = self._invoice(1000.0) + self._invoice(500.0)
        with freeze_time("2026-03-10"):
            blocked = self._dispute(invoices[0], opened="2026-03-10")
        settled = self._dispute(invoices[1], opened="2026-02-01")
        with freeze_time("2026-03-05"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create(
                {"payment_date": "2026-03-05", "group_payment": True, "amount": 1500}
            )._create_payments()
        self.assertTrue(
            all(inv.currency_id.is_zero(inv.amount_residual) for inv in invoices)
        )
        self.assertEqual(settled.state, "resolved")
        self.assertEqual(settled.date_resolved, D("2026-03-05"))
        self.assertFalse(self._takeovers(settled))
        self.assertEqual(blocked.state, "open")
        self.assertEqual(self._takeovers(blocked).user_id, self.manager)
        blocked._autoresolve()
        self.assertEqual(blocked.state, "resolved", "taken over on a later day")

    def test_payment_and_bank_line_in_every_state_of_a_dispute(self):
        for state in ALL_STATES:
            with self.subTest(state=state):
                invoice = self._invoice(1000.0)
                dispute = self._dispute_in_state(invoice, state)
                self._pay(invoice, 400.0, date="2026-03-10")
                self.assertEqual(invoice.amount_residual, 600.0)
                self._reconcile_bank_line(invoice, 600.0, "2026-03-12")
                self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
                expected = "resolved" if state not in ("draft", "cancelled") else state
                self.assertEqual(dispute.state, expected)
                self.assertFalse(self._takeovers(dispute))

    # ------------------------------------------------------------------
    # 2. Configuration does not rewrite history
    # ------------------------------------------------------------------

    def test_new_days_to_settle_move_no_deadline(self):
        self.reason.sla_days = 30
        resolved = self._dispute(self._invoice(), opened="2026-02-01")
        resolved._resolve("withdrawn", date_resolved=D("2026-02-20"))
        typed = self._dispute(self._invoice(), opened="2026-02-01")
        typed.date_deadline = "2026-04-15"
        running = self._dispute(self._invoice(), opened="2026-02-01")
        self.assertEqual(running.date_deadline, D("2026-03-03"))
        self.Dispute._cron_dispute_escalation()
        self.assertEqual(running.date_escalated, self._today())

        self.reason.sla_days = 45
        self.assertEqual(resolved.date_deadline, D("2026-03-03"))
        self.assertEqual(typed.date_deadline, D("2026-04-15"))
        self.assertEqual(running.date_deadline, D("2026-03-03"))
        self.assertEqual(running.date_escalated, self._today(), "same deadline")
        later = self._dispute(self._invoice(), opened="2026-02-01")
        self.assertEqual(later.date_deadline, D("2026-03-18"), "opened afterwards")

    def test_new_reason_sets_a_new_deadline_unless_typed(self):
        other = self.env.ref("account_dispute.reason_incomplete_delivery")  # 20 days
        computed = self._dispute(self._invoice(), opened="2026-02-01")
        typed = self._dispute(self._invoice(), opened="2026-02-01")
        typed.date_deadline = "2026-04-15"
        self.assertEqual(computed.date_deadline, D("2026-02-16"))
        self.Dispute._cron_dispute_escalation()
        self.assertTrue(computed.date_escalated)
        (computed | typed).reason_id = other
        self.assertEqual(computed.date_deadline, D("2026-02-21"))
        self.assertFalse(computed.date_escalated, "a new deadline, a new chance")
        self.assertEqual(typed.date_deadline, D("2026-04-15"))

    def test_reason_in_use_cannot_be_deleted(self):
        reason = self.env["account.dispute.reason"].create(
            {"name": "Damaged in transit", "category": "delivery", "sla_days": 20}
        )
        dispute = self._dispute(self._invoice(), reason_id=reason.id)
        dispute._resolve("credit_note", date_resolved=D("2026-02-20"))
        with self.assertRaisesRegex(UserError, "archive it instead"):
            reason.unlink()
        reason.action_archive()
        reason.category = "quality"
        self.assertEqual(dispute.reason_id, reason)
        self.assertEqual(dispute.reason_category, "delivery", "as recorded")
        unused = self.env["account.dispute.reason"].create({"name": "Never used"})
        unused.unlink()
        self.assertFalse(unused.exists())

    # ------------------------------------------------------------------
    # 3. What the user typed stays
    # ------------------------------------------------------------------

    def test_invoice_added_to_a_typed_amount(self):
        inv_a, inv_b = self._invoice(300.0), self._invoice(300.0)
        dispute = self._dispute(inv_a, amount_disputed=30.0)
        dispute.invoice_ids = [Command.link(inv_b.id)]
        self.assertEqual(dispute.amount_disputed, 330.0)
        dispute.invoice_ids = [Command.unlink(inv_b.id)]
        self.assertEqual(dispute.amount_disputed, 30.0)
        dispute.invoice_ids = [Command.link(inv_b.id)]
        dispute.invoice_ids = [Command.unlink(inv_a.id)]
        self.assertEqual(dispute.amount_disputed, 300.0, "what B contests")
        dispute.write({"invoice_ids": [Command.set(inv_a.ids)], "amount_disputed": 50})
        dispute.invoice_ids = [Command.link(inv_b.id)]
        self.assertEqual(dispute.amount_disputed, 350.0)

    def test_invoice_taken_off_takes_its_share_away(self):
        """A total is shared in proportion to what is left to pay on each
        invoice; an invoice taken off takes its share away."""
        inv_a, inv_b = self._invoice(300.0), self._invoice(200.0)
        dispute = self._dispute(inv_a + inv_b, amount_disputed=100.0)
        self.assertEqual(
            sorted(dispute.line_ids.mapped("amount_disputed")), [40.0, 60.0]
        )
        dispute.invoice_ids = [Command.unlink(inv_a.id)]
        self.assertEqual(dispute.amount_disputed, 40.0)

    def test_typed_amount_stays_in_the_form(self):
        inv_a, inv_b = self._invoice(300.0), self._invoice(300.0)
        with Form(self.Dispute) as form:
            form.partner_id = self.partner_a
            form.invoice_ids.add(inv_a)
            self.assertEqual(form.amount_disputed, 300.0)
            form.amount_disputed = 30.0
            form.invoice_ids.add(inv_b)
            self.assertEqual(form.amount_disputed, 330.0)
            form.invoice_ids.remove(id=inv_b.id)
            self.assertEqual(form.amount_disputed, 30.0)
        dispute = form.record
        self.assertEqual(dispute.amount_disputed, 30.0)
        with Form(dispute) as form:
            form.invoice_ids.add(inv_b)
            self.assertEqual(form.amount_disputed, 330.0)
        self.assertEqual(dispute.amount_disputed, 330.0)
        dispute.invoice_ids = [Command.unlink(inv_b.id)]
        self.assertEqual(dispute.amount_disputed, 30.0)

    def _line_index(self, dispute, invoice):
        """Where ``invoice``'s contested amount is in the dispute's list."""
        return dispute.line_ids.move_id.ids.index(invoice.id)

    def test_amount_per_invoice_in_the_form(self):
        """A person sets the amount contested on each invoice: those amounts
        win, the total is their sum, the rest of the invoice stays due."""
        inv_a, inv_b = self._invoice(1000.0), self._invoice(600.0)
        dispute = self.Dispute.create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set((inv_a | inv_b).ids)],
                "reason_id": self.reason.id,
                "channel": "phone",
            }
        )
        self.assertEqual(dispute.amount_disputed, 1600.0)
        with Form(dispute) as form:
            with form.line_ids.edit(self._line_index(dispute, inv_b)) as line:
                self.assertEqual(line.amount_residual, 600.0)
                line.amount_disputed = 100.0
            self.assertEqual(form.amount_disputed, 1100.0, "shown before saving")
        self.assertEqual(dispute.amount_disputed, 1100.0)
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {inv_a: 1000.0, inv_b: 100.0},
        )
        dispute.action_open()
        self.assertEqual(inv_b.amount_contested, 100.0)
        self.assertEqual(inv_b.amount_residual_uncontested, 500.0)
        self.assertFalse(inv_b.is_contested, "contested in part")
        self.assertFalse(inv_b.dispute_suspension_date, "its dates stay")
        self.assertEqual(inv_b.status_in_payment, "not_paid", "Odoo's status")
        self.assertTrue(inv_a.is_contested)
        self.assertEqual(inv_a.amount_residual_uncontested, 0.0)
        self.assertEqual(inv_a.status_in_payment, "suspended")

    def test_amount_per_invoice_with_an_invoice_added(self):
        """An invoice added in the same save as a line edited is contested for
        what is left to pay on it; the line edited keeps its amount."""
        inv_a, inv_b = self._invoice(1000.0), self._invoice(600.0)
        dispute = self._dispute(inv_a)
        with Form(dispute) as form:
            with form.line_ids.edit(0) as line:
                line.amount_disputed = 250.0
            form.invoice_ids.add(inv_b)
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {inv_a: 250.0, inv_b: 600.0},
        )
        self.assertEqual(dispute.amount_disputed, 850.0)
        self.assertEqual(inv_a.amount_residual_uncontested, 750.0)

    def test_total_typed_in_the_form_is_shared(self):
        inv_a, inv_b = self._invoice(1000.0), self._invoice(600.0)
        dispute = self._dispute(inv_a | inv_b)
        with Form(dispute) as form:
            form.amount_disputed = 800.0
        # 800.00 x 1,000 / 1,600 = 500.00 on A, the rest (300.00) on B.
        self.assertEqual(
            {line.move_id: line.amount_disputed for line in dispute.line_ids},
            {inv_a: 500.0, inv_b: 300.0},
        )
        self.assertEqual(inv_b.amount_residual_uncontested, 300.0)

    def test_amount_per_invoice_is_checked_and_closed_when_resolved(self):
        inv_a = self._invoice(1000.0)
        dispute = self._dispute(inv_a)
        form = Form(dispute)
        with form.line_ids.edit(0) as line:
            line.amount_disputed = 1000.01
        with self.assertRaises(ValidationError):
            form.save()
        self.env.invalidate_all()
        self.assertEqual(dispute.line_ids.amount_disputed, 1000.0)
        dispute._resolve("withdrawn", date_resolved=self._today())
        self.assertTrue(Form(dispute)._get_modifier("line_ids", "readonly"))

    def test_typed_amount_stays_in_the_opening_wizard(self):
        inv_a, inv_b = self._invoice(300.0), self._invoice(300.0)
        Wizard = self.env["account.dispute.open.wizard"]
        with Form(Wizard.with_context(default_invoice_ids=inv_a.ids)) as form:
            self.assertEqual(form.amount_disputed, 300.0)
            form.amount_disputed = 30.0
            form.invoice_ids.add(inv_b)
            self.assertEqual(form.amount_disputed, 330.0)
            form.reason_id = self.reason
        form.record.action_confirm()
        self.assertEqual(inv_a.dispute_ids.amount_disputed, 330.0)

    def test_typed_fault_and_owner_stay_when_the_reason_changes(self):
        unpaid = self.env.ref("account_dispute.reason_unpaid_no_reason")
        unpaid.user_id = self.other_owner
        self.reason.user_id = self.owner
        typed, proposed = (
            self.Dispute.create(
                {
                    "partner_id": self.partner_a.id,
                    "invoice_ids": [Command.set(self._invoice().ids)],
                    "reason_id": self.reason.id,
                }
            )
            for _i in range(2)
        )
        self.assertEqual(typed.fault, "company")
        self.assertEqual(typed.user_id, self.owner)
        typed.write({"fault": "shared", "user_id": self.manager.id})
        (typed | proposed).reason_id = unpaid
        self.assertEqual(typed.fault, "shared")
        self.assertEqual(typed.user_id, self.manager)
        self.assertEqual(proposed.fault, "customer", "the reason's, as proposed")
        self.assertEqual(proposed.user_id, self.other_owner)

    # ------------------------------------------------------------------
    # 4. Alerts survive a reopening
    # ------------------------------------------------------------------

    def test_reopened_dispute_is_alerted_again(self):
        self.env.company.write(
            {"dispute_manager_id": self.manager.id, "dispute_escalation_days": 7}
        )
        dispute = self._dispute(self._invoice(), opened="2026-02-01")
        self.Dispute._cron_dispute_escalation()
        self.Dispute._cron_dispute_escalation()
        self.assertEqual(len(self._escalations(dispute)), 2, "owner, then manager")
        dispute.action_cancel()
        dispute.action_draft()
        # The customer had complained on 1 February: the clock starts there.
        dispute.date_opened = "2026-02-01"
        dispute.action_open()
        self.assertFalse(dispute.date_escalated)
        self.assertFalse(dispute.date_escalated_manager)
        self.Dispute._cron_dispute_escalation()
        self.Dispute._cron_dispute_escalation()
        self.assertEqual(len(self._escalations(dispute)), 4)
        self.assertEqual(dispute.date_escalated, self._today())
