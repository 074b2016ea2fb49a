# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .account_dispute import DUE_DATE_POLICY_SELECTION


class ResCompany(models.Model):
    _inherit = "res.company"

    dispute_due_date_policy = fields.Selection(
        selection=DUE_DATE_POLICY_SELECTION,
        string="Due Dates After a Dispute",
        default="restart",
        required=True,
        help="How the due dates of a disputed invoice are set when its dispute is "
        "resolved. French practice restarts the payment term from the resolution "
        "date; the resolution wizard can choose another policy case by case.",
    )
