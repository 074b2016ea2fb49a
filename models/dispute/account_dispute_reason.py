# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..common.account_dispute_date_range_mixin import check_day_count
from .account_dispute import CATEGORY_SELECTION, FAULT_SELECTION


class AccountDisputeReason(models.Model):
    _name = "account.dispute.reason"
    _description = "Dispute Reason"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    category = fields.Selection(
        selection=CATEGORY_SELECTION,
        required=True,
        default="other",
    )
    sla_days = fields.Integer(
        string="Days to Settle",
        help="Sets the deadline of a dispute this many days after it is opened; "
        "0 leaves the deadline to the owner.",
    )
    default_fault = fields.Selection(selection=FAULT_SELECTION)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Default Owner",
        domain="[('share', '=', False)]",
        help="Who handles the disputes of this reason, unless another owner is set.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to share the reason between companies.",
    )

    _sql_constraints = [
        (
            "sla_days_positive",
            "CHECK(sla_days >= 0)",
            "The days to settle a dispute cannot be negative.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for reason in self:
            reason.display_name = (
                f"[{reason.code}] {reason.name}" if reason.code else reason.name
            )

    @api.constrains("sla_days")
    def _check_sla_days(self):
        """A dispute's deadline is at most ten years after its opening.

        :raise ValidationError: see ``check_day_count``.
        """
        for reason in self:
            check_day_count(reason, "sla_days")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A reason records why disputes happened: the analysis and the
        lessons learned keep it, so a reason in use is archived instead."""
        used = (
            self.env["account.dispute"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("reason_id", "in", self.ids)], ["reason_id"])
        )
        if used:
            raise UserError(
                self.env._(
                    "%(reasons)s is the reason of disputes: archive it instead, so "
                    "that they keep it.",
                    reasons=", ".join(reason.display_name for (reason,) in used),
                )
            )
