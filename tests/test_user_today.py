# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import fields
from odoo.tests import tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date

# 23:30 UTC on 30 November 2026: already 1 December 2026 in Paris.
LATE_EVENING_UTC = "2026-11-30 23:30:00"


@tagged("post_install", "-at_install")
class TestUserToday(AccountDisputeCommon):
    """Today is the user's today: the letters' dates and the analysis' ages
    follow the user's time zone, not the server's or PostgreSQL's day (UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.tz = "Europe/Paris"
        cls.invoice = cls._invoice(1000.0)

    def _letter_date(self, report, dispute):
        """The place and date printed at the top of a letter."""
        html, __ = self.env["ir.actions.report"]._render_qweb_html(report, dispute.ids)
        return (
            lxml_html.fromstring(html)
            .xpath("//p[@name='place_date']")[0]
            .text_content()
            .strip()
        )

    def test_context_today_is_the_users_day(self):
        with freeze_time(LATE_EVENING_UTC):
            self.assertEqual(fields.Date.context_today(self.invoice), D("2026-12-01"))

    def test_acknowledgement_is_dated_the_users_day(self):
        dispute = self._dispute(self.invoice)
        with freeze_time(LATE_EVENING_UTC):
            date = self._letter_date(
                "account_dispute.report_dispute_acknowledgement", dispute
            )
        self.assertTrue(date.endswith("December 1, 2026"), date)

    def test_settlement_is_dated_the_users_day(self):
        dispute = self._dispute(self.invoice)
        with freeze_time(LATE_EVENING_UTC):
            dispute._resolve("withdrawn")
            date = self._letter_date(
                "account_dispute.report_dispute_settlement", dispute
            )
        self.assertEqual(dispute.date_resolved, D("2026-12-01"))
        self.assertTrue(date.endswith("December 1, 2026"), date)

    def test_analysis_ages_from_the_users_day(self):
        """Opened on 31 October, deadline 30 November: in Paris on 1 December
        it is 31 days old (31-60 days) and past its deadline; in UTC it would
        still be 30 days old (0-30) and on its deadline."""
        Report = self.env["account.dispute.report"]
        with freeze_time(LATE_EVENING_UTC):
            dispute = self._dispute(self.invoice, opened="2026-10-31")
            dispute.date_deadline = D("2026-11-30")
            self.env.flush_all()
            domain = [("dispute_id", "=", dispute.id)]
            today = fields.Date.context_today(dispute)
            row = Report.search(domain)
            self.assertEqual(row.days_open, (today - dispute.date_opened).days)
            self.assertEqual(row.days_open, 31)
            self.assertEqual(row.aging, "31_60")
            self.assertTrue(row.past_deadline)
            self.assertEqual(dispute.date_deadline < today, row.past_deadline)
            self.assertEqual(
                Report.search([*domain, ("past_deadline", "=", True)]), row
            )
            self.assertEqual(
                Report._read_group(domain, ["aging"], ["__count"]), [("31_60", 1)]
            )
