# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tools import SQL


def uninstall_hook(env):
    """Give suspended invoices their original due dates back before the
    columns that keep them are dropped: removing the addon loses nothing."""
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            UPDATE account_move_line
               SET date_maturity = date_maturity_original
             WHERE date_maturity_original IS NOT NULL
         RETURNING move_id
            """
        )
    )
    move_ids = tuple({row[0] for row in env.cr.fetchall()})
    if move_ids:
        env.cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET invoice_date_due = due.date_due
                  FROM (SELECT move_id, MAX(date_maturity) AS date_due
                          FROM account_move_line
                         WHERE move_id IN %(moves)s
                           AND display_type = 'payment_term'
                      GROUP BY move_id) due
                 WHERE due.move_id = m.id
                """,
                moves=move_ids,
            )
        )
    env.invalidate_all()
