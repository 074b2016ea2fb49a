# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestDunning(AccountDisputeCommon):
    """The ladder: who gets which letter, when, and what it claims.

    Invoices of 2026-01-10 on 30 days are due on 2026-02-09; the levels are
    reached at D+7 (2026-02-16), D+15 (2026-02-24) and D+30 (2026-03-11).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.write({"late_payment_rate": 12.0, "recovery_indemnity": 40.0})
        cls._setup_ladder()
        cls.partner_b.email = "compta@partner-b.example.com"

    def _inv(self, amount=1000.0, partner=None, **kwargs):
        return self._invoice(amount, partner=partner, terms=self.terms_30, **kwargs)

    def _run(self, date, partners=None):
        return self.env["account.dunning.letter"]._run_escalation(
            date=D(date), partners=partners
        )

    def _run_and_send(self, date):
        """Prepare the letters due on ``date`` and send them that day."""
        with freeze_time(date):
            letters = self._run(date)
            letters.action_send()
        return letters

    def test_ladder_climbs_one_level_at_a_time(self):
        invoice = self._inv()
        self.assertFalse(self._run("2026-02-15"), "not yet 7 days late")
        letter = self._run_and_send("2026-02-16")
        self.assertEqual(letter.level_id, self.level_1)
        self.assertEqual(letter.state, "sent")
        self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertEqual(str(invoice.dunning_date), "2026-02-16")
        self.assertEqual(self._run_and_send("2026-02-24").level_id, self.level_2)
        letter_3 = self._run_and_send("2026-03-11")
        self.assertEqual(letter_3.level_id, self.level_3)
        # By registered letter: 2 days by post, then 8 days to pay.
        self.assertEqual(str(letter_3.date_deadline), "2026-03-21")
        self.assertFalse(self._run("2026-06-01"), "the ladder has no fourth level")

    def test_no_skipping_levels_unless_enabled(self):
        self._inv()
        letter = self._run("2026-03-20")
        self.assertEqual(letter.level_id, self.level_1, "very late starts at level 1")
        letter.action_cancel()
        self.env.company.dunning_skip_levels = True
        self.assertEqual(self._run("2026-03-20").level_id, self.level_3)

    def test_next_level_waits_for_the_gap_after_last_letter(self):
        self._inv()
        self._run_and_send("2026-03-20")
        self.assertFalse(self._run("2026-03-27"), "8 days between levels 1 and 2")
        self.assertEqual(self._run("2026-03-28").level_id, self.level_2)

    def test_idempotent_runs(self):
        self._inv()
        first = self._run("2026-02-16")
        self.assertEqual(len(first), 1)
        self.assertFalse(self._run("2026-02-16"), "waiting in a draft letter")
        first.action_send()
        self.assertFalse(self._run("2026-02-16"), "sent today: nothing more")
        self.env.company.dunning_mode = "send"
        self.assertFalse(self._run("2026-02-17"))

    def test_one_letter_per_partner_level_and_currency(self):
        inv_1 = self._inv(100.0)
        inv_2 = self._inv(200.0)
        other_currency = self.setup_other_currency("EUR")
        if other_currency == self.env.company.currency_id:
            other_currency = self.setup_other_currency("CHF")
        inv_3 = self._inv(300.0, currency=other_currency)
        inv_b = self._inv(400.0, partner=self.partner_b)
        letters = self._run("2026-02-16")
        self.assertEqual(len(letters), 3)
        by_key = {(x.partner_id, x.currency_id): x for x in letters}
        main = by_key[(self.partner_a, inv_1.currency_id)]
        self.assertEqual(main.invoice_ids, inv_1 | inv_2)
        self.assertEqual(main.amount_due, 300.0)
        self.assertEqual(
            main.action_view_invoices()["domain"], [("id", "in", main.invoice_ids.ids)]
        )
        self.assertEqual(by_key[(self.partner_a, other_currency)].invoice_ids, inv_3)
        self.assertEqual(by_key[(self.partner_b, inv_b.currency_id)].invoice_ids, inv_b)

    def test_disputed_and_excluded_invoices_are_skipped(self):
        disputed = self._inv()
        excluded = self._inv()
        excluded.dunning_excluded = True
        self._dispute(disputed, opened="2026-02-10")
        self._inv(partner=self.partner_b)
        self.partner_b.dunning_excluded = True
        paid = self._inv()
        self._pay(paid, 1000.0)
        self.assertFalse(self._run("2026-02-16"))

    def test_partner_filter(self):
        self._inv()
        self._inv(partner=self.partner_b)
        letters = self._run("2026-02-16", partners=self.partner_a_contact)
        self.assertEqual(letters.partner_id, self.partner_a)

    def test_preventive_reminder_before_due_date(self):
        preventive = self.level_1.copy(
            {"name": "Courtesy reminder", "sequence": 1, "delay_days": -3}
        )
        self._inv()
        self.assertEqual(self._run("2026-02-06").level_id, preventive)

    def test_dispute_drops_invoice_from_draft_letter(self):
        inv_1 = self._inv()
        inv_2 = self._inv()
        letter = self._run("2026-02-16")
        self.assertEqual(letter.invoice_ids, inv_1 | inv_2)
        self._dispute(inv_1, opened="2026-02-17")
        self.assertEqual(letter.invoice_ids, inv_2)
        self.assertEqual(letter.amount_due, 1000.0)
        self._dispute(inv_2, opened="2026-02-17")
        self.assertEqual(letter.state, "cancelled", "no invoice left")

    def test_resolution_restarts_level_unless_paid_or_withdrawn(self):
        inv_1 = self._inv()
        inv_2 = self._inv()
        self._run_and_send("2026-02-24")
        self.assertEqual(inv_1.dunning_level_id, self.level_1)
        dispute_1 = self._dispute(inv_1, opened="2026-02-25")
        dispute_2 = self._dispute(inv_2, opened="2026-02-25")
        dispute_1._resolve("credit_note", date_resolved=D("2026-03-01"))
        dispute_2._resolve("withdrawn", date_resolved=D("2026-03-01"))
        self.assertFalse(inv_1.dunning_level_id)
        self.assertFalse(inv_1.dunning_date)
        self.assertEqual(inv_2.dunning_level_id, self.level_1)
        # Restarted term: due 2026-03-31, so back at level 1 on 2026-04-07.
        self.assertFalse(self._run("2026-04-06"))
        letter = self._run("2026-04-07")
        self.assertEqual(letter.invoice_ids, inv_1)
        self.assertEqual(letter.level_id, self.level_1, "restarted from zero")
        letter = self._run("2026-04-15")
        self.assertEqual(letter.invoice_ids, inv_2)
        self.assertEqual(letter.level_id, self.level_2, "kept its level")

    def test_formal_notice_penalties_and_indemnity(self):
        inv_1 = self._inv(1000.0)
        inv_2 = self._inv(500.0)
        self.env.company.dunning_skip_levels = True
        letter = self._run("2026-03-11")
        self.assertEqual(letter.level_id, self.level_3)
        # 1,500.00 x 12 % x 30 days / 365 = 7.40 + 4.93 (per invoice, rounded)
        self.assertAlmostEqual(letter.penalty_amount, 9.86 + 4.93, places=2)
        self.assertAlmostEqual(letter.indemnity_amount, 80.0, places=2)
        self.assertAlmostEqual(letter.amount_total, 1500.0 + 14.79 + 80.0, places=2)
        self._pay(inv_2, 500.0, date="2026-03-12")
        self.assertEqual(letter.invoice_ids, inv_1, "the paid invoice left at once")
        self.assertAlmostEqual(letter.amount_total, 1000.0 + 9.86 + 40.0, places=2)
        with freeze_time("2026-03-12"):
            letter.action_send()
        # Sent a day later: penalties up to the day it went out; inv_2, paid
        # 31 days late, still owes 500 x 12 % x 31/365 = 5.10 and its indemnity.
        self.assertEqual(str(letter.date), "2026-03-12")
        self.assertAlmostEqual(
            letter.amount_total, 1000.0 + 10.19 + 40.0 + 5.10 + 40.0, places=2
        )
        self.env.company.late_payment_rate = 20.0
        self.assertAlmostEqual(
            letter.penalty_amount, 10.19 + 5.10, places=2, msg="frozen"
        )

    def test_penalties_not_claimed_on_reminders_or_when_disabled(self):
        self._inv()
        letter = self._run("2026-03-11")
        self.assertEqual(letter.level_id, self.level_1)
        self.assertEqual(letter.penalty_amount, 0.0)
        letter.action_cancel()
        self.env.company.write(
            {"dunning_skip_levels": True, "dunning_claim_penalties": False}
        )
        letter = self._run("2026-03-11")
        self.assertEqual(letter.level_id, self.level_3)
        self.assertEqual(letter.indemnity_amount, 0.0)

    def test_send_emails_letter_with_pdf_and_traces(self):
        invoice = self._inv()
        letter = self._run("2026-02-16")
        letter.action_send()
        self.assertTrue(letter.attachment_id)
        message = letter.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.attachment_ids, letter.attachment_id)
        self.assertIn(self.partner_a, message.partner_ids)
        self.assertIn(letter.name, " ".join(invoice.message_ids.mapped("body")))
        self.assertNotIn(
            letter.name,
            " ".join(self.partner_a.message_ids.mapped("body")),
            "the company's dunning stays off the customer other companies share",
        )

    def test_send_without_email_leaves_a_note(self):
        self.partner_a.email = False
        self._inv()
        letter = self._run("2026-02-16")
        letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.assertIn("no e-mail address", " ".join(letter.message_ids.mapped("body")))

    def test_level_activity_on_send(self):
        self._inv()
        self._run_and_send("2026-02-16")
        letter = self._run_and_send("2026-02-24")
        self.assertEqual(
            letter.activity_ids.activity_type_id, self.level_2.activity_type_id
        )

    def test_auto_send_level(self):
        self.level_1.auto_send = True
        self._inv()
        self.assertEqual(self._run("2026-02-16").state, "sent")

    def test_company_without_levels_is_skipped(self):
        self.levels.action_archive()
        self._inv()
        self.assertFalse(self._run("2026-03-11"))

    def test_run_wizard(self):
        self._inv()
        self._inv(partner=self.partner_b)
        form = Form(self.env["account.dunning.run.wizard"])
        form.date = "2026-02-16"
        self.assertEqual(form.letter_count, 2)
        self.assertIn("partner_b", form.preview)
        form.partner_id = self.partner_a
        self.assertEqual(form.letter_count, 1)
        action = form.save().action_run()
        letters = self.env["account.dunning.letter"].search(action["domain"])
        self.assertEqual(letters.partner_id, self.partner_a)
        self.assertEqual(letters.state, "draft")

    def test_cron_creates_drafts(self):
        self._inv(invoice_date=D("2025-01-10"))
        cron = self.env.ref("account_dispute.ir_cron_dunning_escalation")
        self.assertEqual(cron.code, "model._cron_dunning_escalation()")
        letters = self.env["account.dunning.letter"]._cron_dunning_escalation()
        self.assertEqual(letters.level_id, self.level_1)
        self.assertEqual(letters.state, "draft")
