# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import format_date

from .test_formats import FrenchCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestWholeSentences(FrenchCommon):
    """Whole sentences in every language: one translatable sentence per case,
    never a translated word or label slipped into another sentence (French
    reads "Ouvert le du litige" or "résolu de lui-même (payé par le client)"
    otherwise)."""

    def _has_note(self, record, text):
        """Whether a message of the record's chatter contains ``text``."""
        return any(
            text in lxml_html.fromstring(f"<div>{body}</div>").text_content()
            for body in record.message_ids.mapped("body")
            if body
        )

    def test_day_to_come_one_sentence_per_date(self):
        dispute = self._dispute_fr()
        in_5_days = fields.Date.add(fields.Date.context_today(dispute), days=5)
        date = format_date(self.env, in_5_days)
        expected = {
            "date_mediation": f"Le litige {dispute.name} ne peut pas être confié à "
            f"un tiers à une date à venir ({date}) : indiquez le jour où il lui a "
            "été confié, aujourd'hui au plus tard.",
            "date_litigation": f"Le litige {dispute.name} ne peut pas être porté "
            f"devant le tribunal à une date à venir ({date}) : indiquez le jour de "
            "la saisine, aujourd'hui au plus tard.",
        }
        for fname, message in expected.items():
            with self.subTest(fname), self.assertRaises(ValidationError) as caught:
                dispute.write({fname: in_5_days})
            self.assertEqual(str(caught.exception), message)

    def test_self_resolution_one_sentence_per_resolution(self):
        dispute = self._dispute_fr()
        self._pay(self.invoice, 1234.56, date="2026-02-15")
        self.assertEqual(dispute.resolution, "customer_paid")
        self.assertTrue(
            self._has_note(
                dispute,
                "Toutes les factures du litige sont réglées : le litige s'est "
                "résolu de lui-même, le client a payé.",
            )
        )

    def test_due_dates_note_one_sentence_per_policy(self):
        dispute = self._dispute_fr()
        dispute._resolve(
            "withdrawn", date_resolved=D("2026-02-20"), due_date_policy="keep"
        )
        self.assertTrue(
            self._has_note(
                self.invoice,
                f"Litige {dispute.name} résolu le 20/02/2026 : les dates "
                "d'échéance d'origine sont conservées.",
            )
        )

    def test_hand_over_is_whole_sentences(self):
        """What the addon could not do is said in whole sentences: what to do,
        then why it was not done."""
        invoice = self._invoice(1000.0)
        with freeze_time("2026-03-10"):
            dispute = self._dispute(invoice, opened="2026-03-10").with_env(self.env)
        with freeze_time("2026-03-05"):
            self._pay(invoice, 1000.0, date="2026-03-05")
        self.assertEqual(dispute.state, "open", "left for a person")
        takeover = self.env.ref("account_dispute.mail_activity_type_takeover")
        activity = dispute.activity_ids.filtered(
            lambda a: a.activity_type_id == takeover
        )
        self.assertEqual(
            activity.summary, "Résolvez ce litige : ses factures sont réglées."
        )
        self.assertTrue(
            self._has_note(dispute, "Résolvez ce litige : ses factures sont réglées.")
        )
        self.assertTrue(
            self._has_note(dispute, "Cela n'a pas pu se faire automatiquement (")
        )

    def test_payment_delay_terms_one_sentence_per_case(self):
        Report = self.env["report.account_dispute.report_payment_delays"]
        self.assertEqual(
            Report._terms_used([])["contractual"], "Délais contractuels : aucun"
        )
        self.assertEqual(
            Report._terms_used([None])["contractual"],
            "Délais contractuels : date d'échéance portée sur la facture",
        )
        term = self.env.ref("account.account_payment_term_30days")
        self.assertEqual(
            Report._terms_used([term.id, None])["contractual"],
            f"Délais contractuels : {term.with_env(self.env).name}, date "
            "d'échéance portée sur la facture",
        )
