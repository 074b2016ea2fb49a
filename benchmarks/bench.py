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
from odoo.tools import config, split_every

BATCH = 1000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--invoices", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--date", default=None, help="run date, default today")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated measures to run (e.g. 1,3,oca); default all",
    )
    return parser.parse_args()


class Bench:
    def __init__(self, env, invoices, runs, date, only=()):
        self.env = env
        self.cr = env.cr
        self.n = invoices
        self.runs = runs
        self.date = date
        self.results = []
        self.only = set(only)

    # -- data -------------------------------------------------------------

    def build(self, env):
        """Fill the database, committing by batches; mail tracking is off."""
        company = env.company
        if env["account.move"].search_count([("move_type", "=", "out_invoice")]):
            print("The database already has invoices: measuring them as they are.")
            return
        started = time.perf_counter()
        rnd = random.Random(42)
        partners = env["res.partner"].create(
            [
                {"name": f"Bench customer {i:06d}", "email": f"c{i}@bench.example.com"}
                for i in range(max(self.n // 10, 1))
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
        for batch in split_every(BATCH, range(self.n)):
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
        invoices = moves.search([("move_type", "=", "out_invoice")], order="id")
        ids = invoices.ids
        rnd.shuffle(ids)
        paid = moves.browse(ids[: self.n // 5])
        for batch in split_every(BATCH, paid.ids):
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=batch
            ).create(
                {"payment_date": self.date, "group_payment": True}
            )._create_payments()
            self.cr.commit()
            env.invalidate_all()
        disputed = moves.browse(ids[self.n // 5 : self.n // 5 + self.n // 20])
        self._open_disputes(disputed.with_env(env))
        self.cr.commit()
        print(
            f"Built {self.n} invoices, {len(partners)} customers in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
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
        }
        self.results.append(result)
        print(
            f"{label:<58} {result['seconds']:8.2f} s {result['queries']:8d} queries "
            f"{result['rows'] or 0:8d} rows",
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

        def export():
            wizard = env["account.dispute.export.wizard"].create(
                {"export_type": "dunning", "date_closing": self.date}
            )
            wizard.action_export()
            return env["account.move"].search_count(
                [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", self.date),
                ]
            )

        self.measure("3. XLSX dunning status of every overdue invoice", export)

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
        memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out = io.StringIO()
        out.write(
            f"\n| measure (N = {self.n:,} invoices) | median s | queries | rows |\n"
        )
        out.write("|---|---:|---:|---:|\n")
        for r in self.results:
            out.write(
                f"| {r['label']} | {r['seconds']:.2f} | {r['queries']:,} | "
                f"{r['rows'] or 0:,} |\n"
            )
        out.write(f"\nPeak memory of the process: {memory:.0f} MB\n")
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
        only = [part.strip() for part in args.only.split(",") if part.strip()]
        bench = Bench(env, args.invoices, args.runs, date, only)
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
