# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Late-payment rates by half-year (art. L441-10).

Before 18.0.1.4.0 the company's *Late-Payment Rate* was "the ECB rate plus 10
points, updated each half-year", applied to every period. It now means a
contractual rate that replaces the table of rates by half-year. A company
whose rate is one of the table's ECB + 10 rates kept it up to date as the
legal rate: it is emptied, so that the table applies (each day at the rate
of its half-year) and old claims are no longer computed at today's rate. A
rate that is in no half-year of the table was set by contract: it stays.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    legal = set(
        env["account.late.payment.rate"]
        .search([("kind", "=", "ecb_plus_10")])
        .mapped("rate")
    )
    companies = env["res.company"].search([("late_payment_rate", ">", 0)])
    for company in companies:
        if any(
            float_compare(company.late_payment_rate, rate, 2) == 0 for rate in legal
        ):
            _logger.info(
                "%s: late-payment rate %.2f %% is the table's, emptied: the rates "
                "by half-year apply.",
                company.name,
                company.late_payment_rate,
            )
            cr.execute(
                "UPDATE res_company SET late_payment_rate = NULL WHERE id = %s",
                [company.id],
            )
    env.invalidate_all()
