# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestReport(AccountDisputeCommon):
    def test_dispute_file_lists_invoices_and_amounts(self):
        invoice = self._invoice(1000.0)
        dispute = self._dispute(
            invoice, amount_disputed=250.0, description="<p>Unit price 12 not 10</p>"
        )
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_account_dispute", dispute.ids
        )
        html = html.decode()
        self.assertIn(dispute.name, html)
        self.assertIn(invoice.name, html)
        self.assertIn("250.00", html)
        self.assertIn("Unit price 12 not 10", html)
        self.assertNotIn("(suspended)", html, "contested in part: its dates stand")

    def test_dispute_file_of_a_whole_contest_says_suspended(self):
        invoice = self._invoice(1000.0)
        dispute = self._dispute(invoice)
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_account_dispute", dispute.ids
        )
        self.assertIn("(suspended)", html.decode())
