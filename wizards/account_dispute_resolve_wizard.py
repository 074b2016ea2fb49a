# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..models.account_dispute import DUE_DATE_POLICY_SELECTION, RESOLUTION_SELECTION


class AccountDisputeResolveWizard(models.TransientModel):
    _name = "account.dispute.resolve.wizard"
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
    resolution_note = fields.Html(string="What Was Agreed and Learned")
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

    @api.depends("dispute_id")
    def _compute_due_date_policy(self):
        for wizard in self:
            wizard.due_date_policy = (
                wizard.dispute_id.company_id.dispute_due_date_policy
                or self.env.company.dispute_due_date_policy
            )

    def action_confirm(self):
        self.ensure_one()
        self.dispute_id._resolve(
            self.resolution,
            date_resolved=self.date_resolved,
            due_date_policy=self.due_date_policy,
            date_custom=self.date_custom,
            resolution_note=self.resolution_note,
        )
        return {"type": "ir.actions.act_window_close"}
