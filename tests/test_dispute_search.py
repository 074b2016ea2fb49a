# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import AccountDisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeSearch(AccountDisputeCommon):
    """What a user types in the search box of the disputes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(500.0)
        cls.other_invoice = cls._invoice(300.0, partner=cls.partner_b)
        cls.dispute = cls._dispute(cls.invoice)
        cls.other_dispute = cls._dispute(cls.other_invoice)

    def _search_box(self, text):
        """The disputes found by ``text`` typed in the search box and
        validated: the first field of the search view."""
        arch = etree.fromstring(
            self.env["account.dispute"].get_view(view_type="search")["arch"]
        )
        field = arch.xpath("//field")[0]
        domain = safe_eval(field.get("filter_domain"), {"self": text})
        return self.env["account.dispute"].search(domain)

    def test_invoice_number_finds_its_dispute(self):
        self.assertEqual(self._search_box(self.invoice.name), self.dispute)
        self.assertEqual(self._search_box(self.other_invoice.name), self.other_dispute)

    def test_dispute_reference_still_finds_it(self):
        self.assertEqual(self._search_box(self.dispute.name), self.dispute)

    def test_invoices_field_searches_the_invoices(self):
        domain = [("invoice_ids", "ilike", self.other_invoice.name)]
        self.assertEqual(self.env["account.dispute"].search(domain), self.other_dispute)
