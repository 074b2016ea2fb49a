# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class AccountDispute(models.Model):
    """What the customer contests on each invoice of the dispute
    (``account.dispute.line``), and the dispute's amount, their sum: how a
    total typed is shared among the invoices, how an invoice added or taken
    off changes it, and the checks against what is left to pay."""

    _inherit = "account.dispute"

    line_ids = fields.One2many(
        comodel_name="account.dispute.line",
        inverse_name="dispute_id",
        string="Contested Amounts",
        copy=False,
        help="What the customer contests on each invoice; the rest of each "
        "invoice stays due on its own dates.",
    )
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The part of the invoices' amount the customer contests: the sum of "
        "the amounts contested on each invoice. It defaults to what is left to "
        "pay on the invoices; a total typed here is shared among the invoices "
        "in proportion to what is left to pay on each, an invoice added later "
        "is contested for what is left to pay on it.",
    )
    amount_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_amount_move_rel",
        column1="dispute_id",
        column2="move_id",
        string="Invoices Counted in the Amount",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        help="The invoices the disputed amount already accounts for.",
    )
    amount_residual = fields.Monetary(
        string="Amount Due",
        compute="_compute_amount_residual",
        store=True,
        help="What is left to pay on the disputed invoices.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("invoice_ids")
    def _compute_amount_disputed(self):
        """A default, not a rule: see :meth:`_amount_after_invoice_change`."""
        for dispute in self:
            dispute.amount_disputed = self._amount_after_invoice_change(
                dispute.amount_disputed,
                dispute.amount_invoice_ids,
                dispute.invoice_ids,
            )
            dispute.amount_invoice_ids = dispute.invoice_ids

    @api.depends("invoice_ids.amount_residual")
    def _compute_amount_residual(self):
        for dispute in self:
            dispute.amount_residual = dispute.invoice_ids._get_amount_residual_sum(
                dispute.currency_id
            )

    # ------------------------------------------------------------------
    # CONSTRAINT AND ONCHANGE METHODS
    # ------------------------------------------------------------------

    @api.constrains("amount_disputed", "invoice_ids")
    def _check_amount_disputed(self):
        for dispute in self:
            if dispute.currency_id.compare_amounts(dispute.amount_disputed, 0.0) < 0:
                raise ValidationError(
                    self.env._("The disputed amount cannot be negative.")
                )
            if dispute.state in ("resolved", "cancelled") or not dispute.invoice_ids:
                continue
            dispute._check_amount_against_invoices()

    @api.onchange("line_ids")
    def _onchange_line_ids(self):
        """The total shown follows the amounts a person sets per invoice, as
        ``_sync_lines`` will save them: an invoice without its line yet
        counts for what is left to pay on it."""
        if not self.line_ids:
            return
        invoices = self.invoice_ids._origin
        amounts = {
            line.move_id._origin: line.amount_disputed
            for line in self.line_ids
            if line.move_id._origin in invoices
        }
        self.amount_disputed = self.currency_id.round(
            sum(amounts.get(move, move.amount_residual) for move in invoices)
        )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _check_amount_against_invoices(self):
        self.ensure_one()
        residual = self.invoice_ids._get_amount_residual_sum(self.currency_id)
        if self.currency_id.compare_amounts(self.amount_disputed, residual) > 0:
            raise ValidationError(
                self.env._(
                    "The disputed amount of %(dispute)s (%(amount)s) is more than "
                    "what is left to pay on its invoices (%(residual)s).",
                    dispute=self.name,
                    amount=self.currency_id.format(self.amount_disputed),
                    residual=self.currency_id.format(residual),
                )
            )
        if self.currency_id.compare_amounts(self.amount_disputed, 0.0) <= 0:
            raise ValidationError(
                self.env._(
                    "The disputed amount of %(dispute)s must be positive.",
                    dispute=self.name,
                )
            )

    @api.model
    def _amount_after_invoice_change(self, amount, counted, invoices):
        """The disputed amount once the invoices ``counted`` become ``invoices``.

        ``amount`` (in the invoices' currency) is what the customer contests
        of the ``counted`` invoices: it stays. An invoice added adds what is
        left to pay on it, an invoice taken off takes that away; when nothing
        is left of the amount, or nothing was given, it is what is left to pay
        on ``invoices``. With no invoice counted yet, an amount given stays:
        it was typed for the invoices being chosen.
        """
        currency = invoices.currency_id[:1] or counted.currency_id[:1]
        if counted:
            added = (invoices - counted)._get_amount_residual_sum(currency)
            removed = (counted - invoices)._get_amount_residual_sum(currency)
            amount += added - removed
        if currency and currency.compare_amounts(amount, 0.0) <= 0:
            amount = invoices._get_amount_residual_sum(currency)
        return currency.round(amount) if currency else amount

    def _sync_lines(self, vals):
        """Keep one contested amount per invoice after ``vals`` were written.

        Amounts given per invoice (``line_ids`` commands that set an amount)
        are the truth, and the dispute's amount is their sum. An invoice added
        without an amount is contested for what is left to pay on it, an
        invoice taken off takes its amount away, the others keep theirs; a
        dispute's amount given alone that differs from their sum is shared
        among the invoices (``_get_shared_amounts``).
        """
        self.ensure_one()
        given = self._line_amounts_given(vals)
        if self.state in ("resolved", "cancelled") or (
            not given and not {"invoice_ids", "amount_disputed"} & vals.keys()
        ):
            return
        self.line_ids.filtered(lambda x: x.move_id not in self.invoice_ids).unlink()
        self.env["account.dispute.line"].create(
            [
                {
                    "dispute_id": self.id,
                    "move_id": move.id,
                    "amount_disputed": move.amount_residual,
                }
                for move in self.invoice_ids - self.line_ids.move_id
            ]
        )
        total = sum(self.line_ids.mapped("amount_disputed"))
        if (
            not given
            and "amount_disputed" in vals
            and self.currency_id.compare_amounts(total, self.amount_disputed)
        ):
            self._share_amount_disputed()
        self._sum_lines()

    @api.model
    def _line_amounts_given(self, vals):
        """Whether ``vals`` set the amount contested on some invoice (a
        ``line_ids`` command that creates or updates a line with an amount),
        as the dispute's form does when a person edits a line."""
        return any(
            isinstance(command, (list, tuple))
            and command[0] in (Command.CREATE, Command.UPDATE)
            and "amount_disputed" in (command[2] or {})
            for command in vals.get("line_ids") or []
        )

    def _share_amount_disputed(self):
        """Contest on each invoice its share of the dispute's amount (see
        ``_get_shared_amounts``)."""
        for dispute in self.filtered(
            lambda d: d.state not in ("resolved", "cancelled")
        ):
            amounts = dispute._get_shared_amounts()
            lines = {line.move_id: line for line in dispute.line_ids}
            dispute.line_ids.filtered(lambda x, a=amounts: x.move_id not in a).unlink()
            for move, amount in amounts.items():
                if move in lines:
                    lines[move].amount_disputed = amount
                else:
                    self.env["account.dispute.line"].create(
                        {
                            "dispute_id": dispute.id,
                            "move_id": move.id,
                            "amount_disputed": amount,
                        }
                    )

    def _get_shared_amounts(self):
        """{invoice: amount}: the dispute's amount shared among its invoices
        (see ``_share_amount``)."""
        self.ensure_one()
        return self._share_amount(self.amount_disputed, self.invoice_ids)

    @api.model
    def _share_amount(self, amount, invoices):
        """{invoice: share}: ``amount`` (in the invoices' currency) shared
        among ``invoices`` in proportion to what is left to pay on each (the
        invoice due last takes the rounding); a single invoice takes it all.
        How a total typed on a dispute or in its opening wizard becomes an
        amount contested per invoice."""
        currency = invoices.currency_id[:1]
        invoices = invoices.sorted(lambda m: (m.invoice_date_due, m.id))
        residual = invoices._get_amount_residual_sum(currency)
        amounts, left = {}, amount
        for move in invoices:
            if move == invoices[-1] or currency.is_zero(residual):
                amounts[move] = currency.round(left)
                break
            share = currency.round(amount * move.amount_residual / residual)
            amounts[move] = share
            left -= share
        return amounts

    def _sum_lines(self):
        """The dispute's amount is the sum of what it contests on each invoice."""
        for dispute in self:
            total = dispute.currency_id.round(
                sum(dispute.line_ids.mapped("amount_disputed"))
            )
            if dispute.amount_disputed != total:
                dispute.with_context(dispute_lines_sync=True).amount_disputed = total
