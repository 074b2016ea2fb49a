# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDisputeRecoveryLine(models.Model):
    """One row of what a recovery file claims: the same rows as a formal
    notice's calculation (``account.dunning.letter.line``), computed by the
    letters' own code at the file's date, and frozen once the file is filed."""

    _name = "account.dispute.recovery.line"
    _inherit = "account.claim.line.mixin"
    _claim_field = "recovery_id"
    _description = "Recovery File Line"
    _order = "recovery_id, sequence, date_due, id"

    recovery_id = fields.Many2one(
        comodel_name="account.dispute.recovery",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="recovery_id.company_id")
    currency_id = fields.Many2one(related="recovery_id.currency_id")
