# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from .account_move_due_date import DUE_DATE_SYNC_OFF


class AccountMove(models.Model):
    """What the back office reads of an invoice contested in part: the amount
    held, and that the rest stays due (Civil Code art. 1219 and 1220)."""

    _inherit = "account.move"

    dispute_contest_note = fields.Char(
        string="Contested in Part",
        compute="_compute_dispute_contest_note",
        compute_sudo=True,
        help="How much of the invoice its disputes hold, when the rest of it "
        "stays due on its own dates.",
    )

    @api.depends(
        "amount_contested",
        "amount_residual_uncontested",
        "is_contested",
        "dispute_line_ids.dispute_id.name",
    )
    def _compute_dispute_contest_note(self):
        for move in self:
            lines = (
                move._get_holding_dispute_lines()
                if move.amount_contested and not move.is_contested
                else move.dispute_line_ids.browse()
            )
            move.dispute_contest_note = (
                self.env._(
                    "%(amount)s of this invoice is contested in dispute %(dispute)s: "
                    "the rest (%(rest)s) stays due on its dates.",
                    amount=move.currency_id.format(move.amount_contested),
                    dispute=", ".join(lines.dispute_id.mapped("name")),
                    rest=move.currency_id.format(move.amount_residual_uncontested),
                )
                if lines
                else False
            )

    def _dunning_dispute_reason(self, dispute):
        """Why ``dispute`` keeps this invoice, or the amount it contests on
        it, out of the dunning."""
        self.ensure_one()
        _ = self.env._
        held = sum(
            dispute.line_ids.filtered(lambda x: x.move_id == self).mapped("amount_open")
        )
        if self.is_contested or self.currency_id.is_zero(held):
            if dispute.is_active:
                return _("Dispute %(dispute)s", dispute=dispute.name)
            return _(
                "Dispute %(dispute)s: contested by the customer, to review",
                dispute=dispute.name,
            )
        amount = self.currency_id.format(held)
        if dispute.is_active:
            return _(
                "Dispute %(dispute)s: %(amount)s contested, the rest is reminded",
                dispute=dispute.name,
                amount=amount,
            )
        return _(
            "Dispute %(dispute)s: %(amount)s contested by the customer, to review; "
            "the rest is reminded",
            dispute=dispute.name,
            amount=amount,
        )

    def _dispute_end_whole_suspension(self, dispute):
        """The invoice is no longer contested as a whole (its contest was
        lowered): its due dates, kept aside while suspended and never moved
        meanwhile, stand again; the rest of the invoice is reminded on them.
        Noted in the chatter."""
        moves = self.with_context(**DUE_DATE_SYNC_OFF)
        moves._dispute_term_lines().write({"date_maturity_original": False})
        moves.write({"dispute_suspension_date": False})
        for move in self:
            move._message_log(
                body=self.env._(
                    "Dispute %(dispute)s now contests %(amount)s of the invoice, "
                    "not all that is left to pay: its due dates are no longer "
                    "suspended, and the rest stays due on them.",
                    dispute=dispute._get_html_link(),
                    amount=move.currency_id.format(move.amount_contested),
                )
            )
