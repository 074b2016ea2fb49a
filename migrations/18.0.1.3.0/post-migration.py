# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Disputes contest an amount per invoice (``account.dispute.line``).

Each dispute of an upgraded database gets one contested amount per invoice:
its amount shared among its invoices as the dispute does it
(``account.dispute._get_shared_amounts``), written as it was, even where
payments have since lowered what is left to pay. A dispute that was ever
opened suspended its invoices' due dates as a whole, as the addon did before:
its contests are marked whole, so that they end as they began. Then the
invoices of disputes get their contested amounts computed; every other
invoice kept its default (nothing contested) from ``_auto_init``.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    disputes = (
        env["account.dispute"]
        .with_context(active_test=False)
        .search([("line_ids", "=", False), ("invoice_ids", "!=", False)])
    )
    rows = [
        (dispute.id, move.id, amount, dispute.state != "draft")
        for dispute in disputes
        for move, amount in dispute._get_shared_amounts().items()
    ]
    for dispute_id, move_id, amount, whole in rows:
        cr.execute(
            SQL(
                """
                INSERT INTO account_dispute_line
                       (dispute_id, move_id, company_id, amount_disputed, is_whole,
                        create_uid, create_date, write_uid, write_date)
                SELECT d.id, %(move)s, d.company_id, %(amount)s, %(whole)s,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM account_dispute d WHERE d.id = %(dispute)s
                """,
                move=move_id,
                amount=amount,
                whole=whole,
                uid=SUPERUSER_ID,
                dispute=dispute_id,
            )
        )
    env.invalidate_all()
    moves = disputes.invoice_ids
    for fname in ("amount_contested", "amount_residual_uncontested", "is_contested"):
        env.add_to_compute(moves._fields[fname], moves)
    env.flush_all()
