# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.account_payment.controllers.portal import PortalAccount

from ..models.common.ir_attachment import safe_file_name

# The longest amount the contest form reads: 10^31 is more than any invoice,
# and no longer text is worth parsing.
AMOUNT_MAX_CHARS = 32


def parse_amount(text, lang, currency):
    """The amount a customer typed, as a float, or None if it cannot be read.

    Read in the customer's format first (``lang``: Odoo's ``res.lang`` data,
    its decimal point and thousands separator), then in the other one of
    "." and "," as decimal point: 1 500,50 and 1,500.50 are read alike, in
    every language; 180,00 too. Spaces of any kind and "'" may group the
    thousands, by three; the currency's symbol is ignored. Refused: signs,
    exponents, inf and nan, digits other than 0-9, more decimals than the
    currency has (1.500 in a language that writes 1,5 is not guessed), and
    longer text than ``AMOUNT_MAX_CHARS``.
    """
    text = re.sub(r"\s+", " ", (text or "").replace(currency.symbol, " ")).strip()
    if not text or len(text) > AMOUNT_MAX_CHARS:
        return None
    decimal_point = lang.decimal_point or "."
    other = "," if decimal_point == "." else "."
    formats = (
        (decimal_point, lang.thousands_sep or ("," if decimal_point == "." else "")),
        (other, "." if other == "," else ","),
    )
    for point, separator in formats:
        groups = {" ", "'", *separator} - {point}
        group = "[" + "".join(re.escape(char) for char in sorted(groups)) + "]"
        match = re.fullmatch(
            rf"(?P<units>\d{{1,3}}(?P<sep>{group})\d{{3}}(?:(?P=sep)\d{{3}})*|\d+)"
            rf"(?:{re.escape(point)}(?P<decimals>\d+))?",
            text,
            flags=re.ASCII,
        )
        if not match:
            continue
        decimals = match["decimals"] or ""
        if len(decimals) > currency.decimal_places:
            return None
        units = re.sub(r"\D", "", match["units"])
        return float(f"{units}.{decimals or 0}")
    return None


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
            amount=self._read_amount(invoice_sudo, post),
            message=plaintext2html(post.get("message") or ""),
            attachment=self._read_attachment(post.get("attachment")),
            author=author,
        )
        return None

    def _check_dispute_post(self, invoice_sudo, post):
        """An error code for the invoice page, or None: the sentences are
        ``account.move._portal_dispute_error``'s."""
        if not invoice_sudo._portal_can_contest():
            return "not_contestable"
        reasons = invoice_sudo._portal_dispute_reasons()
        try:
            reason_id = int(post.get("reason_id") or 0)
        except ValueError:
            return "invalid"
        if reason_id not in reasons.ids:
            return "reason"
        amount = self._read_amount(invoice_sudo, post)
        if amount is None:
            return "amount"
        currency = invoice_sudo.currency_id
        if currency.compare_amounts(amount, 0.0) <= 0:
            return "amount_zero"
        if currency.compare_amounts(amount, invoice_sudo.amount_residual) > 0:
            return "amount_max"
        return None

    @staticmethod
    def _read_amount(invoice_sudo, post):
        """The amount contested the form posted, read in the customer's
        format (``parse_amount``), or None. The customer's language is the
        one of the invoice's environment (the request's, on the portal)."""
        env = invoice_sudo.env
        lang = env["res.lang"]._get_data(code=env.lang or "en_US")
        return parse_amount(post.get("amount"), lang, invoice_sudo.currency_id)

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
        control and bidirectional characters (a NUL byte cannot be stored;
        see ``safe_file_name``)."""
        if not upload or not getattr(upload, "filename", None):
            return None
        name = safe_file_name(upload.filename, default="attachment")
        return name, upload.read()


class AccountDisputePayment(PaymentPortal):
    @http.route()
    def invoice_transaction(self, invoice_id, access_token, **kwargs):
        """Pay an invoice online: at most what no dispute the customer sees
        holds on it (``account.move._portal_amount_payable``). Odoo takes
        any amount the page sends; an invoice a dispute holds in part or in
        whole takes no more than its uncontested part.

        :raise ValidationError: for a larger amount, in the customer's
            language; the payment form shows it.
        """
        try:
            invoice_sudo = self._document_check_access(
                "account.move", invoice_id, access_token
            )
        except (AccessError, MissingError):
            invoice_sudo = None
        if invoice_sudo and invoice_sudo._portal_amount_held():
            amount = self._cast_as_float(kwargs.get("amount")) or 0.0
            payable = invoice_sudo._portal_amount_payable()
            currency = invoice_sudo.currency_id
            if currency.is_zero(payable):
                raise ValidationError(
                    request.env._(
                        "You contested this invoice: it cannot be paid online "
                        "until the dispute ends."
                    )
                )
            if currency.compare_amounts(amount, payable) > 0:
                raise ValidationError(
                    request.env._(
                        "You contested part of this invoice: you can pay at most "
                        "%(amount)s online, what stays due.",
                        amount=invoice_sudo._portal_format_amount(payable),
                    )
                )
        return super().invoice_transaction(invoice_id, access_token, **kwargs)
