# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import namedtuple

from odoo import models

LatePeriod = namedtuple("LatePeriod", "move base date_from date_to days")
# An amount that reduces what the customer owes: ``date`` is when it does;
# ``from_due_date`` when it takes its part out from the due date on (a credit
# note: what it credits was never owed).
Deduction = namedtuple("Deduction", "date amount from_due_date")


class AccountMove(models.Model):
    _inherit = "account.move"

    def _get_late_payment_periods(self, date_to, date_start=None, deductions=()):
        """The periods during which each invoice's receivables stayed unpaid late.

        French Commercial Code, art. L441-10: each amount bears interest from
        the day after its due date to the day it is paid; a partial payment
        stops the accrual on its part at its own date. So each receivable
        (payment term) line gives a period per stretch of its dated history:
        ``base`` unpaid from ``date_from`` (excluded) to ``date_to``
        (included), ``days`` long, in the invoice's currency.

        :param date_to: the day up to which penalties are computed (included).
        :param date_start: no period starts before it (interest owed by a
            private person from the formal notice only, Civil Code 1231-6).
        :param deductions: ``Deduction`` tuples of amounts not yet matched with
            the invoices (open credit notes, unmatched payments), taken on the
            oldest due lines first.
        :returns: a list of ``LatePeriod``, oldest due first; none for an
            invoice of late-payment charges (``_is_late_charge_invoice``).
        """
        lines = self._dispute_term_lines().filtered("date_maturity")
        lines = lines.sorted(lambda line: (line.date_maturity, line.id))
        histories = [(line, line._get_late_payment_events(date_to)) for line in lines]
        self._allocate_late_payment_deductions(histories, deductions, date_to)
        shares = {move: move._get_contested_shares() for move in lines.move_id}
        periods = []
        for line, events in histories:
            # Each due part of the installment bears its own penalties; a part
            # a dispute holds bears none (see ``_get_due_parts``).
            for part, paid in line._impute_on_parts(shares[line.move_id][line], events):
                amount, date_due, __ = part
                if date_due:
                    periods += line._get_late_payment_line_periods(
                        paid, date_to, date_start, amount=amount, date_due=date_due
                    )
        # An invoice of late-payment charges bears none; the customer's open
        # credits still went to it above when it is the oldest debt.
        return [
            period for period in periods if not period.move._is_late_charge_invoice()
        ]

    def _allocate_late_payment_deductions(self, histories, deductions, date_to):
        """Take unmatched credits on the oldest lines still unpaid at ``date_to``.

        As if the customer's open credits had been reconciled with its oldest
        debts on their own dates: what a reconciliation would do.
        """
        pending = [
            [deduction, deduction.amount]
            for deduction in sorted(deductions, key=lambda d: d.date)
            if deduction.date <= date_to
        ]
        for line, events in histories:
            unpaid = line.amount_currency - sum(amount for __, amount in events)
            for item in pending:
                if line.currency_id.compare_amounts(unpaid, 0.0) <= 0:
                    break
                deduction, left = item
                taken = min(left, unpaid)
                if line.currency_id.is_zero(taken):
                    continue
                date = line.date_maturity if deduction.from_due_date else deduction.date
                events.append((date, taken))
                item[1] = left - taken
                unpaid -= taken


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _get_late_payment_events(self, date_to):
        """[(date, amount)]: what was matched with this receivable line up to
        ``date_to``, in the invoice's currency, on the day it stopped interest:
        a payment's date, or the due date for a credit note (what it credits
        was never owed)."""
        self.ensure_one()
        events = []
        for partial in self.matched_credit_ids:
            counterpart = partial.credit_move_id
            if counterpart.date > date_to:
                continue
            date = counterpart.date
            if counterpart.move_id.move_type == "out_refund":
                date = min(date, self.date_maturity)
            events.append((date, partial.debit_amount_currency))
        return events

    def _get_late_payment_line_periods(
        self, events, date_to, date_start=None, amount=None, date_due=None
    ):
        """Cut an unpaid amount of the line into periods at each payment date.

        :param amount: the part of the line (its whole amount by default).
        :param date_due: when that part fell due (the line's due date by
            default).
        """
        self.ensure_one()
        currency = self.currency_id
        due = date_due or self.date_maturity
        start = max(due, date_start) if date_start else due
        unpaid = self.amount_currency if amount is None else amount
        periods = []
        for date, amount in sorted(events):
            if date > start and not currency.is_zero(unpaid):
                periods.append(self._late_period(unpaid, start, date))
            start = max(start, date)
            unpaid -= amount
        if date_to > start and currency.compare_amounts(unpaid, 0.0) > 0:
            periods.append(self._late_period(unpaid, start, date_to))
        return periods

    def _late_period(self, base, date_from, date_to):
        return LatePeriod(
            self.move_id,
            self.currency_id.round(base),
            date_from,
            date_to,
            (date_to - date_from).days,
        )
