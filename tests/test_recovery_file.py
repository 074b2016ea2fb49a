# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from .common import LatePaymentCommon

D = fields.Date.to_date


def _blank_pdf(pages):
    writer = PdfFileWriter()
    for __ in range(pages):
        writer.addBlankPage(595, 842)
    with io.BytesIO() as buffer:
        writer.write(buffer)
        return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestRecoveryFile(LatePaymentCommon):
    """The recovery file after an unpaid formal notice (issue 19).

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30; the formal
    notice of 2026-11-09 is sent that day; the file is prepared on
    2026-12-09, 30 days later, once the notice's deadline has passed.
    """

    def _sent_notice(self, partner=None, date="2026-11-09"):
        letter = self.env["account.dunning.letter"]._run_escalation(
            date=D(date), partners=partner or self.partner_a
        )
        self.assertEqual(letter.letter_type, "formal_notice")
        with freeze_time(date):
            letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.assertLess(letter.date_deadline, D("2026-12-09"))
        return letter

    def _prepare(self, notice, kind="injunction", date="2026-12-09", **kwargs):
        with freeze_time(date):
            return self.env["account.dispute.recovery"]._create_from_notice(
                notice, kind, **kwargs
            )

    def _rows(self, record, line_type):
        lines = record.line_ids.filtered(lambda x: x.line_type == line_type)
        return [(x.move_id, x.base_amount, x.days, x.rate, x.amount) for x in lines]

    # The figures: the letter's, to the day of the file

    def test_figures_are_the_notices_grown_to_the_day(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 600.0, date="2026-10-20")
        notice = self._sent_notice()
        recovery = self._prepare(notice)
        self.assertEqual(recovery.date, D("2026-12-09"))
        self.assertEqual(recovery.invoice_ids, invoice)
        self.assertEqual(
            [
                (x.name, x.amount)
                for x in recovery.line_ids
                if x.line_type == "principal"
            ],
            [(x.name, x.amount) for x in notice.line_ids if x.line_type == "principal"],
        )
        # The notice: 1,200 x 20 d, then 600 x 20 d; the file: 600 x 50 d.
        self.assertEqual(
            self._rows(notice, "penalty"),
            [(invoice, 1200.0, 20, 12.0, 7.89), (invoice, 600.0, 20, 12.0, 3.95)],
        )
        self.assertEqual(
            self._rows(recovery, "penalty"),
            [(invoice, 1200.0, 20, 12.0, 7.89), (invoice, 600.0, 50, 12.0, 9.86)],
        )
        # The indemnity of art. D441-5, once per invoice, as the notice claimed.
        self.assertEqual(
            self._rows(recovery, "indemnity"), self._rows(notice, "indemnity")
        )
        self.assertAlmostEqual(recovery.amount_due, 600.0)
        self.assertAlmostEqual(recovery.penalty_amount, 17.75)
        self.assertAlmostEqual(recovery.indemnity_amount, 40.0)
        self.assertAlmostEqual(recovery.amount_total, 657.75)
        # The notice stays as it was sent.
        self.assertAlmostEqual(notice.amount_total, 651.84)

    def test_indemnity_once_per_invoice_and_figures_updated(self):
        first, second = self._inv(1000.0), self._inv(500.0)
        notice = self._sent_notice()
        recovery = self._prepare(notice)
        self.assertEqual(
            [
                (x.move_id, x.amount)
                for x in recovery.line_ids
                if x.line_type == "indemnity"
            ],
            [(first, 40.0), (second, 40.0)],
        )
        self._pay(second, 500.0, date="2026-12-10")
        with freeze_time("2026-12-19"):
            recovery.action_update_figures()
        self.assertEqual(recovery.date, D("2026-12-19"))
        self.assertEqual(recovery.invoice_ids, first)
        # The invoice paid late still owes its charges, as on a letter: its
        # penalties up to its payment, its indemnity, still once.
        self.assertEqual(
            [
                (x.move_id, x.amount)
                for x in recovery.line_ids
                if x.line_type == "indemnity"
            ],
            [(first, 40.0), (second, 40.0)],
        )
        # 1,000 x 12 % x 80/365; 500 x 12 % x 71/365
        self.assertEqual(
            [row[:3] + row[4:] for row in self._rows(recovery, "penalty")],
            [(first, 1000.0, 80, 26.3), (second, 500.0, 71, 11.67)],
        )

    def test_private_debtor_owes_interest_only(self):
        person = self.env["res.partner"].create(
            {"name": "Jeanne Martin", "city": "Lyon"}
        )
        # The legal interest rate a company claims (art. L313-2, "all other
        # cases"), set here so that the figures do not follow the data.
        self._set_rate("legal_professional", "2026-07-01", 7.0)
        self._inv(600.0, partner=person)
        notice = self._sent_notice(partner=person)
        recovery = self._prepare(notice)
        self.assertEqual(recovery.debtor_type, "consumer")
        self.assertFalse(
            self._rows(recovery, "penalty") + self._rows(recovery, "indemnity")
        )
        # Legal interest from the formal notice (Civil Code 1231-6): 600 x 7 % x 30/365.
        self.assertEqual(
            [row[1:] for row in self._rows(recovery, "interest")],
            [(600.0, 30, 7.0, 3.45)],
        )
        self.assertEqual(recovery.court_name, "Tribunal judiciaire de Lyon")

    # Refusals

    def test_small_claims_threshold(self):
        # 4,860 + 111.85 of penalties: 4,971.85 in principal and interest; the
        # 40.00 indemnity is not counted (CPCE, art. R125-1).
        self._inv(4860.0)
        recovery = self._prepare(self._sent_notice(), kind="small_claims")
        self.assertAlmostEqual(recovery.amount_due + recovery.penalty_amount, 4971.85)
        self.assertAlmostEqual(recovery.amount_total, 5011.85)
        self._inv(6000.0, partner=self.partner_b)
        notice = self._sent_notice(partner=self.partner_b)
        with self.assertRaisesRegex(UserError, "L125-1"):
            self._prepare(notice, kind="small_claims")
        self.assertEqual(self._prepare(notice).recovery_kind, "injunction")

    def test_refused_before_the_deadline_or_once_paid(self):
        invoice = self._inv(1000.0)
        notice = self._sent_notice()
        with self.assertRaisesRegex(UserError, "has until"):
            self._prepare(notice, date=str(notice.date_deadline))
        self._pay(invoice, 1000.0, date="2026-11-20")
        with self.assertRaisesRegex(UserError, "paid"):
            self._prepare(notice)
        with freeze_time("2026-12-09"), self.assertRaisesRegex(UserError, "paid"):
            notice.action_prepare_recovery()

    def test_refused_for_a_draft_notice(self):
        self._inv(1000.0)
        draft = self.env["account.dunning.letter"]._run_escalation(date=D("2026-11-09"))
        self.assertEqual(draft.state, "draft")
        with self.assertRaisesRegex(UserError, "not a sent formal notice"):
            self._prepare(draft)
        with freeze_time("2026-12-09"):
            self.assertFalse(draft.can_prepare_recovery)

    # The proofs

    def test_proofs_list_and_bundle(self):
        invoice = self._inv(1000.0)
        notice = self._sent_notice()
        dispute = self._dispute(invoice, opened="2026-11-20")
        delivery = self.env["ir.attachment"].create(
            {
                "name": "Signed delivery note.pdf",
                "raw": _blank_pdf(1),
                "mimetype": "application/pdf",
                "res_model": "account.dispute",
                "res_id": dispute.id,
            }
        )
        recovery = self._prepare(notice, dispute=dispute)
        recovery.write(
            {
                "terms_file": base64.b64encode(_blank_pdf(2)),
                "terms_filename": "cgv.pdf",
                "acknowledgement_file": base64.b64encode(_blank_pdf(1)),
                "acknowledgement_filename": "ar.pdf",
            }
        )
        proofs = recovery._get_proofs()
        self.assertEqual(proofs[0].get("invoice"), invoice)
        self.assertEqual([p["letter"] for p in proofs if "letter" in p], [notice])
        labels = [p["label"] for p in proofs]
        self.assertEqual(len(labels), 5)
        self.assertIn("Terms of sale", labels)
        self.assertIn("Acknowledgement of receipt of the formal notice", labels)
        self.assertEqual(labels[-1], delivery.name)
        self.assertTrue(notice.attachment_id, "the sent notice keeps its PDF")
        # Odoo's merge on real PDFs: the pages of each, in order.
        merged = recovery._merge_proof_pdfs(
            [_blank_pdf(1), _blank_pdf(2), _blank_pdf(1)]
        )
        self.assertEqual(PdfFileReader(io.BytesIO(merged)).getNumPages(), 4)
        # The attached PDFs are taken as they are.
        pdf_proofs = [p for p in proofs if "attachment" in p]
        self.assertEqual(
            [recovery._get_proof_pdf(p) for p in pdf_proofs],
            [_blank_pdf(2), _blank_pdf(1), delivery.raw],
        )

    # The dispute's litigation stage

    def test_filing_recorded_on_the_dispute(self):
        invoice = self._inv(1000.0)
        notice = self._sent_notice()
        dispute = self._dispute(invoice, opened="2026-11-20")
        with freeze_time("2026-12-09"):
            self.assertEqual(dispute.recovery_notice_id, notice)
            action = dispute.action_prepare_recovery()
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            self.assertEqual(wizard.dispute_id, dispute)
            wizard.recovery_kind = "injunction"
            result = wizard.save().action_confirm()
        recovery = self.env["account.dispute.recovery"].browse(result["res_id"])
        self.assertEqual(recovery.dispute_id, dispute)
        self.assertEqual(dispute.recovery_count, 1)
        recovery.write({"date_filed": "2026-12-11", "filing_ref": "IP 2026/01234"})
        with freeze_time("2026-12-12"):
            recovery.action_file()
        self.assertEqual(recovery.state, "filed")
        self.assertEqual(dispute.state, "litigation")
        self.assertEqual(dispute.litigation_procedure, "injunction")
        self.assertEqual(dispute.litigation_ref, "IP 2026/01234")
        self.assertEqual(dispute.date_litigation, D("2026-12-11"))
        self.assertIn("IP 2026/01234", dispute.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "filed"):
            recovery.unlink()

    def test_agency_recorded_as_third_party(self):
        invoice = self._inv(1000.0)
        notice = self._sent_notice()
        dispute = self._dispute(invoice, opened="2026-11-20")
        agency = self.env["res.partner"].create({"name": "Recouvrement Express"})
        recovery = self._prepare(notice, kind="agency", dispute=dispute, agent=agency)
        with freeze_time("2026-12-09"):
            recovery.action_file()
        self.assertEqual(dispute.state, "mediation")
        self.assertEqual(dispute.mediator_type, "collection_agency")
        self.assertEqual(dispute.mediator_id, agency)
        self.assertEqual(dispute.date_mediation, D("2026-12-09"))

    # What the documents print

    def test_proposed_court(self):
        self._inv(1000.0)
        recovery = self._prepare(self._sent_notice())
        for city, zip_code, expected in (
            ("Nantes", "44000", "Tribunal de commerce de Nantes"),
            ("Avignon", "84000", "Tribunal des activités économiques d'Avignon"),
            ("Le Havre", "76600", "Tribunal des activités économiques du Havre"),
            (
                "Strasbourg",
                "67000",
                "Tribunal judiciaire de Strasbourg (chambre commerciale)",
            ),
            ("Orléans", "45000", "Tribunal de commerce d'Orléans"),
        ):
            with self.subTest(city=city):
                self.partner_a.write({"city": city, "zip": zip_code})
                self.assertEqual(recovery._get_proposed_court_name(), expected)
        self.assertEqual(recovery._guess_legal_form("Atelier Dubois S.A.R.L."), "SARL")
        self.assertFalse(recovery._guess_legal_form("Sa Maison"))
        self.partner_a.write({"company_registry": False, "vat": "FR23334175221"})
        self.assertEqual(recovery._get_siren(self.partner_a), "334 175 221")

    def test_reports_print_the_figures(self):
        self._inv(1000.0)
        self.partner_a.write({"city": "Nantes", "vat": "FR23334175221"})
        recovery = self._prepare(self._sent_notice())
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(recovery._get_report_xmlid(), recovery.ids)[0]
            .decode()
        )
        self.assertIn("Tribunal de commerce de Nantes", html)
        self.assertIn("334 175 221", html)
        self.assertIn("payable on the due dates they state", html)
        self.assertIn(notice_name := recovery.letter_id.name, html)
        self.assertAlmostEqual(recovery.amount_total, 1063.01)
        self.assertIn("1,063.01", html)
        recovery.recovery_kind = "agency"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(recovery._get_report_xmlid(), recovery.ids)[0]
            .decode()
        )
        self.assertIn("Letter of instruction", html)
        self.assertIn(notice_name, html)

    # Contested parts and installments (issue 23)

    def test_file_claims_the_uncontested_part_only(self):
        invoice = self._inv(12000.0)
        with freeze_time("2026-10-05"):
            dispute = self._dispute(
                invoice, opened="2026-10-05", amount_disputed=1500.0
            )
        notice = self._sent_notice()
        self.assertEqual(
            [
                (x.line_type, x.amount)
                for x in notice.line_ids
                if x.line_type in ("principal", "contested")
            ],
            [("principal", 10500.0), ("contested", 1500.0)],
        )
        recovery = self._prepare(notice)
        self.assertEqual(recovery.invoice_ids, invoice)
        self.assertEqual(
            [(x.line_type, x.date_due, x.amount) for x in recovery.line_ids],
            [
                ("principal", D("2026-09-30"), 10500.0),
                ("penalty", D("2026-09-30"), 241.64),
                ("indemnity", D("2026-09-30"), 40.0),
            ],
            "the contested 1,500.00 is left out of the file",
        )
        # 10,500.00 x 12 % x 70 / 365 = 241.64
        self.assertEqual(
            self._rows(recovery, "penalty"), [(invoice, 10500.0, 70, 12.0, 241.64)]
        )
        self.assertAlmostEqual(recovery.amount_due, 10500.0)
        self.assertAlmostEqual(recovery.penalty_amount, 241.64)
        self.assertAlmostEqual(recovery.amount_total, 10781.64)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(recovery._get_report_xmlid(), recovery.ids)[0]
            .decode()
        )
        self.assertIn("10,781.64", html)
        self.assertNotIn("1,500.00", html)
        self.assertEqual(dispute.line_ids.amount_open, 1500.0)

    def test_file_claims_each_installment_from_its_date(self):
        invoice = self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )
        notice = self._sent_notice()
        recovery = self._prepare(notice)
        self.assertEqual(
            [
                (x.date_due, x.amount)
                for x in recovery.line_ids
                if x.line_type == "principal"
            ],
            [(D("2026-10-01"), 600.0), (D("2026-10-31"), 1400.0)],
        )
        self.assertIn("installment", recovery.line_ids[0].name)
        # 600 x 12 % x 69 / 365 = 13.61; 1,400 x 12 % x 39 / 365 = 17.95
        self.assertEqual(
            self._rows(recovery, "penalty"),
            [(invoice, 600.0, 69, 12.0, 13.61), (invoice, 1400.0, 39, 12.0, 17.95)],
        )
        self.assertAlmostEqual(recovery.amount_total, 2071.56)

    # Open credits (issue 24, point 5)

    def _unmatched_payment(self, amount, date):
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.partner_a.id,
                "amount": amount,
                "date": date,
            }
        )
        payment.action_post()
        return payment

    def test_no_file_when_open_credits_cover_the_notice(self):
        """The customer paid the 1,200.00 of the notice on 2026-12-02, by a
        payment not matched with the invoice: its balance is 0.00. Before,
        a file claimed principal 0.00, penalties 1,200 x 12 % x 63/365 =
        24.85 and the 40.00 indemnity; those charges are not a principal to
        recover in court: the next notice or an invoice of charges claims
        them."""
        self._inv(1200.0)
        notice = self._sent_notice()
        self._unmatched_payment(1200.0, "2026-12-02")
        with self.assertRaisesRegex(UserError, "open credits of partner_a .* cover"):
            self._prepare(notice)
        with freeze_time("2026-12-09"), self.assertRaisesRegex(UserError, "cover"):
            notice.action_prepare_recovery()
        self.assertFalse(notice.recovery_ids)

    def test_file_for_what_open_credits_leave_owed(self):
        """500.00 of the 1,200.00 paid on 2026-12-02, not matched: the file
        claims 1,200.00 less the 500.00 credit, 700.00; penalties 1,200 x 12 %
        x 63/365 = 24.85 to the payment, then 700 x 12 % x 7/365 = 1.61; the
        40.00 indemnity: 766.46."""
        invoice = self._inv(1200.0)
        notice = self._sent_notice()
        self._unmatched_payment(500.0, "2026-12-02")
        recovery = self._prepare(notice)
        self.assertEqual(
            [
                (x.line_type, x.amount)
                for x in recovery.line_ids
                if x.line_type in ("principal", "credit")
            ],
            [("principal", 1200.0), ("credit", -500.0)],
        )
        self.assertEqual(
            self._rows(recovery, "penalty"),
            [(invoice, 1200.0, 63, 12.0, 24.85), (invoice, 700.0, 7, 12.0, 1.61)],
        )
        self.assertAlmostEqual(recovery.amount_due, 700.0)
        self.assertAlmostEqual(recovery.penalty_amount, 26.46)
        self.assertAlmostEqual(recovery.indemnity_amount, 40.0)
        self.assertAlmostEqual(recovery.amount_total, 766.46)
        # Once the rest is paid by another unmatched payment, the figures are
        # not updated: the file is refused as it would be prepared.
        self._unmatched_payment(700.0, "2026-12-10")
        with (
            freeze_time("2026-12-11"),
            self.assertRaisesRegex(UserError, "owes no principal"),
        ):
            recovery.action_update_figures()
        self.assertAlmostEqual(recovery.amount_total, 766.46)
