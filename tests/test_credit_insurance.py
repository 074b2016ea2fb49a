# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date
REPORT = "account_dispute.report_credit_insurance_declaration"


@tagged("post_install", "-at_install")
class TestCreditInsurance(AccountDisputeCommon):
    """A policy with 90 days to declare, 30 days of extension and a warning
    10 days before; partner A covered for 10,000.00 from 2026-01-01. The
    invoice of 2026-01-01 on 30 days is due on 2026-01-31."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Assurcrédit", "is_company": True}
        )
        cls.policy = cls.env["account.credit.insurance.policy"].create(
            {
                "name": "AC-0042",
                "insurer_id": cls.insurer.id,
                "declaration_days": 90,
                "max_extension_days": 30,
                "alert_days": 10,
                "documents_required": "Invoices and formal notice",
            }
        )
        cls.cover = cls.env["account.credit.insurance.cover"].create(
            {
                "policy_id": cls.policy.id,
                "partner_id": cls.partner_a.id,
                "amount_cover": 10000.0,
                "date_start": "2026-01-01",
            }
        )
        cls.partner_a.write({"vat": "FR23334175221", "company_registry": "334175221"})
        cls.owner = cls.env.user

    def _insured_invoice(self, amount=1000.0, **kwargs):
        kwargs.setdefault("invoice_date", D("2026-01-01"))
        return self._invoice(amount, terms=self.terms_30, **kwargs)

    def _activities(self, invoices):
        activity_type = self.env.ref(
            "account_dispute.mail_activity_type_credit_insurance"
        )
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "in", invoices.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def _cron(self, date, **kwargs):
        with freeze_time(date):
            return self.env["account.move"]._cron_credit_insurance_alerts(**kwargs)

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------

    def test_declaration_deadline_on_known_dates(self):
        invoice = self._insured_invoice()
        self.assertEqual(invoice.invoice_date_due, D("2026-01-31"))
        self.assertEqual(invoice.insurance_cover_id, self.cover)
        self.assertEqual(invoice.insurance_date_due_base, D("2026-01-31"))
        self.assertEqual(invoice.insurance_declaration_date_due, D("2026-05-01"))
        self.assertFalse(invoice.insurance_extension_exceeded)

    def test_no_deadline_without_cover_or_when_paid(self):
        before = self._insured_invoice(invoice_date=D("2025-12-15"))
        self.assertFalse(before.insurance_cover_id, "invoiced before the cover")
        self.assertFalse(before.insurance_declaration_date_due)
        other = self._insured_invoice(partner=self.partner_b)
        self.assertFalse(other.insurance_declaration_date_due)
        paid = self._insured_invoice()
        self._pay(paid, 1000.0, date="2026-02-10")
        self.assertFalse(paid.insurance_declaration_date_due)
        self.policy.active = False
        self.assertFalse(self._insured_invoice().insurance_cover_id)

    def test_alert_days_before_the_deadline_once(self):
        invoice = self._insured_invoice()
        self.assertEqual(self._cron("2026-04-20"), (0, 0), "not 11 days before")
        self.assertFalse(self._activities(invoice))
        self.assertEqual(self._cron("2026-04-21"), (1, 0), "10 days before")
        activity = self._activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, invoice.invoice_user_id)
        self.assertEqual(activity.date_deadline, D("2026-05-01"))
        self.assertIn(invoice.name, activity.summary)
        self.assertEqual(invoice.insurance_alert_deadline_date, D("2026-04-21"))
        self.assertEqual(self._cron("2026-04-22"), (0, 0))
        self.assertEqual(self._cron("2026-05-02"), (0, 0))
        self.assertEqual(len(self._activities(invoice)), 1, "never twice")

    def test_alert_goes_to_the_dispute_manager_without_salesperson(self):
        manager = self.env["res.users"].create(
            {"name": "Credit Manager", "login": "ci_manager"}
        )
        self.env.company.dispute_manager_id = manager
        invoice = self._insured_invoice()
        invoice.invoice_user_id = False
        self.partner_a.user_id = False
        self._cron("2026-04-25")
        self.assertEqual(self._activities(invoice).user_id, manager)

    def test_declared_invoices_are_not_warned(self):
        invoice = self._insured_invoice()
        invoice.insurance_declared_date = D("2026-04-01")
        self.assertEqual(self._cron("2026-04-25"), (0, 0))

    def test_dispute_pushing_the_due_date_beyond_the_policy(self):
        invoice = self._insured_invoice()
        dispute = self._dispute(invoice, opened="2026-02-02")
        self.assertEqual(self._cron("2026-03-02"), (0, 0), "30 days allowed")
        dispute._resolve(
            "price_adjustment",
            date_resolved=D("2026-03-02"),
            due_date_policy="restart",
        )
        self.assertEqual(invoice.invoice_date_due, D("2026-04-01"))
        self.assertFalse(invoice.invoice_date_due_original, "the addon's is cleared")
        # The insurer's deadlines still run from the original due date.
        self.assertEqual(invoice.insurance_date_due_base, D("2026-01-31"))
        self.assertEqual(invoice.insurance_declaration_date_due, D("2026-05-01"))
        self.assertTrue(invoice.insurance_extension_exceeded)
        self.assertEqual(invoice.insurance_extension_excess_days, 30)
        self.assertEqual(self._cron("2026-03-03"), (1, 0))
        activity = self._activities(invoice)
        self.assertEqual(len(activity), 1)
        self.assertIn("30", activity.summary)
        self.assertEqual(invoice.insurance_alert_extension_date, D("2026-03-03"))
        self.assertFalse(invoice.insurance_alert_deadline_date)
        self.assertEqual(self._cron("2026-03-04"), (0, 0), "not twice")
        self.assertEqual(self._cron("2026-04-21"), (1, 0), "then the deadline")
        self.assertEqual(len(self._activities(invoice)), 2)

    def test_running_dispute_pushes_the_due_date_while_it_lasts(self):
        invoice = self._insured_invoice()
        self._dispute(invoice, opened="2026-02-02")
        self.assertEqual(self._cron("2026-03-02"), (0, 0))
        self.assertEqual(self._cron("2026-03-03"), (1, 0))
        self.assertEqual(invoice.insurance_alert_extension_date, D("2026-03-03"))

    def test_payment_plan_beyond_the_policy(self):
        invoice = self._insured_invoice()
        self.env["account.dispute.payment.plan"]._create_for_invoices(
            invoice, count=3, date_first=D("2026-02-15")
        )
        self.assertEqual(invoice.insurance_date_due_pushed, D("2026-04-15"))
        self.assertEqual(invoice.insurance_extension_excess_days, 44)
        self.assertEqual(self._cron("2026-02-16"), (1, 0))
        self.assertEqual(len(self._activities(invoice)), 1)

    def test_payment_plan_within_the_policy(self):
        invoice = self._insured_invoice()
        self.env["account.dispute.payment.plan"]._create_for_invoices(
            invoice, count=2, date_first=D("2026-02-01")
        )
        self.assertFalse(invoice.insurance_extension_exceeded)
        self.assertEqual(self._cron("2026-02-16"), (0, 0))

    def test_cron_works_by_bounded_batches(self):
        invoices = self._insured_invoice() | self._insured_invoice(2000.0)
        self.assertEqual(self._cron("2026-04-25", limit=1), (1, 1))
        self.assertEqual(self._cron("2026-04-25", limit=1), (1, 0))
        self.assertEqual(self._cron("2026-04-25", limit=1), (0, 0))
        self.assertEqual(len(self._activities(invoices)), 2)

    def _queries_of_cron(self, count):
        for __ in range(count):
            self._insured_invoice()
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        before = self.env.cr.sql_log_count
        done, __ = self._cron("2026-04-25")
        self.assertEqual(done, count)
        return self.env.cr.sql_log_count - before

    def test_cron_queries_do_not_grow_with_invoices(self):
        self.assertEqual(self._queries_of_cron(2), self._queries_of_cron(8))

    # ------------------------------------------------------------------
    # Cover
    # ------------------------------------------------------------------

    def test_cover_use(self):
        self._insured_invoice(1000.0)
        partly_paid = self._insured_invoice(2000.0)
        self._pay(partly_paid, 500.0, date="2026-02-10")
        disputed = self._insured_invoice(700.0)
        self._dispute(disputed)
        company_b = self.setup_other_company()["company"]
        self._insured_invoice(4000.0, company=company_b)
        with freeze_time("2026-03-01"):
            partner = self.partner_a.with_context(tz="UTC")
            partner.invalidate_recordset()
            self.assertEqual(partner.credit_insurance_cover_id, self.cover)
            self.assertEqual(partner.credit_insurance_amount, 10000.0)
            self.assertAlmostEqual(partner.credit_insurance_amount_used, 2500.0)
            self.assertAlmostEqual(partner.credit_insurance_amount_disputed, 700.0)
            self.assertAlmostEqual(partner.credit_insurance_amount_left, 7500.0)
            self.assertEqual(
                self.partner_a_contact.credit_insurance_cover_id, self.cover
            )
            Partner = self.env["res.partner"]
            insured = Partner.search([("credit_insurance_cover_id", "!=", False)])
            self.assertIn(self.partner_a, insured)
            self.assertIn(self.partner_a_contact, insured)
            self.assertNotIn(self.partner_b, insured)
            self.assertFalse(Partner.search([("credit_insurance_amount_left", "<", 0)]))
            self.cover.amount_cover = 2000.0
            self.assertIn(
                self.partner_a,
                Partner.search([("credit_insurance_amount_left", "<", 0)]),
            )

    def test_no_current_cover_after_its_end(self):
        self.cover.date_end = D("2026-02-28")
        with freeze_time("2026-03-01"):
            self.partner_a.invalidate_recordset()
            self.assertFalse(self.partner_a.credit_insurance_cover_id)
            self.assertEqual(self.partner_a.credit_insurance_amount_left, 0.0)

    def test_covers_do_not_overlap(self):
        Cover = self.env["account.credit.insurance.cover"]
        vals = {
            "policy_id": self.policy.id,
            "partner_id": self.partner_a.id,
            "amount_cover": 5000.0,
        }
        with self.assertRaises(ValidationError):
            Cover.create({**vals, "date_start": "2026-06-01"})
        self.cover.date_end = D("2026-05-31")
        later = Cover.create({**vals, "date_start": "2026-06-01"})
        self.assertTrue(later)
        with self.assertRaises(ValidationError):
            Cover.create({**vals, "partner_id": self.partner_a_contact.id})

    # ------------------------------------------------------------------
    # Declaration
    # ------------------------------------------------------------------

    def _declaration_case(self):
        self.partner_a.name = "=Hôtels Garnier"
        first = self._insured_invoice(1000.0)
        second = self._insured_invoice(2000.0)
        self._pay(second, 500.0, date="2026-02-10")
        letter = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-02-20"), partners=self.partner_a
        )
        letter._write_internal(
            {"state": "sent", "registered_mail_ref": "1A 123 456 7890 1"}
        )
        disputed = self._insured_invoice(700.0)
        dispute = self._dispute(disputed, opened="2026-03-01")
        return first | second | disputed, letter, dispute

    def test_declaration_file(self):
        invoices, letter, dispute = self._declaration_case()
        with freeze_time("2026-04-25"):
            attachments = invoices._credit_insurance_declare()
        pdf, xlsx = attachments
        self.assertEqual(xlsx.name[-5:], ".xlsx")
        self.assertEqual(
            set(invoices.mapped("insurance_declared_date")), {D("2026-04-25")}
        )
        self.assertEqual(self.cover.date_declared, D("2026-04-25"))
        self.assertEqual(self.partner_a.credit_insurance_date_declared, D("2026-04-25"))
        self.assertEqual(attachments.mapped("res_model"), [self.cover._name] * 2)
        self.assertEqual(self.cover.message_ids[:1].attachment_ids, attachments)
        self.assertFalse(self.partner_a.message_ids.attachment_ids)
        for invoice in invoices:
            self.assertIn("AC-0042", invoice.message_ids[:1].body)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx.datas)))
        self.assertEqual(
            book.sheetnames,
            [
                "Declaration",
                "Invoices",
                "Letters",
                "Disputes",
                "Payments",
                "Credit Notes",
                "Payment Plans",
            ],
        )
        summary = {
            row[0]: row[1] for row in book["Declaration"].iter_rows(values_only=True)
        }
        self.assertEqual(summary["Customer"], "=Hôtels Garnier")
        self.assertEqual(book["Declaration"]["B5"].data_type, "s", "text, no formula")
        self.assertEqual(summary["Company ID"], "334175221")
        self.assertEqual(summary["Policy Number"], "AC-0042")
        self.assertEqual(summary["Agreed Cover"], 10000.0)
        # The disputed invoice's 700.00 is disputed, not due (issue 23).
        self.assertEqual(summary["Amount Due"], 2500.0)
        self.assertEqual(summary["Amount Disputed"], 700.0)
        rows = list(book["Invoices"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [row[0] for row in rows], invoices.sorted("name").mapped("name")
        )
        self.assertEqual(rows[1][2].date(), D("2026-01-31"))
        self.assertEqual(rows[1][4].date(), D("2026-05-01"))
        self.assertEqual((rows[1][5], rows[1][6]), (2000.0, 1500.0))
        self.assertEqual([row[6] for row in rows], [1000.0, 1500.0, 0.0])
        self.assertEqual([row[8] for row in rows], [0.0, 0.0, 700.0])
        letters = list(book["Letters"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(letters[0][0], letter.name)
        self.assertEqual(letters[0][3], "1A 123 456 7890 1")
        disputes = list(book["Disputes"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(disputes[0][0], dispute.name)
        payments = list(book["Payments"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(payments), 1)
        self.assertEqual(payments[0][1], invoices[1].name)
        self.assertEqual(payments[0][3], 500.0)
        self.assertTrue(pdf.raw)

    def test_declaration_pdf_html(self):
        invoices, letter, dispute = self._declaration_case()
        with freeze_time("2026-04-25"):
            html, __ = self.env["ir.actions.report"]._render_qweb_html(
                REPORT, invoices.ids
            )
        html = html.decode()
        for text in (
            "Threatened Loss Declaration",
            "AC-0042",
            "Assurcrédit",
            "334175221",
            "FR23334175221",
            letter.name,
            "1A 123 456 7890 1",
            dispute.name,
            "05/01/2026",
            "01/31/2026",
            "2,500.00",
            "700.00",
            "Disputed, excluded until the dispute is settled",
            "1,500.00",
            "500.00",
            "Invoices and formal notice",
        ):
            self.assertIn(text, html)
        for invoice in invoices:
            self.assertIn(invoice.name, html)

    def test_declare_from_the_customer(self):
        invoices = self._insured_invoice() | self._insured_invoice(300.0)
        self._insured_invoice(500.0, partner=self.partner_b)
        with freeze_time("2026-04-25"):
            action = self.partner_a.action_credit_insurance_declare()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            set(invoices.mapped("insurance_declared_date")), {D("2026-04-25")}
        )
        with self.assertRaises(UserError):
            self.partner_a.action_credit_insurance_declare()
        with self.assertRaises(UserError):
            invoices.action_credit_insurance_declare()

    def test_declare_button_says_what_it_does(self):
        arch = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_form").id, "form"
        )["arch"]
        self.assertIn('confirm-label="Prepare the declaration"', arch)
        self.assertIn('cancel-label="Not now"', arch)

    def test_declare_refuses_uninsured_invoices(self):
        uninsured = self._insured_invoice(partner=self.partner_b)
        with self.assertRaises(UserError):
            uninsured.action_credit_insurance_declare()
        self.assertFalse(uninsured.insurance_declared_date)

    # ------------------------------------------------------------------
    # Installments and contested parts (issue 23)
    # ------------------------------------------------------------------

    def _installments_invoice(self):
        """2,000.00 invoiced on 2026-09-01: 600.00 due on 2026-10-01 and
        1,400.00 on 2026-10-31."""
        return self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )

    def _alert_row(self, invoice, date):
        rows = self.env["account.move"]._credit_insurance_alert_query(D(date))
        return next(row for row in rows if row[0] == invoice.id)

    def test_declaration_counts_from_the_earliest_unpaid_installment(self):
        invoice = self._installments_invoice()
        self.assertEqual(invoice.invoice_date_due, D("2026-10-31"), "Odoo's: the last")
        # 2026-10-01 + 90 days
        self.assertEqual(invoice.insurance_date_due_base, D("2026-10-01"))
        self.assertEqual(invoice.insurance_declaration_date_due, D("2026-12-30"))
        # The nightly alert reads the same date.
        __, warn, __, due_base, date_declare, __, __ = self._alert_row(
            invoice, "2026-12-20"
        )
        self.assertTrue(warn)
        self.assertEqual((due_base, date_declare), (D("2026-10-01"), D("2026-12-30")))
        self.assertEqual(self._cron("2026-12-19"), (0, 0), "11 days before")
        self.assertEqual(self._cron("2026-12-20"), (1, 0))
        activity = self._activities(invoice)
        self.assertEqual(activity.date_deadline, D("2026-12-30"))
        self.assertIn("10/01/2026", activity.summary)

    def test_paid_installment_moves_the_declaration_to_the_next(self):
        invoice = self._installments_invoice()
        self._pay(invoice, 300.0, date="2026-10-10")
        self.assertEqual(
            invoice.insurance_declaration_date_due, D("2026-12-30"), "partly paid"
        )
        self._pay(invoice, 300.0, date="2026-10-20")
        # The first installment is paid: 2026-10-31 + 90 days.
        self.assertEqual(invoice.insurance_date_due_base, D("2026-10-31"))
        self.assertEqual(invoice.insurance_declaration_date_due, D("2027-01-29"))
        row = self._alert_row(invoice, "2027-01-19")
        self.assertEqual(row[3:5], (D("2026-10-31"), D("2027-01-29")))
        self.assertEqual(self._cron("2026-12-20"), (0, 0))
        self.assertEqual(self._cron("2027-01-19"), (1, 0))

    def test_installments_are_not_an_extension(self):
        """The last installment's own date is contractual, not an extension
        of the first: each is measured against its own original date."""
        self.policy.max_extension_days = 20
        invoice = self._installments_invoice()
        self.assertEqual(invoice.insurance_date_due_pushed, D("2026-10-31"))
        self.assertFalse(invoice.insurance_extension_exceeded)
        self.assertFalse(self._alert_row(invoice, "2026-12-20")[2])
        # A payment plan to 2026-11-30: 30 days past the last installment's
        # date, 60 past the first's: 40 beyond the policy.
        self.env["account.dispute.payment.plan"]._create_for_invoices(
            invoice, count=2, date_first=D("2026-10-31")
        )
        self.assertEqual(invoice.insurance_date_due_pushed, D("2026-11-30"))
        self.assertEqual(invoice.insurance_extension_excess_days, 40)
        row = self._alert_row(invoice, "2026-11-01")
        self.assertEqual((row[2], row[6]), (True, 40))

    def test_cover_used_excludes_the_contested_part_only(self):
        invoice = self._insured_invoice(12000.0)
        with freeze_time("2026-02-05"):
            self._dispute(invoice, opened="2026-02-05", amount_disputed=1500.0)
        self.assertFalse(invoice.is_contested, "contested in part")
        self._insured_invoice(700.0)
        with freeze_time("2026-03-01"):
            partner = self.partner_a.with_context(tz="UTC")
            partner.invalidate_recordset()
            self.assertAlmostEqual(partner.credit_insurance_amount_used, 11200.0)
            self.assertAlmostEqual(partner.credit_insurance_amount_disputed, 1500.0)
            self.assertAlmostEqual(partner.credit_insurance_amount_left, -1200.0)

    def test_declaration_lists_the_contested_part_as_disputed(self):
        invoice = self._insured_invoice(12000.0)
        with freeze_time("2026-02-05"):
            dispute = self._dispute(
                invoice, opened="2026-02-05", amount_disputed=1500.0
            )
        Report = self.env["report.account_dispute.report_credit_insurance_declaration"]
        with freeze_time("2026-04-25"):
            declaration = Report._get_declarations(invoice)[0]
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(REPORT, invoice.ids)[0]
                .decode()
            )
        self.assertEqual(
            (declaration["amount_due"], declaration["amount_disputed"]),
            (10500.0, 1500.0),
        )
        book = openpyxl.load_workbook(io.BytesIO(Report._get_xlsx(declaration)))
        summary = {
            row[0]: row[1] for row in book["Declaration"].iter_rows(values_only=True)
        }
        self.assertEqual(summary["Amount Due"], 10500.0)
        self.assertEqual(summary["Amount Disputed"], 1500.0)
        row = next(book["Invoices"].iter_rows(min_row=2, values_only=True))
        self.assertEqual((row[5], row[6], row[8]), (12000.0, 10500.0, 1500.0))
        self.assertIn("10,500.00", html)
        self.assertIn("Disputed, excluded until the dispute is settled", html)
        self.assertIn(dispute.name, html)

    def test_declaration_is_complete(self):
        """Issue 24, point 11: the insured company's identity, a credit note
        as a credit note, a payment plan and how far it extends the due date,
        the date and the signatory."""
        self.env.company.write(
            {
                "street": "18 rue de la Charité",
                "zip": "69002",
                "city": "Lyon",
                "company_registry": "732 829 320 R.C.S. Lyon",
                "vat": "FR44732829320",
                "dunning_signatory_name": "Hélène Dupont",
                "dunning_signatory_title": "Chief Financial Officer",
            }
        )
        credited = self._insured_invoice(1000.0)
        refund = self.init_invoice(
            "out_refund",
            partner=self.partner_a,
            invoice_date=D("2026-02-05"),
            amounts=[200.0],
            taxes=[],
            post=True,
        )
        (credited | refund).line_ids.filtered(
            lambda x: x.account_id.account_type == "asset_receivable"
        ).reconcile()
        planned = self._insured_invoice(2000.0)
        # Due 2026-01-31; installments on 15 Feb., 15 March and 15 April.
        plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
            planned, count=3, date_first=D("2026-02-15")
        )
        invoices = credited | planned
        Report = self.env["report.account_dispute.report_credit_insurance_declaration"]
        with freeze_time("2026-04-25"):
            declaration = Report._get_declarations(invoices)[0]
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(REPORT, invoices.ids)[0]
                .decode()
            )
        self.assertEqual(declaration["payments"], [])
        self.assertEqual(
            [(c["reference"], c["amount"]) for c in declaration["credit_notes"]],
            [(refund.name, 200.0)],
        )
        [item] = declaration["payment_plans"]
        self.assertEqual(
            (item["plan"], item["date_end"], item["extension"], item["excess"]),
            (plan, D("2026-04-15"), 74, 44),
        )
        insured = html[html.index('name="insured_company"') :]
        insured = insured[: insured.index('name="customer"')]
        for text in (
            self.env.company.name,
            "18 rue de la Charité",
            "732 829 320 R.C.S. Lyon",
            "FR44732829320",
        ):
            self.assertIn(text, insured)
        credit_notes = html[html.index('name="credit_notes"') :]
        self.assertIn(refund.name, credit_notes)
        self.assertIn("200.00", credit_notes)
        self.assertIn("No payment was received.", html)
        self.assertIn(
            "It extends the original due date by <strong>74</strong> days", html
        )
        self.assertIn("<strong>44 days beyond the policy", html)
        for text in (
            "Lyon, April 25, 2026",
            "Hélène Dupont",
            "Chief Financial Officer",
        ):
            self.assertIn(text, html[html.index('name="place_date"') :])
        book = openpyxl.load_workbook(io.BytesIO(Report._get_xlsx(declaration)))
        summary = {
            row[0]: row[1] for row in book["Declaration"].iter_rows(values_only=True)
        }
        self.assertEqual(
            summary["Signed By"], "Hélène Dupont — Chief Financial Officer"
        )
        self.assertEqual(summary["Date"].date(), D("2026-04-25"))
        self.assertIn("FR44732829320", summary["Insured Company's Identification"])
        self.assertIn("69002 Lyon", summary["Insured Company's Address"])
        self.assertEqual(
            next(book["Credit Notes"].iter_rows(min_row=2, values_only=True))[2:4],
            (refund.name, 200.0),
        )
        self.assertEqual(len(list(book["Payments"].iter_rows(min_row=2))), 0)
        installments = list(
            book["Payment Plans"].iter_rows(min_row=2, values_only=True)
        )
        self.assertEqual(
            [(row[2].date(), row[5], row[6]) for row in installments],
            [
                (D("2026-02-15"), 74, 30),
                (D("2026-03-15"), 74, 30),
                (D("2026-04-15"), 74, 30),
            ],
        )
