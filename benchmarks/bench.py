# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Time account_dispute at scale on a database it fills itself.

Run by ``make bench N=10000``: the Makefile creates the database with the
addon installed (and ``account_credit_control`` when it is importable), then
runs ``python3 benchmarks/bench.py -c <odoo.conf> -d <db> -n N``.

The data: N posted customer invoices of one line over N/10 customers, dated
over the 6 months before the run date, on 30 days; 20 % paid, 5 % disputed.
Each measure is the median of ``--runs`` runs, each from the same state (a
savepoint rolled back after it), with the SQL queries counted.
"""

import argparse
import datetime
import io
import random
import resource
import statistics
import sys
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL, config, split_every

BATCH = 1000
# What _clone copies, in this order; the customers are the bench's only.
CLONED = (
    "res_partner",
    "account_full_reconcile",
    "account_move",
    "account_payment",
    "account_move_line",
    "account_partial_reconcile",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--invoices", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--orm-invoices",
        type=int,
        default=10000,
        help="invoices made through the ORM; the rest are SQL copies of them",
    )
    parser.add_argument("--date", default=None, help="run date, default today")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated measures to run (e.g. 1,3,oca); default all",
    )
    return parser.parse_args()


def peak_memory():
    """The process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Bench:
    def __init__(self, env, args, date):
        self.env = env
        self.cr = env.cr
        self.n = args.invoices
        self.orm_invoices = args.orm_invoices
        self.runs = args.runs
        self.date = date
        self.results = []
        self.only = {part.strip() for part in args.only.split(",") if part.strip()}

    # -- data -------------------------------------------------------------

    def build(self, env):
        """Fill the database, committing by batches; mail tracking is off.

        Up to ``--orm-invoices`` invoices are made through the ORM; beyond
        that, they and their customers and payments are copied in SQL (see
        ``_clone``), then disputes are opened through the ORM on all of them.
        """
        if env["account.move"].search_count([("move_type", "=", "out_invoice")]):
            print("The database already has invoices: measuring them as they are.")
            return
        copies = -(-self.n // self.orm_invoices)
        if self.n % copies:
            sys.exit(f"-n must be a multiple of {copies} to copy {copies} times.")
        started = time.perf_counter()
        rnd = random.Random(42)
        self._build_invoices(env, self.n // copies, rnd)
        if copies > 1:
            self._clone(copies - 1)
            self.cr.commit()
        unpaid = env["account.move"].search(
            [("move_type", "=", "out_invoice"), ("payment_state", "=", "not_paid")],
            order="id",
        )
        ids = unpaid.ids
        rnd.shuffle(ids)
        for batch in split_every(BATCH, ids[: self.n // 20]):
            self._open_disputes(env["account.move"].browse(batch))
            self.cr.commit()
            env.invalidate_all()
        # The statistics that PostgreSQL's autovacuum would have gathered by
        # now: a server with autovacuum off would measure plans made for
        # empty tables (7,500 candidates read in 5.7 s instead of 0.1 s).
        self.cr.execute("ANALYZE")
        self.cr.commit()
        print(
            f"Built {self.n} invoices ({copies - 1} SQL copies) in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )

    def _build_invoices(self, env, count, rnd):
        """``count`` invoices over count/10 customers, a fifth of them paid."""
        company = env.company
        partners = env["res.partner"].create(
            [
                {"name": f"Bench customer {i:06d}", "email": f"c{i}@bench.example.com"}
                for i in range(max(count // 10, 1))
            ]
        )
        account = env["account.account"].search(
            [
                *env["account.account"]._check_company_domain(company),
                ("account_type", "=", "income"),
            ],
            limit=1,
        )
        terms = env.ref("account.account_payment_term_30days")
        moves = env["account.move"]
        for batch in split_every(BATCH, range(count)):
            vals = []
            for i in batch:
                day = self.date - datetime.timedelta(days=rnd.randint(1, 182))
                vals.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partners[i % len(partners)].id,
                        "invoice_date": day,
                        "invoice_payment_term_id": terms.id,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Goods",
                                    "price_unit": rnd.randint(100, 5000),
                                    "account_id": account.id,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            created = moves.create(vals)
            created.action_post()
            self.cr.commit()
            env.invalidate_all()
            print(f"  {batch[-1] + 1} invoices", file=sys.stderr)
        ids = moves.search([("move_type", "=", "out_invoice")], order="id").ids
        rnd.shuffle(ids)
        for batch in split_every(BATCH, ids[: count // 5]):
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=batch
            ).create(
                {"payment_date": self.date, "group_payment": True}
            )._create_payments()
            self.cr.commit()
            env.invalidate_all()

    def _clone(self, copies):
        """Copy the customers, invoices, payments and reconciliations made by
        the ORM ``copies`` times, row for row, in SQL.

        Each copy gets new ids (shifted by a fixed span per table), its own
        customers and its own invoice and payment numbers; every foreign key
        into a copied table follows the shift, in the copied tables and in the
        many2many tables between them. Foreign-key triggers are off meanwhile
        (the rows are consistent by construction).
        """
        cr = self.cr
        ranges = {}
        for table in CLONED:
            only = SQL("TRUE")
            if table == "res_partner":
                only = SQL("name LIKE 'Bench customer %%'")
            cr.execute(
                SQL(
                    "SELECT min(id), max(id), (SELECT max(id) FROM %s) "
                    "FROM %s WHERE %s",
                    SQL.identifier(table),
                    SQL.identifier(table),
                    only,
                )
            )
            low, high, top = cr.fetchone()
            if low is not None:
                ranges[table] = (low, high, top - low + 1)
        cr.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
              FROM pg_constraint c
              JOIN pg_attribute a
                ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
               AND c.confrelid::regclass::text = ANY(%s)
            """,
            [list(ranges)],
        )
        foreign_keys = {}
        for table, column, target in cr.fetchall():
            foreign_keys.setdefault(table, {})[column] = target
        relations = [
            table
            for table in foreign_keys
            if table not in ranges and "id" not in self._columns(table)
        ]
        cr.execute("SET LOCAL session_replication_role = replica")
        for copy in range(1, copies + 1):
            for table in [*ranges, *relations]:
                self._copy_rows(table, copy, ranges, foreign_keys.get(table, {}))
            print(f"  copy {copy} of {copies}", file=sys.stderr)
        cr.execute(
            """
            UPDATE account_move_line line SET move_name = move.name
              FROM account_move move
             WHERE line.move_id = move.id AND line.move_name != move.name
            """
        )
        for table in ranges:
            cr.execute(
                SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), max(id)) FROM %s",
                    table,
                    SQL.identifier(table),
                )
            )
        cr.execute("RESET session_replication_role")
        cr.execute("ANALYZE")

    def _columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [column for (column,) in self.cr.fetchall()]

    def _copy_rows(self, table, copy, ranges, foreign_keys):
        """Insert copy number ``copy`` of the rows of ``table`` in ``ranges``."""

        def shifted(column, target):
            low, high, span = ranges[target]
            return SQL(
                "CASE WHEN %s BETWEEN %s AND %s THEN %s + %s ELSE %s END",
                SQL.identifier(column),
                low,
                high,
                SQL.identifier(column),
                copy * span,
                SQL.identifier(column),
            )

        tag = f"C{copy}-"
        special = {
            "res_partner": {
                "name": SQL("name || %s", f" {tag}"),
                "complete_name": SQL("complete_name || %s", f" {tag}"),
                "email": SQL("%s || email", tag.lower()),
            },
            "account_move": {
                "sequence_prefix": SQL("sequence_prefix || %s", tag),
                "name": SQL(
                    "sequence_prefix || %s "
                    "|| substr(name, length(sequence_prefix) + 1)",
                    tag,
                ),
                "payment_reference": SQL(
                    "CASE WHEN payment_reference = name THEN sequence_prefix || %s "
                    "|| substr(name, length(sequence_prefix) + 1) "
                    "ELSE payment_reference END",
                    tag,
                ),
            },
        }.get(table, {})
        columns = self._columns(table)
        values = []
        for column in columns:
            if column in special:
                values.append(special[column])
            elif column == "id":
                values.append(shifted("id", table))
            elif column in foreign_keys:
                values.append(shifted(column, foreign_keys[column]))
            else:
                values.append(SQL.identifier(column))
        if table in ranges:
            low, high, _span = ranges[table]
            where = SQL("id BETWEEN %s AND %s", low, high)
        else:
            where = SQL(" OR ").join(
                SQL(
                    "%s BETWEEN %s AND %s",
                    SQL.identifier(column),
                    ranges[target][0],
                    ranges[target][1],
                )
                for column, target in foreign_keys.items()
            )
        self.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s",
                SQL.identifier(table),
                SQL(", ").join(SQL.identifier(column) for column in columns),
                SQL(", ").join(values),
                SQL.identifier(table),
                where,
            )
        )

    def _open_disputes(self, invoices):
        disputes = self._create_disputes(invoices)
        disputes.action_open()
        return disputes

    def _create_disputes(self, invoices):
        reason = self.env.ref("account_dispute.reason_wrong_price")
        return self.env["account.dispute"].create(
            [
                {
                    "partner_id": invoice.commercial_partner_id.id,
                    "invoice_ids": [Command.set(invoice.ids)],
                    "reason_id": reason.id,
                }
                for invoice in invoices
            ]
        )

    # -- measures ---------------------------------------------------------

    def measure(self, label, func, setup=None):
        """Median time and queries of ``runs`` runs, each rolled back.

        ``setup``, when given, runs first in the same savepoint, untimed; its
        result is passed to ``func``.
        """
        key = "oca" if "'" in label else label.split(".")[0].rstrip("abc")
        if self.only and key not in self.only:
            return None
        times, queries, sizes = [], [], []
        for _run in range(self.runs):
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            with self.cr.savepoint(flush=False) as savepoint:
                args = []
                if setup:
                    args.append(setup())
                    self.env.flush_all()
                count = self.cr.sql_log_count
                started = time.perf_counter()
                size = func(*args)
                self.env.flush_all()
                times.append(time.perf_counter() - started)
                queries.append(self.cr.sql_log_count - count)
                sizes.append(size)
                savepoint.rollback()
            self.env.invalidate_all()
        result = {
            "label": label,
            "seconds": statistics.median(times),
            "queries": int(statistics.median(queries)),
            "rows": sizes[0],
            "peak": peak_memory(),
        }
        self.results.append(result)
        print(
            f"{label:<58} {result['seconds']:8.2f} s {result['queries']:8d} queries "
            f"{result['rows'] or 0:8d} rows {result['peak']:6.0f} MB",
            file=sys.stderr,
        )
        return result

    def run(self):
        env = self.env
        Letter = env["account.dunning.letter"]
        env.company.dunning_mode = "review"
        env["account.dunning.level"].search([]).auto_send = False
        self.measure(
            "1. dunning escalation run (account_dispute)",
            lambda: len(Letter._run_escalation(date=self.date)),
        )
        undisputed = env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("payment_state", "=", "not_paid"),
                ("is_disputed", "=", False),
            ],
            limit=1000,
        )

        def create_drafts():
            return self._create_disputes(undisputed)

        def open_drafts(disputes):
            disputes.action_open()
            return len(disputes)

        def open_and_resolve(disputes):
            disputes.action_open()
            self.env.flush_all()
            disputes._resolve("withdrawn", date_resolved=self.date)
            return len(disputes)

        self.measure("2a. create 1,000 draft disputes", lambda: len(create_drafts()))
        self.measure("2b. open the 1,000 disputes at once", open_drafts, create_drafts)
        self.measure(
            "2c. open and resolve the 1,000 disputes", open_and_resolve, create_drafts
        )

        def export(closing):
            wizard = env["account.dispute.export.wizard"].create(
                {"export_type": "dunning", "date_closing": closing}
            )
            wizard.action_export()
            return env["account.move"].search_count(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", closing),
                ]
            )

        self.measure(
            "3a. XLSX dunning status of every overdue invoice",
            lambda: export(self.date),
        )
        self.measure(
            "3b. the same, closing after every due date (all unpaid)",
            lambda: export(self.date + datetime.timedelta(days=31)),
        )

        def render_letters(letters):
            """One wkhtmltopdf call per letter, as sending them does."""
            report = env.ref("account_dispute.report_dunning_letter_action")
            rendered = 0
            for letter in letters:
                content, _type = env["ir.actions.report"]._render_qweb_pdf(
                    report, letter.ids
                )
                rendered += bool(content)
            return rendered

        self.measure(
            "4. render 100 dunning letters to PDF",
            render_letters,
            lambda: Letter._run_escalation(date=self.date)[:100],
        )
        self.measure_credit_control()

    def measure_credit_control(self):
        """OCA's account_credit_control on the same invoices, when installed:
        its own three-level policy, on every receivable account."""
        env = self.env
        if "credit.control.run" not in env:
            print(
                "account_credit_control is not installed: no comparison.",
                file=sys.stderr,
            )
            return
        policy = env.ref("account_credit_control.credit_control_3_time")
        policy.account_ids = env["account.account"].search(
            [("account_type", "=", "asset_receivable")]
        )
        env.company.credit_policy_id = policy

        def generate():
            run = env["credit.control.run"].create(
                {"date": self.date, "policy_ids": [Command.set(policy.ids)]}
            )
            run.generate_credit_lines()
            return len(run.line_ids)

        self.measure("1'. credit.control.run.generate_credit_lines() (OCA)", generate)

    def report(self):
        """The table; "peak MB" is the process's peak memory so far, after
        each measure (in the order they ran, build included)."""
        out = io.StringIO()
        out.write(
            f"\n| measure (N = {self.n:,} invoices) | median s | queries | rows "
            "| peak MB |\n"
        )
        out.write("|---|---:|---:|---:|---:|\n")
        for r in self.results:
            out.write(
                f"| {r['label']} | {r['seconds']:.2f} | {r['queries']:,} | "
                f"{r['rows'] or 0:,} | {r['peak']:.0f} |\n"
            )
        print(out.getvalue())


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    date = (
        datetime.date.fromisoformat(args.date) if args.date else datetime.date.today()
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        bench = Bench(env, args, date)
        bench.build(
            env(
                context={
                    "tracking_disable": True,
                    "mail_create_nolog": True,
                    "mail_notrack": True,
                }
            )
        )
        bench.run()
        bench.report()


if __name__ == "__main__":
    main()
