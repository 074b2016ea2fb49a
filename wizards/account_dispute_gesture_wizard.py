# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command


class AccountDisputeGestureWizard(models.TransientModel):
    """A commercial gesture: a credit note on one invoice of a dispute.

    A price gesture (``full``, ``amount``, ``percentage``) credits amounts, not
    products: one line per set of taxes, on the account of discounts granted,
    each base and each tax in proportion to what is left to credit on the
    invoice. ``lines`` credits products, for returned goods. Successive
    gestures never credit more than what is left per tax, and the one that
    credits all that is left takes it exactly, tax by tax. The credit note
    is built in account_dispute_gesture_wizard_credit_note.py.
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
