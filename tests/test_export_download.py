# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import HttpCase, new_test_user, tagged

from ..report.xlsx_book import XLSX_MIMETYPE
from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestExportDownload(AccountDisputeCommon, HttpCase):
    """The workbooks download as workbooks."""

    def test_xlsx_downloads_with_its_mimetype_and_no_warning(self):
        user = new_test_user(
            self.env,
            login="ad_export",
            password="ad_export",
            groups="account.group_account_invoice,account_dispute.group_account_dispute_user",
            company_id=self.env.company.id,
        )
        self._dispute(self._invoice(500.0))
        for export_type in ("register", "dunning", "payment_delays"):
            wizard = (
                self.env["account.dispute.export.wizard"]
                .with_user(user)
                .create({"export_type": export_type})
            )
            url = wizard.action_export()["url"]
            self.authenticate("ad_export", "ad_export")
            with self.assertNoLogs("odoo.tools.mimetypes", level="WARNING"):
                response = self.url_open(url)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
            self.assertIn(".xlsx", response.headers["Content-Disposition"])
            self.assertEqual(response.content[:2], b"PK")
