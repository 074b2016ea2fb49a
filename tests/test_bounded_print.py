# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bounded work in a request (issue 25, point 7): the dispute file of a
dispute raised by a 1 MB e-mail prints a bounded description."""

from markupsafe import Markup

from odoo import SUPERUSER_ID
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..report.account_dispute_file import PRINTED_TEXT_MAX, bound_html
from .common import AccountDisputeCommon
from .test_intake import _raw_email

REPORT = "account_dispute.report_account_dispute"
NOTE = "(truncated, full text in Odoo)"


@tagged("post_install", "-at_install")
class TestBoundedPrint(AccountDisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "bounded.example.com"}
        )
        company.dispute_alias_name = "litiges"
        cls.invoice = cls._invoice(1000.0)
        cls.billing = new_test_user(
            cls.env,
            login="bp_billing",
            groups="account.group_account_invoice",
            company_id=company.id,
        )

    def _print(self, dispute):
        """The dispute file's HTML, as the billing user prints it."""
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(self.billing)
            ._render_qweb_html(REPORT, dispute.ids)
        )
        return html.decode()

    def test_a_1_mb_email_prints_a_bounded_description(self):
        line = "Les marchandises livrées ne correspondent pas à la commande. "
        body = f"Nous contestons la facture {self.invoice.name}.\n" + "\n".join(
            [line * 10] * 1800
        )
        self.assertGreater(len(body), 1_000_000)
        raw = _raw_email(
            self.partner_a.email,
            "litiges@bounded.example.com",
            "Litige",
            body,
            "<big-1@partner-a.example.com>",
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            dispute_id = (
                self.env["mail.thread"]
                .with_user(SUPERUSER_ID)
                .message_process(None, raw)
            )
        dispute = self.env["account.dispute"].browse(dispute_id)
        self.assertGreater(len(dispute.description), 1_000_000, "kept whole in Odoo")
        html = self._print(dispute)
        self.assertLess(len(html), 3 * PRINTED_TEXT_MAX + 30_000)
        self.assertIn(NOTE, html)
        self.assertIn(f"Nous contestons la facture {self.invoice.name}", html)
        self.assertGreater(html.count(line.strip()), 100)

    def test_a_short_description_prints_as_written(self):
        dispute = self._dispute(
            self.invoice,
            description="<p>The price is <strong>not the one agreed</strong>.</p>",
        )
        html = self._print(dispute)
        self.assertIn("<strong>not the one agreed</strong>", html)
        self.assertNotIn(NOTE, html)

    def test_bound_html(self):
        short = Markup("<p>Agreed: <em>a credit note</em>.</p>")
        self.assertEqual(bound_html(short), (short, False))
        self.assertEqual(bound_html(False), (False, False))
        long = Markup("<p>%s</p>") % ("word " * 10_000)
        printed, cut = bound_html(long, limit=1000)
        self.assertTrue(cut)
        self.assertLess(len(printed), 1100)
        self.assertTrue(printed.startswith("<p>word word"))
        # Long in markup, short in text: printed whole, as text.
        styled = Markup("<p>%s</p>") % (
            Markup('<span style="color: red;">x</span>') * 200
        )
        self.assertGreater(len(styled), 1000)
        printed, cut = bound_html(styled, limit=1000)
        self.assertFalse(cut)
        self.assertEqual(printed.count("x"), 200)
