# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class AccountDunningLetter(models.Model):
    """From a formal notice left unpaid past its deadline, the recovery file
    of the recourse chosen (models/recovery/account_dispute_recovery.py)."""

    _inherit = "account.dunning.letter"

    recovery_ids = fields.One2many(
        comodel_name="account.dispute.recovery",
        inverse_name="letter_id",
        string="Recovery Files",
        readonly=True,
    )
    recovery_count = fields.Integer(compute="_compute_recovery_count")
    can_prepare_recovery = fields.Boolean(
        compute="_compute_can_prepare_recovery",
        help="A sent formal notice whose deadline passed with invoices unpaid.",
    )

    @api.depends("recovery_ids")
    def _compute_recovery_count(self):
        for letter in self:
            letter.recovery_count = len(letter.recovery_ids)

    @api.depends("state", "letter_type", "date_deadline", "invoice_ids.payment_state")
    @api.depends_context("uid")
    def _compute_can_prepare_recovery(self):
        today = fields.Date.context_today(self)
        Recovery = self.env["account.dispute.recovery"]
        for letter in self:
            letter.can_prepare_recovery = bool(
                letter.state == "sent"
                and letter.letter_type == "formal_notice"
                and letter.date_deadline
                and letter.date_deadline < today
                and Recovery._get_unpaid_invoices(letter)
            )

    def action_prepare_recovery(self):
        """Open the wizard that chooses the recourse.

        :raises UserError: see ``account.dispute.recovery._check_notice_recoverable``.
        """
        self.ensure_one()
        self.env["account.dispute.recovery"]._check_notice_recoverable(
            self, fields.Date.context_today(self)
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_recovery_wizard_action"
        )
        action["context"] = {
            "default_letter_id": self.id,
            "default_dispute_id": self.env.context.get("default_dispute_id"),
        }
        return action

    def action_view_recoveries(self):
        self.ensure_one()
        return self.recovery_ids._get_records_action(
            name=self.env._("Recovery Files"), context={"create": False}
        )
