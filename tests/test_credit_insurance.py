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
        letter.write({"state": "sent", "registered_mail_ref": "1A 123 456 7890 1"})
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
        message = self.partner_a.message_ids[:1]
        self.assertEqual(message.attachment_ids, attachments)
        for invoice in invoices:
            self.assertIn("AC-0042", invoice.message_ids[:1].body)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx.datas)))
        self.assertEqual(
            book.sheetnames,
            ["Declaration", "Invoices", "Letters", "Disputes", "Payments"],
        )
        summary = {
            row[0]: row[1] for row in book["Declaration"].iter_rows(values_only=True)
        }
        self.assertEqual(summary["Customer"], "=Hôtels Garnier")
        self.assertEqual(book["Declaration"]["B5"].data_type, "s", "text, no formula")
        self.assertEqual(summary["Company ID"], "334175221")
        self.assertEqual(summary["Policy Number"], "AC-0042")
        self.assertEqual(summary["Agreed Cover"], 10000.0)
        self.assertEqual(summary["Amount Due"], 3200.0)
        rows = list(book["Invoices"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            [row[0] for row in rows], invoices.sorted("name").mapped("name")
        )
        self.assertEqual(rows[1][2].date(), D("2026-01-31"))
        self.assertEqual(rows[1][4].date(), D("2026-05-01"))
        self.assertEqual((rows[1][5], rows[1][6]), (2000.0, 1500.0))
        self.assertEqual([row[8] for row in rows], ["No", "No", "Yes"])
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
            "3,200.00",
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
