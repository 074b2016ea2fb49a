# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class AccountMoveLimitationEvent(models.Model):
    """Acknowledgements of the debt recorded by themselves: a partial payment
    and a payment plan the customer agreed.

    Civil Code art. 2240: the debtor's acknowledgement of the right of the
    creditor interrupts the limitation. The courts read a partial payment,
    and a payment schedule the debtor agreed, as such an acknowledgement
    (shared/domain/litiges-fr.md). A company option
    (``dispute_limitation_payment_acknowledges``, on by default) records
    them; each event says what it comes from.
    """

    _inherit = "account.move.limitation.event"

    @api.model
    def _record_payment_acknowledgements(self, partials):
        """An acknowledgement per invoice that ``partials`` pay in part, on the
        payment's date, from the payment (``payment_move_id``).

        Only customer invoices left partly unpaid, by a payment or a bank
        statement line (not a credit note, not a write-off), in a company
        with the option, dated today at the latest (an event records what
        happened). Written as superuser: whoever matches a payment records
        the act, without rights on the limitation events.

        :return: the events created.
        """
        today = fields.Date.context_today(self)
        found = {}
        for partial in partials:
            invoice = partial.debit_move_id.move_id
            payment_line = partial.credit_move_id
            payment = payment_line.move_id
            if (
                invoice.move_type == "out_invoice"
                and invoice.state == "posted"
                and invoice.company_id.dispute_limitation_payment_acknowledges
                and (payment.origin_payment_id or payment.statement_line_id)
                and payment_line.date <= today
            ):
                found.setdefault((invoice, payment), payment_line.date)
        if not found:
            return self.browse()
        existing = {
            (invoice, event.payment_move_id)
            for event in self.sudo().search(
                [("payment_move_id", "in", [payment.id for __, payment in found])]
            )
            for invoice in event.invoice_ids
        }
        vals_list = [
            self._prepare_acknowledgement_vals(
                invoice,
                date,
                self.env._(
                    "Recorded from the partial payment %(payment)s: paying part of "
                    "a debt acknowledges it (Civil Code art. 2240, as the courts "
                    "read it).",
                    payment=payment.display_name,
                ),
                payment_move_id=payment.id,
            )
            for (invoice, payment), date in found.items()
            if (invoice, payment) not in existing
            and not invoice.currency_id.is_zero(invoice.amount_residual)
        ]
        return self.sudo().create(vals_list)

    @api.model
    def _record_plan_acknowledgements(self, plans):
        """An acknowledgement of the invoices of each payment plan the
        customer agreed, on the day it was agreed, in a company with the
        option.

        :return: the events created.
        """
        vals_list = []
        for plan in plans.filtered(
            lambda p: p.company_id.dispute_limitation_payment_acknowledges
        ):
            invoices = plan.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice" and m.state == "posted"
            )
            if invoices:
                vals = self._prepare_acknowledgement_vals(
                    invoices,
                    plan.date_start,
                    self.env._(
                        "Recorded from the payment plan %(plan)s the customer "
                        "agreed: a payment schedule agreed by the debtor "
                        "acknowledges the debt (Civil Code art. 2240, as the "
                        "courts read it).",
                        plan=plan.display_name,
                    ),
                    payment_plan_id=plan.id,
                )
                vals["dispute_id"] = plan.dispute_id.id
                vals_list.append(vals)
        return self.sudo().create(vals_list)

    @api.model
    def _drop_payment_acknowledgements(self, partials):
        """Delete the acknowledgements recorded from the payments whose
        matching with these invoices is undone: the payment no longer pays
        them."""
        pairs = {
            (partial.debit_move_id.move_id, partial.credit_move_id.move_id)
            for partial in partials
        }
        if not pairs:
            return
        events = self.sudo().search(
            [("payment_move_id", "in", [payment.id for __, payment in pairs])]
        )
        events.filtered(
            lambda e: any((m, e.payment_move_id) in pairs for m in e.invoice_ids)
        ).unlink()

    @api.model
    def _prepare_acknowledgement_vals(self, invoices, date, note, **origin):
        return {
            "company_id": invoices.company_id.id,
            "partner_id": invoices.commercial_partner_id.id,
            "invoice_ids": [fields.Command.set(invoices.ids)],
            "kind": "acknowledgement",
            "date": date,
            "note": note,
            **origin,
        }


class AccountPartialReconcile(models.Model):
    """A payment matched with an invoice that it pays in part acknowledges
    the debt; undoing the matching takes the acknowledgement back."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["account.move.limitation.event"]._record_payment_acknowledgements(
            partials
        )
        return partials

    def unlink(self):
        self.env["account.move.limitation.event"]._drop_payment_acknowledgements(self)
        return super().unlink()
