# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import formatLang

# The precision of the invoice lines' quantities (decimal.precision).
QUANTITY_DIGITS = "Product Unit of Measure"


class AccountDisputeGestureWizard(models.TransientModel):
    """How the gesture's credit note is built: what is left to credit on the
    invoice per tax, the price lines (``_create_price_refund``: each base and
    each tax its share of the amount) and the product lines
    (``_create_lines_refund``), and the taxes set to what is left of them.
    What the gesture is and when it is refused:
    account_dispute_gesture_wizard.py."""

    _inherit = "account.dispute.gesture.wizard"

    @api.model
    def _get_tax_key(self, taxes):
        return tuple(sorted(taxes.ids))

    @api.model
    def _get_amounts_by_tax(self, move):
        """The base per set of taxes and the amount per tax of ``move``, in its
        currency, positive on an invoice and on a credit note alike."""
        bases, taxes = defaultdict(float), defaultdict(float)
        for line in move.line_ids:
            amount = line.amount_currency * move.direction_sign
            if line.display_type == "product":
                bases[self._get_tax_key(line.tax_ids)] += amount
            elif line.display_type == "tax":
                taxes[line.tax_line_id.id] += amount
        return bases, taxes

    def _get_left_to_credit(self):
        """What the invoice's posted credit notes have not credited yet.

        :return: the base left per set of taxes (a tuple of tax ids) and the
            amount left per tax id, in the invoice's currency.
        """
        invoice = self.invoice_id
        bases, taxes = self._get_amounts_by_tax(invoice)
        for credit_note in self._get_posted_credit_notes():
            credited_bases, credited_taxes = self._get_amounts_by_tax(credit_note)
            for key, amount in credited_bases.items():
                if key in bases:
                    bases[key] -= amount
            for key, amount in credited_taxes.items():
                if key in taxes:
                    taxes[key] -= amount
        currency = invoice.currency_id
        return (
            {key: currency.round(amount) for key, amount in bases.items()},
            {key: currency.round(amount) for key, amount in taxes.items()},
        )

    @api.model
    def _split_in_proportion(self, amount, weights, currency):
        """``amount`` shared in proportion to ``weights``, in cents (the
        currency's unit) by the largest remainder: each share is within a cent
        of its exact proportion and never above its weight when ``amount`` is
        at most their sum, and the shares add up to ``amount`` exactly."""
        unit = currency.rounding
        amount_units = round(amount / unit)
        weight_units = [round(weight / unit) for weight in weights]
        weight_total = sum(weight_units)
        if weight_total <= 0:
            return [amount] + [0.0] * (len(weights) - 1)
        divisions = [
            divmod(weight * amount_units, weight_total) for weight in weight_units
        ]
        shares = [quotient for quotient, _remainder in divisions]
        by_remainder = sorted(
            range(len(divisions)), key=lambda index: -divisions[index][1]
        )
        for index in by_remainder[: amount_units - sum(shares)]:
            shares[index] += 1
        return [currency.round(share * unit) for share in shares]

    def _create_price_refund(self, amount):
        """Credit ``amount`` (taxes included, invoice currency) as a price.

        Each base and each tax left to credit gets its share of ``amount``
        (:meth:`_split_in_proportion`), so the credit note's total is exactly
        ``amount``, no tax is credited beyond what is left of it, and when
        ``amount`` is all that is left each base and tax takes exactly its
        rest.
        """
        currency = self.invoice_id.currency_id
        account = self.invoice_id.company_id._get_dispute_gesture_account()
        bases, taxes = self._get_left_to_credit()
        shares = self._split_in_proportion(
            amount, [*bases.values(), *taxes.values()], currency
        )
        base_shares = dict(zip(bases, shares[: len(bases)], strict=True))
        tax_targets = dict(zip(taxes, shares[len(bases) :], strict=True))
        commands = [
            Command.create(vals)
            for key, base in base_shares.items()
            if not currency.is_zero(base)
            for vals in self._prepare_price_lines(key, base, account)
        ]
        refund = self._create_refund(commands)
        self._set_tax_amounts(refund, tax_targets)
        return refund

    def _prepare_price_lines(self, tax_key, base, account):
        """The lines crediting ``base`` at the taxes of ``tax_key``: no product,
        quantity 1, on ``account`` (the discounts granted), else on the
        invoice's income accounts in the proportion they were invoiced; one per
        account and analytic distribution."""
        invoice = self.invoice_id
        parts = defaultdict(float)
        for line in invoice.invoice_line_ids:
            if line.display_type == "product" and (
                self._get_tax_key(line.tax_ids) == tax_key
            ):
                analytic = tuple(sorted((line.analytic_distribution or {}).items()))
                parts[(account or line.account_id, analytic)] += line.price_subtotal
        taxes = self.env["account.tax"].browse(tax_key)
        name = self._get_price_line_name(taxes)
        amounts = self._split_in_proportion(
            base, list(parts.values()), invoice.currency_id
        )
        return [
            {
                "name": name,
                "account_id": part_account.id,
                "quantity": 1.0,
                "price_unit": amount,
                "tax_ids": [Command.set(taxes.ids)],
                "analytic_distribution": dict(analytic) or False,
            }
            for (part_account, analytic), amount in zip(parts, amounts, strict=True)
            if not invoice.currency_id.is_zero(amount)
        ]

    def _get_price_line_name(self, taxes):
        """The label of a price line, in the customer's language."""
        lang = self.invoice_id.partner_id.lang
        env = self.with_context(lang=lang).env
        labels = ", ".join(
            tax.invoice_label or tax.name for tax in taxes.with_context(lang=lang)
        )
        if not labels:
            return env._("Commercial gesture - no tax")
        return env._("Commercial gesture - %(taxes)s", taxes=labels)

    def _prepare_refund_vals(self, line_commands):
        invoice = self.invoice_id
        return {
            "move_type": "out_refund",
            "partner_id": invoice.partner_id.id,
            "company_id": invoice.company_id.id,
            "journal_id": invoice.journal_id.id,
            "currency_id": invoice.currency_id.id,
            "fiscal_position_id": invoice.fiscal_position_id.id,
            "invoice_date": fields.Date.context_today(self),
            "invoice_origin": self.dispute_id.name,
            "reversed_entry_id": invoice.id,
            "ref": self._get_refund_ref(),
            "dispute_id": self.dispute_id.id,
            "invoice_line_ids": line_commands,
        }

    def _get_refund_ref(self):
        """The credit note's reference, printed on it: in the customer's
        language."""
        env = self.with_context(lang=self.invoice_id.partner_id.lang).env
        if self.reason:
            return env._(
                "Commercial gesture on %(invoice)s: %(reason)s",
                invoice=self.invoice_id.name,
                reason=self.reason,
            )
        return env._("Commercial gesture on %(invoice)s", invoice=self.invoice_id.name)

    def _create_refund(self, line_commands):
        return self.env["account.move"].create(self._prepare_refund_vals(line_commands))

    def _prepare_selected_lines(self):
        chosen = self.line_ids.filtered(lambda x: x.quantity > 0)
        if not chosen:
            raise UserError(
                self.env._("Give a quantity to credit on one line at least.")
            )
        commands = []
        for line in chosen:
            inv_line = line.invoice_line_id
            if line.quantity > inv_line.quantity:
                raise UserError(
                    self.env._(
                        "You cannot credit %(qty)s of “%(line)s”: only %(invoiced)s "
                        "were invoiced.",
                        qty=formatLang(self.env, line.quantity, dp=QUANTITY_DIGITS),
                        line=inv_line.name,
                        invoiced=formatLang(
                            self.env, inv_line.quantity, dp=QUANTITY_DIGITS
                        ),
                    )
                )
            commands.append(
                Command.create(
                    self._prepare_refund_line_vals(
                        inv_line,
                        quantity=line.quantity,
                        price_unit=inv_line.price_unit,
                        discount=inv_line.discount,
                    )
                )
            )
        return commands

    def _prepare_refund_line_vals(self, inv_line, **values):
        return {
            "name": inv_line.name,
            "product_id": inv_line.product_id.id,
            "product_uom_id": inv_line.product_uom_id.id,
            "account_id": inv_line.account_id.id,
            "tax_ids": [Command.set(inv_line.tax_ids.ids)],
            "analytic_distribution": inv_line.analytic_distribution,
            **values,
        }

    def _create_lines_refund(self):
        """Credit the chosen quantities of the invoice's lines, products kept.

        Odoo computes the taxes; a tax never credits more than is left of it,
        and takes exactly what is left when the credit note completes every
        base it applies to. Made in a savepoint, so that a refusal leaves
        nothing behind.

        :raise UserError: when a base comes to more than is left to credit at
            its taxes, or the credit note to more than is left to pay.
        """
        commands = self._prepare_selected_lines()
        invoice = self.invoice_id
        currency = invoice.currency_id
        bases_left, taxes_left = self._get_left_to_credit()
        with self.env.cr.savepoint():
            refund = self._create_refund(commands)
            bases, taxes = self._get_amounts_by_tax(refund)
            for key, base in bases.items():
                left = bases_left.get(key, 0.0)
                if currency.compare_amounts(base, left) > 0:
                    raise UserError(
                        self.env._(
                            "These lines come to %(amount)s before taxes at "
                            "%(taxes)s: only %(left)s is left to credit there on "
                            "%(invoice)s.",
                            amount=currency.format(base),
                            taxes=", ".join(
                                self.env["account.tax"].browse(key).mapped("name")
                            )
                            or "-",
                            left=currency.format(left),
                            invoice=invoice.display_name,
                        )
                    )
            completed = {
                key
                for key, left in bases_left.items()
                if not currency.compare_amounts(bases.get(key, 0.0), left)
            }
            targets = {
                tax_id: (
                    taxes_left.get(tax_id, 0.0)
                    if all(key in completed for key in bases_left if tax_id in key)
                    else min(amount, taxes_left.get(tax_id, 0.0))
                )
                for tax_id, amount in taxes.items()
            }
            self._set_tax_amounts(refund, targets)
            if (
                currency.compare_amounts(refund.amount_total, invoice.amount_residual)
                > 0
            ):
                raise UserError(
                    self.env._(
                        "These lines come to %(amount)s: more than the %(residual)s "
                        "left to pay on %(invoice)s.",
                        amount=currency.format(refund.amount_total),
                        residual=currency.format(invoice.amount_residual),
                        invoice=invoice.display_name,
                    )
                )
        return refund

    @api.model
    def _set_tax_amounts(self, refund, tax_targets):
        """Give the draft ``refund``'s taxes their amounts (tax id: amount in
        its currency), as a user correcting a tax line in its journal items
        would: Odoo leaves the taxes as set and balances the receivable."""
        sign = refund.direction_sign
        updates = []
        for tax_id, target in tax_targets.items():
            lines = refund.line_ids.filtered(
                lambda x, t=tax_id: x.display_type == "tax" and x.tax_line_id.id == t
            )
            delta = target - sum(lines.mapped("amount_currency")) * sign
            if lines and not refund.currency_id.is_zero(delta):
                amount = lines[0].amount_currency + delta * sign
                updates.append(Command.update(lines[0].id, {"amount_currency": amount}))
        if updates:
            refund.write({"line_ids": updates})
