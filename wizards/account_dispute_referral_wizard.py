# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.dispute.account_dispute import (
    LITIGATION_PROCEDURE_SELECTION,
    MEDIATOR_TYPE_SELECTION,
)


class AccountDisputeReferralWizard(models.TransientModel):
    """Ask who the dispute goes to before moving it to mediation or litigation."""

    _name = "account.dispute.referral.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Refer a Dispute to Mediation or Court"

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="dispute_id.company_id")
    currency_id = fields.Many2one(related="dispute_id.currency_id")
    target_state = fields.Selection(
        selection=[("mediation", "Mediation"), ("litigation", "Litigation")],
        required=True,
        default="mediation",
    )
    mediator_type = fields.Selection(
        selection=MEDIATOR_TYPE_SELECTION,
        string="Third Party",
    )
    mediator_id = fields.Many2one(comodel_name="res.partner")
    date_referral = fields.Date(
        string="Referred On", required=True, default=fields.Date.context_today
    )
    cost = fields.Monetary(help="What the mediator, the court or the lawyer charges.")
    court_id = fields.Many2one(comodel_name="res.partner")
    litigation_procedure = fields.Selection(
        selection=LITIGATION_PROCEDURE_SELECTION,
        string="Procedure",
    )
    litigation_ref = fields.Char(string="Case Reference")

    @api.onchange("dispute_id", "target_state")
    def _onchange_dispute_id(self):
        """Propose what the dispute already knows."""
        dispute = self.dispute_id
        if self.target_state == "mediation":
            self.mediator_type = dispute.mediator_type
            self.mediator_id = dispute.mediator_id
            self.cost = dispute.mediation_cost
        else:
            self.court_id = dispute.court_id
            self.litigation_procedure = dispute.litigation_procedure
            self.litigation_ref = dispute.litigation_ref
            self.cost = dispute.litigation_cost

    def action_confirm(self):
        self.ensure_one()
        dispute = self.dispute_id
        if self.target_state == "mediation" and not self.mediator_type:
            raise UserError(self.env._("Say who the dispute is referred to."))
        if self.target_state == "litigation" and not (
            self.court_id and self.litigation_procedure
        ):
            raise UserError(self.env._("Give the court and the procedure."))
        if self.target_state == "mediation":
            vals = {
                "mediator_type": self.mediator_type,
                "mediator_id": self.mediator_id.id,
                "date_mediation": self.date_referral,
                "mediation_cost": self.cost,
            }
        else:
            vals = {
                "court_id": self.court_id.id,
                "litigation_procedure": self.litigation_procedure,
                "litigation_ref": self.litigation_ref,
                "date_litigation": self.date_referral,
                "litigation_cost": self.cost,
            }
        dispute.write(vals)
        if self.target_state == "mediation":
            dispute.action_mediate()
        else:
            dispute.action_litigate()
        return {"type": "ir.actions.act_window_close"}
