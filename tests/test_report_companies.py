# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
EXPORT_TYPES = ("register", "dunning", "payment_delays")
REFUSED = "You can only read the figures of the companies selected in the company"


@tagged("post_install", "-at_install")
class TestReportCompanies(AccountDisputeCommon):
    """Every KPI, report and export reads only the companies the user works
    in now (``env.companies``), whatever company the caller passes: as a
    JSON-RPC call would, the ORM is called as the user, with the context the
    web client sends.

    Company 1 (the test company): an invoice of 1,000 disputed and resolved
    by a credit note of 200. Company 2: an invoice of 500, no dispute. A
    billing user allowed only in company 2, and one allowed in both who has
    only company 2 selected in the switcher.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_1 = cls.env.company
        cls.company_2 = cls.setup_other_company()["company"]
        cls.invoice_1 = cls._invoice(1000.0)
        cls.dispute_1 = cls._dispute(cls.invoice_1, opened="2026-02-01")
        cls._settle_by_credit_note(cls.dispute_1, 200.0, "2026-02-21")
        cls.invoice_2 = cls._invoice(500.0, company=cls.company_2)
        cls.user_2 = new_test_user(
            cls.env,
            login="ad_billing_company_2",
            groups="account.group_account_invoice",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.user_both = new_test_user(
            cls.env,
            login="ad_billing_both",
            groups="account.group_account_invoice",
            company_id=cls.company_2.id,
            company_ids=[Command.set((cls.company_1 | cls.company_2).ids)],
        )

    def _as(self, user, model, *companies):
        """``model`` as ``user`` calls it, with ``companies`` selected in the
        switcher (the web client's ``allowed_company_ids``)."""
        companies = companies or (self.company_2,)
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=[c.id for c in companies])
        )

    def test_company_1_has_figures_to_hide(self):
        dashboard = self.env["account.dispute.dashboard"].create(PERIOD)
        self.assertEqual(dashboard.company_id, self.company_1)
        self.assertEqual(dashboard.invoice_count, 1)
        self.assertEqual(dashboard.disputed_invoice_count, 1)
        self.assertEqual(dashboard.amount_credited, 200.0)
        self.assertEqual(dashboard.resolved_count, 1)
        self.assertEqual(dashboard.no_escalation_rate, 100.0)
        self.assertTrue(dashboard.dso)

    def test_dashboard_of_an_other_company_is_refused(self):
        for user in (self.user_2, self.user_both):
            Dashboard = self._as(user, "account.dispute.dashboard")
            with self.assertRaisesRegex(AccessError, REFUSED):
                Dashboard.create({**PERIOD, "company_id": self.company_1.id})
            dashboard = Dashboard.create(PERIOD)
            with self.assertRaisesRegex(AccessError, REFUSED):
                dashboard.write({"company_id": self.company_1.id})
            # what the form's onchange computes, without saving
            draft = Dashboard.new({**PERIOD, "company_id": self.company_1.id})
            with self.assertRaisesRegex(AccessError, REFUSED):
                self.assertFalse(draft.invoice_count)

    def test_dashboard_reads_only_its_company(self):
        dashboard = self._as(self.user_2, "account.dispute.dashboard").create(PERIOD)
        self.assertEqual(dashboard.company_id, self.company_2)
        self.assertEqual(dashboard.invoice_count, 1)
        self.assertEqual(dashboard.disputed_invoice_count, 0)
        self.assertEqual(dashboard.amount_credited, 0.0)
        self.assertEqual(dashboard.resolved_count, 0)
        self.assertEqual(dashboard.resolve_days_avg, 0.0)
        self.assertEqual(dashboard.open_count, 0)
        days = (D(PERIOD["date_to"]) - D(PERIOD["date_from"])).days + 1
        self.assertAlmostEqual(dashboard.dso, 500.0 / 500.0 * days)

    def test_dashboard_of_a_company_unselected_since(self):
        """A user of both companies made it with both selected, then reads it
        with company 2 only: the figures are refused, not shown (by the
        company rule of the dashboard, which says to switch company)."""
        dashboard = self._as(
            self.user_both,
            "account.dispute.dashboard",
            self.company_1,
            self.company_2,
        ).create(PERIOD)
        self.assertEqual(dashboard.invoice_count, 1)
        dashboard = dashboard.with_context(allowed_company_ids=self.company_2.ids)
        dashboard.invalidate_recordset()
        with self.assertRaisesRegex(AccessError, "switching to the company"):
            dashboard.read(["amount_credited"])

    def test_export_of_an_other_company_is_refused(self):
        for user in (self.user_2, self.user_both):
            Wizard = self._as(user, "account.dispute.export.wizard")
            for export_type in EXPORT_TYPES:
                with self.assertRaisesRegex(AccessError, REFUSED):
                    Wizard.create(
                        {"export_type": export_type, "company_id": self.company_1.id}
                    )

    def test_export_of_a_company_unselected_since(self):
        Wizard = self._as(
            self.user_both,
            "account.dispute.export.wizard",
            self.company_1,
            self.company_2,
        )
        for export_type in EXPORT_TYPES:
            wizard = Wizard.create(
                {"export_type": export_type, "company_id": self.company_1.id}
            ).with_context(allowed_company_ids=self.company_2.ids)
            with self.assertRaisesRegex(AccessError, REFUSED):
                wizard.action_export()
            with self.assertRaisesRegex(AccessError, REFUSED):
                self.env["ir.actions.report"].with_user(self.user_both).with_context(
                    allowed_company_ids=self.company_2.ids
                )._render_qweb_html("account_dispute.report_payment_delays", wizard.ids)

    def test_payment_delays_of_an_other_company_are_refused(self):
        """Whichever environment the company passed comes with."""
        for user in (self.user_2, self.user_both):
            Report = self._as(user, "report.account_dispute.report_payment_delays")
            with self.assertRaisesRegex(AccessError, REFUSED):
                Report._get_payment_delays(self.company_1, D("2026-06-30"))
            table = Report._get_payment_delays(self.company_2, D("2026-06-30"))
            issued = table["halves"][1]
            self.assertEqual(issued["base"], 500.0, "company 2's turnover only")

    def test_exports_of_its_company_hold_no_other(self):
        Wizard = self._as(self.user_2, "account.dispute.export.wizard")
        register = Wizard.create({"export_type": "register"})
        self.assertEqual(register.company_id, self.company_2)
        register.action_export()
        self.assertTrue(register.file_data)
        ids = Wizard.env["account.dispute"]._search(register._get_register_domain())
        self.assertFalse(list(ids))
        # disputes of company 1 passed by id: out of the user's reach
        wizard = Wizard.create(
            {
                "export_type": "register",
                "dispute_ids": [Command.set(self.dispute_1.ids)],
            }
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book["Disputes"].max_row, 1, "the header only")
        for export_type in ("dunning", "payment_delays"):
            wizard = Wizard.create(
                {"export_type": export_type, "date_closing": "2026-06-30"}
            )
            wizard.action_export()
            cells = {
                value
                for row in openpyxl.load_workbook(
                    io.BytesIO(base64.b64decode(wizard.file_data))
                ).active.iter_rows(values_only=True)
                for value in row
            }
            self.assertIn(500.0, cells, "company 2's invoice")
            self.assertNotIn(1000.0, cells, "company 1's invoice")
            self.assertNotIn(self.company_1.name, cells)

    def test_analysis_reads_only_the_selected_companies(self):
        Report = self.env["account.dispute.report"]
        self.assertEqual(
            Report.search([("company_id", "=", self.company_1.id)]).dispute_id,
            self.dispute_1,
        )
        for user in (self.user_2, self.user_both):
            Report = self._as(user, "account.dispute.report")
            self.assertFalse(Report.search([("company_id", "=", self.company_1.id)]))
            self.assertFalse(Report.search([("dispute_id", "=", self.dispute_1.id)]))
            self.assertEqual(
                Report._read_group([], aggregates=["__count"]), [(0,)], "nothing"
            )
            with self.assertRaises(AccessError):
                Report.browse(self.dispute_1.id).read(["amount_disputed"])
        with self.assertRaises(AccessError):
            self._as(self.user_2, "account.dispute.report", self.company_1).search([])

    def test_dunning_run_of_an_other_company_finds_nothing(self):
        """The dunning run's preview reads its candidates in SQL once it has
        the company's levels, which the record rules keep to the user's
        companies: a run of another company finds nothing (the form's
        preview) and is refused (the wizard's company rule)."""
        self._copy_ladder(self.company_1)
        Run = self.env["account.dunning.run.wizard"]
        self.assertEqual(Run.create({}).letter_count, 1, "company 1's invoice")
        for user in (self.user_2, self.user_both):
            Wizard = self._as(user, "account.dunning.run.wizard")
            preview = Wizard.new({"company_id": self.company_1.id})
            self.assertEqual(preview.letter_count, 0)
            with self.assertRaises(AccessError):
                Wizard.create({"company_id": self.company_1.id})
