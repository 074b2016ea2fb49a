# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Check that upgrading the addon keeps what its users have (make test-upgrade).

``--record FILE``, on a database of the release upgraded from (with its demo
data), makes the changes a user may make to the addon's data (a dunning
level's delay, a reason's name, *No Reminder* on a customer of a second
company), then writes down the state to keep: every due date and original due
date, the disputes, letters, payment plans, levels and reasons, and the
customers each company keeps from reminders. ``--check FILE``, after the
upgrade, compares and exits 1 on any difference.
"""

import argparse
import json
import sys

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config
from odoo.tools.sql import table_exists

QUERIES = {
    "due_dates": """
        SELECT id, move_id, date_maturity::text, date_maturity_original::text
          FROM account_move_line
         WHERE display_type = 'payment_term' ORDER BY id""",
    "invoices": """
        SELECT id, name, state, payment_state, invoice_date_due::text,
               is_disputed,
               dunning_level_id, dunning_date::text
          FROM account_move WHERE move_type LIKE 'out_%' ORDER BY id""",
    "disputes": """
        SELECT id, name, state, partner_id, date_opened::text,
               date_deadline::text, date_resolved::text
          FROM account_dispute ORDER BY id""",
    "letters": """
        SELECT l.id, l.name, l.state, l.level_id, l.date::text,
               array_agg(r.move_id ORDER BY r.move_id)
          FROM account_dunning_letter l
          LEFT JOIN account_dunning_letter_account_move_rel r ON r.letter_id = l.id
         GROUP BY l.id ORDER BY l.id""",
    "plans": """
        SELECT id, name, state FROM account_dispute_payment_plan ORDER BY id""",
    "levels": """
        SELECT id, company_id, sequence, delay_days, active
          FROM account_dunning_level ORDER BY id""",
    "reasons": """
        SELECT id, name->>'en_US', active FROM account_dispute_reason ORDER BY id""",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--record", metavar="FILE")
    action.add_argument("--check", metavar="FILE")
    return parser.parse_args()


def say(text):
    """Report on stdout: this runs as a command, not inside Odoo."""
    sys.stdout.write(f"{text}\n")


def customise(env):
    """What an accountant may have changed in the addon's own data."""
    level = env.ref("account_dispute.dunning_level_1")
    level.delay_days += 2
    reason = env.ref("account_dispute.reason_wrong_price")
    reason.name = f"{reason.name} (edited)"
    company = env["res.company"].create({"name": "Upgrade check SARL"})
    env["res.partner"].with_company(company).create(
        {
            "name": "Customer of the second company only",
            "is_company": True,
            "company_id": company.id,
            "dunning_excluded": True,
        }
    )
    env.flush_all()


def no_reminder(env):
    """[company id, customers it keeps from reminders], read by the ORM:
    *No Reminder* was one value for every company before 18.0.1.1.0, and is
    one per company since; a customer belongs to its company, else to all."""
    Partner = env["res.partner"].with_context(active_test=False)
    return [
        [
            company.id,
            Partner.with_company(company)
            .search(
                [
                    ("dunning_excluded", "=", True),
                    ("company_id", "in", [False, company.id]),
                ],
                order="id",
            )
            .ids,
        ]
        for company in env["res.company"].search([], order="id")
    ]


def contested_amounts(env):
    """[dispute id, amount disputed, its invoice ids]: what each dispute
    contests. Before 18.0.1.3.0 a dispute held one amount for its invoices;
    since, one amount per invoice (``account.dispute.line``), whose sum must
    be the amount recorded before, on the same invoices."""
    if table_exists(env.cr, "account_dispute_line"):
        query = """
            SELECT d.id, ROUND(SUM(l.amount_disputed), 2)::text,
                   array_agg(l.move_id ORDER BY l.move_id)
              FROM account_dispute d
              JOIN account_dispute_line l ON l.dispute_id = d.id
             GROUP BY d.id ORDER BY d.id"""
    else:
        query = """
            SELECT d.id, ROUND(d.amount_disputed, 2)::text,
                   array_agg(r.move_id ORDER BY r.move_id)
              FROM account_dispute d
              JOIN account_dispute_account_move_rel r ON r.dispute_id = d.id
             GROUP BY d.id ORDER BY d.id"""
    env.cr.execute(query)
    return [list(row) for row in env.cr.fetchall()]


def snapshot(env):
    state = {}
    for key, query in QUERIES.items():
        env.cr.execute(query)
        state[key] = [list(row) for row in env.cr.fetchall()]
    state["no_reminder"] = no_reminder(env)
    state["contested"] = contested_amounts(env)
    return state


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.record:
            customise(env)
            state = snapshot(env)
            with open(args.record, "w", encoding="utf-8") as file:
                json.dump(state, file)
            say(
                "Recorded: "
                + ", ".join(f"{len(rows)} {key}" for key, rows in state.items())
            )
            return 0
        with open(args.check, encoding="utf-8") as file:
            before = json.load(file)
        after = snapshot(env)
        failed = False
        for key, rows in before.items():
            if after[key] != rows:
                failed = True
                changed = [row for row in after[key] if row not in rows][:5]
                say(f"{key}: changed by the upgrade, e.g. {changed}")
        module = env["ir.module.module"].search([("name", "=", "account_dispute")])
        say(f"account_dispute {module.latest_version} ({module.state})")
        if module.state != "installed":
            failed = True
        say("Upgrade check failed." if failed else "Upgrade check passed.")
        return int(failed)


if __name__ == "__main__":
    sys.exit(main())
