# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The length and the end of a limitation period, defined once for the two
ways the addon computes it: in Python, for an invoice and its events
(``account.move._get_date_limitation``), and as one SQL expression, for the
many invoices without events when the addon is installed or upgraded
(``account.move.line._init_date_maturity_contractual``). Each function takes
``dates``: ``PYTHON_DATES`` for ``datetime.date`` values, ``SQL_DATES`` for SQL
expressions (``odoo.tools.SQL``)."""

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL

# Commercial Code art. L110-4: 5 years between merchants, the companies'
# default (``res.company.dispute_limitation_years``).
LIMITATION_YEARS = 5
# Art. 2232 al. 1: suspensions and interruptions cannot carry the period past
# 20 years from the birth of the right.
LIMITATION_CAP_YEARS = 20
# Art. 2238 al. 2: after a mediation or conciliation the period runs again
# for six months at least.
LIMITATION_MEDIATION_FLOOR_MONTHS = 6


class PythonDates:
    """The date arithmetic of the limitation on ``datetime.date`` values."""

    @staticmethod
    def add_years(date, years):
        """The same day ``years`` later; a 29 February ends on 28 February."""
        return date + relativedelta(years=years)

    @staticmethod
    def least(*dates):
        return min(dates)


class SqlDates:
    """The same arithmetic on SQL expressions of type ``date``: PostgreSQL
    ends a 29 February plus years on 28 February too."""

    @staticmethod
    def add_years(date, years):
        return SQL("(%s + make_interval(years => %s))::date", date, years)

    @staticmethod
    def least(*dates):
        return SQL("LEAST(%s)", SQL(", ").join(dates))


PYTHON_DATES = PythonDates()
SQL_DATES = SqlDates()


def limitation_period_end(start, years, dates=PYTHON_DATES):
    """The last day of a period of ``years`` that runs from ``start``: the
    day of ``start`` is not counted (Civil Code art. 2228-2229), so it is the
    same day, that many years later; no shift to the next working day."""
    return dates.add_years(start, years)


def limitation_last_day(last, born, capped=True, dates=PYTHON_DATES):
    """The last day to act: ``last``, the end of the period as the events
    left it, never beyond 20 years after ``born``, the birth of the right
    (art. 2232 al. 1), unless a claim in court or an enforcement act lifted
    that cap (``capped`` False, art. 2232 al. 2)."""
    if not capped:
        return last
    return dates.least(last, dates.add_years(born, LIMITATION_CAP_YEARS))
