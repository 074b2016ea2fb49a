# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class FrozenFakeRecord(models.Model):
    """A record done in state ``done``: the smallest model of the mixin."""

    _name = "account.frozen.fake.record"
    _description = "Frozen Record (test)"
    _inherit = ["account.frozen.record.mixin"]

    _protected_fields = ("state", "date_done")
    _frozen_writable_fields = ("active",)

    name = fields.Char()
    active = fields.Boolean(default=True)
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
    )
    date_done = fields.Date()

    def _is_frozen(self):
        self.ensure_one()
        return self.state == "done"

    def _close(self):
        """The record's own method: the only way to done."""
        self._write_internal({"state": "done", "date_done": "2026-01-31"})
