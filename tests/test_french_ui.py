# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .test_formats import FrenchCommon

ANALYSES_EN = [
    "Fault by category",
    "Open disputes by aging",
    "Resolution time by reason (Pareto)",
]
ANALYSES_FR = [
    "Délai de résolution par motif (Pareto)",
    "Litiges en cours par ancienneté",
    "Responsabilité par catégorie",
]


@tagged("post_install", "-at_install")
class TestFrenchUserInterface(FrenchCommon):
    """What a French user reads in the back office is French: the chatter,
    the saved analyses, the confirmation dialogs."""

    # Chatter -----------------------------------------------------------

    def test_chatter_names_the_dispute_in_french(self):
        dispute = (
            self.env["account.dispute"]
            .with_context(mail_create_nolog=False, tracking_disable=False)
            .create({"partner_id": self.partner_a.id, "reason_id": self.reason.id})
        )
        body = str(dispute.message_ids[-1:].body)
        self.assertIn("Litige client créé", body)
        self.assertNotIn("Customer Dispute", body)

    def test_chatter_tracks_the_stage_in_french(self):
        dispute = (
            self.env["account.dispute"]
            .with_context(mail_notrack=False, tracking_disable=False)
            .create(
                {
                    "partner_id": self.partner_a.id,
                    "invoice_ids": [Command.set(self.invoice.ids)],
                    "reason_id": self.reason.id,
                }
            )
        )
        # Odoo tracks no change in the transaction that created the record.
        self.env.cr.precommit.run()
        dispute.action_open()
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking is written before commit
        dispute.invalidate_recordset(["message_ids"])
        tracking = dispute.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(
            (tracking.old_value_char, tracking.new_value_char), ("Brouillon", "Ouvert")
        )

    # Saved analyses ----------------------------------------------------

    def _analyses(self, lang):
        """The shared favorites of the analysis, as the web client loads them."""
        action = self.env.ref("account_dispute.account_dispute_report_analysis_action")
        views = (
            self.env["account.dispute.report"]
            .with_context(lang=lang)
            .get_views(
                [(False, "pivot"), (False, "search")],
                {"load_filters": True, "action_id": action.id},
            )
        )
        return sorted(
            ir_filter["name"]
            for ir_filter in views["views"]["search"]["filters"]
            if not ir_filter["user_id"]
        )

    def test_saved_analyses_in_the_user_language(self):
        self.assertEqual(self._analyses("fr_FR"), ANALYSES_FR)
        self.assertEqual(self._analyses("en_US"), ANALYSES_EN)

    def test_renamed_analysis_keeps_its_name(self):
        self.env.ref(
            "account_dispute.account_dispute_report_filter_fault"
        ).name = "Fautes 2026"
        self.assertIn("Fautes 2026", self._analyses("fr_FR"))
        self.assertNotIn("Responsabilité par catégorie", self._analyses("fr_FR"))

    # Confirmation dialogs ----------------------------------------------

    def _confirm_labels(self, model, button, lang):
        arch = etree.fromstring(
            self.env[model].with_context(lang=lang).get_view(view_type="form")["arch"]
        )
        node = arch.xpath(f"//button[@name='{button}'][@confirm]")[0]
        return node.get("confirm-label"), node.get("cancel-label")

    def test_confirmation_buttons_say_what_they_do(self):
        cases = [
            (
                "account.dispute",
                "action_cancel",
                ("Cancel the dispute", "Keep it"),
                ("Annuler le litige", "Le conserver"),
            ),
            (
                "account.dispute",
                "action_invoice_costs",
                ("Create the invoice", "Not now"),
                ("Créer la facture", "Pas maintenant"),
            ),
            (
                "account.dispute.payment.plan",
                "action_cancel",
                ("Cancel the plan", "Keep it"),
                ("Annuler l'échéancier", "Le conserver"),
            ),
        ]
        for model, button, english, french in cases:
            with self.subTest(model=model, button=button):
                self.assertEqual(self._confirm_labels(model, button, "en_US"), english)
                self.assertEqual(self._confirm_labels(model, button, "fr_FR"), french)
