# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The invoice as the customer sees it on the portal: the dispute shown, the
amount it holds, what stays to pay online, in the customer's language.

Only the contested amount is held (Civil Code art. 1219 and 1220): the
portal keeps "Pay now" for the rest, which stays due on its dates.
"""

from collections import defaultdict

from odoo import fields, models
from odoo.tools import format_amount, formatLang

from ..common.states import UNPAID_PAYMENT_STATES
from .account_dispute import CUSTOMER_CHANNELS

# Odoo's keys of an early payment discount in the invoice's next payment
# values (account.move._get_invoice_next_payment_values).
EPD_KEYS = (
    "epd_discount_amount_currency",
    "epd_discount_amount",
    "discount_date",
    "epd_days_left",
    "epd_line",
    "epd_discount_msg",
)


def shown_on_portal(dispute):
    """Whether the customer sees ``dispute`` on the portal: neither resolved
    nor cancelled, nor a draft raised by e-mail, which changes nothing the
    customer sees, nor the payment options, until a person opens it: an
    e-mail's sender proves nothing."""
    return dispute.state not in ("resolved", "cancelled") and not (
        dispute.state == "draft" and dispute.channel == "email"
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    def _portal_dispute(self):
        """The dispute the customer sees on the invoice: the latest one
        ``shown_on_portal``."""
        self.ensure_one()
        return self.sudo().dispute_ids.filtered(shown_on_portal).sorted("id")[-1:]

    def _portal_held_by_line(self):
        """{receivable line: amount}: what the disputes the customer sees hold
        on each installment now, in the invoice's currency (the held parts of
        ``_get_contested_shares``). Empty when nothing is contested."""
        self.ensure_one()
        held = defaultdict(float)
        if self.currency_id.is_zero(self.amount_contested):
            return held
        for line, shares in self.sudo()._get_contested_shares().items():
            for amount, date_due, dispute in shares:
                if not date_due and shown_on_portal(dispute):
                    held[line] += amount
        return held

    def _portal_amount_held(self):
        """What the disputes the customer sees hold on the invoice now, in
        its currency: the amount the portal does not ask to pay."""
        self.ensure_one()
        return self.currency_id.round(sum(self._portal_held_by_line().values()))

    def _portal_shows_contested(self):
        """Whether the portal shows the invoice contested: disputes the
        customer sees (``_portal_dispute``) hold all that is left to pay."""
        self.ensure_one()
        held = self._portal_amount_held()
        return self.currency_id.compare_amounts(held, 0.0) > 0 and (
            self.currency_id.compare_amounts(held, self.amount_residual) >= 0
        )

    def _portal_shows_contested_part(self):
        """Whether disputes the customer sees hold part, not all, of what is
        left to pay: the rest stays payable online."""
        self.ensure_one()
        held = self._portal_amount_held()
        return self.currency_id.compare_amounts(held, 0.0) > 0 and (
            self.currency_id.compare_amounts(held, self.amount_residual) < 0
        )

    def _portal_amount_payable(self):
        """What the customer may pay online on the invoice, in its currency:
        what is left to pay less what the disputes it sees hold."""
        self.ensure_one()
        return self.currency_id.round(
            max(self.amount_residual - self._portal_amount_held(), 0.0)
        )

    def _has_to_be_paid(self):
        """No online payment for an invoice whose whole residual the customer
        contests; contested in part, the rest stays payable (see
        ``_get_invoice_portal_extra_values``)."""
        return super()._has_to_be_paid() and not self._portal_shows_contested()

    def _get_invoice_portal_extra_values(self, custom_amount=None):
        """A contested invoice has no installment due or overdue on the
        portal: its list and its page say it is contested instead. Contested
        in part, the amounts offered to pay are those of the rest (Odoo's
        ``amount_due`` and ``next_amount_to_pay``), with no early payment
        discount, which pays the whole invoice."""
        values = super()._get_invoice_portal_extra_values(custom_amount=custom_amount)
        if self.is_contested:
            values["installment_state"] = None
        if self.move_type == "out_invoice" and self._portal_shows_contested_part():
            for key in EPD_KEYS:
                values.pop(key, None)
            values.update(self._portal_next_payment_values(custom_amount))
        return values

    def _portal_next_payment_values(self, custom_amount=None):
        """Odoo's next payment values (``_get_invoice_next_payment_values``)
        of the part of the invoice no dispute the customer sees holds: per
        installment, its residual less what is held on it; the installments
        all held are left out.

        :param custom_amount: the amount of a payment link, at most what is
            payable.
        """
        self.ensure_one()
        currency = self.currency_id
        held = self._portal_held_by_line()
        today = fields.Date.context_today(self)
        installments = self._get_installments_data()
        payable = []
        for installment in installments:
            line = installment["line"]
            amount = currency.round(abs(line.amount_residual_currency) - held[line])
            if installment["reconciled"] or currency.compare_amounts(amount, 0.0) <= 0:
                continue
            overdue = installment["date_maturity"] < today
            payable.append(
                {
                    **installment,
                    "amount_residual_currency_unsigned": amount,
                    "type": "overdue" if overdue else "next",
                }
            )
        amount_due = self._portal_amount_payable()
        overdue = [x for x in payable if x["type"] == "overdue"]
        first = (overdue or payable)[:1]
        values = {
            "installment_state": None,
            "amount_due": amount_due,
            "next_amount_to_pay": amount_due,
            "next_payment_reference": self.name,
            "next_due_date": first[0]["date_maturity"] if first else False,
            "not_reconciled_installments": payable,
            "is_last_installment": len(payable) == 1,
        }
        if len(installments) > 1 and first:
            values.update(
                {
                    "installment_state": "overdue" if overdue else "next",
                    "next_amount_to_pay": currency.round(
                        sum(
                            x["amount_residual_currency_unsigned"]
                            for x in (overdue or first)
                        )
                    ),
                    "next_payment_reference": f"{self.name}-{first[0]['number']}",
                }
            )
        if custom_amount is not None and currency.compare_amounts(
            custom_amount, values["next_amount_to_pay"]
        ):
            values.update(
                {
                    "installment_state": "next",
                    "next_amount_to_pay": min(custom_amount, amount_due),
                    "next_payment_reference": self.name,
                }
            )
        return values

    def _portal_can_contest(self):
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.payment_state in UNPAID_PAYMENT_STATES
            and not self._portal_dispute()
        )

    def _portal_dispute_reasons(self):
        self.ensure_one()
        return (
            self.env["account.dispute.reason"]
            .sudo()
            .search([("company_id", "in", (self.company_id.id, False))])
        )

    def _portal_dispute_status(self):
        """The status of the invoice's dispute (``_portal_dispute``) as the
        customer reads it, in the customer's language: what the company does
        with it, never the internal "Draft". Empty without a dispute."""
        self.ensure_one()
        dispute = self._portal_dispute()
        if not dispute:
            return ""
        _ = self.env._
        if dispute.state == "draft":
            if dispute.channel in CUSTOMER_CHANNELS:
                return _("Received, under review")
            return _("Being recorded")
        return {
            "open": _("Under review"),
            "negotiation": _("Under discussion"),
            "mediation": _("In mediation"),
            "litigation": _("In litigation"),
        }[dispute.state]

    def _portal_amount_contested(self):
        """What the invoice's dispute (``_portal_dispute``) contests on this
        invoice, in its currency (not the dispute's total, which may cover
        other invoices)."""
        self.ensure_one()
        dispute = self._portal_dispute()
        return sum(
            dispute.line_ids.filtered(lambda x: x.move_id == self).mapped(
                "amount_disputed"
            )
        )

    def _portal_format_amount(self, amount):
        """``amount`` with the invoice's currency, in the customer's format
        (the language of the request): 3 780,00 € in French."""
        self.ensure_one()
        return format_amount(self.env, amount, self.currency_id)

    def _portal_amount_input(self, amount):
        """``amount`` as the contest form's field shows it, in the customer's
        format, without the currency: 3 780,00 in French. The form reads it
        back (``controllers.portal.parse_amount``)."""
        self.ensure_one()
        return formatLang(self.env, amount, digits=self.currency_id.decimal_places)

    def _portal_contested_split(self):
        """What is contested and what stays due, for the customer, in its
        language: one sentence, empty unless disputes the customer sees hold
        part of the invoice only."""
        self.ensure_one()
        if not self._portal_shows_contested_part():
            return ""
        return self.env._(
            "Contested: %(contested)s — still due on its dates: %(due)s",
            contested=self._portal_format_amount(self._portal_amount_held()),
            due=self._portal_format_amount(self._portal_amount_payable()),
        )

    def _portal_dispute_error(self, code):
        """The sentence the contest form shows for the controller's error
        ``code`` (``AccountDisputePortal._check_dispute_post``), in the
        customer's language; empty for an unknown code."""
        self.ensure_one()
        _ = self.env._
        residual = self._portal_format_amount(self.amount_residual)
        messages = {
            "amount": _(
                "The amount contested could not be read: type it in figures, "
                "as in %(example)s.",
                example=self._portal_amount_input(self.amount_residual),
            ),
            "amount_zero": _("The amount contested must be more than zero."),
            "amount_max": _(
                "The amount contested cannot be more than what is left to pay: "
                "%(residual)s.",
                residual=residual,
            ),
            "reason": _("Choose the reason of the contest in the list."),
            "invalid": _("The form could not be read: fill it in again."),
            "not_contestable": _(
                "This invoice can no longer be contested: it is paid, or "
                "already contested."
            ),
        }
        return messages.get(code, "")
