# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDunningRunFailure(models.Model):
    _name = "account.dunning.run.failure"
    _description = "Dunning Run Log Entry"
    _order = "id desc"

    run_id = fields.Many2one(
        comodel_name="account.dunning.run",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    kind = fields.Selection(
        selection=[
            ("skipped", "Skipped"),
            ("retry", "Failed, to Retry"),
            ("failed", "Failed, Waiting for a Person"),
            ("email", "E-mail Not Delivered"),
        ],
        required=True,
        readonly=True,
    )
    letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    attempt = fields.Integer(readonly=True)
    message = fields.Text(readonly=True)
