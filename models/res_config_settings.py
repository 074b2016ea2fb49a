# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dispute_due_date_policy = fields.Selection(
        related="company_id.dispute_due_date_policy",
        readonly=False,
    )
