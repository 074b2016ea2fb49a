# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import formatLang

# The precision of the invoice lines' quantities (decimal.precision).
QUANTITY_DIGITS = "Product Unit of Measure"


class AccountDisputeGestureWizard(models.TransientModel):
    """A commercial gesture: a credit note on one invoice of a dispute.

    A price gesture (``full``, ``amount``, ``percentage``) credits amounts, not
    products: one line per set of taxes, on the account of discounts granted,
    each base and each tax in proportion to what is left to credit on the
    invoice. ``lines`` credits products, for returned goods. Successive
    gestures never credit more than what is left per tax, and the one that
    credits all that is left takes it exactly, tax by tax.
    """

    _name = "account.dispute.gesture.wizard"
    _description = "Commercial Gesture"

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        required=True,
        ondelete="cascade",
    )
    invoice_id = fields.Many2one(
        comodel_name="account.move",
        required=True,
        ondelete="cascade",
        domain="[('id', 'in', available_invoice_ids)]",
    )
    available_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        related="dispute_id.invoice_ids",
        string="Invoices of the Dispute",
    )
    company_id = fields.Many2one(related="dispute_id.company_id")
    currency_id = fields.Many2one(related="invoice_id.currency_id")
    amount_total = fields.Monetary(
        string="Invoice Total", related="invoice_id.amount_total"
    )
    amount_residual = fields.Monetary(
        string="Left to Pay", related="invoice_id.amount_residual"
    )
    amount_left = fields.Monetary(
        string="Left to Credit",
        compute="_compute_amount_left",
        help="The invoice total, taxes included, less its posted credit notes.",
    )
    mode = fields.Selection(
        selection=[
            ("full", "Whole residual"),
            ("amount", "Amount (tax included)"),
            ("percentage", "Percentage of the invoice"),
            ("lines", "Invoice lines"),
        ],
        required=True,
        default="amount",
    )
    amount = fields.Monetary(
        string="Amount to Credit",
        help="Tax included; spread over the invoice's taxes in proportion to what "
        "is left to credit.",
    )
    percentage = fields.Float(
        digits=(16, 2), help="Of the invoice total, taxes included."
    )
    line_ids = fields.One2many(
        comodel_name="account.dispute.gesture.wizard.line",
        inverse_name="wizard_id",
        string="Lines to Credit",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    reason = fields.Char(
        help="Printed on the credit note.",
    )
    post = fields.Boolean(string="Post the Credit Note", default=True)
    reconcile = fields.Boolean(string="Reconcile with the Invoice", default=True)
    resolve_dispute = fields.Boolean(
        string="Resolve the Dispute",
        default=True,
        help="Resolve the dispute with a credit note in the same step.",
    )
    write_off = fields.Boolean(
        string="Write Off the Small Residual",
        help="Write off what is left to pay on the invoice after the credit note, "
        "when it is below the company's threshold.",
    )
    writeoff_threshold = fields.Monetary(
        related="company_id.dispute_writeoff_threshold",
        currency_field="company_currency_id",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )

    @api.depends("invoice_id")
    def _compute_amount_left(self):
        for wizard in self:
            bases, taxes = wizard._get_left_to_credit()
            wizard.amount_left = sum(bases.values()) + sum(taxes.values())

    @api.depends("invoice_id", "mode")
    def _compute_line_ids(self):
        for wizard in self:
            if wizard.mode != "lines":
                wizard.line_ids = [Command.clear()]
                continue
            wizard.line_ids = [Command.clear()] + [
                Command.create({"invoice_line_id": line.id, "quantity": 0.0})
                for line in wizard.invoice_id.invoice_line_ids.filtered(
                    lambda x: x.display_type == "product"
                )
            ]

    def action_confirm(self):
        """Make, post and reconcile the credit note; returns it.

        :raise AccessError: for a user who is not a dispute manager.
        :raise UserError: for what :meth:`_check_gesture` refuses, and lines
            that come to more than is left to credit or to pay.
        """
        self.ensure_one()
        self._check_gesture()
        invoice = self.invoice_id
        if self.mode == "lines":
            refund = self._create_lines_refund()
        else:
            refund = self._create_price_refund(self._get_amount_to_credit())
        if self.post:
            refund.action_post()
            if self.reconcile:
                self._reconcile(invoice, refund)
                if self.write_off:
                    self._write_off_residual()
        dispute = self.dispute_id
        if self.resolve_dispute and dispute.is_active:
            dispute._resolve("credit_note", validity="founded")
        dispute.message_post(
            body=self.env._(
                "Commercial gesture on %(invoice)s: credit note %(refund)s of "
                "%(amount)s.",
                invoice=invoice._get_html_link(),
                refund=refund._get_html_link(),
                amount=refund.currency_id.format(refund.amount_total),
            )
        )
        return refund._get_invoices_action()

    def _check_gesture(self):
        if not (
            self.env.is_superuser()
            or self.env.user.has_group("account_dispute.group_account_dispute_manager")
        ):
            raise AccessError(
                self.env._("Only dispute managers can grant a commercial gesture.")
            )
        invoice = self.invoice_id
        currency = invoice.currency_id
        if invoice not in self.dispute_id.invoice_ids:
            raise UserError(
                self.env._(
                    "%(invoice)s is not an invoice of dispute %(dispute)s.",
                    invoice=invoice.display_name,
                    dispute=self.dispute_id.name,
                )
            )
        if invoice.state != "posted" or currency.is_zero(invoice.amount_residual):
            raise UserError(
                self.env._(
                    "%(invoice)s is already paid: there is nothing left to credit.",
                    invoice=invoice.display_name,
                )
            )
        if currency.compare_amounts(self.amount_left, 0.0) <= 0:
            raise UserError(
                self.env._(
                    "%(invoice)s is already credited in full by its credit notes: "
                    "there is nothing left to credit.",
                    invoice=invoice.display_name,
                )
            )
        if self.mode == "lines":
            return
        if invoice.invoice_line_ids.tax_ids.filtered("price_include"):
            raise UserError(
                self.env._(
                    "%(invoice)s has tax-included prices: credit it by invoice lines "
                    "instead.",
                    invoice=invoice.display_name,
                )
            )
        amount = self._get_amount_to_credit()
        if currency.compare_amounts(amount, 0.0) <= 0:
            raise UserError(self.env._("The amount to credit must be positive."))
        if currency.compare_amounts(self.amount_left, invoice.amount_residual) < 0:
            if currency.compare_amounts(amount, self.amount_left) > 0:
                raise UserError(
                    self.env._(
                        "You cannot credit %(amount)s: only %(left)s is left to "
                        "credit on %(invoice)s after its credit notes.",
                        amount=currency.format(amount),
                        left=currency.format(self.amount_left),
                        invoice=invoice.display_name,
                    )
                )
        elif currency.compare_amounts(amount, invoice.amount_residual) > 0:
            raise UserError(
                self.env._(
                    "You cannot credit %(amount)s: only %(residual)s is left to pay "
                    "on %(invoice)s.",
                    amount=currency.format(amount),
                    residual=currency.format(invoice.amount_residual),
                    invoice=invoice.display_name,
                )
            )
        if self.write_off:
            self._check_write_off(invoice.amount_residual - amount)

    def _get_amount_to_credit(self):
        """The amount of a price gesture, taxes included, in the invoice's
        currency.

        ``full`` is what can still be credited: what is left to pay, at most
        what the credit notes left to credit. A percentage is of the invoice
        total, rounded to the cent, and the one that completes what can still
        be credited takes it exactly: each credit note's percentage was rounded
        by up to half a cent, so a percentage within as many half-cents as
        there are pieces (credit notes so far and this one) is the last piece.
        """
        invoice = self.invoice_id
        currency = invoice.currency_id
        creditable = min(invoice.amount_residual, self.amount_left)
        if self.mode == "full":
            return creditable
        if self.mode == "amount":
            return self.amount
        amount = currency.round(invoice.amount_total * self.percentage / 100.0)
        pieces = len(self._get_posted_credit_notes()) + 1
        gap = abs(round((amount - creditable) / currency.rounding))
        if 2 * gap <= pieces:
            return creditable
        return amount

    def _get_posted_credit_notes(self):
        return self.invoice_id.reversal_move_ids.filtered(
            lambda x: x.move_type == "out_refund" and x.state == "posted"
        )

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

    @api.model
    def _reconcile(self, invoice, counterpart):
        accounts = invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term"
        ).account_id
        lines = (invoice | counterpart).line_ids.filtered(
            lambda x: x.account_id in accounts and not x.reconciled
        )
        lines.reconcile()

    def _check_write_off(self, residual):
        """Refuse, before anything is written, a write-off the company forbids."""
        invoice = self.invoice_id
        company = invoice.company_id
        threshold = company.dispute_writeoff_threshold
        in_company_currency = invoice.currency_id._convert(
            residual, company.currency_id, company, fields.Date.context_today(self)
        )
        if company.currency_id.compare_amounts(in_company_currency, threshold) > 0:
            raise UserError(
                self.env._(
                    "%(residual)s would be left on %(invoice)s: above the write-off "
                    "threshold of %(threshold)s.",
                    residual=invoice.currency_id.format(residual),
                    invoice=invoice.display_name,
                    threshold=company.currency_id.format(threshold),
                )
            )
        if not company.dispute_writeoff_account_id:
            raise UserError(
                self.env._(
                    "Choose the write-off account in the settings "
                    "(Accounting > Settings > Disputes) first."
                )
            )

    def _write_off_residual(self):
        """Write off the small residual left on the invoice, in the same step."""
        invoice = self.invoice_id
        company = invoice.company_id
        if invoice.currency_id.is_zero(invoice.amount_residual):
            return self.env["account.move"]
        self._check_write_off(invoice.amount_residual)
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "general"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("The company has no miscellaneous journal."))
        terms = invoice.line_ids.filtered(
            lambda x: x.display_type == "payment_term" and not x.reconciled
        )
        balance = sum(terms.mapped("amount_residual"))
        amount_currency = sum(terms.mapped("amount_residual_currency"))
        label = self.env._(
            "Write-off of %(invoice)s, dispute %(dispute)s",
            invoice=invoice.name,
            dispute=self.dispute_id.name,
        )
        common = {
            "name": label,
            "partner_id": invoice.commercial_partner_id.id,
            "currency_id": invoice.currency_id.id,
        }
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "company_id": company.id,
                "date": fields.Date.context_today(self),
                "ref": label,
                "dispute_id": self.dispute_id.id,
                "line_ids": [
                    Command.create(
                        {
                            **common,
                            "account_id": terms.account_id[:1].id,
                            "balance": -balance,
                            "amount_currency": -amount_currency,
                        }
                    ),
                    Command.create(
                        {
                            **common,
                            "account_id": company.dispute_writeoff_account_id.id,
                            "balance": balance,
                            "amount_currency": amount_currency,
                        }
                    ),
                ],
            }
        )
        entry.action_post()
        self._reconcile(invoice, entry)
        return entry
