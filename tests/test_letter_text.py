# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date
NBSP = "\N{NO-BREAK SPACE}"


@tagged("post_install", "-at_install")
class TestLetterText(AccountDisputeCommon):
    """What the letters state, as the customer and a court read them.

    A French company (EUR), with Odoo's generic chart of accounts.
    """

    country_code = "FR"
    chart_template = "generic_coa"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.env.company.write(
            {
                "city": "Lyon",
                "late_payment_rate": 12.15,
                "recovery_indemnity": 40.0,
                "dunning_postal_delay_days": 2,
                "dunning_signatory_name": "Marie Durand",
                "dunning_signatory_title": "Chief Financial Officer",
            }
        )
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)
        cls.credit_note = cls.init_invoice(
            "out_refund",
            partner=cls.partner_a,
            invoice_date=D("2026-03-02"),
            amounts=[100.0],
            taxes=[],
            post=True,
        )

    @classmethod
    def _french(cls):
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["account_dispute"], ["fr_FR"])
        cls.partner_a.lang = "fr_FR"
        cls.env.company.dunning_signatory_title = "Directrice financière"

    def _letter(self, level, date="2026-12-20", debtor_type=None, **vals):
        """A draft letter whose rows the test writes itself (see _lines)."""
        letter = self.env["account.dunning.letter"].create(
            {
                "partner_id": self.partner_a.id,
                "level_id": level.id,
                "date": D(date),
                "invoice_ids": [Command.set(self.invoice.ids)],
                "currency_id": self.invoice.currency_id.id,
                **vals,
            }
        )
        letter.line_ids.unlink()
        if debtor_type:
            letter.debtor_type = debtor_type
        return letter

    def _lines(self, letter, charge_type="penalty"):
        """The rows of a claim: the invoice, a credit note, a charge, indemnity."""
        self.env["account.dunning.letter.line"].create(
            [
                {
                    "letter_id": letter.id,
                    "line_type": "principal",
                    "name": self.invoice.name,
                    "move_id": self.invoice.id,
                    "date_due": D("2026-02-09"),
                    "amount": 1000.0,
                },
                {
                    "letter_id": letter.id,
                    "line_type": "credit",
                    "name": self.credit_note.name,
                    "move_id": self.credit_note.id,
                    "amount": -100.0,
                },
                {
                    "letter_id": letter.id,
                    "line_type": charge_type,
                    "name": self.invoice.name,
                    "move_id": self.invoice.id,
                    "date_from": D("2026-02-09"),
                    "date_to": D("2026-12-20"),
                    "days": 314,
                    "base_amount": 1000.0,
                    "rate": 12.15,
                    "amount": 104.52,
                },
                {
                    "letter_id": letter.id,
                    "line_type": "indemnity",
                    "name": self.invoice.name,
                    "move_id": self.invoice.id,
                    "amount": 40.0,
                },
            ]
        )

    def _html(self, letter):
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "account_dispute.report_dunning_letter", letter.ids
        )
        return html.decode()

    # ------------------------------------------------------------------
    # The deadline
    # ------------------------------------------------------------------

    def test_deadline_counts_the_postal_delay_for_letters_by_post(self):
        # Level 3: registered letter; level 2: e-mail and letter; level 1: e-mail.
        self.assertEqual(self._letter(self.level_3).date_deadline, D("2026-12-30"))
        self.assertEqual(self._letter(self.level_2).date_deadline, D("2026-12-30"))
        self.assertEqual(self._letter(self.level_1).date_deadline, D("2026-12-28"))
        self.level_1.registered_mail = True
        letter = self._letter(self.level_1)
        self.assertEqual(letter.date_deadline, D("2026-12-30"))
        self.env.company.dunning_postal_delay_days = 3
        self.assertEqual(letter.date_deadline, D("2026-12-31"))
        letter.date = D("2026-12-21")
        self.assertEqual(letter.date_deadline, D("2027-01-01"))

    def test_sent_letter_keeps_its_deadline(self):
        letter = self._letter(self.level_3, date="2026-03-11")
        draft = self._letter(self.level_3, date="2026-03-11")
        with freeze_time("2026-03-11"):
            letter.action_send()
        self.assertEqual(letter.state, "sent")
        self.env.company.dunning_postal_delay_days = 5
        self.level_3.deadline_days = 15
        self.assertEqual(letter.date_deadline, D("2026-03-21"))
        self.assertEqual(draft.date_deadline, D("2026-03-31"))

    # ------------------------------------------------------------------
    # The formal notice in French
    # ------------------------------------------------------------------

    def test_formal_notice_in_french(self):
        self._french()
        letter = self._letter(self.level_3, registered_mail_ref="1A 234 567 8901 2")
        self._lines(letter)
        html = self._html(letter)
        for text in (
            "Lyon, le 20 décembre 2026",
            "Lettre recommandée avec accusé de réception",
            "1A 234 567 8901 2",
            "Mise en demeure",
            "vaut mise en demeure au sens de l'article 1344 du Code civil",
            # The phrase and the date agree: 20/12 + 2 days by post + 8 days.
            "dans un délai de 8 jours à compter de la réception de la présente "
            "lettre, soit au plus tard le <strong>30 décembre 2026</strong>",
            "Pénalités de retard arrêtées au 20 décembre 2026",
            "continuent de courir jusqu'à complet paiement",
            f"12,15{NBSP}%",
            "article L441-10 du Code de commerce",
            "article D441-5 du Code de commerce",
            f"de 40,00{NBSP}€ par facture",
            # Amounts of the tables: Odoo's monetary widget, sign kept unbroken.
            f"-\N{ZERO WIDTH NO-BREAK SPACE}100,00</span>{NBSP}€",
            f"104,52</span>{NBSP}€",
            "Avoirs et règlements à déduire",
            self.credit_note.name,
            "10/02/2026",  # the first day of the period: the day after 09/02
            ">314<",
            "Marie Durand",
            "Directrice financière",
            "Madame, Monsieur,",
        ):
            self.assertIn(text, html)
        signature = html[html.index('name="signature"') :][:400]
        self.assertIn("Directrice financière", signature)
        self.assertIn(self.env.company.name, signature, "the creditor signs too")
        for english in ("Dear Sir", "within", "Formal notice", "Yours", "Balance"):
            self.assertNotIn(english, html)
        self.assertNotIn("12.15", html)
        # The sum claimed, whatever the engine computed, in French figures.
        total = letter.with_context(lang="fr_FR")._format_amount(letter.amount_total)
        self.assertIn(f"la somme de <strong>{total}</strong>", html)

    def test_consumer_notice_cites_no_commercial_code(self):
        self._french()
        letter = self._letter(self.level_3, debtor_type="consumer")
        self._lines(letter, charge_type="interest")
        html = self._html(letter)
        self.assertIn("Mise en demeure", html)
        self.assertIn("article 1231-6 du Code civil", html)
        self.assertIn("Intérêts au taux légal arrêtés au 20 décembre 2026", html)
        self.assertIn(f"104,52</span>{NBSP}€", html)
        for article in ("L441-10", "D441-5", "Code de commerce"):
            self.assertNotIn(article, html)

    def test_professional_notice_cites_the_commercial_code(self):
        self._french()
        letter = self._letter(self.level_3)
        html = self._html(letter)
        self.assertIn("L441-10", html)
        self.assertIn("D441-5", html)
        self.assertNotIn("1231-6", html)
        self.assertIn(f"au taux annuel de 12,15{NBSP}%", html)

    def test_reminder_in_french(self):
        self._french()
        letter = self._letter(self.level_1)
        html = self._html(letter)
        self.assertIn("Lyon, le 20 décembre 2026", html)
        # E-mail only: no postal delay, 8 days from the letter's date.
        self.assertIn("au plus tard le <strong>28 décembre 2026</strong>", html)
        self.assertIn("Marie Durand", html)
        self.assertNotIn("mise en demeure", html.lower())

    # ------------------------------------------------------------------
    # The deadline changed by hand, the signatory, English
    # ------------------------------------------------------------------

    def test_deadline_changed_by_hand_keeps_phrase_and_date_agreed(self):
        letter = self._letter(self.level_3)
        letter.date_deadline = D("2027-01-05")
        html = self._html(letter)
        # Received on 22 December (2 days by post): 14 days to 5 January.
        self.assertIn(
            "within 14 days of receipt of this letter, that is by "
            "<strong>January 5, 2027</strong> at the latest",
            html,
        )
        # A deadline before the letter arrives gives no days from receipt.
        letter.date_deadline = D("2026-12-21")
        html = self._html(letter)
        self.assertIn("the sum of <strong>", html, "the demand is there, without days")
        self.assertIn("by <strong>December 21, 2026</strong> at the latest", html)
        self.assertNotIn("days of receipt", html)

    def test_formal_notice_in_english(self):
        letter = self._letter(self.level_3)
        self._lines(letter)
        html = self._html(letter)
        for text in (
            "Lyon, December 20, 2026",
            "within 8 days of receipt of this letter, that is by "
            "<strong>December 30, 2026</strong> at the latest",
            "Late-payment penalties, calculated up to December 20, 2026",
            f"12.15{NBSP}%",
            "Marie Durand",
            "Chief Financial Officer",
        ):
            self.assertIn(text, html)

    def test_signatory_of_the_level_then_the_company(self):
        self.level_3.write(
            {"signatory_name": "Maître Jean Martin", "signatory_title": "Lawyer"}
        )
        letter = self._letter(self.level_3)
        self.assertEqual(letter._get_signatory(), ("Maître Jean Martin", "Lawyer"))
        html = self._html(letter)
        self.assertIn("Maître Jean Martin", html)
        self.assertNotIn("Marie Durand", html)
        reminder = self._letter(self.level_1)
        self.assertEqual(
            reminder._get_signatory(), ("Marie Durand", "Chief Financial Officer")
        )
        self.env.company.write(
            {"dunning_signatory_name": False, "dunning_signatory_title": False}
        )
        self.env.user.signature = "<p>Sent from my phone</p>"
        self.assertEqual(reminder._get_signatory(), (self.env.company.name, ""))
        self.assertNotIn("Sent from my phone", self._html(reminder))

    def test_place_without_city_is_the_date_alone(self):
        self.env.company.city = False
        letter = self._letter(self.level_1)
        self.assertEqual(letter._get_place_and_date(), "December 20, 2026")
