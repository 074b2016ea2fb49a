# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""How the addon prints a rate: one function for the letters, the recovery
files, the invoices of late-payment charges and the dashboard. Amounts go
through Odoo's ``odoo.tools.format_amount`` (the currency's digits and symbol,
in the language of the context)."""

from odoo.tools import formatLang


def format_rate(env, rate):
    """A rate in percent as the reader writes it: two decimals with the
    language's separators, then a no-break space before the sign, e.g. 12.15
    -> "12,15 %" in French (French typography, also accepted in English).

    :param rate: a percentage (12.15 for 12.15 %).
    """
    return f"{formatLang(env, rate, digits=2)}\N{NO-BREAK SPACE}%"
