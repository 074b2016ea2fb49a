# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from .account_dispute import ACTIVE_STATES


class AccountDispute(models.Model):
    """The dispute's deadline and the alerts when it passes: the owner
    first, then the dispute manager, by the nightly escalation."""

    _inherit = "account.dispute"

    date_deadline = fields.Date(
        string="Deadline",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        tracking=True,
        help="The date by which the dispute should be settled: the reason's days "
        "to settle from the opening date, set when the dispute opens or its "
        "reason changes. A deadline typed by hand stays, and a reason's new "
        "days to settle apply to the disputes opened afterwards.",
    )
    date_deadline_proposed = fields.Date(
        string="Deadline Proposed",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        help="The deadline the reason proposed last: a deadline that differs "
        "from it was typed, and stays.",
    )
    date_escalated = fields.Date(
        string="Owner Alerted On",
        copy=False,
        readonly=True,
        help="When the owner was alerted that the dispute passed its deadline.",
    )
    date_escalated_manager = fields.Date(
        string="Manager Alerted On",
        copy=False,
        readonly=True,
        help="When the dispute manager was alerted that the dispute stalls.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("date_opened", "reason_id")
    def _compute_date_deadline(self):
        """The reason's days to settle from the opening date, set when the
        dispute opens or its reason changes. Not on the reason's days: a new
        service level applies to the disputes opened afterwards, and the
        deadline of a closed dispute is history."""
        for dispute in self:
            proposal = False
            closed = dispute.state in ("resolved", "cancelled")
            if not (closed and dispute.date_deadline_proposed) and (
                dispute.date_opened and dispute.reason_id.sla_days
            ):
                proposal = fields.Date.add(
                    dispute.date_opened, days=dispute.reason_id.sla_days
                )
            dispute._follow_proposal(
                "date_deadline", "date_deadline_proposed", proposal
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _reset_alerts(self):
        """Give the owner and the manager a new chance before any alert: for
        every path that (re)starts the clock or moves the deadline."""
        self.filtered(lambda d: d.date_escalated or d.date_escalated_manager).write(
            {"date_escalated": False, "date_escalated_manager": False}
        )

    # ------------------------------------------------------------------
    # CRON METHODS
    # ------------------------------------------------------------------

    @api.model
    def _cron_dispute_escalation(self):
        """Alert the owner, then the dispute manager, about stalled disputes.

        Each alert is an activity given once; formal notices whose deadline
        passed unpaid and payment plans left unpaid are followed up by the same
        nightly run.
        """
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("account_dispute.mail_activity_type_escalation")
        late = self.search(
            [
                ("state", "in", ACTIVE_STATES),
                ("date_deadline", "<", today),
                ("date_escalated", "=", False),
            ]
        )
        for dispute in late:
            dispute.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=dispute.user_id.id or self.env.user.id,
                summary=self.env._("Dispute past its deadline"),
            )
        late.date_escalated = today
        stalled = self.search(
            [
                ("state", "in", ACTIVE_STATES),
                ("date_escalated", "!=", False),
                ("date_escalated_manager", "=", False),
                ("company_id.dispute_manager_id", "!=", False),
            ]
        ).filtered(
            lambda d: (
                fields.Date.add(
                    d.date_deadline, days=d.company_id.dispute_escalation_days
                )
                < today
            )
        )
        for dispute in stalled:
            dispute.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=dispute.company_id.dispute_manager_id.id,
                summary=self.env._("Dispute stalled: decide what comes next"),
            )
        stalled.date_escalated_manager = today
        self.env["account.dunning.letter"]._cron_recourse_alerts()
        self.env["account.dispute.payment.plan"]._cron_payment_plan_check()
        return late | stalled
