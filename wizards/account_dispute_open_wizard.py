# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.account_dispute import CHANNEL_SELECTION, FAULT_SELECTION


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
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
    )
    amount_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_dispute_open_wizard_amount_move_rel",
        string="Invoices Counted in the Amount",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
        precompute=True,
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
    def _compute_amount_disputed(self):
        """A default, not a rule: an amount typed stays, invoices added or
        taken off add or take away what is left to pay on them."""
        Dispute = self.env["account.dispute"]
        for wizard in self:
            wizard.amount_disputed = Dispute._amount_after_invoice_change(
                wizard.amount_disputed, wizard.amount_invoice_ids, wizard.invoice_ids
            )
            wizard.amount_invoice_ids = wizard.invoice_ids

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

    def _prepare_dispute_vals(self):
        vals = self.env["account.dispute"]._prepare_from_invoices_vals(self.invoice_ids)
        vals.update(
            {
                "amount_disputed": self.amount_disputed,
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
