# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..models.dispute.account_dispute import (
    DUE_DATE_POLICY_SELECTION,
    RESOLUTION_SELECTION,
    VALIDITY_SELECTION,
)


class AccountDisputeResolveWizard(models.TransientModel):
    _name = "account.dispute.resolve.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Resolve a Dispute"

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="dispute_id.company_id")
    resolution = fields.Selection(
        selection=RESOLUTION_SELECTION,
        required=True,
    )
    validity = fields.Selection(
        selection=VALIDITY_SELECTION,
        string="Was the Dispute Founded?",
        required=True,
        default="founded",
    )
    resolution_customer_note = fields.Html(
        string="What Was Agreed",
        help="Printed on the settlement letter to the customer.",
    )
    resolution_note = fields.Html(
        string="Internal Note",
        help="What was learned: internal, never printed for the customer.",
    )
    date_resolved = fields.Date(
        string="Resolved On",
        required=True,
        default=fields.Date.context_today,
    )
    due_date_policy = fields.Selection(
        selection=DUE_DATE_POLICY_SELECTION,
        string="New Due Dates",
        compute="_compute_due_date_policy",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    date_custom = fields.Date(string="Agreed Due Date")

    @api.depends("dispute_id", "validity")
    def _compute_due_date_policy(self):
        """An unfounded dispute never stopped the clock: keep the dates."""
        for wizard in self:
            if wizard.validity == "unfounded":
                wizard.due_date_policy = "keep"
                continue
            wizard.due_date_policy = (
                wizard.dispute_id.company_id.dispute_due_date_policy
                or self.env.company.dispute_due_date_policy
            )

    def action_confirm(self):
        """Resolve the dispute; a payment plan is agreed in its own wizard.

        Two wizards confirmed at once resolve the dispute once: the second
        user is told the dispute is being or was just changed, or that it is
        already resolved.

        :raises UserError: another user is changing or has just changed the
            dispute, or the dispute is no longer active.
        """
        self.ensure_one()
        self.dispute_id._lock_or_refuse()
        self.dispute_id._resolve(
            self.resolution,
            date_resolved=self.date_resolved,
            due_date_policy=self.due_date_policy,
            date_custom=self.date_custom,
            resolution_note=self.resolution_note,
            resolution_customer_note=self.resolution_customer_note,
            validity=self.validity,
        )
        return {"type": "ir.actions.act_window_close"}
