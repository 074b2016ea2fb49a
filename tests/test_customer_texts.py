# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import io
import os
import re
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree
from PyPDF2 import PdfReader

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.misc import file_path

from ..models.dunning import res_company_letter
from .common import LatePaymentCommon

D = fields.Date.to_date
NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestCustomerTexts(LatePaymentCommon):
    """What the letters tell the customer (issue 24, points 7 and 10): the
    settlement letter prints what was agreed, never the internal note; the
    acknowledgement states what the dispute holds and what each outcome
    does; a second reminder says what comes next; a cancelled letter claims
    nothing and says why; the calculation tab and the PDF give the same
    period dates; short letters fit on one page; the dispute file says whose
    it is and how the dispute was resolved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "street": "18 rue de la Charité",
                "zip": "69002",
                "city": "Lyon",
                "company_registry": "732 829 320 R.C.S. Lyon",
                "vat": "FR44732829320",
                "report_footer": "<p>SAS au capital de 150 000 €</p>",
                "dunning_signatory_name": "Hélène Dupont",
                "dunning_signatory_title": "Chief Financial Officer",
                "dunning_postal_delay_days": 2,
            }
        )
        # 1,000.00 of 2026-08-31 on 30 days: due on 2026-09-30.
        cls.invoice = cls._invoice(
            1000.0, terms=cls.terms_30, invoice_date=D("2026-08-31")
        )

    def _html(self, report, records, report_type="html"):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids, data={"report_type": report_type}
        )
        return html.decode()

    def _pdf_pages(self, report, records):
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        return len(PdfReader(io.BytesIO(pdf)).pages)

    def _money(self, amount):
        return self.invoice.currency_id.format(amount)

    def _resolved_dispute(self):
        dispute = self._dispute(
            self.invoice, opened="2026-10-05", amount_disputed=250.0
        )
        wizard = Form(
            self.env["account.dispute.resolve.wizard"].with_context(
                default_dispute_id=dispute.id
            )
        )
        wizard.resolution = "other"
        wizard.date_resolved = D("2026-10-20")
        wizard.resolution_customer_note = "<p>We take back the scratched desk.</p>"
        wizard.resolution_note = "<p>Lesson: our carrier handles desks badly.</p>"
        with freeze_time("2026-10-20"):
            wizard.save().action_confirm()
        return dispute

    # ------------------------------------------------------------------
    # Point 7: the settlement letter and the acknowledgement
    # ------------------------------------------------------------------

    def test_settlement_prints_what_was_agreed_never_the_internal_note(self):
        dispute = self._resolved_dispute()
        self.assertEqual(
            dispute.resolution_customer_note,
            "<p>We take back the scratched desk.</p>",
        )
        self.assertIn("carrier", dispute.resolution_note)
        html = self._html("account_dispute.report_dispute_settlement", dispute)
        self.assertIn("What was agreed", html)
        self.assertIn("We take back the scratched desk.", html)
        self.assertNotIn("Lesson", html)
        self.assertNotIn("carrier", html)
        # Without a text for the customer, the letter says nothing agreed.
        dispute.resolution_customer_note = False
        html = self._html("account_dispute.report_dispute_settlement", dispute)
        self.assertNotIn("What was agreed", html)
        self.assertNotIn("carrier", html)

    def test_acknowledgement_holds_the_contested_amount_only(self):
        dispute = self._dispute(
            self.invoice, opened="2026-10-05", amount_disputed=250.0
        )
        html = self._html("account_dispute.report_dispute_acknowledgement", dispute)
        self.assertIn(
            f"Only the contested amount, {self._money(250.0)}, is held until the "
            f"dispute is settled; the rest of these invoices, {self._money(750.0)}, "
            "stays due on its due dates.",
            html,
        )
        self.assertNotIn("payment term will be set again", html)
        # Wholly contested: nothing else stays due.
        dispute.amount_disputed = 1000.0
        html = self._html("account_dispute.report_dispute_acknowledgement", dispute)
        self.assertIn(
            f"Only the contested amount, {self._money(1000.0)}, is held until the "
            "dispute is settled: it is all that is left to pay on these invoices.",
            html,
        )

    def test_acknowledgement_states_each_outcome(self):
        dispute = self._dispute(
            self.invoice, opened="2026-10-05", amount_disputed=250.0
        )
        unfounded = (
            "If it is unfounded, the original due dates of the invoices stand, "
            "and late-payment penalties run from them."
        )
        for policy, founded in (
            (
                "restart",
                "If your dispute is founded, the payment term of the part still "
                "to pay will start again from the date of the settlement.",
            ),
            (
                "extend",
                "If your dispute is founded, its due date will be extended by the "
                "length of the dispute for the part still to pay.",
            ),
            (
                "keep",
                "If your dispute is founded, the part still to pay keeps its "
                "original due date.",
            ),
            (
                "custom",
                "If your dispute is founded, we will agree with you on the due "
                "date of the part still to pay.",
            ),
        ):
            with self.subTest(policy=policy):
                self.env.company.dispute_due_date_policy = policy
                html = self._html(
                    "account_dispute.report_dispute_acknowledgement", dispute
                )
                self.assertIn(founded, html)
                self.assertIn(unfounded, html)
        # A private person owes no commercial penalties: none are cited.
        self.partner_a.debtor_type = "consumer"
        html = self._html("account_dispute.report_dispute_acknowledgement", dispute)
        self.assertIn(
            "If it is unfounded, the original due dates of the invoices stand.", html
        )
        self.assertNotIn("penalties", html)

    def test_acknowledgement_email_says_the_same(self):
        dispute = self._dispute(
            self.invoice, opened="2026-10-05", amount_disputed=250.0
        )
        template = self.env.ref("account_dispute.mail_template_dispute_acknowledgement")
        body = template._render_field("body_html", dispute.ids)[dispute.id]
        self.assertIn(
            f"the rest of these invoices, {self._money(750.0)}, stays due", body
        )
        self.assertIn("If it is unfounded, the original due dates", body)
        self.assertIn("will start again from the date of the settlement", body)

    # ------------------------------------------------------------------
    # Point 7: the second reminder says what comes next
    # ------------------------------------------------------------------

    def _reminder(self, level, date):
        letter = self.env["account.dunning.letter"].create(
            {
                "partner_id": self.partner_a.id,
                "level_id": level.id,
                "date": D(date),
                "invoice_ids": [Command.set(self.invoice.ids)],
                "currency_id": self.invoice.currency_id.id,
            }
        )
        return letter

    def test_second_reminder_says_what_comes_next(self):
        first = self._reminder(self.level_1, "2026-10-07")
        first_html = self._html("account_dispute.report_dunning_letter", first)
        self.assertIn(
            "Unless we are mistaken, the following invoices are still unpaid",
            first_html,
        )
        self.assertNotIn("formal notice", first_html.lower())
        first._write_internal({"state": "sent"})
        second = self._reminder(self.level_2, "2026-10-15")
        html = self._html("account_dispute.report_dunning_letter", second)
        self.assertIn(
            "Despite our reminder of October 7, 2026, the following invoices are "
            "still unpaid on this date:",
            html,
        )
        self.assertNotIn("Unless we are mistaken", html)
        # 15/10 + 2 days by post + 8 days to pay.
        self.assertIn(
            "Failing payment by <strong>October 25, 2026</strong>, we will send you "
            "a formal notice (mise en demeure) by registered letter. It will claim "
            "the late-payment penalties running since each due date (article "
            "L441-10 of the French Commercial Code) and a fixed recovery indemnity "
            f"of {self._money(40.0)} per invoice (article D441-5).",
            html,
        )
        template = self.env.ref("account_dispute.mail_template_dunning_letter")
        body = template._render_field("body_html", second.ids)[second.id]
        self.assertIn("we will send you a formal notice (mise en demeure)", body)
        # To a private person: interest at the legal rate, no Commercial Code.
        second.debtor_type = "consumer"
        html = self._html("account_dispute.report_dunning_letter", second)
        self.assertIn(
            "we will send you a formal notice (mise en demeure), from which the "
            "sums due will bear interest at the legal rate (article 1231-6 of the "
            "French Civil Code).",
            html,
        )
        self.assertNotIn("L441-10", html)

    # ------------------------------------------------------------------
    # Point 7: a cancelled letter claims nothing and says why
    # ------------------------------------------------------------------

    def test_cancelled_letter_claims_nothing_and_says_why(self):
        letter = self._notice_for(self.invoice, "2026-11-09")
        # 1,000.00 x 12 % x 40 / 365 = 13.15, and the 40.00 indemnity.
        self.assertEqual(letter.amount_total, 1053.15)
        letter.cancel_reason = "The customer called: paid yesterday."
        letter.action_cancel()
        self.assertEqual(letter.state, "cancelled")
        self.assertFalse(letter.line_ids)
        self.assertEqual(
            (letter.amount_due, letter.penalty_amount, letter.amount_total),
            (0.0, 0.0, 0.0),
        )
        html = self._html("account_dispute.report_dunning_letter", letter)
        self.assertIn(
            "This letter was cancelled before it was sent: it claims nothing.", html
        )
        self.assertIn("The customer called: paid yesterday.", html)
        for claim in ("put you on formal notice", "1,053.15", "1,000.00", "13.15"):
            self.assertNotIn(claim, html)

    def test_cancelled_by_hand_without_reason_names_who(self):
        letter = self._notice_for(self.invoice, "2026-11-09")
        letter.action_cancel()
        self.assertEqual(letter.cancel_reason, f"Cancelled by {self.env.user.name}.")

    def test_letter_emptied_by_a_payment_says_why(self):
        letter = self._notice_for(self.invoice, "2026-11-09")
        self._pay(self.invoice, 1000.0, date="2026-11-10")
        with freeze_time("2026-11-10"):
            letter._refresh_drafts()
        self.assertEqual(letter.state, "cancelled")
        self.assertEqual(letter.amount_total, 0.0)
        self.assertEqual(
            letter.cancel_reason,
            "Its invoices were paid, credited or contested before it was sent.",
        )

    # ------------------------------------------------------------------
    # Point 10: one period convention, one page, the dispute file
    # ------------------------------------------------------------------

    def test_calculation_tab_and_pdf_give_the_same_dates(self):
        letter = self._notice_for(self.invoice, "2026-11-09")
        penalty = letter.line_ids.filtered(lambda x: x.line_type == "penalty")
        # Due 30/09: the penalties run from 01/10 to 09/11, both included.
        self.assertEqual(penalty.date_from, D("2026-09-30"))
        self.assertEqual(
            (penalty.date_start, penalty.date_to, penalty.days),
            (D("2026-10-01"), D("2026-11-09"), 40),
        )
        html = self._html("account_dispute.report_dunning_letter", letter)
        charges = html[html.index('name="charges"') : html.index('name="charges_note"')]
        self.assertIn("10/01/2026", charges)
        self.assertNotIn("09/30/2026", charges)
        self.assertIn("From and To: the first and last days of each period", html)
        view = self.env["account.dunning.letter"].get_view(view_type="form")["arch"]
        page = view[view.index('name="calculation"') :]
        self.assertIn('<field name="date_start" optional="show"', page)
        self.assertIn('<field name="date_from" optional="hide"', page)
        self.assertIn("both included", page)

    def test_short_letters_fit_on_one_page(self):
        """A settlement by a payment plan of three installments, with the
        letterhead and the legal footer in the body: it took two pages when
        the PDF kept the paperformat's room for a header it cannot print."""
        second = self._invoice(
            2400.0, terms=self.terms_30, invoice_date=D("2026-08-31")
        )
        dispute = self._dispute(
            self.invoice | second, opened="2026-10-05", amount_disputed=600.0
        )
        dispute.resolution_customer_note = (
            "<p>We take back the scratched desk; you pay the rest in three "
            "installments, as agreed on the phone on 18 October.</p>"
        )
        with freeze_time("2026-10-20"):
            dispute._resolve("payment_plan", date_resolved=D("2026-10-20"))
        self.assertEqual(len(dispute.payment_plan_ids.line_ids), 3)
        reminder = self._reminder(self.level_1, "2026-10-07")
        with patch.object(
            res_company_letter, "wkhtmltopdf_prints_headers", return_value=False
        ):
            for report, records in (
                ("account_dispute.report_dispute_settlement", dispute),
                ("account_dispute.report_dispute_acknowledgement", dispute),
                ("account_dispute.report_dunning_letter", reminder),
            ):
                with self.subTest(report=report):
                    self.assertEqual(self._pdf_pages(report, records), 1)

    def test_dispute_file_says_whose_it_is_and_how_it_ended(self):
        dispute = self._resolved_dispute()
        with patch.object(
            res_company_letter, "wkhtmltopdf_prints_headers", return_value=False
        ):
            html = self._html("account_dispute.report_account_dispute", dispute, "pdf")
        letterhead = html[
            html.index('name="letterhead"') : html.index('name="address"')
        ]
        for text in (
            self.env.company.name,
            "18 rue de la Charité",
            "732 829 320 R.C.S. Lyon",
            "FR44732829320",
        ):
            self.assertIn(text, letterhead)
        resolution = html[html.index('name="resolution"') :]
        for text in (
            "Resolution: <span>Other</span>",
            "10/20/2026",
            "Founded",
            "Restart the payment term from the resolution date",
            "Still to Pay",
            '<span class="oe_currency_value">1,000.00</span>',
            "We take back the scratched desk.",
        ):
            self.assertIn(text, resolution)
        self.assertNotIn("carrier", html, "the internal note stays inside")


@tagged("post_install", "-at_install")
class TestDemoIsFrench(TransactionCase):
    """Issue 24, point 12: the demo company is French, so is its story. Every
    text the demo files write (descriptions, notes, activities, portal
    messages, gesture reasons, product names) is French, amounts in French
    figures (1 799,00 €), never English words nor 1,799.00."""

    ENGLISH = re.compile(
        r"\b(the|and|of|to|is|was|with|for|we|our|your|Lesson|Call|Send|Check)\b"
    )
    ENGLISH_FIGURE = re.compile(r"\d,\d{3}\.\d{2}|\d\.\d{2} (EUR|excl)")

    def _texts(self):
        folder = file_path("account_dispute/demo")
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".xml"):
                continue
            root = etree.parse(os.path.join(folder, name)).getroot()
            for node in root.iter("field", "value", "p"):
                if node.tag == "field" and node.get("name") in ("name", "login"):
                    # Names of firms and people: checked below for products.
                    if node.getparent().get("model") != "product.product":
                        continue
                for text in (node.text, *(child.tail for child in node)):
                    if text and text.strip() and not node.get("eval"):
                        # Collapse the XML's line breaks, not the no-break spaces.
                        yield name, re.sub(r"[ \t\n]+", " ", text.strip())
                if node.get("eval") and "'reason'" in node.get("eval"):
                    yield name, node.get("eval")

    def test_demo_texts_are_french(self):
        texts = list(self._texts())
        self.assertIn(
            (
                "account_dispute_demo.xml",
                "Vérifier d'abord le devis signé avec le commercial.",
            ),
            texts,
        )
        for name, text in texts:
            with self.subTest(file=name, text=text[:60]):
                self.assertFalse(self.ENGLISH.search(text), text)
                self.assertFalse(self.ENGLISH_FIGURE.search(text), text)
        self.assertIn(
            "1\N{NARROW NO-BREAK SPACE}799,00\N{NO-BREAK SPACE}€ HT",
            " ".join(text for __, text in texts),
        )
