# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command


class AccountDisputeGestureWizard(models.TransientModel):
    """A commercial gesture: a credit note on one invoice of a dispute.

    ``amount`` and ``percentage`` credit every income account and every tax
    of the invoice in the proportion it was invoiced, exact to the cent.
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
        help="Tax included; spread over the invoice's lines and taxes in proportion.",
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
        """Make, post and reconcile the credit note; returns it."""
        self.ensure_one()
        self._check_gesture()
        invoice = self.invoice_id
        amount = self._get_amount_to_credit()
        if self.mode == "full" and invoice.currency_id.is_zero(
            invoice.amount_residual - invoice.amount_total
        ):
            refund = self._reverse_invoice()
        elif self.mode == "lines":
            refund = self._create_refund(self._prepare_selected_lines())
        else:
            refund = self._create_proportional_refund(amount)
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
                amount=refund.amount_total,
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
        if invoice not in self.dispute_id.invoice_ids:
            raise UserError(
                self.env._(
                    "%(invoice)s is not an invoice of dispute %(dispute)s.",
                    invoice=invoice.display_name,
                    dispute=self.dispute_id.name,
                )
            )
        if invoice.state != "posted" or invoice.currency_id.is_zero(
            invoice.amount_residual
        ):
            raise UserError(
                self.env._(
                    "%(invoice)s is already paid: there is nothing left to credit.",
                    invoice=invoice.display_name,
                )
            )
        if self.mode == "lines":
            return
        amount = self._get_amount_to_credit()
        if invoice.currency_id.compare_amounts(amount, 0.0) <= 0:
            raise UserError(self.env._("The amount to credit must be positive."))
        if invoice.currency_id.compare_amounts(amount, invoice.amount_residual) > 0:
            raise UserError(
                self.env._(
                    "You cannot credit %(amount)s: only %(residual)s is left to pay "
                    "on %(invoice)s.",
                    amount=amount,
                    residual=invoice.amount_residual,
                    invoice=invoice.display_name,
                )
            )
        if self.write_off:
            self._check_write_off(invoice.amount_residual - amount)

    def _get_amount_to_credit(self):
        invoice = self.invoice_id
        if self.mode == "full":
            return invoice.amount_residual
        if self.mode == "percentage":
            return invoice.currency_id.round(
                invoice.amount_total * self.percentage / 100.0
            )
        return self.amount

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
        if self.reason:
            return self.env._(
                "Commercial gesture on %(invoice)s: %(reason)s",
                invoice=self.invoice_id.name,
                reason=self.reason,
            )
        return self.env._(
            "Commercial gesture on %(invoice)s", invoice=self.invoice_id.name
        )

    def _create_refund(self, line_commands):
        return self.env["account.move"].create(self._prepare_refund_vals(line_commands))

    def _reverse_invoice(self):
        """The whole invoice, credited by Odoo's own reversal."""
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice_id.ids)
            .create(
                {
                    "reason": self.reason or self._get_refund_ref(),
                    "journal_id": self.invoice_id.journal_id.id,
                }
            )
        )
        reversal.refund_moves()
        refund = reversal.new_move_ids
        refund.write({"dispute_id": self.dispute_id.id})
        return refund

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
                        qty=line.quantity,
                        line=inv_line.name,
                        invoiced=inv_line.quantity,
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
        total = sum(
            line.invoice_line_id.price_total
            * line.quantity
            / (line.invoice_line_id.quantity or 1.0)
            for line in chosen
        )
        invoice = self.invoice_id
        if invoice.currency_id.compare_amounts(total, invoice.amount_residual) > 0:
            raise UserError(
                self.env._(
                    "These lines come to %(amount)s: more than the %(residual)s left "
                    "to pay on %(invoice)s.",
                    amount=invoice.currency_id.round(total),
                    residual=invoice.amount_residual,
                    invoice=invoice.display_name,
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

    def _create_proportional_refund(self, amount):
        """Credit ``amount`` over the invoice's lines and taxes in proportion.

        Each line's base and each tax is the invoiced one times the ratio,
        rounded; the last line takes what rounding left, then the taxes are
        set to their targets so that the total is exactly ``amount``.
        """
        invoice = self.invoice_id
        currency = invoice.currency_id
        product_lines = invoice.invoice_line_ids.filtered(
            lambda x: x.display_type == "product"
        )
        if product_lines.tax_ids.filtered("price_include"):
            raise UserError(
                self.env._(
                    "%(invoice)s has tax-included prices: credit it by invoice lines "
                    "instead of an amount or a percentage.",
                    invoice=invoice.display_name,
                )
            )
        ratio = amount / invoice.amount_total
        tax_targets = defaultdict(float)
        for tax_line in invoice.line_ids.filtered(lambda x: x.display_type == "tax"):
            key = (tax_line.tax_line_id.id, tax_line.account_id.id)
            # credited on the invoice, debited on the credit note
            tax_targets[key] -= tax_line.amount_currency
        tax_targets = {
            key: currency.round(value * ratio) for key, value in tax_targets.items()
        }
        base_total = amount - sum(tax_targets.values())
        bases = [currency.round(line.price_subtotal * ratio) for line in product_lines]
        bases[-1] = currency.round(base_total - sum(bases[:-1]))
        commands = [
            Command.create(
                self._prepare_refund_line_vals(line, quantity=1.0, price_unit=base)
            )
            for line, base in zip(product_lines, bases, strict=True)
            if not currency.is_zero(base)
        ]
        refund = self._create_refund(commands)
        self._set_tax_amounts(refund, tax_targets)
        return refund

    def _set_tax_amounts(self, refund, tax_targets):
        """Give the tax lines their target amounts, as a user editing the tax
        totals would: the receivable line follows."""
        with refund._sync_dynamic_line(
            existing_key_fname="term_key",
            needed_vals_fname="needed_terms",
            needed_dirty_fname="needed_terms_dirty",
            line_type="payment_term",
            container={"records": refund},
        ):
            for tax_line in refund.line_ids.filtered(lambda x: x.display_type == "tax"):
                target = tax_targets.get(
                    (tax_line.tax_line_id.id, tax_line.account_id.id)
                )
                if target is not None and refund.currency_id.compare_amounts(
                    tax_line.amount_currency, target
                ):
                    tax_line.amount_currency = target
            refund._compute_amount()

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
                    residual=invoice.currency_id.round(residual),
                    invoice=invoice.display_name,
                    threshold=threshold,
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
