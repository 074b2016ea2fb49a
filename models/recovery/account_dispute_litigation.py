# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ..common.states import UNPAID_PAYMENT_STATES
from ..dispute.account_dispute import ACTIVE_STATES

# The dispute's procedure for each recourse filed (LITIGATION_PROCEDURE_SELECTION).
RECOVERY_PROCEDURES = {
    "injunction": "injunction",
    "small_claims": "simplified_recovery",
}


class AccountDispute(models.Model):
    """The dispute's recovery files: what was filed after an unpaid formal
    notice, and when (models/recovery/account_dispute_recovery.py)."""

    _inherit = "account.dispute"

    recovery_ids = fields.One2many(
        comodel_name="account.dispute.recovery",
        inverse_name="dispute_id",
        string="Recovery Files",
        readonly=True,
    )
    recovery_count = fields.Integer(compute="_compute_recovery_count")
    recovery_notice_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        compute="_compute_recovery_notice_id",
        help="The latest formal notice sent about the dispute's invoices whose "
        "deadline passed with invoices still unpaid.",
    )

    @api.depends("recovery_ids")
    def _compute_recovery_count(self):
        for dispute in self:
            dispute.recovery_count = len(dispute.recovery_ids)

    @api.depends("invoice_ids")
    @api.depends_context("uid")
    def _compute_recovery_notice_id(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.recovery_notice_id = self.env["account.dunning.letter"].search(
                [
                    ("company_id", "=", dispute.company_id.id),
                    ("state", "=", "sent"),
                    ("letter_type", "=", "formal_notice"),
                    ("date_deadline", "<", today),
                    ("invoice_ids", "in", dispute.invoice_ids._origin.ids),
                    ("invoice_ids.payment_state", "in", UNPAID_PAYMENT_STATES),
                ],
                order="date desc, id desc",
                limit=1,
            )

    def action_prepare_recovery(self):
        """Prepare the recovery file of the dispute's formal notice."""
        self.ensure_one()
        return self.recovery_notice_id.with_context(
            default_dispute_id=self.id
        ).action_prepare_recovery()

    def action_view_recoveries(self):
        self.ensure_one()
        return self.recovery_ids._get_records_action(
            name=self.env._("Recovery Files"), context={"create": False}
        )

    def _record_recovery_filing(self, recovery):
        """The litigation stage records the filing: the procedure, its
        reference and date (injunction to pay, small claims); an agency or a
        commissaire de justice instructed is recorded as the third party of
        the mediation stage, as the referral wizard does. An active dispute
        moves to that stage."""
        self.ensure_one()
        procedure = RECOVERY_PROCEDURES.get(recovery.recovery_kind)
        if procedure:
            self.write(
                {
                    "litigation_procedure": procedure,
                    "litigation_ref": recovery.filing_ref or recovery.name,
                    "date_litigation": recovery.date_filed,
                }
            )
            target = "litigation"
        else:
            self.write(
                {
                    "mediator_type": self.mediator_type
                    if self.mediator_type in ("bailiff", "collection_agency")
                    else "collection_agency",
                    "mediator_id": recovery.agent_id.id or self.mediator_id.id,
                    "date_mediation": recovery.date_filed,
                }
            )
            target = "mediation"
        if self.state in ACTIVE_STATES and self.state not in (target, "litigation"):
            self._set_active_state(target)
        kinds = dict(recovery._fields["recovery_kind"]._description_selection(self.env))
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Recovery file %(file)s filed on %(date)s: %(kind)s, reference "
                "%(ref)s.",
                file=recovery.name,
                date=format_date(self.env, recovery.date_filed),
                kind=kinds[recovery.recovery_kind],
                ref=recovery.filing_ref or "-",
            )
        )
