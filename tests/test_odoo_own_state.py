# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AccountDisputeCommon
from .test_intake import _raw_email

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestOdooOwnState(AccountDisputeCommon):
    """Odoo's own state stays Odoo's (issue 25, point 8): the addon's
    bookkeeping does not mark invoices as modified by hand, a dispute's owner
    does not depend on whose session computes it, its contact belongs to its
    company, and the mail router is changed for disputes only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company = cls.env.company
        cls.clerk, cls.other_clerk = (
            new_test_user(
                cls.env,
                login=login,
                groups="account.group_account_invoice,"
                "account_dispute.group_account_dispute_user",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
            )
            for login in ("ad_clerk_25", "ad_other_clerk_25")
        )

    def _call(self, user, model, method, *args, **kwargs):
        """``method`` called as ``user`` through JSON-RPC's ``call_kw``."""
        return api.call_kw(self.env(user=user)[model], method, list(args), kwargs)

    # ------------------------------------------------------------------
    # is_manually_modified
    # ------------------------------------------------------------------

    def test_posting_does_not_mark_the_invoice_modified_by_hand(self):
        invoice_id = self._call(
            self.clerk,
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_a.id,
                "invoice_date": "2026-01-10",
                "invoice_payment_term_id": self.pay_terms_installments.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goods", "price_unit": 1000.0, "tax_ids": False}
                    )
                ],
            },
        )
        invoice = self.env["account.move"].browse(invoice_id)
        self.assertFalse(invoice.is_manually_modified)
        self._call(self.clerk, "account.move", "action_post", invoice.ids)
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.is_manually_modified)
        terms = invoice._dispute_term_lines().sorted("date_maturity")
        self.assertEqual(
            terms.mapped("date_maturity_contractual"), terms.mapped("date_maturity")
        )
        # Reset to draft and posted again: still Odoo's own posting.
        self._call(self.clerk, "account.move", "button_draft", invoice.ids)
        invoice.is_manually_modified = False
        self._call(self.clerk, "account.move", "action_post", invoice.ids)
        self.assertFalse(invoice.is_manually_modified)
        self.assertEqual(
            terms.mapped("date_maturity_contractual"), terms.mapped("date_maturity")
        )

    def test_declaring_a_loss_does_not_mark_the_invoices_modified_by_hand(self):
        policy = self.env["account.credit.insurance.policy"].create(
            {
                "name": "AC-0025",
                "insurer_id": self.partner_b.id,
                "declaration_days": 90,
            }
        )
        self.env["account.credit.insurance.cover"].create(
            {
                "policy_id": policy.id,
                "partner_id": self.partner_a.id,
                "amount_cover": 10000.0,
                "date_start": "2026-01-01",
            }
        )
        invoice = self._invoice(1000.0, terms=self.terms_30)
        invoice.is_manually_modified = False
        with freeze_time("2026-04-25"):
            invoice._credit_insurance_declare()
        self.assertEqual(invoice.insurance_declared_date, D("2026-04-25"))
        self.assertFalse(invoice.is_manually_modified)

    # ------------------------------------------------------------------
    # The dispute's owner
    # ------------------------------------------------------------------

    def test_owner_does_not_depend_on_who_computes_it(self):
        """No reason owner, salesperson or manager: the clerk who records the
        dispute owns it, and another clerk changing its reason does not take
        it over, in the form or on saving."""
        self.env.company.dispute_manager_id = False
        self.partner_a.user_id = False
        reason = self.reason
        other_reason = self.env.ref("account_dispute.reason_other")
        (reason | other_reason).user_id = False
        dispute_id = self._call(
            self.clerk,
            "account.dispute",
            "create",
            {
                "partner_id": self.partner_a.id,
                "invoice_ids": [Command.set(self._invoice(100.0).ids)],
                "reason_id": reason.id,
            },
        )
        dispute = self.env["account.dispute"].browse(dispute_id)
        self.assertEqual(dispute.user_id, self.clerk)
        with Form(dispute.with_user(self.other_clerk)) as form:
            form.reason_id = other_reason
            self.assertEqual(form.user_id, self.clerk)
        self._call(
            self.other_clerk,
            "account.dispute",
            "write",
            dispute.ids,
            {"reason_id": reason.id},
        )
        for user in (self.clerk, self.other_clerk):
            [values] = self._call(
                user, "account.dispute", "read", dispute.ids, ["user_id"]
            )
            self.assertEqual(values["user_id"][0], self.clerk.id, user.login)
        # A reason that has an owner still gives it the dispute.
        other_reason.user_id = self.other_clerk
        dispute.reason_id = other_reason
        self.assertEqual(dispute.user_id, self.other_clerk)

    # ------------------------------------------------------------------
    # The dispute's contact
    # ------------------------------------------------------------------

    def test_contact_of_another_company_is_refused(self):
        company_b = self.setup_other_company()["company"]
        manager = new_test_user(
            self.env,
            login="ad_manager_25",
            groups="account.group_account_manager,"
            "account_dispute.group_account_dispute_manager",
            company_id=self.env.company.id,
            company_ids=[Command.set((self.env.company | company_b).ids)],
        )
        companies = self.env.company | company_b
        env = self.env(user=manager, context={"allowed_company_ids": companies.ids})
        dispute = self._dispute(self._invoice(100.0))
        stranger = self.env["res.partner"].create(
            {"name": "Contact of company B", "company_id": company_b.id}
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            api.call_kw(
                env["account.dispute"],
                "write",
                [dispute.ids, {"contact_id": stranger.id}],
                {},
            )
        self._call(
            self.clerk,
            "account.dispute",
            "write",
            dispute.ids,
            {"contact_id": self.partner_a_contact.id},
        )
        self.assertEqual(dispute.contact_id, self.partner_a_contact)

    # ------------------------------------------------------------------
    # The mail router
    # ------------------------------------------------------------------

    def test_mail_router_leaves_other_models_alone(self):
        """A reply to a message of a contact, from a stranger, is routed by
        Odoo alone: the disputes' rule is not consulted, and the reply is
        posted where Odoo put it, as an answer to its message."""
        note = self.partner_b.message_post(body="Call back", message_type="comment")
        raw = _raw_email(
            "nobody@elsewhere.example.org",
            "catchall@company.example.com",
            "Re: Call back",
            "Done.",
            "<reply-25@elsewhere.example.org>",
            in_reply_to=note.message_id,
        )
        Dispute = type(self.env["account.dispute"])
        with (
            patch.object(
                Dispute,
                "_route_reply",
                autospec=True,
                side_effect=Dispute._route_reply,
            ) as route_reply,
            mute_logger("odoo.addons.mail.models.mail_thread"),
        ):
            thread_id = self.env["mail.thread"].message_process(None, raw)
        route_reply.assert_not_called()
        self.assertEqual(thread_id, self.partner_b.id)
        reply = self.partner_b.message_ids.filtered(
            lambda m: m.message_id == "<reply-25@elsewhere.example.org>"
        )
        self.assertEqual(reply.parent_id, note)
        self.assertFalse(self.env["account.dispute"].search([("to_review", "=", True)]))
