# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import LatePaymentCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestLateCharges(LatePaymentCommon):
    """What invoices paid in full but late still owe (shared/domain/litiges-fr.md).

    Invoices of 2026-08-31 on 30 days are due on 2026-09-30. The worked case:
    1,200.00 paid 600.00 on 2026-10-20 and 600.00 on 2026-11-09, at 12 %:
    1,200 x 12 % x 20/365 + 600 x 12 % x 20/365 = 7.89 + 3.95 = 11.84, and
    the 40.00 indemnity of art. D441-5.
    """

    def _paid_late(self, partner=None, **kwargs):
        invoice = self._inv(1200.0, partner=partner, **kwargs)
        self._pay(invoice, 600.0, date="2026-10-20")
        self._pay(invoice, 600.0, date="2026-11-09")
        return invoice

    def _waive(self, reason, **vals):
        self.env["account.late.charge.waiver.wizard"].create(
            {"reason": reason, **vals}
        ).action_confirm()

    @staticmethod
    def _rows(letter, line_type, move):
        lines = letter.line_ids.filtered(
            lambda x: x.line_type == line_type and x.move_id == move
        )
        return [(x.base_amount, x.days, x.rate, x.amount) for x in lines]

    @staticmethod
    def _owing(partner):
        """The customer's invoices owing charges, as the next request sees them."""
        partner.invalidate_recordset(["late_charge_invoice_ids"])
        return partner.late_charge_invoice_ids

    @staticmethod
    def _product_lines(invoice):
        return invoice.invoice_line_ids.filtered(lambda x: x.display_type == "product")

    # What is owed

    def test_paid_late_owes_penalties_and_indemnity(self):
        invoice = self._paid_late()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.late_charge_state, "to_claim")
        self.assertEqual(invoice.late_charge_date_paid, D("2026-11-09"))
        self.assertEqual(invoice.late_charge_days, 40)
        self.assertEqual(invoice.late_charge_base, 1200.0)
        self.assertEqual(invoice.late_charge_rate, 12.0)
        self.assertEqual(invoice.late_charge_penalty, 11.84)
        self.assertEqual(invoice.late_charge_indemnity, 40.0)
        self.assertEqual(invoice.late_charge_amount, 51.84)
        charge = invoice._get_late_charges()[invoice]
        self.assertEqual(
            [(p.base, p.days, p.amount) for p in charge.periods],
            [(1200.0, 20, 7.89), (600.0, 20, 3.95)],
        )
        partner = self.partner_a
        self.assertEqual(self._owing(partner), invoice)
        self.assertEqual(partner.late_charge_count, 1)
        self.assertEqual(partner.late_charge_total, 51.84)
        self.assertEqual(self._owing(self.partner_a_contact), invoice)
        action = partner.action_view_late_charges()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)

    def _queries_to_show_the_customer(self):
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        partner = self.env["res.partner"].browse(self.partner_a.id)
        before = self.env.cr.sql_log_count
        partner.late_charge_invoice_ids.mapped("late_charge_letter_id")
        self.assertTrue(partner.late_charge_total)
        return self.env.cr.sql_log_count - before

    def test_no_query_per_invoice(self):
        for _i in range(2):
            self._paid_late()
        two = self._queries_to_show_the_customer()
        for _i in range(4):
            self._paid_late()
        self.assertEqual(self._queries_to_show_the_customer(), two)
        self.assertEqual(self.partner_a.late_charge_count, 6)

    def test_paid_on_time_owes_nothing(self):
        early = self._inv(1200.0)
        self._pay(early, 1200.0, date="2026-09-15")
        on_due_date = self._inv(300.0)
        self._pay(on_due_date, 300.0, date="2026-09-30")
        self.assertFalse(early.late_charge_state)
        self.assertFalse(on_due_date.late_charge_state)
        self.assertEqual(on_due_date.late_charge_amount, 0.0)
        self.assertFalse((early | on_due_date)._get_late_charges())
        self.assertFalse(self._owing(self.partner_a))
        with self.assertRaisesRegex(UserError, "owes no late-payment charges"):
            self.partner_a.action_invoice_late_charges()

    def test_unpaid_invoice_owes_no_charges_yet(self):
        invoice = self._inv(1200.0)
        self._pay(invoice, 600.0, date="2026-10-20")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(invoice.late_charge_state)

    def test_private_person_owes_none(self):
        person = self.env["res.partner"].create({"name": "Jeanne Martin"})
        self.assertEqual(person.debtor_type, "consumer")
        invoice = self._paid_late(partner=person)
        self.assertFalse(invoice.late_charge_state)
        self.assertEqual(invoice.late_charge_amount, 0.0)
        self.assertFalse(self._owing(person))
        with self.assertRaisesRegex(UserError, "not a professional's invoice"):
            invoice.action_invoice_late_charges()

    def test_foreign_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        invoice = self._inv(1200.0, currency=currency)
        for amount, date in ((600.0, "2026-10-20"), (600.0, "2026-11-09")):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {"amount": amount, "currency_id": currency.id, "payment_date": date}
            )._create_payments()
        self.assertEqual(invoice.late_charge_penalty, 11.84)
        self.assertEqual(invoice.late_charge_indemnity, 80.0, "40.00 at 2 for 1")
        self.assertEqual(self.partner_a.late_charge_total, 45.92, "in EUR: 5.92 + 40")

    # Invoicing the charges

    def test_invoice_the_charges_once(self):
        invoice = self._paid_late()
        action = self.partner_a.action_invoice_late_charges()
        charges = invoice.late_charge_move_id
        self.assertEqual(action["res_id"], charges.id)
        self.assertEqual(charges.move_type, "out_invoice")
        self.assertEqual(charges.state, "draft")
        self.assertEqual(charges.partner_id, self.partner_a)
        self.assertEqual(charges.invoice_origin, invoice.name)
        self.assertEqual(charges.late_charge_invoice_ids, invoice)
        self.assertEqual(invoice.late_charge_state, "invoiced")
        lines = self._product_lines(charges)
        self.assertEqual(
            lines.mapped("name"),
            [
                f"Late-payment penalties - invoice {invoice.name} paid 40 days late "
                "(rate 12.00\xa0%: $\xa01,200.00 for 20 days, $\xa0600.00 for 20 days)",
                "Fixed indemnity for recovery costs (art. D441-5) - invoice "
                f"{invoice.name}",
            ],
        )
        self.assertEqual(lines.mapped("price_subtotal"), [11.84, 40.0])
        self.assertFalse(lines.tax_ids, "outside the scope of VAT")
        self.assertEqual(lines.account_id, self.env.company._get_late_charge_account())
        self.assertIn(
            "outside the scope of VAT",
            charges.invoice_line_ids.filtered(
                lambda x: x.display_type == "line_note"
            ).name,
        )
        self.assertIn(f'data-oe-id="{charges.id}"', invoice.message_ids[0].body)
        charges.invoice_date = D("2026-11-20")
        charges.action_post()
        self.assertEqual(charges.amount_tax, 0.0)
        self.assertEqual(charges.amount_total, 51.84)
        self.assertFalse(self._owing(self.partner_a))
        with self.assertRaisesRegex(UserError, "owes no late-payment charges"):
            self.partner_a.action_invoice_late_charges()
        with self.assertRaisesRegex(UserError, "already invoiced on"):
            invoice.action_invoice_late_charges()

    def test_cancelled_charges_invoice_frees_them(self):
        invoice = self._paid_late()
        invoice.action_invoice_late_charges()
        first = invoice.late_charge_move_id
        first.button_cancel()
        self.assertEqual(invoice.late_charge_state, "to_claim")
        self.assertEqual(self._owing(self.partner_a), invoice)
        self.partner_a.action_invoice_late_charges()
        second = invoice.late_charge_move_id
        self.assertNotEqual(second, first)
        self.assertEqual(second.amount_total, 51.84)
        self.assertEqual(invoice.late_charge_state, "invoiced")

    def test_one_charges_invoice_per_customer(self):
        first = self._paid_late()
        second = self._inv(500.0)
        self._pay(second, 500.0, date="2026-10-30")
        other = self._paid_late(partner=self.partner_b)
        action = (first | second | other).action_invoice_late_charges()
        charges = self.env["account.move"].search(action["domain"])
        self.assertEqual(len(charges), 2)
        mine = first.late_charge_move_id
        self.assertEqual(second.late_charge_move_id, mine)
        self.assertEqual(mine.late_charge_invoice_ids, first | second)
        # 500 x 12 % x 30/365 = 4.93
        self.assertEqual(
            self._product_lines(mine).mapped("price_subtotal"),
            [11.84, 40.0, 4.93, 40.0],
        )
        self.assertEqual(other.late_charge_move_id.partner_id, self.partner_b)
        self.assertEqual(other.late_charge_move_id.amount_total, 51.84)

    def test_charges_invoice_paid_late_owes_no_charges(self):
        invoice = self._paid_late()
        invoice.action_invoice_late_charges()
        charges = invoice.late_charge_move_id
        charges.write(
            {
                "invoice_date": D("2026-11-20"),
                "invoice_payment_term_id": self.terms_30.id,
            }
        )
        charges.action_post()
        self._pay(charges, 51.84, date="2027-01-15")
        self.assertIn(charges.payment_state, ("paid", "in_payment"))
        self.assertFalse(charges.late_charge_state)

    def test_charges_account(self):
        company = self.env.company
        sales = self.company_data["default_journal_sale"].default_account_id
        self.assertEqual(company._get_late_charge_account(), sales)
        sundry = self.env["account.account"].create(
            {"code": "758100", "name": "Pénalités perçues", "account_type": "income"}
        )
        self.assertEqual(company._get_late_charge_account(), sundry)
        interest = self.env["account.account"].create(
            {"code": "763800", "name": "Revenus des créances", "account_type": "income"}
        )
        self.assertEqual(company._get_late_charge_account(), interest)
        chosen = self.copy_account(self.company_data["default_account_revenue"])
        company.late_charge_account_id = chosen
        invoice = self._paid_late()
        invoice.action_invoice_late_charges()
        self.assertEqual(
            self._product_lines(invoice.late_charge_move_id).account_id, chosen
        )

    # Waivers

    def test_waive_an_invoice(self):
        invoice = self._paid_late()
        action = invoice.action_waive_late_charges()
        self.assertEqual(action["context"], {"default_move_ids": invoice.ids})
        self._waive("First delay in ten years", move_ids=invoice.ids)
        self.assertEqual(invoice.late_charge_state, "waived")
        self.assertTrue(invoice.late_charge_waived)
        self.assertIn("First delay in ten years", invoice.message_ids[0].body)
        self.assertFalse(self._owing(self.partner_a))
        with self.assertRaisesRegex(UserError, "waived"):
            invoice.action_invoice_late_charges()
        invoice.action_restore_late_charges()
        self.assertEqual(invoice.late_charge_state, "to_claim")
        self.assertIn("owed again", invoice.message_ids[0].body)

    def test_cannot_waive_invoiced_charges(self):
        invoice = self._paid_late()
        invoice.action_invoice_late_charges()
        with self.assertRaisesRegex(UserError, "already invoiced"):
            self._waive("Too late", move_ids=invoice.ids)
        self.assertFalse(invoice.late_charge_waived)

    def test_waive_a_customer_in_one_company(self):
        company_2 = self.setup_other_company()["company"]
        company_2.write({"late_payment_rate": 12.0, "recovery_indemnity": 40.0})
        invoice = self._paid_late()
        invoice_2 = self._inv(1200.0, company=company_2)
        for amount, date in ((600.0, "2026-10-20"), (600.0, "2026-11-09")):
            self.env["account.payment.register"].with_company(company_2).with_context(
                active_model="account.move", active_ids=invoice_2.ids
            ).create({"amount": amount, "payment_date": date})._create_payments()
        self.assertEqual(invoice_2.late_charge_state, "to_claim")
        action = self.partner_a_contact.action_waive_late_charges()
        self.assertEqual(action["context"], {"default_partner_id": self.partner_a.id})
        self._waive("Key account", partner_id=self.partner_a.id)
        self.assertTrue(self.partner_a.late_charge_waived)
        self.assertFalse(self.partner_a.with_company(company_2).late_charge_waived)
        self.assertEqual(invoice.late_charge_state, "waived")
        self.assertEqual(invoice_2.late_charge_state, "to_claim")
        self.assertEqual(self.partner_a.late_charge_waiver_reason, "Key account")
        self.assertFalse(
            self.partner_a.with_company(company_2).late_charge_waiver_reason
        )
        self.assertIn("Key account", invoice.message_ids[0].body)
        self.assertNotIn(
            "Key account",
            " ".join(self.partner_a.message_ids.mapped("body")),
            "the company's waiver stays off the customer other companies share",
        )
        self.assertFalse(self._owing(self.partner_a))
        self.assertEqual(self._owing(self.partner_a.with_company(company_2)), invoice_2)
        # A customer waived owes nothing on its invoices paid late afterwards.
        later = self._paid_late()
        self.assertEqual(later.late_charge_state, "waived")
        self.partner_a.action_restore_late_charges()
        self.assertEqual(
            (invoice | later).mapped("late_charge_state"), ["to_claim"] * 2
        )
        self.assertFalse(self.partner_a.late_charge_waiver_reason)
        for move in invoice | later:
            self.assertIn("owed again", move.message_ids[0].body)

    def test_only_a_disputes_manager_waives(self):
        billing = new_test_user(
            self.env, login="lc_billing", groups="account.group_account_invoice"
        )
        invoice = self._paid_late()
        with self.assertRaises(AccessError):
            self.env["account.late.charge.waiver.wizard"].with_user(billing).create(
                {"move_ids": invoice.ids, "reason": "Nice customer"}
            )
        invoice.late_charge_waived = True
        with self.assertRaises(AccessError):
            invoice.with_user(billing).action_restore_late_charges()
        with self.assertRaises(AccessError):
            self.partner_a.with_user(billing).action_restore_late_charges()
        # Invoicing them is every invoicing user's job.
        invoice.late_charge_waived = False
        invoice.with_user(billing).action_invoice_late_charges()
        self.assertEqual(invoice.late_charge_state, "invoiced")

    # Claimed by the next formal notice

    def test_next_formal_notice_claims_them_once(self):
        paid = self._paid_late()
        unpaid = self._inv(500.0)
        letter = self._notice_for(unpaid, D("2026-11-20"))
        self.assertEqual(
            self._rows(letter, "penalty", paid),
            [(1200.0, 20, 12.0, 7.89), (600.0, 20, 12.0, 3.95)],
        )
        self.assertEqual(self._rows(letter, "indemnity", paid), [(0.0, 0, 0.0, 40.0)])
        self.assertEqual(
            set(letter.line_ids.filtered(lambda x: x.move_id == paid).mapped("name")),
            {f"{paid.name}, paid on 11/09/2026"},
        )
        # 500 x 12 % x 51/365 = 8.38 on the unpaid invoice, with its indemnity.
        self.assertAlmostEqual(letter.penalty_amount, 11.84 + 8.38)
        self.assertAlmostEqual(letter.indemnity_amount, 80.0)
        self.assertAlmostEqual(letter.amount_total, 500.0 + 20.22 + 80.0)
        with freeze_time("2026-11-20"):
            letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.assertEqual(paid.late_charge_letter_id, letter)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account_dispute.report_dunning_letter", letter.ids)[0]
            .decode()
        )
        self.assertIn(
            "were paid after their due date: their late-payment penalties and "
            "recovery indemnity, in the calculation below, remain due: "
            f"{paid.name}, paid on 11/09/2026.",
            html,
        )

        # Claimed, still owed: the next notice claims them again (a letter
        # asks for them, it does not settle them), once each.
        later = self._notice_for(unpaid, D("2026-11-30"))
        self.assertEqual(
            self._rows(later, "penalty", paid),
            [(1200.0, 20, 12.0, 7.89), (600.0, 20, 12.0, 3.95)],
        )
        self.assertEqual(self._rows(later, "indemnity", paid), [(0.0, 0, 0.0, 40.0)])
        self.assertEqual(paid.late_charge_state, "to_claim")
        self.assertEqual(paid.late_charge_letter_id, letter)
        # The invoice of charges books them all; no letter claims them after.
        paid.action_invoice_late_charges()
        self.assertEqual(paid.late_charge_move_id.amount_total, 51.84)
        later._compute_claim()
        self.assertFalse(later.line_ids.filtered(lambda x: x.move_id == paid))

    def _notice_paid_in_principal_only(self):
        """Issue 24, point 4: a formal notice of 2026-11-09 claims 1,200.00,
        1,200 x 12 % x 40/365 = 15.78 of penalties and the 40.00 indemnity
        (1,255.78); the customer pays the 1,200.00 on 2026-11-20, not the
        charges. Another invoice of 600.00, due on 2026-09-30 too, is left."""
        invoice = self._inv(1200.0)
        other = self._inv(600.0)
        notice = self._notice_for(invoice, D("2026-11-09"))
        with freeze_time("2026-11-09"):
            notice.action_send()
        self.assertAlmostEqual(notice.amount_total, 1255.78)
        self._pay(invoice, 1200.0, date="2026-11-20")
        self.assertEqual(invoice.late_charge_state, "to_claim")
        return invoice, other

    def test_charges_left_unpaid_after_a_notice_are_claimed_by_the_next(self):
        """The next notice, on 2026-12-08, claims what stays owed on the
        invoice paid in principal only: its penalties up to the payment,
        1,200 x 12 % x 51/365 = 20.12, and its indemnity, 40.00, which the
        first notice claimed but nobody paid (art. D441-5: owed once per
        invoice, until paid, however many letters ask for it). With the
        600.00 still unpaid, 600 x 12 % x 69/365 = 13.61 and its own 40.00:
        600.00 + 13.61 + 40.00 + 20.12 + 40.00 = 713.73 (673.73 before,
        without the indemnity)."""
        invoice, other = self._notice_paid_in_principal_only()
        letter = self._notice_for(other, D("2026-12-08"))
        self.assertEqual(
            self._rows(letter, "penalty", invoice), [(1200.0, 51, 12.0, 20.12)]
        )
        self.assertEqual(
            self._rows(letter, "indemnity", invoice), [(0.0, 0, 0.0, 40.0)]
        )
        self.assertEqual(
            self._rows(letter, "penalty", other), [(600.0, 69, 12.0, 13.61)]
        )
        self.assertAlmostEqual(letter.amount_due, 600.0)
        self.assertAlmostEqual(letter.penalty_amount, 33.73)
        self.assertAlmostEqual(letter.indemnity_amount, 80.0)
        self.assertAlmostEqual(letter.amount_total, 713.73)

    def test_charges_left_unpaid_after_a_notice_invoiced_once(self):
        """The same charges booked by an invoice of charges instead: 20.12 +
        40.00 = 60.12, and then no letter claims them (never both)."""
        invoice, other = self._notice_paid_in_principal_only()
        invoice.action_invoice_late_charges()
        self.assertEqual(invoice.late_charge_move_id.amount_total, 60.12)
        letter = self._notice_for(other, D("2026-12-08"))
        self.assertFalse(letter.line_ids.filtered(lambda x: x.move_id == invoice))
        self.assertAlmostEqual(letter.amount_total, 653.61)

    def test_charges_left_unpaid_after_a_notice_waived(self):
        invoice, other = self._notice_paid_in_principal_only()
        self._waive("Settled by phone", move_ids=invoice.ids)
        letter = self._notice_for(other, D("2026-12-08"))
        self.assertFalse(letter.line_ids.filtered(lambda x: x.move_id == invoice))
        self.assertAlmostEqual(letter.amount_total, 653.61)

    def test_waived_or_invoiced_charges_are_not_claimed(self):
        waived = self._paid_late()
        self._waive("Goodwill", move_ids=waived.ids)
        invoiced = self._paid_late()
        invoiced.action_invoice_late_charges()
        letter = self._notice_for(self._inv(500.0), D("2026-11-20"))
        self.assertFalse(letter.line_ids.move_id & (waived | invoiced))

    def test_no_claim_in_reminders_nor_to_private_persons(self):
        paid = self._paid_late()
        reminder = self.env["account.dunning.letter"].create(
            {
                "partner_id": self.partner_a.id,
                "level_id": self.level_1.id,
                "currency_id": paid.currency_id.id,
                "date": D("2026-11-20"),
                "invoice_ids": [Command.set(self._inv(500.0).ids)],
            }
        )
        reminder._compute_claim()
        self.assertFalse(reminder.line_ids.move_id & paid)
        self.env.company.dunning_claim_penalties = False
        notice = self._notice_for(self._inv(500.0), D("2026-11-20"))
        self.assertFalse(notice.line_ids.move_id & paid)

    def test_invoiced_indemnity_is_not_claimed_when_unpaid_again(self):
        invoice = self._paid_late()
        invoice.action_invoice_late_charges()
        invoice.line_ids.filtered(
            lambda x: x.account_id.account_type == "asset_receivable"
        ).remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(invoice.late_charge_state, "invoiced")
        letter = self._notice_for(invoice, D("2026-11-20"))
        self.assertTrue(self._rows(letter, "penalty", invoice))
        self.assertFalse(self._rows(letter, "indemnity", invoice))
