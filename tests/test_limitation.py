# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLimitation(AccountDisputeCommon):
    """Invoice of 2026-01-01 on 30 days, due on 2026-01-31: time-barred after
    2031-01-31 (Commercial Code L110-4; Civil Code 2224, 2229), unless an
    event interrupted or suspended the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.invoice = cls._invoice(
            1000.0, terms=cls.terms_30, invoice_date=D("2026-01-01")
        )

    def _event(self, kind, date, date_end=None, invoices=None, **vals):
        invoices = invoices or self.invoice
        with freeze_time("2048-01-01"):
            return self.env["account.move.limitation.event"].create(
                {
                    "partner_id": invoices[:1].partner_id.id,
                    "invoice_ids": [Command.set(invoices.ids)],
                    "kind": kind,
                    "date": date,
                    "date_end": date_end,
                    **vals,
                }
            )

    def test_five_years_from_the_due_date(self):
        self.assertEqual(self.invoice.date_due_contractual, D("2026-01-31"))
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))
        # Installments: the first due date counts.
        installments = self._invoice(500.0, invoice_date=D("2026-01-10"))
        self.assertEqual(installments.date_due_contractual, D("2026-02-09"))
        self.assertEqual(installments.date_limitation, D("2031-02-09"))

    def test_setting_of_three_years(self):
        self.env.company.dispute_limitation_years = 3
        self.assertEqual(self.invoice.date_limitation, D("2029-01-31"))
        with self.assertRaises(ValidationError):
            self.env.company.dispute_limitation_years = 0

    def test_acknowledgement_starts_a_new_period(self):
        self._event("acknowledgement", "2027-06-15")
        self.assertEqual(self.invoice.date_limitation, D("2032-06-15"))
        self._event("enforcement", "2031-02-10")
        self.assertEqual(
            self.invoice.date_limitation, D("2036-02-10"), "an enforcement act too"
        )

    def test_act_after_the_last_day_changes_nothing(self):
        self._event("acknowledgement", "2031-02-01")
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_mediation_adds_its_days(self):
        event = self._event("mediation", "2027-03-01")
        self.assertFalse(self.invoice.date_limitation, "the clock is stopped")
        with freeze_time("2027-04-01"):
            self.assertEqual(self.invoice.limitation_status, "on_hold")
        with freeze_time("2048-01-01"):
            event.date_end = "2027-05-01"
        # 61 days (March and April) more than 2031-01-31.
        self.assertEqual(self.invoice.date_limitation, D("2031-04-02"))

    def test_mediation_ending_near_the_limitation_leaves_six_months(self):
        self._event("mediation", "2030-09-01", "2030-12-01")
        # 91 days more would give 2031-05-02: six months from its end is later.
        self.assertEqual(self.invoice.date_limitation, D("2031-06-01"))

    def test_acknowledgement_during_a_mediation(self):
        self._event("mediation", "2027-03-01", "2027-05-01")
        self._event("acknowledgement", "2027-04-10")
        self.assertEqual(
            self.invoice.date_limitation,
            D("2032-05-01"),
            "the new period runs once the mediation ends",
        )

    def test_court_claim_lasts_until_the_proceedings_end(self):
        event = self._event("court_claim", "2028-01-10")
        self.assertFalse(self.invoice.date_limitation)
        with freeze_time("2048-01-01"):
            event.date_end = "2029-03-01"
        self.assertEqual(self.invoice.date_limitation, D("2034-03-01"))

    def test_twenty_year_cap(self):
        for date in ("2030-01-01", "2034-01-01", "2038-01-01", "2042-01-01"):
            self._event("acknowledgement", date)
        # 2047-01-01, but no more than 20 years from the invoice date.
        self.assertEqual(self.invoice.date_limitation, D("2046-01-01"))
        self._event("court_claim", "2045-06-01", "2046-06-01")
        self.assertEqual(self.invoice.date_limitation, D("2051-06-01"), "uncapped")

    def test_overlapping_mediations_count_once(self):
        """Issue 24, point 6: a mediation from 2027-03-01 to 2027-05-01 (61
        days) and another from 2027-04-03 to 2027-06-01 (59 days) share 28
        days: the clock stopped from 2027-03-01 to 2027-06-01, 92 days, so
        2031-01-31 + 92 days = 2031-05-03 (2031-05-31 before, 28 days too
        far)."""
        self._event("mediation", "2027-03-01", "2027-05-01")
        self._event("mediation", "2027-04-03", "2027-06-01")
        self.assertEqual(self.invoice.date_limitation, D("2031-05-03"))
        # A third one within the others adds nothing.
        self._event("mediation", "2027-04-10", "2027-04-20")
        self.assertEqual(self.invoice.date_limitation, D("2031-05-03"))

    def test_separate_mediations_add_their_days(self):
        """61 days in 2027, then 31 days in March 2028: 92 days too."""
        self._event("mediation", "2027-03-01", "2027-05-01")
        self._event("mediation", "2028-03-01", "2028-04-01")
        self.assertEqual(self.invoice.date_limitation, D("2031-05-03"))

    def test_nothing_revives_the_debt_after_the_cap(self):
        """Acknowledged every four years, the invoice of 2026-01-01 is
        time-barred on 2046-01-01, 20 years after its birth (art. 2232): an
        enforcement act of 2046-03-01 comes too late (it started a new period
        to 2051-03-01 before). One of 2045-12-01, before the cap, starts a
        new period that the cap does not bound (art. 2232 al. 2)."""
        late = self._invoice(1000.0, terms=self.terms_30, invoice_date=D("2026-01-01"))
        for date in ("2030-01-01", "2034-01-01", "2038-01-01", "2042-01-01"):
            self._event("acknowledgement", date, invoices=self.invoice | late)
        self.assertEqual(self.invoice.date_limitation, D("2046-01-01"))
        self._event("enforcement", "2046-03-01")
        self.assertEqual(self.invoice.date_limitation, D("2046-01-01"))
        self._event("enforcement", "2045-12-01", invoices=late)
        self.assertEqual(late.date_limitation, D("2050-12-01"))

    def test_partial_payment_acknowledges_the_debt(self):
        """400.00 of the 1,000.00 paid on 2027-06-15: an acknowledgement that
        day, from the payment, and a new period to 2032-06-15 (art. 2240);
        undoing the matching takes it back."""
        with freeze_time("2027-07-01"):
            self._pay(self.invoice, 400.0, date="2027-06-15")
        event = self.invoice.limitation_event_ids
        self.assertEqual(event.kind, "acknowledgement")
        self.assertEqual(event.date, D("2027-06-15"))
        payment = self.env["account.payment"].search(
            [("partner_id", "=", self.partner_a.id)]
        )
        self.assertEqual(event.payment_move_id, payment.move_id)
        self.assertIn("partial payment", event.note)
        self.assertEqual(self.invoice.date_limitation, D("2032-06-15"))
        payment.move_id.line_ids.remove_move_reconcile()
        self.assertFalse(event.exists())
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_payment_in_full_records_nothing(self):
        with freeze_time("2027-07-01"):
            self._pay(self.invoice, 1000.0, date="2027-06-15")
        self.assertFalse(self.invoice.limitation_event_ids)

    def test_payments_acknowledge_nothing_when_the_option_is_off(self):
        self.assertTrue(self.env.company.dispute_limitation_payment_acknowledges)
        settings = Form(self.env["res.config.settings"])
        settings.dispute_limitation_payment_acknowledges = False
        settings.save().execute()
        self.assertFalse(self.env.company.dispute_limitation_payment_acknowledges)
        with freeze_time("2027-07-01"):
            self._pay(self.invoice, 400.0, date="2027-06-15")
        self.assertFalse(self.invoice.limitation_event_ids)
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_payment_plan_acknowledges_the_debt(self):
        """A plan agreed on 2027-03-01: an acknowledgement that day, from the
        plan, and a new period to 2032-03-01."""
        with freeze_time("2027-03-01"):
            plan = self.env["account.dispute.payment.plan"]._create_for_invoices(
                self.invoice,
                installments=[(D("2027-04-01"), 500.0), (D("2027-05-01"), 500.0)],
            )
        event = self.invoice.limitation_event_ids
        self.assertEqual(
            (event.kind, event.date, event.payment_plan_id),
            ("acknowledgement", D("2027-03-01"), plan),
        )
        self.assertIn(plan.name, event.note)
        self.assertEqual(self.invoice.date_limitation, D("2032-03-01"))

    def test_formal_notice_changes_nothing(self):
        self.env.company.dunning_skip_levels = True
        with freeze_time("2026-03-20"):
            letter = self.env["account.dunning.letter"]._run_escalation()
            letter.action_send()
        self.assertEqual(letter.letter_type, "formal_notice")
        self.assertEqual(letter.state, "sent")
        self.assertFalse(self.invoice.limitation_event_ids)
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_a_dispute_does_not_move_the_limitation(self):
        dispute = self._dispute(self.invoice, opened="2026-02-15")
        dispute._resolve(
            "other", date_resolved=D("2026-05-01"), due_date_policy="restart"
        )
        self.assertEqual(self.invoice.invoice_date_due, D("2026-05-31"))
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_paid_invoice_has_none(self):
        self._pay(self.invoice, 1000.0, date="2026-02-01")
        self.assertFalse(self.invoice.date_limitation)
        self.assertFalse(self.invoice.limitation_status)

    def test_event_dates_and_invoices_are_checked(self):
        with self.assertRaises(ValidationError):
            self._event("mediation", "2027-05-01", "2027-03-01")
        with self.assertRaises(ValidationError):
            self._event("acknowledgement", "2027-05-01", "2027-05-02")
        other = self._invoice(300.0, partner=self.partner_b)
        with self.assertRaises(ValidationError):
            self._event("acknowledgement", "2027-05-01", invoices=self.invoice | other)
        with freeze_time("2027-01-01"), self.assertRaises(ValidationError):
            self.env["account.move.limitation.event"].create(
                {
                    "partner_id": self.partner_a.id,
                    "invoice_ids": [Command.set(self.invoice.ids)],
                    "kind": "acknowledgement",
                    "date": "2027-01-02",
                }
            )

    def test_mediation_and_litigation_stages_record_events(self):
        with freeze_time("2027-03-01"):
            dispute = self._dispute(self.invoice, opened="2027-02-01")
            wizard = Form(
                self.env["account.dispute.referral.wizard"].with_context(
                    default_dispute_id=dispute.id
                )
            )
            wizard.mediator_type = "business_mediation"
            wizard.save().action_confirm()
        event = dispute.limitation_event_ids
        self.assertEqual(event.kind, "mediation")
        self.assertEqual(event.date, D("2027-03-01"))
        self.assertEqual(event.invoice_ids, self.invoice)
        self.assertFalse(self.invoice.date_limitation)
        with freeze_time("2027-05-01"):
            dispute.write(
                {
                    "court_id": self.partner_b.id,
                    "litigation_procedure": "merits",
                    "date_litigation": "2027-05-01",
                }
            )
            dispute.action_litigate()
        claim = dispute.limitation_event_ids - event
        self.assertEqual(event.date_end, D("2027-05-01"))
        self.assertEqual((claim.kind, claim.date), ("court_claim", D("2027-05-01")))
        with freeze_time("2028-02-01"):
            dispute._resolve("court_decision", date_resolved=D("2028-02-01"))
        self.assertEqual(claim.date_end, D("2028-02-01"))
        self.assertEqual(self.invoice.date_limitation, D("2033-02-01"))
        action = dispute.action_view_limitation_events()
        self.assertEqual(action["context"]["default_invoice_ids"], self.invoice.ids)

    def test_alert_once_before_the_date(self):
        self.env.company.dispute_limitation_alert_days = 90
        Move = self.env["account.move"]
        activity_type = self.env.ref("account_dispute.mail_activity_type_limitation")
        cron = self.env.ref("account_dispute.ir_cron_limitation_alerts")
        self.assertEqual(cron.code, "model._cron_limitation_alerts()")
        with freeze_time("2030-11-01"):
            self.assertNotIn(self.invoice, Move._cron_limitation_alerts())
        with freeze_time("2030-11-02"):  # 90 days before 2031-01-31
            self.assertEqual(self.invoice.limitation_status, "soon")
            self.assertIn(self.invoice, Move._cron_limitation_alerts())
            self.assertNotIn(self.invoice, Move._cron_limitation_alerts())
        activity = self.invoice.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, D("2031-01-31"))
        self.assertEqual(self.invoice.date_limitation_alerted, D("2031-01-31"))
        # Acknowledged: a new date, and a new alert 90 days before it.
        self._event("acknowledgement", "2030-12-01")
        with freeze_time("2035-09-02"):
            self.assertIn(self.invoice, Move._cron_limitation_alerts())

    def test_alerts_are_bounded(self):
        second = self._invoice(200.0, terms=self.terms_30, invoice_date=D("2026-01-01"))
        with freeze_time("2031-01-01"):
            first = self.env["account.move"]._cron_limitation_alerts(limit=1)
            rest = self.env["account.move"]._cron_limitation_alerts(limit=1)
        self.assertEqual(len(first), 1)
        self.assertEqual(first | rest, self.invoice | second)

    def test_search_filters(self):
        Move = self.env["account.move"]
        with freeze_time("2030-12-01"):
            soon = Move.search([("limitation_status", "=", "soon")])
            self.assertIn(self.invoice, soon)
            self.assertNotIn(
                self.invoice, Move.search([("limitation_status", "=", "running")])
            )
        with freeze_time("2031-02-01"):
            barred = Move.search([("limitation_status", "=", "barred")])
            self.assertIn(self.invoice, barred)
            self.assertEqual(self.invoice.limitation_status, "barred")

    def test_dunning_status_export_column(self):
        wizard = self.env["account.dispute.export.wizard"].create(
            {"export_type": "dunning", "date_closing": "2026-06-30"}
        )
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        sheet = book["Dunning"]
        headers = [cell.value for cell in sheet[1]]
        column = headers.index("Time-Barred After")
        self.assertEqual(headers[column + 1], "Currency")
        row = next(
            r for r in sheet.iter_rows(min_row=2) if r[1].value == self.invoice.name
        )
        self.assertEqual(row[column].value.date(), D("2031-01-31"))

    def test_dunning_status_export_filter(self):
        """Only the invoices time-barred by the date chosen."""
        Wizard = self.env["account.dispute.export.wizard"]
        names = {}
        for date_to in ("2031-01-30", "2031-01-31"):
            wizard = Wizard.create(
                {
                    "export_type": "dunning",
                    "date_closing": "2026-06-30",
                    "date_limitation_to": date_to,
                }
            )
            wizard.action_export()
            book = openpyxl.load_workbook(
                io.BytesIO(base64.b64decode(wizard.file_data))
            )
            names[date_to] = [r[1].value for r in book["Dunning"].iter_rows(min_row=2)]
        self.assertNotIn(self.invoice.name, names["2031-01-30"])
        self.assertIn(self.invoice.name, names["2031-01-31"])

    # ------------------------------------------------------------------
    # Installments (issue 23): each runs from its own due date (art. 2233)
    # ------------------------------------------------------------------

    def _installments_invoice(self):
        """2,000.00 invoiced on 2026-09-01: 600.00 due on 2026-10-01 and
        1,400.00 on 2026-10-31."""
        return self._invoice(
            2000.0, terms=self.pay_terms_installments, invoice_date=D("2026-09-01")
        )

    def _sql_date_due_contractual(self, invoice):
        self.env.flush_all()
        rows = self.env.execute_query(
            self.env["account.move"]._get_date_due_contractual_query(invoice.ids)
        )
        return dict(rows).get(invoice.id)

    def test_earliest_unpaid_installment_counts(self):
        # About due dates: payments are not acknowledgements here (see
        # test_partial_payment_acknowledges_the_debt).
        self.env.company.dispute_limitation_payment_acknowledges = False
        invoice = self._installments_invoice()
        self.assertEqual(invoice.date_due_contractual, D("2026-10-01"))
        self.assertEqual(invoice.date_limitation, D("2031-10-01"))
        self.assertEqual(self._sql_date_due_contractual(invoice), D("2026-10-01"))
        self._pay(invoice, 300.0, date="2026-10-10")
        self.assertEqual(invoice.date_limitation, D("2031-10-01"), "partly paid")
        self.assertEqual(self._sql_date_due_contractual(invoice), D("2026-10-01"))
        self._pay(invoice, 300.0, date="2026-10-20")
        # The first installment is paid: the second one's five years.
        self.assertEqual(invoice.date_due_contractual, D("2026-10-31"))
        self.assertEqual(invoice.date_limitation, D("2031-10-31"))
        self.assertEqual(self._sql_date_due_contractual(invoice), D("2026-10-31"))
        Move = self.env["account.move"]
        with freeze_time("2031-10-15"):
            self.assertNotIn(
                invoice, Move.search([("limitation_status", "=", "barred")])
            )
            self.assertIn(invoice, Move.search([("limitation_status", "=", "soon")]))

    def test_sql_fill_gives_the_same_dates(self):
        """The SQL that fills the column when the addon is installed or
        upgraded gives the dates the ORM gives."""
        invoice = self._installments_invoice()
        self._pay(invoice, 600.0, date="2026-10-20")
        acknowledged = self._installments_invoice()
        self._event("acknowledgement", "2027-06-15", invoices=acknowledged)
        self.assertEqual(acknowledged.date_limitation, D("2032-06-15"))
        moves = invoice | acknowledged | self.invoice
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE account_move_line SET date_maturity_contractual = NULL
                WHERE move_id IN %s""",
            [tuple(moves.ids)],
        )
        self.env.cr.execute(
            """UPDATE account_move SET date_due_contractual = NULL,
                      date_limitation = NULL WHERE id IN %s""",
            [tuple(moves.ids)],
        )
        self.env.invalidate_all()
        self.env["account.move.line"]._init_date_maturity_contractual()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(invoice.date_due_contractual, D("2026-10-31"))
        self.assertEqual(invoice.date_limitation, D("2031-10-31"))
        self.assertEqual(acknowledged.date_limitation, D("2032-06-15"), "by the ORM")
        self.assertEqual(self.invoice.date_limitation, D("2031-01-31"))

    def test_contested_part_does_not_change_the_limitation(self):
        invoice = self._installments_invoice()
        with freeze_time("2026-09-20"):
            self._dispute(invoice, opened="2026-09-20", amount_disputed=600.0)
        self.assertEqual(invoice.amount_contested, 600.0)
        self.assertEqual(invoice.date_limitation, D("2031-10-01"))

    def test_dispute_restart_keeps_each_installments_date(self):
        # About due dates: payments are not acknowledgements here (see
        # test_partial_payment_acknowledges_the_debt).
        self.env.company.dispute_limitation_payment_acknowledges = False
        invoice = self._installments_invoice()
        dispute = self._dispute(invoice, opened="2026-09-20")
        dispute._resolve(
            "other", date_resolved=D("2026-11-01"), due_date_policy="restart"
        )
        self.assertEqual(invoice.invoice_date_due, D("2026-12-31"), "moved")
        self.assertEqual(invoice.date_limitation, D("2031-10-01"))
        self._pay(invoice, 600.0, date="2026-12-01")
        self.assertEqual(invoice.date_limitation, D("2031-10-31"))
