# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math
import re

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import float_compare, plaintext2html

from odoo.addons.account.controllers.portal import PortalAccount

# What a file name may not hold: NUL and the other control characters.
CONTROL_CHARS_RE = re.compile(r"[\x00-\x1f\x7f]")


class AccountDisputePortal(PortalAccount):
    @http.route(
        "/my/invoices/<int:invoice_id>/dispute",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_invoice_dispute(self, invoice_id, access_token=None, **post):
        """Contest an invoice: a draft dispute for its owner to handle.

        Only a logged-in user of the invoice's customer may; the form's CSRF
        token is checked by the route.
        """
        try:
            invoice_sudo = self._document_check_access(
                "account.move", invoice_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        user_partner = request.env.user.partner_id.commercial_partner_id
        if invoice_sudo.commercial_partner_id != user_partner:
            raise Forbidden()
        error = self._contest_invoice(
            invoice_sudo, post, author=request.env.user.partner_id
        )
        if error:
            return request.redirect(
                invoice_sudo.get_portal_url(query_string=f"&dispute_error={error}")
            )
        return request.redirect(invoice_sudo.get_portal_url())

    def _contest_invoice(self, invoice_sudo, post, author):
        """Contest ``invoice_sudo`` for ``author`` (the logged-in contact)
        with the form's ``post``: the draft dispute is created and None
        returned, or nothing is created and an error code for the invoice
        page is returned. Access is checked by the route, before.

        One contest at a time per invoice, even when several arrive at once
        (see ``account.move._lock_for_contest``): the others find the
        invoice contested (``not_contestable``).
        """
        invoice_sudo._lock_for_contest()
        error = self._check_dispute_post(invoice_sudo, post)
        if error:
            return error
        invoice_sudo.env["account.dispute"]._create_from_portal(
            invoice_sudo,
            reason=invoice_sudo.env["account.dispute.reason"].browse(
                int(post["reason_id"])
            ),
            amount=float(post["amount"]),
            message=plaintext2html(post.get("message") or ""),
            attachment=self._read_attachment(post.get("attachment")),
            author=author,
        )
        return None

    def _check_dispute_post(self, invoice_sudo, post):
        """An error code for the invoice page, or None."""
        if not invoice_sudo._portal_can_contest():
            return "not_contestable"
        reasons = invoice_sudo._portal_dispute_reasons()
        try:
            reason_id = int(post.get("reason_id") or 0)
            amount = float(post.get("amount") or 0.0)
        except ValueError:
            return "invalid"
        if reason_id not in reasons.ids:
            return "reason"
        currency = invoice_sudo.currency_id
        # inf, nan and 1e308 cannot be rounded to the currency's units.
        if not math.isfinite(amount / currency.rounding):
            return "amount"
        if float_compare(amount, 0.0, precision_rounding=currency.rounding) <= 0 or (
            float_compare(
                amount,
                invoice_sudo.amount_residual,
                precision_rounding=currency.rounding,
            )
            > 0
        ):
            return "amount"
        return None

    def _get_overdue_invoices_domain(self, partner_id=None):
        """A contested invoice is not overdue: the portal neither counts it
        nor asks the customer to pay it as such."""
        return [
            *super()._get_overdue_invoices_domain(partner_id=partner_id),
            ("is_contested", "=", False),
        ]

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        values["dispute_error"] = kwargs.get("dispute_error")
        return values

    @staticmethod
    def _read_attachment(upload):
        """(name, content) of an uploaded file, or None. The name loses its
        control characters (a NUL byte cannot be stored)."""
        if not upload or not getattr(upload, "filename", None):
            return None
        name = CONTROL_CHARS_RE.sub("", upload.filename).strip() or "attachment"
        return name, upload.read()
