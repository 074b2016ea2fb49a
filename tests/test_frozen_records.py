# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .frozen_common import FORGED_CONTEXT, D, FrozenRecordsCommon


@tagged("post_install", "-at_install")
class TestFrozenDisputes(FrozenRecordsCommon):
    """A dispute is resolved by its Resolve wizard only, which gives its
    invoices their new due dates; a plain write would not (issue 25)."""

    def setUp(self):
        super().setUp()
        self.disputed = self._invoice(500.0, terms=self.terms_30)
        self.dispute = self._dispute(self.disputed, opened="2026-02-20")

    def test_dispute_is_not_resolved_by_write(self):
        for vals in (
            {"state": "resolved"},
            {"state": "cancelled"},
            {"resolution": "withdrawn", "date_resolved": "2026-03-01"},
            {"due_date_policy": "keep"},
            {"date_due_custom": "2026-04-30"},
        ):
            self.assertRefused(self.dispute, "write", vals, message="Resolve")
        self.assertRefused(
            self.dispute,
            "write",
            {"state": "resolved"},
            message="Resolve",
            context=FORGED_CONTEXT,
        )
        self.assertRecordValues(self.dispute, [{"state": "open", "resolution": False}])
        self.assertTrue(self.disputed.is_disputed)
        # What the form edits stays editable.
        self._call(self.billing, self.dispute, "write", {"contract_ref": "C-12"})
        self.assertEqual(self.dispute.contract_ref, "C-12")

    def test_dispute_is_not_created_resolved(self):
        vals = {
            "partner_id": self.partner_a.id,
            "invoice_ids": [Command.set(self.invoice.ids)],
            "reason_id": self.reason.id,
        }
        Dispute = self.env["account.dispute"]
        self.assertRefused(
            Dispute,
            "create",
            {**vals, "state": "resolved", "resolution": "withdrawn"},
            message="Resolve",
        )
        dispute_id = self._call(
            self.billing, Dispute, "create", vals, context={"default_state": "resolved"}
        )
        self.assertEqual(Dispute.browse(dispute_id).state, "draft")

    def test_dispute_buttons_still_work_for_a_billing_user(self):
        self._call(self.billing, self.dispute, "action_negotiate")
        self.assertEqual(self.dispute.state, "negotiation")
        with freeze_time("2026-03-02"):
            action = self._call(self.billing, self.dispute, "action_resolve")
            form = Form(
                self.env[action["res_model"]]
                .with_user(self.billing)
                .with_context(**action["context"])
            )
            form.resolution = "price_adjustment"
            form.validity = "founded"
            form.due_date_policy = "restart"
            form.save().action_confirm()
        self.assertRecordValues(
            self.dispute,
            [
                {
                    "state": "resolved",
                    "resolution": "price_adjustment",
                    "date_resolved": D("2026-03-02"),
                }
            ],
        )
        # The resolution's logic ran: the invoice is due again, 30 days on.
        self.assertFalse(self.disputed.is_disputed)
        self.assertEqual(self.disputed.invoice_date_due, D("2026-04-01"))


@tagged("post_install", "-at_install")
class TestFrozenRecoveryFiles(FrozenRecordsCommon):
    """A recovery file is marked filed by Mark as Filed only; a filed file
    is kept as it was filed (issue 25)."""

    def setUp(self):
        super().setUp()
        with freeze_time("2026-12-09"):
            self.recovery = self.env["account.dispute.recovery"]._create_from_notice(
                self.notice, "injunction"
            )
        self.recovery.acknowledgement_file = base64.b64encode(b"%PDF-1.4 receipt")

    def _file(self, user=None):
        with freeze_time("2026-12-11"):
            self._call(user or self.billing, self.recovery, "action_file")
        self.assertRecordValues(
            self.recovery, [{"state": "filed", "date_filed": D("2026-12-11")}]
        )

    def test_recovery_file_is_not_marked_filed_by_write(self):
        self.assertRefused(
            self.recovery,
            "write",
            {"state": "filed", "date_filed": "2001-01-01"},
            message="Mark as Filed",
        )
        self.assertRecordValues(
            self.recovery, [{"state": "draft", "date_filed": False}]
        )

    def test_filed_recovery_file_is_read_only(self):
        self._file()
        rows = self.recovery.line_ids
        for vals in (
            {"date_filed": "2001-01-01"},
            {"debtor_representative": "Someone else"},
            {"court_name": "Another court"},
            {"state": "closed"},
            {"acknowledgement_file": base64.b64encode(b"%PDF-1.4 other")},
        ):
            self.assertRefused(self.recovery, "write", vals, message="was filed")
        self.assertRefused(self.recovery, "unlink", message="kept as a record")
        self.assertRefused(rows[:1], "write", {"amount": 1.0}, message="was filed")
        self.assertRefused(rows, "unlink", message="was filed")
        self.assertRefused(
            rows.browse(),
            "create",
            {
                "recovery_id": self.recovery.id,
                "line_type": "penalty",
                "name": "Penalty",
                "amount": 999.0,
            },
            message="was filed",
        )
        receipt = self.recovery._get_field_attachment("acknowledgement_file")
        self.assertRefused(receipt, "write", {"name": "other.pdf"}, message="was filed")
        self.assertRefused(receipt, "unlink", message="was filed")
        self.assertEqual(self.recovery.line_ids, rows)
        self.assertEqual(self.recovery.date_filed, D("2026-12-11"))

    def test_registry_reference_entered_once_after_filing(self):
        self._file()
        self._call(self.billing, self.recovery, "write", {"filing_ref": "IP 2026/0042"})
        self.assertEqual(self.recovery.filing_ref, "IP 2026/0042")
        self.assertRefused(
            self.recovery, "write", {"filing_ref": "IP 2026/0043"}, message="was filed"
        )

    def test_recovery_buttons_still_work_for_a_billing_user(self):
        self._call(self.billing, self.recovery, "write", {"date_filed": "2026-12-10"})
        with freeze_time("2026-12-11"):
            self._call(self.billing, self.recovery, "action_file")
        self.assertRecordValues(
            self.recovery, [{"state": "filed", "date_filed": D("2026-12-10")}]
        )
        self._call(self.billing, self.recovery, "action_reset_draft")
        self.assertEqual(self.recovery.state, "draft")
        self._call(self.billing, self.recovery, "write", {"date_filed": False})
        self._file()
        self._call(self.billing, self.recovery, "action_close")
        self.assertEqual(self.recovery.state, "closed")


@tagged("post_install", "-at_install")
class TestFrozenPaymentPlans(FrozenRecordsCommon):
    """A plan moves on by the payments, the nightly check and Cancel the
    Plan; it is deleted only once cancelled and relied on by nothing."""

    def setUp(self):
        super().setUp()
        self.planned = self._invoice(900.0, terms=self.terms_30)
        self.plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
            self.planned, date_first=D("2026-03-01")
        )

    def test_running_plan_is_kept(self):
        self.assertRefused(self.plan, "unlink", message="Cancel it instead")
        for vals in ({"state": "done"}, {"date_broken": "2026-03-20"}):
            self.assertRefused(self.plan, "write", vals, message="Cancel the Plan")
        self.assertRecordValues(self.plan, [{"state": "running", "date_broken": False}])

    def test_cancelled_plan_deleted_unless_relied_on(self):
        self._call(self.billing, self.plan, "action_cancel")
        self.assertEqual(self.plan.state, "cancelled")
        acknowledged = self.env["account.move.limitation.event"].search(
            [("payment_plan_id", "=", self.plan.id)]
        )
        if acknowledged:
            self.assertRefused(
                self.plan, "unlink", message="acknowledgement of the", users=["manager"]
            )
            acknowledged.unlink()
        self._call(self.manager, self.plan, "unlink")
        self.assertFalse(self.plan.exists())


@tagged("post_install", "-at_install")
class TestFrozenCovers(FrozenRecordsCommon):
    """A cover on which a threatened loss was declared is kept as the
    declaration relied on it, as is its policy (issue 25)."""

    def setUp(self):
        super().setUp()
        insurer = self.env["res.partner"].create(
            {"name": "Assurcrédit", "is_company": True}
        )
        self.policy = self.env["account.credit.insurance.policy"].create(
            {"name": "AC-0042", "insurer_id": insurer.id}
        )
        self.cover = self.env["account.credit.insurance.cover"].create(
            {
                "policy_id": self.policy.id,
                "partner_id": self.partner_a.id,
                "amount_cover": 10000.0,
                "date_start": "2026-01-01",
            }
        )
        self.partner_a.write({"vat": "FR23334175221", "company_registry": "334175221"})

    def test_declaration_is_not_written_by_hand(self):
        self.assertRefused(
            self.cover, "write", {"date_declared": "2026-12-01"}, message="Declare"
        )
        self.assertFalse(self.cover.date_declared)

    def test_declared_cover_and_policy_are_kept(self):
        with freeze_time("2026-12-20"):
            self._call(self.manager, self.invoice, "action_credit_insurance_declare")
        self.assertEqual(self.cover.date_declared, D("2026-12-20"))
        for vals in (
            {"amount_cover": 50000.0},
            {"date_start": "2026-06-01"},
            {"date_declared": False},
        ):
            self.assertRefused(self.cover, "write", vals, message="was declared on")
        self.assertRefused(self.cover, "unlink", message="was declared on")
        self.assertRefused(self.policy, "unlink", message="was declared under")
        # The insurer withdraws the cover: it may be ended, once.
        self._call(self.manager, self.cover, "write", {"date_end": "2026-12-31"})
        self.assertRefused(
            self.cover, "write", {"date_end": "2027-12-31"}, message="was declared on"
        )
        self.assertRecordValues(
            self.cover, [{"amount_cover": 10000.0, "date_end": D("2026-12-31")}]
        )
        self._call(self.manager, self.policy, "action_archive")
        self.assertFalse(self.policy.active)
