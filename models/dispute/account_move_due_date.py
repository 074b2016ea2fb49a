# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

# Our own bookkeeping on posted invoices: Odoo must not recompute their lines,
# and our chatter note (old → new due dates) replaces its field tracking.
DUE_DATE_SYNC_OFF = {
    "skip_invoice_sync": True,
    "skip_is_manually_modified": True,
    "check_move_validity": False,
    "tracking_disable": True,
}


class AccountMove(models.Model):
    """The due dates of disputed invoices: kept aside while a dispute
    suspends them, given back or moved by the policy of the dispute resolved
    when the last one ends."""

    _inherit = "account.move"

    dispute_suspension_date = fields.Date(
        string="Suspended Since",
        copy=False,
        readonly=True,
        help="The day the first dispute of the current suspension was opened.",
        groups="base.group_user",
    )
    invoice_date_due_original = fields.Date(
        string="Original Due Date",
        compute="_compute_invoice_date_due_original",
        help="The due date the invoice had before its dispute suspended it.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("line_ids.date_maturity_original")
    def _compute_invoice_date_due_original(self):
        for move in self:
            dates = move.line_ids.filtered("date_maturity_original").mapped(
                "date_maturity_original"
            )
            move.invoice_date_due_original = max(dates, default=False)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _dispute_term_lines(self):
        return self.line_ids.filtered(lambda line: line.display_type == "payment_term")

    def _dispute_suspend(self, disputes, date_from=None):
        """Keep each receivable line's due date aside while a dispute runs.

        An invoice already suspended by another dispute keeps the dates it had
        before the first one: the suspension lasts until the last dispute ends.
        ``disputes`` are the disputes being opened (or extended to these
        invoices); the work is done in a few grouped writes whatever the
        number of invoices.
        """
        self._dispute_mark_whole(disputes)
        whole = self.filtered(
            lambda m: (
                m.dispute_suspension_date
                or any(x.is_whole for x in disputes.line_ids if x.move_id == m)
            )
        )
        (self - whole)._dispute_log_partial(disputes)
        moves = whole.with_context(**DUE_DATE_SYNC_OFF)
        lines = moves._dispute_term_lines().filtered(
            lambda line: not line.date_maturity_original
        )
        by_date = defaultdict(lines.browse)
        for line in lines:
            by_date[line.date_maturity] |= line
        for date, group in by_date.items():
            group.write({"date_maturity_original": date})
        by_start = defaultdict(moves.browse)
        bodies = {}
        for move in moves:
            dispute = (disputes & move.dispute_ids)[:1] or disputes[:1]
            if not move.dispute_suspension_date:
                by_start[date_from or dispute.date_opened] |= move
            bodies[move.id] = self.env._(
                "Dispute %(dispute)s opened: the invoice leaves the dunning "
                "ladder and its due date (%(date)s) is suspended until the "
                "dispute ends.",
                dispute=dispute._get_html_link(),
                date=format_date(
                    self.env, move.invoice_date_due_original or move.invoice_date_due
                ),
            )
        for start, group in by_start.items():
            group.write({"dispute_suspension_date": start})
        self._message_log_batch(bodies=bodies)

    def _dispute_mark_whole(self, disputes):
        """Mark the contests of ``disputes`` on these invoices that cover all
        that is left to pay: those suspend the invoice's own due dates."""
        for line in disputes.line_ids.filtered(lambda x: x.move_id in self):
            if (
                line.currency_id.compare_amounts(
                    line.amount_disputed, line.move_id.amount_residual
                )
                >= 0
            ):
                line.is_whole = True

    def _dispute_log_partial(self, disputes):
        """Note on invoices contested in part what leaves the dunning."""
        bodies = {}
        for move in self:
            line = disputes.line_ids.filtered(lambda x, m=move: x.move_id == m)[:1]
            if not line:
                continue
            bodies[move.id] = self.env._(
                "Dispute %(dispute)s opened: %(amount)s of the invoice is contested "
                "and leaves the dunning ladder until the dispute ends; the rest "
                "(%(rest)s) stays due on its own dates.",
                dispute=line.dispute_id._get_html_link(),
                amount=move.currency_id.format(line.amount_disputed),
                rest=move.currency_id.format(
                    move.amount_residual - line.amount_disputed
                ),
            )
        self._message_log_batch(bodies=bodies)

    def _dispute_release(self):
        """Give invoices whose last dispute ended their new due dates.

        The policy is the one of the latest dispute resolved during the
        suspension; when every such dispute was cancelled, the original dates
        come back exactly. Lines sharing a new date are written together.
        """
        moves = self.filtered(
            lambda m: not m.is_disputed and m.dispute_suspension_date
        ).with_context(**DUE_DATE_SYNC_OFF)
        if not moves:
            return
        line_dates = defaultdict(moves.line_ids.browse)
        move_dates = defaultdict(moves.browse)
        back_to_ladder = moves.browse()
        bodies = {}
        for move in moves:
            decisive = move.dispute_ids.filtered(
                lambda d, move=move: (
                    d.state == "resolved"
                    and d.date_resolved >= move.dispute_suspension_date
                )
            ).sorted(lambda d: (d.date_resolved, d.id))[-1:]
            changes = move._dispute_due_date_changes(decisive)
            for line, new_date in changes:
                line_dates[new_date] |= line
            if changes:
                new_dates = dict(changes)
                due = max(
                    new_dates.get(line, line.date_maturity)
                    for line in move._dispute_term_lines()
                )
                move_dates[due] |= move
            bodies[move.id] = move._dispute_due_date_changes_body(decisive, changes)
            if decisive.resolution not in (False, "customer_paid", "withdrawn"):
                back_to_ladder |= move
        for new_date, lines in line_dates.items():
            lines.write({"date_maturity": new_date})
        for due, group in move_dates.items():
            group.write({"invoice_date_due": due})
        back_to_ladder.write({"dunning_level_id": False, "dunning_date": False})
        moves._dispute_term_lines().write({"date_maturity_original": False})
        moves.write({"dispute_suspension_date": False})
        moves._message_log_batch(bodies=bodies)

    def _dispute_new_due_date(self, line, dispute, suspended_on=None):
        """The due date of an open receivable line (or of the part of it a
        dispute contested) once the suspension ends, by the due date policy of
        the dispute resolved.

        :param suspended_on: the day the suspension started (the invoice's
            ``dispute_suspension_date`` by default).
        """
        original = line.date_maturity_original or line.date_maturity
        policy = dispute.due_date_policy or "keep"
        if policy == "restart":
            delay = original - (self.invoice_date or self.date)
            return fields.Date.add(dispute.date_resolved, days=max(delay.days, 0))
        if policy == "extend":
            start = suspended_on or self.dispute_suspension_date
            lasted = dispute.date_resolved - start
            return fields.Date.add(original, days=lasted.days)
        if policy == "custom":
            return dispute.date_due_custom
        return original

    def _dispute_due_date_changes(self, dispute):
        """[(line, new due date)] of the unpaid receivable lines that move.

        Only ``date_maturity`` and ``invoice_date_due`` change: neither is in
        the inalterability hash, so hash-locked journals stay valid, and the
        payment term lines are written without Odoo recomputing them.
        """
        self.ensure_one()
        changes = []
        for line in self._dispute_term_lines().filtered(lambda x: not x.reconciled):
            new_date = self._dispute_new_due_date(line, dispute)
            if new_date != line.date_maturity:
                changes.append((line, new_date))
        return changes

    def _dispute_resolved_due_date_sentence(self, dispute):
        """The resolution of ``dispute`` and the due date policy it applied:
        one whole sentence per policy, so that each translates as a sentence
        (no policy applied reads as the original due dates kept)."""
        args = {
            "dispute": dispute._get_html_link(),
            "date": format_date(self.env, dispute.date_resolved),
        }
        _ = self.env._
        messages = {
            "restart": _(
                "Dispute %(dispute)s resolved on %(date)s: the payment term "
                "restarts from that date.",
                **args,
            ),
            "extend": _(
                "Dispute %(dispute)s resolved on %(date)s: the due dates are "
                "extended by the length of the dispute.",
                **args,
            ),
            "keep": _(
                "Dispute %(dispute)s resolved on %(date)s: the original due dates "
                "are kept.",
                **args,
            ),
            "custom": _(
                "Dispute %(dispute)s resolved on %(date)s: the due date agreed "
                "with the customer applies.",
                **args,
            ),
        }
        return messages[dispute.due_date_policy or "keep"]

    def _dispute_due_date_changes_body(self, dispute, changes):
        """The chatter note of the new due dates, old → new."""
        if dispute:
            why = self._dispute_resolved_due_date_sentence(dispute)
        else:
            why = self.env._(
                "The invoice is no longer disputed and no dispute was resolved: "
                "the original due dates are restored."
            )
        if changes:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "Due date %(old)s → %(new)s",
                    old=format_date(self.env, line.date_maturity),
                    new=format_date(self.env, new),
                )
                for line, new in changes
            )
            return Markup("%s<ul>%s</ul>") % (why, items)
        return Markup("%s %s") % (why, self.env._("The due dates are unchanged."))
