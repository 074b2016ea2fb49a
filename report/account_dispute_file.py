# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The dispute file (``report_account_dispute``): a bounded print of its long
texts."""

from markupsafe import Markup

from odoo import api, models
from odoo.tools import html2plaintext, plaintext2html

# What the dispute file prints of a long text, in characters. A description
# is what the customer's e-mail said: a 1 MB e-mail took wkhtmltopdf 93 to 156
# seconds to print, past Odoo's 120 s limit on a request. A text up to this
# size prints as it is; a longer one prints as plain text, its first
# PRINTED_TEXT_MAX characters, and the file says it is cut (the full text
# stays on the dispute, in Odoo). Only the first PRINTED_TEXT_MAX *
# PRINTED_HTML_FACTOR characters of its HTML are read.
PRINTED_TEXT_MAX = 20_000
PRINTED_HTML_FACTOR = 10


def bound_html(html, limit=PRINTED_TEXT_MAX):
    """What to print of ``html`` (an Html field's value): ``(html, cut)``,
    the value itself when it is at most ``limit`` characters long, else its
    text cut at ``limit`` characters, and whether something was left out."""
    if not html or len(html) <= limit:
        return html, False
    head = html[: limit * PRINTED_HTML_FACTOR]
    text = html2plaintext(head)
    cut = len(text) > limit or len(head) < len(html)
    return Markup(plaintext2html(text[:limit])), cut


class ReportAccountDispute(models.AbstractModel):
    _name = "report.account_dispute.report_account_dispute"
    _description = "Dispute File"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The disputes, and ``bound_html`` for the texts the file prints."""
        return {
            "doc_ids": docids,
            "doc_model": "account.dispute",
            "docs": self.env["account.dispute"].browse(docids),
            "bound_html": bound_html,
        }
