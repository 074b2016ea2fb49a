# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class AccountDisputeLine(models.Model):
    """What a dispute contests on one of its invoices: an amount, not the
    invoice (Civil Code art. 1219 and 1220: the customer withholds only what
    answers the contested performance; the rest stays due on its dates).

    The dispute keeps one line per invoice (``account.dispute.invoice_ids``);
    ``account.move._get_due_parts`` reads them to tell which part of which
    installment is held, and until when.
    """

    _name = "account.dispute.line"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Contested Amount of an Invoice"
    _order = "dispute_id, id"
    _check_company_auto = True

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        required=True,
        ondelete="cascade",
        index=True,
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="dispute_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_disputed = fields.Monetary(
        string="Amount Contested",
        help="The part of the invoice the customer contests, at most what is "
        "left to pay on it. The rest of the invoice stays due on its own dates.",
    )
    amount_residual = fields.Monetary(
        string="Amount Due", related="move_id.amount_residual"
    )
    amount_open = fields.Monetary(
        string="Contested and Open",
        compute="_compute_amount_open",
        help="The contested amount less what the dispute's credit notes and "
        "write-offs settled on the invoice, at most what is left to pay on it.",
    )
    is_whole = fields.Boolean(
        string="Whole Residual",
        readonly=True,
        copy=False,
        help="The contest covered all that was left to pay on the invoice when "
        "the dispute started to hold it: the invoice's own due dates were "
        "suspended, and its payment term restarted as the company chose.",
    )
    date_due = fields.Date(
        string="Contested Part Due On",
        readonly=True,
        copy=False,
        help="When the contested part fell due again after the dispute, if the "
        "due date policy applied at the resolution moved it; empty while the "
        "dispute holds it, and when the original due date was kept.",
    )
    amount_rescheduled = fields.Monetary(
        readonly=True,
        copy=False,
        help="What was left of the contested part at the resolution: the amount "
        "that falls due on the new date.",
    )

    _sql_constraints = [
        (
            "dispute_move_uniq",
            "unique(dispute_id, move_id)",
            "An invoice is contested once per dispute.",
        ),
        (
            "amount_positive",
            "CHECK(COALESCE(amount_disputed, 0) >= 0)",
            "A contested amount cannot be negative.",
        ),
    ]

    @api.depends(
        "amount_disputed",
        "move_id.amount_residual",
        "dispute_id.credit_note_ids.state",
        "dispute_id.write_off_move_ids.state",
    )
    def _compute_amount_open(self):
        for line in self:
            currency = line.currency_id
            settled = line._get_amount_settled_by_dispute()
            open_amount = max(line.amount_disputed - settled, 0.0)
            line.amount_open = currency.round(
                min(open_amount, line.move_id.amount_residual)
            )

    @api.constrains("amount_disputed", "move_id")
    def _check_amount_disputed(self):
        for line in self.filtered(
            lambda x: x.dispute_id.state not in ("resolved", "cancelled")
        ):
            currency = line.currency_id
            if currency.compare_amounts(line.amount_disputed, 0.0) <= 0:
                raise ValidationError(
                    self.env._(
                        "The amount contested on %(invoice)s must be positive "
                        "(dispute %(dispute)s).",
                        invoice=line.move_id.display_name,
                        dispute=line.dispute_id.name,
                    )
                )
            if (
                currency.compare_amounts(
                    line.amount_disputed, line.move_id.amount_residual
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The amount contested on %(invoice)s (%(amount)s) is more "
                        "than what is left to pay on it (%(residual)s).",
                        invoice=line.move_id.display_name,
                        amount=currency.format(line.amount_disputed),
                        residual=currency.format(line.move_id.amount_residual),
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "amount_disputed" in vals:
            self._update_whole_suspension()
        if "amount_disputed" in vals and not self.env.context.get("dispute_lines_sync"):
            # The dispute's amount is their sum; the draft letters claim anew.
            self.dispute_id._sum_lines()
            self.dispute_id._drop_contested_from_letters()
        return res

    def _update_whole_suspension(self):
        """Follow a new amount on an active dispute: a contest that comes to
        cover all that is left to pay suspends the invoice's due dates (from
        today); one that no longer does gives them back, unless another
        active dispute contests the whole invoice. The due dates were not
        moved while suspended: only the dates kept aside are dropped."""
        today = fields.Date.context_today(self)
        for line in self.filtered(lambda x: x.dispute_id.is_active):
            move = line.move_id
            whole = (
                line.currency_id.compare_amounts(
                    line.amount_disputed, move.amount_residual
                )
                >= 0
            )
            if whole and not line.is_whole:
                move._dispute_suspend(line.dispute_id, date_from=today)
            elif not whole and line.is_whole:
                line.is_whole = False
                if not move.dispute_line_ids.filtered(
                    lambda x: x.is_whole and x.dispute_id.is_active
                ):
                    move._dispute_end_whole_suspension(line.dispute_id)

    def _get_held_parts(self):
        """{line: (first installment it holds, amount held)} of the contests
        in part (not ``is_whole``) that hold something now: what a resolution
        gives a due date (see ``_reschedule``)."""
        parts = {}
        for line in self.filtered(lambda x: not x.is_whole):
            shares = line.move_id._get_contested_shares()
            held = [
                (term, amount)
                for term, term_shares in shares.items()
                for amount, date_due, dispute in term_shares
                if not date_due and dispute == line.dispute_id
            ]
            if held:
                parts[line] = (held[0][0], sum(amount for __, amount in held))
        return parts

    def _reschedule(self, held_parts):
        """Give the contested parts of a resolved dispute the due date of its
        due date policy (``account.move._dispute_new_due_date``), counted from
        the first installment each held; a part whose date stays the original
        one merges back into its installment.

        :param held_parts: ``_get_held_parts()`` read before the resolution.
        """
        for line, (term, amount) in held_parts.items():
            dispute = line.dispute_id
            new_date = line.move_id._dispute_new_due_date(
                term, dispute, suspended_on=dispute.date_opened
            )
            if new_date and new_date != term.date_maturity:
                line.write({"date_due": new_date, "amount_rescheduled": amount})
                line.move_id._message_log(
                    body=self.env._(
                        "Dispute %(dispute)s resolved: the %(amount)s it contested "
                        "falls due on %(date)s; the rest of the invoice keeps its "
                        "due dates.",
                        dispute=dispute._get_html_link(),
                        amount=line.currency_id.format(amount),
                        date=format_date(self.env, new_date),
                    )
                )

    def _get_amount_settled_by_dispute(self):
        """What the dispute's own posted credit notes and write-offs settle on
        the invoice, in the invoice's currency: what they matched on it, and
        what is still open on a credit note of the dispute made for it (or
        for its only invoice). That part of the contest holds nothing any
        more: it was credited, not rescheduled."""
        self.ensure_one()
        dispute = self.dispute_id
        dispute_moves = (dispute.credit_note_ids | dispute.write_off_move_ids).filtered(
            lambda m: m.state == "posted"
        )
        if not dispute_moves:
            return 0.0
        terms = self.move_id._dispute_term_lines()
        matched = sum(
            partial.debit_amount_currency
            for partial in terms.matched_credit_ids
            if partial.credit_move_id.move_id in dispute_moves
        )
        open_credits = dispute_moves.filtered(
            lambda m: (
                m.move_type == "out_refund"
                and (
                    m.reversed_entry_id == self.move_id
                    or (not m.reversed_entry_id and len(dispute.invoice_ids) == 1)
                )
            )
        )
        return matched + sum(open_credits.mapped("amount_residual"))
