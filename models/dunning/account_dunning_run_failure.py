# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountDunningRunFailure(models.Model):
    """A line of a run's log: written by the dunning only, then kept as it
    is (``account.frozen.record.mixin``)."""

    _name = "account.dunning.run.failure"
    _description = "Dunning Run Log Entry"
    _inherit = ["account.frozen.record.mixin"]
    _order = "id desc"

    run_id = fields.Many2one(
        comodel_name="account.dunning.run",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="run_id.company_id", store=True, precompute=True
    )
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

    def _is_frozen(self):
        """A line of the log is kept as the dunning wrote it."""
        self.ensure_one()
        return True

    def _get_frozen_error(self):
        self.ensure_one()
        return self.env._(
            "The log of %(run)s records what the dunning did: its lines are "
            "written by the dunning only and cannot be changed or deleted.",
            run=self.run_id.display_name,
        )
