# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .account_dunning_letter_line import LINE_TYPE_SELECTION


class AccountDisputeRecoveryLine(models.Model):
    """One row of what a recovery file claims: the same rows as a formal
    notice's calculation (``account.dunning.letter.line``), computed by the
    letters' own code at the file's date, and frozen once the file is filed."""

    _name = "account.dispute.recovery.line"
    _description = "Recovery File Line"
    _order = "recovery_id, sequence, date_due, id"

    recovery_id = fields.Many2one(
        comodel_name="account.dispute.recovery",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="recovery_id.company_id")
    currency_id = fields.Many2one(related="recovery_id.currency_id")
    line_type = fields.Selection(selection=LINE_TYPE_SELECTION, required=True)
    name = fields.Char(string="Label", required=True)
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Document",
        index="btree_not_null",
        ondelete="restrict",
    )
    installment_id = fields.Many2one(
        comodel_name="account.dispute.payment.plan.line", ondelete="set null"
    )
    date_due = fields.Date(string="Due Date")
    date_from = fields.Date(
        string="From",
        help="Penalties and interest: the first day of the period is the day "
        "after this date.",
    )
    date_to = fields.Date(
        string="To", help="Penalties and interest: the last day of the period."
    )
    days = fields.Integer(help="Days of the period, from the day after From to To.")
    base_amount = fields.Monetary(string="Base")
    rate = fields.Float(string="Annual Rate (%)", digits=(16, 2))
    amount = fields.Monetary(
        help="What the row adds to the claim, in the file's currency; open "
        "credits are negative."
    )
