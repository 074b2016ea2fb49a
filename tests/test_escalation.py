# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestEscalation(AccountDisputeCommon):
    """The nightly alerts on stalled disputes and unpaid formal notices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="ad_dispute_manager",
            groups="account.group_account_manager",
            company_id=cls.env.company.id,
        )
        cls.env.company.write(
            {"dispute_manager_id": cls.manager.id, "dispute_escalation_days": 7}
        )
        cls.activity_type = cls.env.ref("account_dispute.mail_activity_type_escalation")

    def _activities(self, record):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.activity_type
        )

    def test_owner_then_manager_alerted_once(self):
        today = fields.Date.context_today(self.env.user)
        dispute = self._dispute(self._invoice(), opened="2026-02-01")
        dispute.date_deadline = fields.Date.add(today, days=-3)
        Dispute = self.env["account.dispute"]
        Dispute._cron_dispute_escalation()
        self.assertEqual(self._activities(dispute).user_id, dispute.user_id)
        self.assertEqual(dispute.date_escalated, today)
        Dispute._cron_dispute_escalation()
        self.assertEqual(len(self._activities(dispute)), 1, "alerted once")

        dispute.date_deadline = fields.Date.add(today, days=-8)
        self.assertFalse(dispute.date_escalated, "a new deadline resets the alerts")
        Dispute._cron_dispute_escalation()
        Dispute._cron_dispute_escalation()
        activities = self._activities(dispute)
        self.assertEqual(activities.user_id, dispute.user_id | self.manager)
        self.assertEqual(len(activities), 3)

    def test_disputes_on_time_or_closed_are_left_alone(self):
        today = fields.Date.context_today(self.env.user)
        on_time = self._dispute(self._invoice(), opened="2026-02-01")
        on_time.date_deadline = fields.Date.add(today, days=1)
        resolved = self._dispute(self._invoice(), opened="2026-02-01")
        resolved.date_deadline = fields.Date.add(today, days=-30)
        resolved._resolve("withdrawn", date_resolved=fields.Date.to_date("2026-03-01"))
        self.env["account.dispute"]._cron_dispute_escalation()
        self.assertFalse(self._activities(on_time))
        self.assertFalse(self._activities(resolved))

    def test_unpaid_formal_notice_asks_for_external_recourse(self):
        self._setup_ladder()
        self.env.company.dunning_skip_levels = True
        invoice = self._invoice(terms=self.terms_30)
        paid = self._invoice(terms=self.terms_30, partner=self.partner_b)
        Letter = self.env["account.dunning.letter"]
        with freeze_time("2026-03-11"):
            letters = Letter._run_escalation()
            letters.action_send()
        self._pay(paid, 1000.0, date="2026-03-12")
        cron = self.env.ref("account_dispute.ir_cron_dispute_escalation")
        self.assertEqual(cron.code, "model._cron_dispute_escalation()")
        self.env["account.dispute"]._cron_dispute_escalation()
        recourse = self.env.ref("account_dispute.mail_activity_type_recourse")
        unpaid = letters.filtered(lambda x: invoice in x.invoice_ids)
        self.assertEqual(unpaid.activity_ids.activity_type_id, recourse)
        self.assertEqual(unpaid.activity_ids.user_id, self.manager)
        self.assertFalse((letters - unpaid).activity_ids)
        self.env["account.dispute"]._cron_dispute_escalation()
        self.assertEqual(len(unpaid.activity_ids), 1, "alerted once")
