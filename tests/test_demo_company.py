# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command
from odoo.tests import tagged

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestDemoCompany(AccountDisputeCommon):
    """The setup of the demo's company (demo/account_dispute_demo_setup.py,
    called by demo/res_company_demo.xml), run here
    on a company of the test: make test installs no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {
                "name": "Mobilier Test SAS",
                "country_id": cls.env.ref("base.fr").id,
                "currency_id": cls.env.ref("base.EUR").id,
            }
        )
        cls.env.user.company_ids = [Command.link(cls.company.id)]

    def _dispute_model_name(self, lang):
        return (
            self.env["ir.model"]
            .with_context(lang=lang)
            .search([("model", "=", "account.dispute")])
            .name
        )

    def test_setup_loads_a_chart_of_accounts(self):
        self.assertFalse(self.company.chart_template)
        self.env["account.dispute.demo.setup"]._setup_company(
            self.company, "73282932000017"
        )
        charts = self.env["account.chart.template"]._get_chart_template_mapping()
        expected = "fr" if charts.get("fr", {}).get("installed") else "generic_coa"
        self.assertEqual(self.company.chart_template, expected)
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertIn("sale", journals.mapped("type"))
        self.assertIn("bank", journals.mapped("type"))
        self.assertEqual(self.company.currency_id.name, "EUR")
        self.assertEqual(self.company.recovery_indemnity, 40.0, "art. D441-5")
        if "siret" in self.company._fields:
            self.assertEqual(self.company.siret, "73282932000017")
        # Twice is harmless: the chart is kept.
        self.env["account.dispute.demo.setup"]._setup_company(self.company)
        self.assertEqual(self.company.chart_template, expected)

    def test_setup_speaks_french_before_the_story(self):
        """The story's chatter is written at install, in French: Odoo would
        load the addon's terms only after it ("Customer Dispute créé")."""
        self.assertFalse(self.env["res.lang"]._get_code("fr_FR"), "not installed")
        self.env["account.dispute.demo.setup"]._setup_company(self.company)
        self.assertEqual(self.env["res.lang"]._get_code("fr_FR"), "fr_FR")
        self.assertEqual(self._dispute_model_name("fr_FR"), "Litige client")
        dispute = (
            self.env["account.dispute"]
            .with_context(lang="fr_FR", mail_create_nolog=False, tracking_disable=False)
            .create({"partner_id": self.partner_a.id, "reason_id": self.reason.id})
        )
        self.assertIn("Litige client créé", str(dispute.message_ids[-1:].body))
