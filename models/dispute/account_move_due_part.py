# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Which part of which invoice is due, and when: the one place that decides.

An invoice's receivable is cut into due parts:
- each installment (payment term line) is its own due item, with its own due
  date (Odoo's ``date_maturity``);
- the amount a dispute contests on the invoice (``account.dispute.line``) is
  taken on the installments in the order they fall due (the customer
  withholds it from the first payment it owes, Civil Code art. 1219); while
  a dispute holds it (``account.dispute._holds_dunning``), that part is
  *held*: it has no due date, bears nothing and is claimed by no letter;
- once the dispute is resolved, the contested part falls due on the date the
  resolution's due date policy gave it (``account.dispute.line.date_due``),
  or on its original date when none was given;
- payments and credits are imputed on the parts in the order they fall due,
  held parts last (Civil Code art. 1342-10: on the debts due first, then the
  oldest).

The planner, the letters, the penalties, the portal, the reports, the
insurer's deadlines and the limitation dates read these parts; SQL readers
read ``account.move.amount_contested``, computed from them.
"""

from collections import defaultdict, namedtuple

from odoo import api, fields, models

# ``amount``: what is unpaid on the part now, in the invoice's currency;
# ``date_due``: False while a dispute holds it; ``dispute``: the dispute whose
# contest it is (an empty recordset for the rest of the installment).
DuePart = namedtuple("DuePart", "move line amount date_due dispute")

# Payment states of an invoice that still has something to pay.


class AccountMove(models.Model):
    _inherit = "account.move"

    dispute_line_ids = fields.One2many(
        comodel_name="account.dispute.line",
        inverse_name="move_id",
        string="Contested Amounts",
        readonly=True,
    )
    amount_contested = fields.Monetary(
        compute="_compute_amount_contested",
        store=True,
        compute_sudo=True,
        help="The part of what is left to pay that a dispute holds: it is out of "
        "the dunning, of the letters and of the penalties until the dispute "
        "ends. The rest of the invoice stays due on its own dates.",
    )
    amount_residual_uncontested = fields.Monetary(
        string="Amount Due Uncontested",
        compute="_compute_amount_contested",
        store=True,
        compute_sudo=True,
        help="What is left to pay less the amount a dispute holds: what the "
        "dunning claims and the customer can pay online.",
    )
    is_contested = fields.Boolean(
        string="Contested",
        compute="_compute_amount_contested",
        store=True,
        compute_sudo=True,
        help="Disputes hold all that is left to pay on the invoice: it is out of "
        "the dunning ladder and of every draft letter until they end. An invoice "
        "contested in part stays in the dunning for the rest.",
    )

    @api.depends(
        "amount_residual",
        "dispute_line_ids.amount_disputed",
        "dispute_line_ids.dispute_id.state",
        "dispute_line_ids.dispute_id.channel",
        "dispute_line_ids.dispute_id.credit_note_ids.state",
        "dispute_line_ids.dispute_id.write_off_move_ids.state",
    )
    def _compute_amount_contested(self):
        for move in self:
            held = move._get_amount_held()
            move.amount_contested = held
            move.amount_residual_uncontested = move.currency_id.round(
                move.amount_residual - held
            )
            move.is_contested = bool(
                move.currency_id
                and move.currency_id.compare_amounts(held, 0.0) > 0
                and move.currency_id.compare_amounts(held, move.amount_residual) >= 0
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _get_holding_dispute_lines(self):
        """The contested amounts of this invoice that a dispute holds now."""
        self.ensure_one()
        return self.dispute_line_ids.filtered(lambda x: x.dispute_id._holds_dunning())

    def _get_amount_held(self):
        """What disputes hold on this invoice now, in its currency: their open
        contested amounts, at most what is left to pay on it."""
        self.ensure_one()
        if self.move_type != "out_invoice" or not self.currency_id:
            return 0.0
        held = sum(self._get_holding_dispute_lines().mapped("amount_open"))
        return self.currency_id.round(min(held, max(self.amount_residual, 0.0)))

    def _get_contested_shares(self):
        """{receivable line: [(amount, date due or False if held, dispute)]}:
        the contested parts of each installment, in the invoice's currency.

        A part rescheduled at a resolution is taken on the installments as
        they stood on the resolution day; a held part, as they stand now;
        both on the installments in the order they fall due.
        """
        self.ensure_one()
        lines = self._dispute_term_lines().sorted(
            lambda x: (x.date_maturity or fields.Date.today(), x.id)
        )
        shares = defaultdict(list)
        capacity = {line: line.amount_currency for line in lines}
        rescheduled = self.dispute_line_ids.filtered(
            lambda x: x.date_due and x.dispute_id.state == "resolved"
        )
        for contest in rescheduled.sorted(lambda x: (x.dispute_id.date_resolved, x.id)):
            on_day = contest.dispute_id.date_resolved
            self._share_out(
                shares,
                capacity,
                lines,
                contest.amount_rescheduled,
                contest.date_due,
                contest.dispute_id,
                lambda line, day=on_day: line._get_amount_unpaid_on(day),
            )
        for contest in self._get_holding_dispute_lines():
            self._share_out(
                shares,
                capacity,
                lines,
                contest.amount_open,
                False,
                contest.dispute_id,
                lambda line: line.amount_residual_currency,
            )
        return shares

    def _share_out(self, shares, capacity, lines, amount, date_due, dispute, unpaid):
        """Take ``amount`` on ``lines`` in order, each up to what ``unpaid``
        gives it and what earlier shares left of it."""
        currency = self.currency_id
        taken_before = defaultdict(float)
        for line in lines:
            for share_amount, __, __ in shares[line]:
                taken_before[line] += share_amount
        for line in lines:
            if currency.compare_amounts(amount, 0.0) <= 0:
                break
            room = min(unpaid(line) - taken_before[line], capacity[line])
            take = currency.round(min(amount, max(room, 0.0)))
            if currency.is_zero(take):
                continue
            shares[line].append((take, date_due, dispute))
            capacity[line] -= take
            amount -= take

    def _get_due_parts(self, date_to=None):
        """[DuePart] of these invoices: what is unpaid on each installment, cut
        into its uncontested part (due on the installment's date) and its
        contested parts (held, or due on the date their resolution gave).

        :param date_to: the day the parts are read on (payments after it do
            not count); today by default.
        :returns: parts with something unpaid, each invoice's in the order
            they fall due, held parts last.
        """
        date_to = date_to or fields.Date.context_today(self)
        self._prefetch_due_parts()
        parts = []
        for move in self:
            shares = move._get_contested_shares()
            for line in move._dispute_term_lines().filtered("date_maturity"):
                events = line._get_late_payment_events(date_to)
                for part, paid in line._impute_on_parts(shares[line], events):
                    unpaid = move.currency_id.round(part[0] - sum(a for __, a in paid))
                    if move.currency_id.compare_amounts(unpaid, 0.0) > 0:
                        parts.append(DuePart(move, line, unpaid, part[1], part[2]))
        return sorted(
            parts,
            key=lambda p: (
                p.move.id,
                not p.date_due,
                p.date_due or fields.Date.today(),
            ),
        )

    def _prefetch_due_parts(self):
        """Read at once what ``_get_due_parts`` reads of these invoices (their
        installments, what was matched with them, their contests), so that
        the parts of many invoices cost the same queries as those of one."""
        # fetch() reads the invoices' lines, contests and matches in one query
        # each; reading them on one invoice would read them by prefetch
        # batches of 1,000 invoices.
        self.fetch(["line_ids", "dispute_line_ids"])
        terms = self._dispute_term_lines()
        terms.fetch(["matched_credit_ids"])
        terms.matched_credit_ids.credit_move_id.move_id.mapped("move_type")
        self.dispute_line_ids.dispute_id.mapped("state")

    def _get_dunning_date_due(self):
        """{invoice: the due date the dunning ladder counts from}: that of its
        oldest unpaid part that no dispute holds (False if there is none)."""
        self._prefetch_due_parts()
        return {
            move: min(
                (p.date_due for p in move._get_due_parts() if p.date_due),
                default=False,
            )
            for move in self
        }

    def _get_amount_due_on(self, date):
        """{invoice: (amount, earliest due date)} of what falls due on or
        before ``date`` and is not held, in each invoice's currency; the
        earliest date is that of the oldest such part (False if none)."""
        self._prefetch_due_parts()
        result = {}
        for move in self:
            due = [
                p
                for p in move._get_due_parts(date)
                if p.date_due and p.date_due <= date
            ]
            result[move] = (
                move.currency_id.round(sum(p.amount for p in due)),
                min((p.date_due for p in due), default=False),
            )
        return result


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _get_amount_unpaid_on(self, date):
        """What was unpaid on this receivable line at the end of ``date``, in
        the invoice's currency."""
        self.ensure_one()
        paid = sum(amount for __, amount in self._get_late_payment_events(date))
        return self.amount_currency - paid

    def _impute_on_parts(self, shares, events):
        """[((amount, date due, dispute), [(date, amount imputed)])]: this
        installment cut into its uncontested part and its contested
        ``shares``, each with what was imputed on it of ``events`` (payments
        and credits, ``[(date, amount)]``): in date order, on the parts in the
        order they fall due, held parts last (Civil Code art. 1342-10).
        """
        self.ensure_one()
        contested = sum(amount for amount, __, __ in shares)
        rest = self.currency_id.round(self.amount_currency - contested)
        parts = [(rest, self.date_maturity, self.env["account.dispute"])]
        parts += list(shares)
        parts.sort(key=lambda p: (not p[1], p[1] or self.date_maturity))
        imputed = [[part, [], part[0]] for part in parts]
        for date, amount in sorted(events, key=lambda e: e[0]):
            for item in imputed:
                if self.currency_id.compare_amounts(amount, 0.0) <= 0:
                    break
                take = min(amount, item[2])
                if self.currency_id.is_zero(take):
                    continue
                item[1].append((date, take))
                item[2] -= take
                amount -= take
        return [(part, paid) for part, paid, __ in imputed]
