# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import api, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestRightsByJob(AccountDisputeCommon):
    """*Send* and *Declare* work for the groups the README names (an
    invoicing user, a Disputes manager) without the *Contact Creation* group,
    through the API as the buttons call them (``call_kw``), and give no right
    to change the customer's contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company = cls.env.company
        cls.users = {
            "billing": new_test_user(
                cls.env,
                login="rj_billing",
                groups="account.group_account_invoice",
                company_id=company.id,
            ),
            "manager": new_test_user(
                cls.env,
                login="rj_manager",
                groups="account.group_account_invoice,"
                "account_dispute.group_account_dispute_manager",
                company_id=company.id,
            ),
        }
        cls.partner_a.email = "compta@partner-a.example.com"
        cls._setup_cover()

    def _call(self, user, records, method, *args):
        env = api.Environment(self.env.cr, user.id, {})
        return api.call_kw(env[records._name], method, [records.ids, *args], {})

    def _letter(self):
        """A draft first reminder (by e-mail) of partner A."""
        invoice = self._invoice(1000.0, terms=self.terms_30)
        with freeze_time("2026-02-20"):
            letter = self.env["account.dunning.letter"]._run_escalation(
                date=D("2026-02-20"), partners=invoice.partner_id
            )
        self.assertEqual((letter.state, letter.level_id), ("draft", self.level_1))
        return letter

    def _email_failed(self):
        letter = self._letter()
        letter._send_now()
        letter._record_email_failure("550 5.1.1 No such mailbox")
        self.assertEqual(letter.state, "email_error")
        return letter

    def test_users_are_no_contact_editors(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                self.assertFalse(user.has_group("base.group_partner_manager"))
                with self.assertRaises(AccessError):
                    self._call(user, self.partner_a, "write", {"comment": "x"})

    def test_send(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                letter = self._letter()
                self._call(user, letter, "action_send")
                self.assertEqual(letter.state, "sent")
                self.assertEqual(letter.invoice_ids.dunning_level_id, self.level_1)

    def test_send_again_after_failures(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                letter = self._letter()
                # Set up as the sending does after its last failed attempt.
                letter._write_internal({"sending_state": "blocked"})
                self._call(user, letter, "action_send_again")
                self.assertEqual(letter.sending_state, "queued")
                self.env["account.dunning.run"]._cron_send()
                self.assertEqual(letter.state, "sent")

    def test_email_again_and_mark_posted(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                letter = self._email_failed()
                self._call(user, letter, "action_resend_email")
                self.assertEqual(letter.state, "sent")
                letter = self._email_failed()
                self._call(user, letter, "action_mark_posted")
                self.assertEqual(letter.state, "sent")

    def test_declare(self):
        for name, user in self.users.items():
            with self.subTest(user=name):
                first = self._invoice(1000.0, terms=self.terms_30)
                with freeze_time("2026-04-25"):
                    self._call(user, self.partner_a, "action_credit_insurance_declare")
                self.assertEqual(first.insurance_declared_date, D("2026-04-25"))
                self.assertEqual(self.cover.date_declared, D("2026-04-25"))
                second = self._invoice(500.0, terms=self.terms_30)
                with freeze_time("2026-04-26"):
                    self._call(user, second, "action_credit_insurance_declare")
                self.assertEqual(second.insurance_declared_date, D("2026-04-26"))
                self.assertEqual(self.cover.date_declared, D("2026-04-26"))
