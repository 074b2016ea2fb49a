# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import bisect
import datetime
from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

RATE_KIND_SELECTION = [
    ("ecb_plus_10", "Late-payment rate: ECB rate + 10 points (art. L441-10)"),
    (
        "legal_professional",
        "Legal interest rate: all other creditors (art. L313-2)",
    ),
    (
        "legal_consumer",
        "Legal interest rate: creditors who are private persons (art. L313-2)",
    ),
]
# A piece of a period that bears one rate: from the day after ``date_from``
# to ``date_to`` included, ``days`` long; ``base`` and ``amount`` in the
# claim's currency, ``rate`` in % a year.
RateSegment = namedtuple("RateSegment", "base date_from date_to days rate amount")


def half_year_start(date):
    """1 January or 1 July: the first day of the half-year of ``date``."""
    return date.replace(month=1 if date.month < 7 else 7, day=1)


def next_half_year_start(date):
    """The first day of the half-year after the one of ``date``."""
    start = half_year_start(date)
    if start.month == 1:
        return start.replace(month=7)
    return start.replace(year=start.year + 1, month=1)


def compute_interest(currency, base, rate, days):
    """The one formula of late-payment penalties and interest (French
    Commercial Code, art. L441-10; Civil Code, art. 1231-6): base x annual
    rate (%) x days / 365, rounded in ``currency``."""
    return currency.round(base * rate / 100.0 * days / 365.0)


class RateTable:
    """The annual rates (%) that apply day by day: a fixed rate (a contractual
    one), or the dated rates of the table, each from the first day of its
    half-year until the next known one."""

    def __init__(self, env, kind, starts=(), rates=(), fixed=None):
        self.env = env
        self.kind = kind
        self.starts = list(starts)
        self.rates = list(rates)
        self.fixed = fixed

    def rate_at(self, date):
        """The rate of the half-year of ``date``: the table's row of that
        half-year, else the last one known before it; None if none."""
        if self.fixed:
            return self.fixed
        index = bisect.bisect_right(self.starts, half_year_start(date))
        return self.rates[index - 1] if index else None

    def has_rate(self, date):
        """The table has a row for the half-year of ``date`` itself."""
        return bool(self.fixed) or half_year_start(date) in self.starts

    def split(self, currency, base, date_from, date_to):
        """Cut a period at 1 January and 1 July and give each piece the rate
        of its half-year (art. L441-10: the rate in force on 1 January for the
        first half-year, on 1 July for the second); consecutive half-years at
        the same rate make one piece.

        :param base: the amount unpaid over the period, in ``currency``.
        :param date_from: the period starts the day after it.
        :param date_to: the last day of the period (included).
        :return: a list of ``RateSegment``, amounts rounded in ``currency``.
        :raises UserError: the table has no rate for the period's first
            half-year nor any before it.
        """
        pieces = []
        start = date_from
        while start < date_to:
            # The day after ``start`` is the first day of the piece.
            first_day = start + datetime.timedelta(days=1)
            end = min(date_to, next_half_year_start(first_day) - datetime.timedelta(1))
            rate = self.rate_at(first_day)
            if rate is None:
                raise UserError(self._missing_message(first_day))
            if pieces and pieces[-1][2] == rate:
                pieces[-1][1] = end
            else:
                pieces.append([start, end, rate])
            start = end
        return [
            RateSegment(
                base,
                start,
                end,
                (end - start).days,
                rate,
                compute_interest(currency, base, rate, (end - start).days),
            )
            for start, end, rate in pieces
        ]

    def split_periods(self, currency, periods):
        """The penalties or interest of late ``periods`` (``LatePeriod`` of
        ``account.move._get_late_payment_periods``): each period cut by
        :meth:`split`, in the periods' order; the one place where the dated
        history of an invoice meets the rates (art. L441-10, Civil Code art.
        1231-6).

        :return: a list of ``RateSegment``, amounts rounded in ``currency``.
        :raises UserError: the table has no rate for a period.
        """
        return [
            segment
            for period in periods
            for segment in self.split(
                currency, period.base, period.date_from, period.date_to
            )
        ]

    def _kind_label(self):
        kinds = self.env["account.late.payment.rate"]._fields["kind"]
        return dict(kinds._description_selection(self.env))[self.kind]

    def _missing_message(self, date):
        """Why a day has no rate, and what to do."""
        rate = self.rate_at(date)
        if rate is None:
            return self.env._(
                'No rate "%(kind)s" is known for the half-year of %(date)s: add it '
                "in Accounting > Configuration > Disputes > Late-Payment Rates.",
                kind=self._kind_label(),
                date=format_date(self.env, date),
            )
        return self.env._(
            'The table has no rate "%(kind)s" for the half-year of %(date)s: '
            "letters apply the last one known, %(rate).2f %%. Add the half-year's "
            "rate in Accounting > Configuration > Disputes > Late-Payment Rates; "
            "draft letters take it when they are sent.",
            kind=self._kind_label(),
            date=format_date(self.env, date),
            rate=rate,
        )


class AccountLatePaymentRate(models.Model):
    """The rates of late-payment penalties and legal interest, by half-year.

    French Commercial Code, art. L441-10: unless the terms of sale say
    otherwise, the penalty rate is the ECB's main refinancing rate plus 10
    points, the one in force on 1 January for the first half-year and on
    1 July for the second; a contractual rate may not be below three times
    the legal interest rate. Monetary and Financial Code, art. L313-2: the
    legal interest rate is set each half-year by order, one rate when the
    creditor is a private person acting outside any business, one for all
    other cases. Shipped with the half-years known, editable.
    """

    _name = "account.late.payment.rate"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Late-Payment and Legal Interest Rate"
    _order = "date_start desc, kind"
    _rec_name = "date_start"

    date_start = fields.Date(
        string="Half-Year Start",
        required=True,
        help="1 January or 1 July: the rate applies to every day of that half-year.",
    )
    kind = fields.Selection(selection=RATE_KIND_SELECTION, required=True)
    rate = fields.Float(
        string="Annual Rate (%)",
        digits=(16, 2),
        required=True,
        help="ECB + 10: the ECB's main refinancing rate in force on the first "
        "day of the half-year, plus 10 points. Legal interest: the rate of the "
        "order (arrêté) published in the Journal officiel for the half-year.",
    )
    source = fields.Char(
        help="Where the figure comes from: the ECB decision or the order and its "
        "Journal officiel."
    )
    source_url = fields.Char(string="Source URL")

    _sql_constraints = [
        (
            "kind_date_start_unique",
            "UNIQUE(kind, date_start)",
            "A half-year has one rate of each kind.",
        ),
        ("rate_positive", "CHECK(rate >= 0)", "A rate cannot be negative."),
    ]

    @api.depends("date_start", "kind")
    def _compute_display_name(self):
        for rate in self:
            if not rate.date_start:
                rate.display_name = False
                continue
            half = 1 if rate.date_start.month < 7 else 2
            rate.display_name = f"{rate.date_start.year}-H{half}"

    @api.constrains("date_start")
    def _check_date_start(self):
        """A rate applies from 1 January or 1 July (art. L441-10, L313-2)."""
        for rate in self:
            if rate.date_start != half_year_start(rate.date_start):
                raise ValidationError(
                    self.env._(
                        "A rate starts on 1 January or 1 July, the first day of its "
                        "half-year: %(date)s is neither.",
                        date=format_date(self.env, rate.date_start),
                    )
                )

    @api.model
    def _get_table(self, kind, fixed=None):
        """The ``RateTable`` of ``kind``, read once; ``fixed``: a rate that
        replaces the table (a contractual rate)."""
        if fixed:
            return RateTable(self.env, kind, fixed=fixed)
        rows = self.sudo().search_fetch(
            [("kind", "=", kind)], ["date_start", "rate"], order="date_start"
        )
        return RateTable(self.env, kind, rows.mapped("date_start"), rows.mapped("rate"))
