# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LatePaymentCommon

D = fields.Date.to_date
NUMBER = "1A 234 567 8901 2"


@tagged("post_install", "-at_install")
class TestRegisteredLetter(LatePaymentCommon):
    """A formal notice by registered letter (issue 24, point 9): its number
    and the date on its acknowledgement of receipt; the 8 days to pay run
    from that date.

    The notice of 2026-10-26 (postal delay 2 days, 8 days to pay) gives until
    2026-11-05; received on 2026-10-30, until 2026-11-07.
    """

    def _sent_notice(self, invoice=None):
        invoice = invoice or self._inv(1200.0)
        notice = self._notice_for(invoice, "2026-10-26")
        with freeze_time("2026-10-26"):
            notice.action_send()
        self.assertEqual(notice.state, "sent")
        self.assertEqual(notice.date_deadline, D("2026-11-05"))
        return notice

    def _record(self, notice, number, date, today="2026-11-02"):
        with freeze_time(today):
            action = notice.action_open_receipt_wizard()
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            wizard.registered_mail_ref = number
            wizard.date_received = date
            wizard.save().action_confirm()

    def test_receipt_moves_the_deadline(self):
        notice = self._sent_notice()
        self.assertEqual(notice._get_days_from_receipt(), 8)
        self._record(notice, NUMBER, D("2026-10-30"))
        self.assertEqual(notice.registered_mail_ref, NUMBER)
        self.assertEqual(notice.date_received, D("2026-10-30"))
        self.assertEqual(notice.date_deadline, D("2026-11-07"))
        self.assertEqual(notice._get_days_from_receipt(), 8)
        # Corrected later: counted again from the new date.
        self._record(notice, NUMBER, D("2026-10-31"))
        self.assertEqual(notice.date_deadline, D("2026-11-08"))

    def test_receipt_keeps_a_deadline_given_by_hand(self):
        invoice = self._inv(1200.0)
        notice = self._sent_notice(invoice)
        # Printed with 15 days from receipt (a sent letter is read-only).
        notice._write_internal({"date_deadline": D("2026-11-12")})
        self.assertEqual(notice._get_days_from_receipt(), 15)
        self._record(notice, NUMBER, D("2026-10-30"))
        self.assertEqual(notice.date_deadline, D("2026-11-14"))

    def test_receipt_date_is_checked(self):
        notice = self._sent_notice()
        for date in ("2026-10-25", "2026-11-03"):
            with (
                self.assertRaisesRegex(ValidationError, "between the letter's date"),
                self.env.cr.savepoint(),
            ):
                self._record(notice, NUMBER, D(date))
        with self.assertRaisesRegex(UserError, "Enter the number"):
            with freeze_time("2026-11-02"):
                notice._record_receipt(False, "2026-10-30")
        self.env.invalidate_all()
        self.assertFalse(notice.date_received)
        self.assertEqual(notice.date_deadline, D("2026-11-05"))

    def test_receipt_only_for_a_sent_registered_letter(self):
        invoice = self._inv(1200.0)
        draft = self._notice_for(invoice, "2026-10-26")
        with self.assertRaisesRegex(UserError, "not a registered letter that was"):
            draft.action_open_receipt_wizard()
        with self.assertRaisesRegex(ValidationError, "was not sent"):
            draft._write_internal({"date_received": D("2026-10-26")})
        self.level_3.registered_mail = False
        notice = self._sent_notice(self._inv(800.0))
        with self.assertRaisesRegex(UserError, "not a registered letter that was"):
            notice._record_receipt(NUMBER, "2026-10-30")

    def test_recovery_file_counts_from_receipt_and_cites_it(self):
        notice = self._sent_notice()
        self._record(notice, NUMBER, D("2026-10-30"))
        Recovery = self.env["account.dispute.recovery"]
        # Without the receipt, the deadline passed on 2026-11-05.
        with (
            freeze_time("2026-11-06"),
            self.assertRaisesRegex(UserError, "has until"),
        ):
            Recovery._create_from_notice(notice, "injunction")
        with freeze_time("2026-11-08"):
            recovery = Recovery._create_from_notice(notice, "injunction")
        self.assertEqual(recovery.date_notice_received, D("2026-10-30"))
        self.assertIn(
            "acknowledgement of receipt No. 1A 234 567 8901 2, received on "
            "October 30, 2026.",
            recovery._get_basis_sentence(),
        )
        self.assertIn(
            f"(registered letter No. {NUMBER}, received on 10/30/2026)",
            recovery._get_letter_proof_label(notice),
        )

    def test_insurer_declaration_cites_number_and_receipt(self):
        notice = self._sent_notice()
        self._record(notice, NUMBER, D("2026-10-30"))
        invoices = notice.invoice_ids
        Report = self.env["report.account_dispute.report_credit_insurance_declaration"]
        declaration = Report._get_declarations(invoices)[0]
        self.assertEqual(declaration["letters"], notice)
        book = openpyxl.load_workbook(io.BytesIO(Report._get_xlsx(declaration)))
        rows = list(book["Letters"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(rows[0][3], NUMBER)
        self.assertEqual(rows[0][4].date(), D("2026-10-30"))
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_credit_insurance_declaration", invoices.ids
        )
        self.assertIn("10/30/2026", html.decode())
