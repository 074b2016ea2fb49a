# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.dispute.account_dispute import CHANNEL_SELECTION, FAULT_SELECTION


class AccountDisputeOpenWizard(models.TransientModel):
    _name = "account.dispute.open.wizard"
    _description = "Open a Dispute on Invoices"

    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        compute="_compute_from_invoices",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_from_invoices",
    )
    amount_residual = fields.Monetary(
        string="Amount Due", compute="_compute_from_invoices"
    )
    line_ids = fields.One2many(
        comodel_name="account.dispute.open.wizard.line",
        inverse_name="wizard_id",
        string="Contested Amounts",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
        help="What the customer contests on each invoice, at most what is left to "
        "pay on it; the rest of each invoice stays due on its own dates.",
    )
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
        help="The sum of the amounts contested on the invoices. A total typed "
        "here is shared among the invoices in proportion to what is left to "
        "pay on each.",
    )
    reason_id = fields.Many2one(comodel_name="account.dispute.reason", required=True)
    fault = fields.Selection(
        selection=FAULT_SELECTION,
        help="Leave empty to take the reason's default fault.",
    )
    channel = fields.Selection(
        selection=CHANNEL_SELECTION,
    )
    contract_ref = fields.Char(string="Contract Reference")
    description = fields.Html()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Owner",
        domain="[('share', '=', False)]",
        help="Leave empty to give the dispute to the reason's default owner, or to "
        "yourself.",
    )

    @api.depends("invoice_ids")
    def _compute_from_invoices(self):
        for wizard in self:
            invoices = wizard.invoice_ids
            wizard.partner_id = invoices.commercial_partner_id[:1]
            wizard.currency_id = invoices.currency_id[:1]
            wizard.amount_residual = invoices._get_amount_residual_sum(
                wizard.currency_id
            )

    @api.depends("invoice_ids")
    def _compute_line_ids(self):
        """An invoice added is contested for what is left to pay on it, an
        invoice taken off takes its amount away, the others keep theirs."""
        for wizard in self:
            amounts = {
                line.move_id._origin: line.amount_disputed for line in wizard.line_ids
            }
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "move_id": move.id,
                        "amount_disputed": amounts.get(move, move.amount_residual),
                    }
                )
                for move in wizard.invoice_ids._origin
            ]

    @api.depends("line_ids.amount_disputed")
    def _compute_amount_disputed(self):
        for wizard in self:
            total = sum(wizard.line_ids.mapped("amount_disputed"))
            wizard.amount_disputed = (
                wizard.currency_id.round(total) if wizard.currency_id else total
            )

    @api.onchange("amount_disputed")
    def _onchange_amount_disputed(self):
        """A total typed is shared among the invoices, as on the dispute
        (``account.dispute._share_amount``)."""
        amounts = self._get_amounts()
        for line in self.line_ids:
            line.amount_disputed = amounts.get(
                line.move_id._origin, line.amount_disputed
            )

    def action_confirm(self):
        """Create the dispute, open it at once, and show it."""
        self.ensure_one()
        if not self.invoice_ids:
            raise UserError(self.env._("Choose the invoices the customer disputes."))
        dispute = self.env["account.dispute"].create(self._prepare_dispute_vals())
        dispute.action_open()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.dispute",
            "res_id": dispute.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _get_amounts(self):
        """{invoice: amount contested}: the lines' amounts; or, when the total
        differs from their sum, the total shared among the invoices. The form
        keeps the total equal to the lines' sum once a line is edited; a
        total written alone (typed, or given by code) is shared."""
        self.ensure_one()
        amounts = {line.move_id._origin: line.amount_disputed for line in self.line_ids}
        currency = self.currency_id
        if currency and currency.compare_amounts(
            sum(amounts.values()), self.amount_disputed
        ):
            amounts = self.env["account.dispute"]._share_amount(
                self.amount_disputed, self.invoice_ids._origin
            )
        return amounts

    def _prepare_dispute_vals(self):
        vals = self.env["account.dispute"]._prepare_from_invoices_vals(self.invoice_ids)
        amounts = self._get_amounts()
        vals.update(
            {
                "line_ids": [
                    Command.create({"move_id": move.id, "amount_disputed": amount})
                    for move, amount in amounts.items()
                ],
                "amount_disputed": sum(amounts.values()),
                "reason_id": self.reason_id.id,
                "channel": self.channel,
                "contract_ref": self.contract_ref,
                "description": self.description,
            }
        )
        if self.fault:
            vals["fault"] = self.fault
        if self.user_id:
            vals["user_id"] = self.user_id.id
        return vals
