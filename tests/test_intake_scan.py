# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import SUPERUSER_ID
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.dispute.account_dispute_intake import (
    INVOICE_NUMBER_MAX,
    INVOICE_SCAN_CHARS,
)
from .common import AccountDisputeCommon
from .test_intake import _raw_email


@tagged("post_install", "-at_install")
class TestIntakeScan(AccountDisputeCommon):
    """The invoice numbers of a sender's text are found in linear time, in a
    bounded part of it: a long word does not stall the mail gateway (its
    timing is in benchmarks/README.md, "The mail gateway's scan")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        company.alias_domain_id = cls.env["mail.alias.domain"].create(
            {"name": "dispute-test.example.com"}
        )
        company.dispute_alias_name = "litiges"
        cls.invoice = cls._invoice(1000.0)
        cls.Dispute = cls.env["account.dispute"]

    def _scan(self, text):
        return self.Dispute._invoice_numbers_in_text(text)

    def test_numbers_as_odoo_writes_them(self):
        self.assertEqual(
            self._scan(
                "Factures INV/2026/00012, FAC/2026/03/0004 et (n°RINV/2026/7). "
                "Réf. 2026/01, montant 1/2, date 10/01/2026, avoir_INV/2026/8-B/"
            ),
            {
                "INV/2026/00012",
                "FAC/2026/03/0004",
                "RINV/2026/7",
                "avoir_INV/2026/8-B",
            },
        )
        self.assertEqual(self._scan(False), set())
        self.assertEqual(self._scan(""), set())

    def test_a_long_word_holds_no_number(self):
        self.assertEqual(self._scan("a" * 200_000), set())
        self.assertEqual(self._scan("a" * 20_000), set())
        self.assertEqual(self._scan("a" * 20_000 + "/"), set())
        self.assertEqual(self._scan("/".join(["a"] * 100_000)), set())

    def test_scan_reads_a_bounded_part(self):
        """No more than INVOICE_SCAN_CHARS characters of the text, and runs
        of at most INVOICE_NUMBER_MAX characters between separators."""
        self.assertEqual(INVOICE_SCAN_CHARS, 100_000)
        self.assertEqual(INVOICE_NUMBER_MAX, 64)
        number = "INV/2026/00012"
        at_the_end = " " * (INVOICE_SCAN_CHARS - len(number)) + number
        self.assertEqual(self._scan(at_the_end), {number})
        self.assertEqual(self._scan(at_the_end + " and more"), {number})
        self.assertEqual(self._scan(at_the_end + "3"), set(), "cut by the bound")
        self.assertEqual(self._scan(" " + at_the_end), set(), "one character past")
        longest = "A" * (INVOICE_NUMBER_MAX - len("/2026/1")) + "/2026/1"
        self.assertEqual(len(longest), INVOICE_NUMBER_MAX)
        self.assertEqual(self._scan(f"see {longest}."), {longest})
        self.assertEqual(self._scan(f"see A{longest}."), set(), "one too long")

    def _process(self, subject, body):
        raw = _raw_email(
            "Compta Partner A <compta@partner-a.example.com>",
            "litiges@dispute-test.example.com",
            subject,
            body,
            f"<scan-{len(subject)}-{len(body)}@partner-a.example.com>",
        )
        gateway = self.env["mail.thread"].with_user(SUPERUSER_ID)
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            dispute_id = gateway.message_process(None, raw)
        return self.Dispute.browse(dispute_id)

    def test_gateway_processes_long_words(self):
        for subject, body in (
            ("Contestation 1", "a" * 20_000),
            ("b" * 20_000, "Bonjour"),
            ("Contestation 2", "c" * 200_000),
        ):
            dispute = self._process(subject, body)
            self.assertEqual(dispute.partner_id, self.partner_a)
            self.assertFalse(dispute.invoice_ids)
            self.assertTrue(dispute.to_review)
        dispute = self._process(f"Contestation de {self.invoice.name}", "a" * 200_000)
        self.assertEqual(dispute.invoice_ids, self.invoice)
