# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl

from odoo import SUPERUSER_ID, Command, fields, http
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.account_dispute.controllers.portal import AccountDisputePortal

from .common import AccountDisputeCommon
from .test_intake import PortalCommon, _raw_email

D = fields.Date.to_date

# Invoices of 2026-01-10 on 30 days are due on 2026-02-09: the first level of
# the ladder (D+7) is reached on 2026-02-16.
RUN_DATE = "2026-02-16"


class ContestCommon(AccountDisputeCommon):
    """Two overdue invoices of partner A waiting in one draft reminder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company = cls.env.company
        company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "dispute-test.example.com"}
        )
        company.dispute_alias_name = "litiges"
        cls.partner_a_contact.email = "clerk@partner-a.example.com"
        cls.invoicing = cls.env["res.partner"].create(
            {
                "name": "Partner A, accounts payable",
                "type": "invoice",
                "parent_id": cls.partner_a.id,
                "email": "invoices@partner-a.example.com",
            }
        )

    def setUp(self):
        super().setUp()
        self.contested = self._inv(1000.0)
        self.other = self._inv(250.0)
        self.letter = self._run(RUN_DATE)
        self.assertEqual(self.letter.invoice_ids, self.contested | self.other)

    def _inv(self, amount, partner=None):
        return self._invoice(amount, partner=partner, terms=self.terms_30)

    def _run(self, date):
        return self.env["account.dunning.letter"]._run_escalation(date=D(date))

    def _contest_on_portal(self, invoice, amount=None, author=None):
        """As the portal's route does: as the superuser, for the customer;
        all that is left to pay unless ``amount`` is given."""
        if amount is None:
            amount = invoice.amount_residual
        return (
            self.env["account.dispute"]
            .sudo()
            ._create_from_portal(
                invoice.sudo(),
                reason=self.reason,
                amount=amount,
                message="<p>The price is not the one quoted.</p>",
                attachment=None,
                author=author or self.partner_a_contact,
            )
            .with_env(self.env)
        )

    def _contest_by_email(self, invoice, sender="clerk@partner-a.example.com"):
        raw = _raw_email(
            sender,
            "litiges@dispute-test.example.com",
            f"Contestation de la facture {invoice.name}",
            "Le prix facturé n'est pas celui du devis.",
            f"<contest-{invoice.id}@partner-a.example.com>",
        )
        gateway = self.env["mail.thread"].with_user(SUPERUSER_ID)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            return self.env["account.dispute"].browse(
                gateway.message_process(None, raw)
            )

    def _sent_to_customer(self, dispute, subject):
        return dispute.message_ids.filtered(lambda m: subject in (m.subject or ""))


@tagged("post_install", "-at_install")
class TestContestStopsThePressure(ContestCommon):
    """One rule: the customer's word takes the invoice out of the dunning at
    once, on both channels, for the nightly run and for Send."""

    def test_portal_contest_leaves_the_draft_letter_at_once(self):
        dispute = self._contest_on_portal(self.contested)
        self.assertEqual(dispute.state, "draft")
        self.assertTrue(self.contested.is_contested)
        self.assertFalse(self.contested.is_disputed, "due dates not suspended yet")
        self.assertEqual(self.letter.state, "draft")
        self.assertEqual(self.letter.invoice_ids, self.other)
        self.assertEqual(self.letter.amount_due, 250.0, "claimed anew")

    def test_email_contest_cancels_the_letter_it_was_alone_in(self):
        self.letter.invoice_ids = [Command.unlink(self.other.id)]
        dispute = self._contest_by_email(self.contested)
        self.assertEqual(dispute.channel, "email")
        self.assertEqual(dispute.invoice_ids, self.contested)
        self.assertEqual(dispute.state, "draft")
        self.assertTrue(self.contested.is_contested)
        self.assertEqual(self.letter.state, "cancelled")

    def test_nightly_run_leaves_contested_invoices_alone(self):
        self.letter.action_cancel()
        self._contest_by_email(self.contested)
        letter = self._run(RUN_DATE)
        self.assertEqual(letter.invoice_ids, self.other)
        self.assertFalse(
            self.env["account.dunning.letter"].search(
                [("invoice_ids", "in", self.contested.ids)]
            )
            - self.letter
        )

    def test_plan_lock_drops_an_invoice_contested_meanwhile(self):
        self.letter.action_cancel()
        Run = self.env["account.dunning.run"]
        plan = Run._get_dunning_plan(self.env.company, self.levels, D(RUN_DATE), None)
        self._contest_on_portal(self.contested)
        locked = Run._lock_plan_invoices(plan)
        self.assertEqual(
            [move_id for ids in locked.values() for move_id in ids], self.other.ids
        )

    def test_send_leaves_out_a_contested_invoice_put_back_by_hand(self):
        self._contest_on_portal(self.contested)
        self.letter.invoice_ids = [Command.link(self.contested.id)]
        self.letter.action_send()
        self.assertEqual(self.letter.state, "sent")
        self.assertEqual(self.letter.invoice_ids, self.other)
        self.assertFalse(self.contested.dunning_level_id, "never reminded")
        self.assertEqual(self.other.dunning_level_id, self.level_1)

    def test_letter_offers_no_contested_invoice(self):
        self._contest_on_portal(self.contested)
        domain = self.env["account.dunning.letter"]._fields["invoice_ids"].domain
        self.assertIn("('is_contested', '=', False)", domain)

    def test_draft_recorded_by_the_company_does_not_hold(self):
        """Only the customer's written word holds a draft: a draft recorded
        by phone holds the invoice once it is opened."""
        dispute = self.env["account.dispute"].create(
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(self.contested.ids)],
                "reason_id": self.reason.id,
                "channel": "phone",
            }
        )
        self.assertFalse(self.contested.is_contested)
        self.assertEqual(self.letter.invoice_ids, self.contested | self.other)
        dispute.action_open()
        self.assertTrue(self.contested.is_contested)
        self.assertTrue(self.contested.is_disputed)
        self.assertEqual(self.letter.invoice_ids, self.other)

    def test_invoice_added_to_a_contest_leaves_its_letter(self):
        dispute = self._contest_on_portal(self.other)
        self.assertEqual(self.letter.invoice_ids, self.contested)
        dispute.invoice_ids = [Command.link(self.contested.id)]
        self.assertTrue(self.contested.is_contested)
        self.assertEqual(self.letter.state, "cancelled")

    def test_resolution_returns_the_invoice_to_the_ladder(self):
        dispute = self._contest_on_portal(self.contested)
        dispute.write({"date_opened": "2026-02-16"})
        dispute.action_open()
        dispute._resolve("other", date_resolved=D("2026-02-20"), validity="unfounded")
        self.assertFalse(self.contested.is_contested)
        self.letter.action_cancel()
        self.assertIn(self.contested, self._run("2026-02-20").invoice_ids)


@tagged("post_install", "-at_install")
class TestContestCancellation(ContestCommon):
    """Cancelled as unfounded, with the customer told why."""

    def _cancel(self, dispute, reason):
        action = dispute.action_cancel()
        self.assertEqual(action["res_model"], "account.dispute.cancel.wizard")
        wizard = Form(
            self.env["account.dispute.cancel.wizard"].with_context(**action["context"])
        )
        wizard.reason = reason
        return wizard.save().action_confirm()

    def test_cancel_as_unfounded_tells_the_customer_why(self):
        dispute = self._contest_by_email(self.contested)
        self.assertEqual(dispute.contact_id, self.partner_a_contact)
        self._cancel(dispute, "The unit price is the one of quote Q-12, signed.")
        self.assertEqual(dispute.state, "cancelled")
        self.assertEqual(dispute.validity, "unfounded")
        self.assertEqual(
            dispute.cancel_reason, "The unit price is the one of quote Q-12, signed."
        )
        told = self._sent_to_customer(dispute, "is closed")
        self.assertEqual(len(told), 1)
        self.assertIn(dispute.name, told.subject)
        self.assertIn("quote Q-12, signed", told.body)
        self.assertIn("unfounded", told.body)
        self.assertEqual(told.partner_ids, self.partner_a_contact | self.invoicing)
        self.assertFalse(self.contested.is_contested)

    def test_cancelled_contest_returns_the_invoice_to_the_ladder(self):
        dispute = self._contest_on_portal(self.contested)
        self.assertEqual(self.letter.invoice_ids, self.other)
        self._cancel(dispute, "The goods were delivered as ordered.")
        letter = self._run(RUN_DATE)
        self.assertEqual(letter.invoice_ids, self.contested)
        self.assertEqual(letter.level_id, self.level_1)

    def test_cancelling_an_active_contest_restores_the_due_dates(self):
        dispute = self._contest_on_portal(self.contested)
        due = self.contested.invoice_date_due
        dispute.action_open()
        self._cancel(dispute, "The goods were delivered as ordered.")
        self.assertFalse(self.contested.is_contested)
        self.assertEqual(self.contested.invoice_date_due, due)
        self.assertFalse(self.contested.dispute_suspension_date)

    def test_a_reason_is_required(self):
        dispute = self._contest_on_portal(self.contested)
        wizard = self.env["account.dispute.cancel.wizard"].create(
            {"dispute_id": dispute.id, "reason": "   "}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(dispute.state, "draft")
        self.assertTrue(self.contested.is_contested)

    def test_customer_disputes_are_cancelled_one_by_one(self):
        first = self._contest_on_portal(self.contested)
        second = self._contest_by_email(self.other)
        with self.assertRaisesRegex(UserError, "one by one"):
            (first | second).action_cancel()

    def test_company_dispute_is_cancelled_at_once(self):
        dispute = self._dispute(self.contested, opened="2026-02-16")
        self.assertIs(dispute.action_cancel(), True)
        self.assertEqual(dispute.state, "cancelled")
        self.assertFalse(dispute.cancel_reason)


@tagged("post_install", "-at_install")
class TestContestIntake(ContestCommon):
    """The intake closes its loop."""

    def _review_activities(self, dispute):
        return dispute.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("account_dispute.mail_activity_type_contest")
            )
        )

    def test_portal_review_is_done_when_the_dispute_opens(self):
        dispute = self._contest_on_portal(self.contested)
        activity = self._review_activities(dispute)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, dispute.user_id)
        self.assertIn("Contested on the portal", activity.summary)
        dispute.action_open()
        self.assertFalse(dispute.activity_ids)
        self.assertTrue(
            dispute.message_ids.filtered(
                lambda m: (
                    m.mail_activity_type_id
                    == self.env.ref("account_dispute.mail_activity_type_contest")
                )
            ),
            "marked done, in the chatter",
        )

    def test_email_review_is_done_when_the_dispute_is_cancelled(self):
        dispute = self._contest_by_email(self.contested)
        self.assertEqual(len(self._review_activities(dispute)), 1)
        dispute._cancel_unfounded("Delivered as ordered.")
        self.assertFalse(dispute.activity_ids)

    def test_acknowledgement_goes_to_the_contact_copied_to_invoicing(self):
        dispute = self._contest_by_email(self.contested)
        ack = self._sent_to_customer(dispute, "we have received your dispute")
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.partner_ids, self.partner_a_contact | self.invoicing)
        self.assertEqual(dispute.partner_id, self.partner_a)

    def test_portal_contest_is_acknowledged_to_who_contested(self):
        dispute = self._contest_on_portal(self.contested)
        self.assertEqual(dispute.contact_id, self.partner_a_contact)
        ack = self._sent_to_customer(dispute, "we have received your dispute")
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.partner_ids, self.partner_a_contact | self.invoicing)
        self.assertIn("we will not send you any reminder", ack.body)

    def test_customer_without_invoicing_address_gets_it_once(self):
        self.invoicing.type = "contact"
        dispute = self._contest_by_email(self.contested, sender=self.partner_a.email)
        self.assertEqual(dispute.contact_id, self.partner_a)
        ack = self._sent_to_customer(dispute, "we have received your dispute")
        self.assertEqual(ack.partner_ids, self.partner_a)


@tagged("post_install", "-at_install")
class TestContestShows(ContestCommon):
    """Suspended looks suspended, contested looks contested."""

    def test_status_in_payment(self):
        self.assertEqual(self.contested.status_in_payment, "not_paid")
        dispute = self._contest_on_portal(self.contested)
        self.assertEqual(self.contested.status_in_payment, "contested")
        dispute.action_open()
        self.assertEqual(self.contested.status_in_payment, "suspended")
        self._pay(self.contested, 100.0)
        self.assertEqual(self.contested.payment_state, "partial")
        self.assertEqual(self.contested.status_in_payment, "suspended")
        self.assertEqual(self.other.status_in_payment, "not_paid")

    def test_overdue_filter_leaves_contested_invoices_out(self):
        self._contest_on_portal(self.contested)
        search = self.env.ref("account_dispute.account_move_view_search")
        self.assertIn("('is_contested', '=', False)", search.arch)
        Move = self.env["account.move"]
        late = Move.search(
            [
                ("id", "in", (self.contested | self.other).ids),
                ("invoice_date_due", "<", "2026-02-16"),
                ("is_contested", "=", False),
            ]
        )
        self.assertEqual(late, self.other)

    def test_invoice_list_does_not_show_a_contested_invoice_overdue(self):
        arch = self.env["account.move"].get_views(
            [(self.env.ref("account.view_out_invoice_tree").id, "list")]
        )["views"]["list"]["arch"]
        self.assertIn(
            'name="invoice_date_due" widget="remaining_days"', arch, "Odoo's column"
        )
        self.assertRegex(arch, r'name="invoice_date_due"[^>]*or \(is_contested\)')
        self.assertRegex(
            arch,
            r'name="status_in_payment"[^>]*'
            r'decoration-danger="[^"]*and \(not is_contested\)',
        )

    def test_customer_follow_up_lists_contested_invoices(self):
        self.assertFalse(self.partner_a.contested_invoice_ids)
        dispute = self._contest_on_portal(self.contested)
        self.assertEqual(self.partner_a.contested_invoice_ids, self.contested)
        self.assertEqual(self.partner_a_contact.contested_invoice_ids, self.contested)
        dispute.action_open()
        self.partner_a.invalidate_recordset(["contested_invoice_ids"])
        self.assertEqual(self.partner_a.contested_invoice_ids, self.contested)

    def test_dunning_status_shows_contested_invoices_suspended(self):
        dispute = self._contest_on_portal(self.contested)
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": "dunning", "date_closing": "2026-03-01"}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.file_data)), data_only=True
        )
        rows = {row[1]: row for row in book["Dunning"].iter_rows(values_only=True)}
        contested = rows[self.contested.name]
        self.assertIsNone(contested[4], "no days late")
        self.assertEqual(contested[9], "Yes")
        self.assertEqual(
            contested[10],
            f"Dispute {dispute.name}: contested by the customer, to review",
        )
        other = rows[self.other.name]
        self.assertEqual(other[4], (D("2026-03-01") - D("2026-02-09")).days)
        self.assertEqual(other[9], "No")


@tagged("post_install", "-at_install")
class TestContestPortal(PortalCommon):
    """What the customer sees on the portal."""

    def setUp(self):
        super().setUp()
        self.other = self._invoice(250.0)

    def _contest(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        response = self.url_open(
            f"/my/invoices/{self.invoice.id}/dispute",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": self.invoice._portal_ensure_token(),
                "reason_id": self.reason.id,
                "amount": "1000",
                "message": "The price is wrong",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertTrue(self.invoice.is_contested, "all that was left to pay")

    def _row(self, page, invoice):
        return next(row for row in page.split("<tr") if invoice.name in row)

    def test_invoice_list_shows_contested(self):
        self._contest()
        page = self.url_open("/my/invoices").text
        row = self._row(page, self.invoice)
        self.assertIn('name="invoice_status_contested"', row)
        self.assertNotIn("Waiting for Payment", row)
        self.assertNotIn("text-danger", row, "no due date in red")
        other = self._row(page, self.other)
        self.assertIn("Waiting for Payment", other)
        self.assertIn("text-danger", other, "overdue")

    def test_invoice_page_shows_contested_not_overdue(self):
        self.authenticate("ad_portal_a", "ad_portal_a")
        page = self.url_open(self.invoice.get_portal_url()).text
        self.assertIn('name="installment_title"', page, "overdue before the contest")
        self._contest()
        page = self.url_open(self.invoice.get_portal_url()).text
        self.assertIn('id="portal_invoice_contested"', page)
        self.assertNotIn('name="installment_title"', page)
        self.assertNotIn("o_portal_sidebar_timeago", page)
        self.assertIn("no reminder is sent meanwhile", page)

    def test_overdue_invoices_leave_out_contested_ones(self):
        self._contest()
        domain = AccountDisputePortal()._get_overdue_invoices_domain(
            partner_id=self.partner_a.id
        )
        self.assertEqual(self.env["account.move"].search(domain), self.other)


@tagged("post_install", "-at_install")
class TestContestTours(PortalCommon):
    """In headless Chromium: the customer on the portal, then the back office."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()

    def test_contest_on_the_portal_updates_the_draft_letter(self):
        """120.00 contested of 1,000.00: the draft letter keeps the invoice
        for the rest, and the portal keeps Pay now for it."""
        other = self._invoice(250.0)
        letter = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-03-01")
        )
        self.assertEqual(letter.invoice_ids, self.invoice | other)
        self.start_tour(
            self.invoice.get_portal_url(),
            "account_dispute_portal_contest",
            login="ad_portal_a",
        )
        dispute = self.env["account.dispute"].search(
            [("invoice_ids", "in", self.invoice.ids)]
        )
        self.assertEqual(dispute.channel, "portal")
        self.assertEqual(dispute.amount_disputed, 120.0)
        self.assertEqual(dispute.state, "draft")
        self.assertEqual(self.invoice.amount_contested, 120.0)
        self.assertFalse(self.invoice.is_contested)
        self.start_tour(
            f"/odoo/action-account_dispute.account_dunning_letter_action/{letter.id}",
            "account_dispute_letter_after_contest",
            login=self.env.user.login,
        )
        self.assertEqual(letter.state, "draft")
        self.assertEqual(letter.invoice_ids, self.invoice | other)

    def test_open_dispute_shows_suspended_in_the_invoice_list(self):
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{self.invoice.id}",
            "account_dispute_backend_open",
            login=self.env.user.login,
        )
        self.assertTrue(self.invoice.is_disputed)
        self.assertEqual(self.invoice.status_in_payment, "suspended")
