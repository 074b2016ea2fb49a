# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

LINE_TYPE_SELECTION = [
    ("principal", "Amount due"),
    ("contested", "Under dispute, not claimed"),
    ("credit", "Open credit"),
    ("penalty", "Late-payment penalties"),
    ("interest", "Legal interest"),
    ("indemnity", "Recovery indemnity"),
]


class AccountClaimLineMixin(models.AbstractModel):
    """One row of a claim, and how it was computed: what a dunning letter or
    a recovery file claims (``get_claim_totals`` sums them). The model that
    inherits it gives the claim it belongs to (``_claim_field``), its
    ``company_id`` and its ``currency_id``.

    The rows are the claim's evidence: once the claim is done (a letter sent,
    a file filed) they are read-only to every user, as the claim is, and no
    row can be added or removed (``account.frozen.record.mixin``)."""

    _name = "account.claim.line.mixin"
    _inherit = ["account.dispute.date.range.mixin", "account.frozen.record.mixin"]
    _description = "Claim Row"
    # The Many2one field of the claim the row belongs to.
    _claim_field = None

    sequence = fields.Integer(default=10)
    # The claim's currency: a related field of the model that inherits it.
    currency_id = fields.Many2one(comodel_name="res.currency")
    line_type = fields.Selection(selection=LINE_TYPE_SELECTION, required=True)
    name = fields.Char(string="Label", required=True)
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Document",
        index="btree_not_null",
        ondelete="restrict",
        help="The invoice claimed or charged, or the credit note or payment deducted.",
    )
    installment_id = fields.Many2one(
        comodel_name="account.dispute.payment.plan.line",
        ondelete="set null",
        help="The payment plan installment claimed, when the invoice is under a "
        "payment plan.",
    )
    date_due = fields.Date(string="Due Date")
    date_from = fields.Date(
        string="Runs After",
        help="Penalties and interest: the period's day 0 (a due date, or the "
        "day an amount was paid or counted): the period starts the day after.",
    )
    date_start = fields.Date(
        string="From",
        compute="_compute_date_start",
        help="Penalties and interest: the first day of the period, included "
        "(the day after Runs After). The letter's PDF prints the same date.",
    )
    date_to = fields.Date(
        string="To",
        help="Penalties and interest: the last day of the period, included.",
    )
    days = fields.Integer(help="Days of the period, From and To included.")
    base_amount = fields.Monetary(
        string="Base", help="Penalties and interest: the amount unpaid in the period."
    )
    rate = fields.Float(
        string="Annual Rate (%)", digits=(16, 2), help="Penalties and interest."
    )
    amount = fields.Monetary(
        help="What the row adds to the claim, in the claim's currency; open "
        "credits are negative."
    )

    def _is_frozen(self):
        """A row is done when its claim is."""
        self.ensure_one()
        return self[self._claim_field]._is_frozen()

    def _get_frozen_error(self):
        self.ensure_one()
        return self[self._claim_field]._get_frozen_error()

    def _check_frozen_write(self, vals):
        """Nor can a row be moved into a claim that is done."""
        if vals.get(self._claim_field):
            claim = self.env[self._fields[self._claim_field].comodel_name].browse(
                vals[self._claim_field]
            )
            if claim._is_frozen():
                raise UserError(claim._get_frozen_error())
        return super()._check_frozen_write(vals)

    @api.depends("date_from")
    def _compute_date_start(self):
        """One convention for the calculation tab and the PDF: From and To are
        the first and last days of the period, both included."""
        for line in self:
            line.date_start = line.date_from and fields.Date.add(line.date_from, days=1)
