# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..models.dispute.account_dispute import ACTIVE_STATES
from ..models.recovery.account_dispute_recovery import RECOVERY_KIND_SELECTION


class AccountDisputeRecoveryWizard(models.TransientModel):
    """Choose the external recourse after an unpaid formal notice, and
    prepare its file."""

    _name = "account.dispute.recovery.wizard"
    _description = "Prepare the Recovery File"

    letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        string="Formal Notice",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="letter_id.company_id")
    partner_id = fields.Many2one(related="letter_id.partner_id")
    currency_id = fields.Many2one(related="letter_id.currency_id")
    date_deadline = fields.Date(related="letter_id.date_deadline")
    amount_total = fields.Monetary(
        related="letter_id.amount_total", string="Claimed by the Notice"
    )
    recovery_kind = fields.Selection(
        selection=RECOVERY_KIND_SELECTION,
        string="Recourse",
        required=True,
        default="injunction",
    )
    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        compute="_compute_dispute_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id), ('partner_id', '=', partner_id)]",
    )
    agent_id = fields.Many2one(
        comodel_name="res.partner",
        string="Commissaire de Justice or Agency",
    )

    @api.depends("letter_id")
    def _compute_dispute_id(self):
        """The dispute on the notice's invoices that is still going on."""
        for wizard in self:
            if wizard.dispute_id:
                continue
            disputes = wizard.letter_id.invoice_ids.dispute_ids.filtered(
                lambda d: d.state in ("draft", *ACTIVE_STATES)
            )
            wizard.dispute_id = disputes.sorted("date_opened", reverse=True)[:1]

    def action_confirm(self):
        self.ensure_one()
        recovery = self.env["account.dispute.recovery"]._create_from_notice(
            self.letter_id,
            self.recovery_kind,
            dispute=self.dispute_id,
            agent=self.agent_id,
        )
        return recovery._get_records_action(context={})
