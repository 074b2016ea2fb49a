# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    date_maturity_original = fields.Date(
        string="Original Due Date",
        copy=False,
        readonly=True,
        help="The due date this receivable line had when a dispute suspended it; "
        "kept until the dispute ends.",
    )
