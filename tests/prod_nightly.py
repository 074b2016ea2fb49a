# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The nightly dunning on Odoo's production server (make test-prod).

Not a unit test: a script that runs Odoo as it runs in production, in prefork
mode with Odoo's default limits (``limit_time_real`` 120 s, ``limit_time_cpu``
60 s, per cron job as per request), which the test suite, threaded and without
limits, cannot see (issue 18).

1. A template database ``<db>_tpl``: dropped, created with the addon installed
   (no demo data), then ``--customers`` customers (300) with an e-mail address,
   each with ONE posted invoice due 10 days ago (the first level of the
   ladder, *Friendly reminder*, is due after 7 days and is e-mailed; the
   second comes after 15), created by one ``create()`` and one
   ``action_post()``; the company sends its letters (``dunning_mode`` "send").
2. For each number of cron workers in ``--cron-threads`` (1, then 2): a copy
   of the template (database and filestore), ``report.url`` and
   ``web.base.url`` set to the server's own address (wkhtmltopdf fetches the
   report's assets from it), the nightly cron
   (``account_dispute.ir_cron_dunning_escalation``) due now; then
   ``python3 -m odoo -c <conf> -d <db> --db-filter=^<db>$ --workers=2
   --max-cron-threads=<n>``, logging to ``<db>.log`` beside the conf. The
   script polls the database until every customer's letter is sent or
   ``--timeout`` (900 s) passes, stops the server, and checks: one letter per
   customer, all sent; one PDF attachment per letter; each invoice in one
   letter, traced once (its level raised, one note on it); one e-mail per
   customer received; no worker killed nor stopped by a limit (the log up to
   the stop; no other error logged). It prints the time to the last letter
   sent from the server's start and from the nightly job's first start (in
   the log; the jobs due before it run first), and the letters per minute
   over the latter.
3. Two cron workers must send them faster than one (from the nightly job's
   start).

Outgoing e-mail goes to an SMTP sink of the script's own (a thread that
accepts every message and counts them by recipient; ``--smtp`` and
``--smtp-port`` of the server point to it): no real mail leaves, none fails,
and Odoo's mail queue runs as in production. The letters' e-mails wait in
that queue, which Odoo's cron sends hourly: once the letters are sent, the
script triggers it and waits until it is empty (not timed).

``--bench FILE`` writes the figures (JSON) for ``make bench``;
``--pdf-runs N`` then times, on the last database with the server serving the
assets, Odoo's invoice PDF (``account.account_invoices``) and a dunning
letter's (``account_dispute.report_dunning_letter_action``), N different
records each, one wkhtmltopdf call per record, each in a savepoint rolled back;
the medians are printed.

Exit status: 0 when every check passes, 1 otherwise, with the failures listed.
"""

import argparse
import configparser
import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import threading
import time

import psycopg2

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

CUSTOMER = "Nightly customer"
EMAIL_DOMAIN = "@nightly.example.com"
DAYS_LATE = 10
# What Odoo's prefork server logs when it kills or stops a worker for a limit
# (odoo/service/server.py), and the signals involved.
KILL_PATTERNS = re.compile(
    r"timeout after \d+s|Worker\w* \(\d+\) timeout|CPU time limit|"
    r"memory limit|killed|SIGKILL|SIGXCPU|Critial worker error",
    re.IGNORECASE,
)
ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# An HTTP worker closes a connection idle for 2 s (ODOO_HTTP_SOCKET_TIMEOUT),
# as wkhtmltopdf leaves them between a report's assets: logged as an error,
# harmless.
HARMLESS_ERROR = re.compile(r"werkzeug: .* Request timed out: TimeoutError")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True, help="the build's odoo.conf")
    parser.add_argument(
        "-d", "--database", required=True, help="prefix of the databases made"
    )
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument(
        "--timeout", type=int, default=900, help="seconds per server run"
    )
    parser.add_argument(
        "--cron-threads",
        default="1,2",
        help="numbers of cron workers, one server run each (default 1,2)",
    )
    parser.add_argument("--http-ports", default="8169,8170", help="one per run")
    parser.add_argument("--gevent-ports", default="8172,8173", help="one per run")
    parser.add_argument(
        "--reuse-template",
        action="store_true",
        help="keep <db>_tpl when it exists (while developing)",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="do not stop a run at the first worker killed; run every run",
    )
    parser.add_argument(
        "--skip-mail-queue",
        action="store_true",
        help="leave the e-mails in Odoo's mail queue (its cron deactivated); "
        "check one queued e-mail per customer instead of the sink",
    )
    parser.add_argument("--bench", metavar="FILE", help="write the figures (JSON)")
    parser.add_argument(
        "--pdf-runs",
        type=int,
        default=0,
        help="time N invoice PDFs and N letter PDFs after the runs",
    )
    args = parser.parse_args()
    args.cron_threads = [int(x) for x in args.cron_threads.split(",")]
    args.http_ports = [int(x) for x in args.http_ports.split(",")]
    args.gevent_ports = [int(x) for x in args.gevent_ports.split(",")]
    if not len(args.cron_threads) <= len(args.http_ports) <= len(args.gevent_ports):
        parser.error("one HTTP port and one gevent port per run")
    return args


def out(text, stream=sys.stdout):
    stream.write(text + "\n")
    stream.flush()


def log(message):
    out(f"[prod_nightly {time.strftime('%H:%M:%S')}] {message}")


# ----------------------------------------------------------------------
# The SMTP sink
# ----------------------------------------------------------------------


class SmtpSink(socketserver.ThreadingTCPServer):
    """Accepts every message on 127.0.0.1 and counts them by recipient."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        self.lock = threading.Lock()
        self.recipients = []

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, RSET, QUIT."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        rcpt = []
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"RCPT":
                rcpt.append(line.split(b":", 1)[1].strip(b" <>\r\n").decode().lower())
                self.reply("250 OK")
            elif command == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while (data := self.rfile.readline()) and data != b".\r\n":
                    pass
                with self.server.lock:
                    self.server.recipients.extend(rcpt)
                rcpt = []
                self.reply("250 OK")
            elif command == b"RSET":
                rcpt = []
                self.reply("250 OK")
            elif command == b"QUIT":
                self.reply("221 Bye")
                return
            else:  # EHLO, HELO, MAIL, NOOP
                self.reply("250 sink")


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------


class Setup:
    def __init__(self, args):
        self.args = args
        self.conf = os.path.abspath(args.config)
        parser = configparser.ConfigParser()
        parser.read(self.conf)
        self.options = dict(parser["options"])
        limits = sorted(k for k in self.options if k.startswith("limit_"))
        if limits:
            sys.exit(f"{self.conf} sets {limits}: the test runs Odoo's default limits.")
        self.pg_env = dict(
            os.environ,
            PGHOST=self.options.get("db_host") or "127.0.0.1",
            PGPORT=self.options.get("db_port") or "5432",
            PGUSER=self.options.get("db_user") or os.environ.get("USER", "postgres"),
        )
        self.data_dir = self.options["data_dir"]
        self.out_dir = os.path.join(os.path.dirname(self.conf), "prod_nightly")
        os.makedirs(self.out_dir, exist_ok=True)

    def connect(self, db):
        return psycopg2.connect(
            dbname=db,
            host=self.pg_env["PGHOST"],
            port=self.pg_env["PGPORT"],
            user=self.pg_env["PGUSER"],
        )

    def db_exists(self, db):
        with self.connect("postgres") as cnx, cnx.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
            return bool(cr.fetchone())

    def drop(self, db):
        subprocess.run(["dropdb", "--if-exists", db], env=self.pg_env, check=True)
        shutil.rmtree(os.path.join(self.data_dir, "filestore", db), ignore_errors=True)

    def build_template(self, db):
        """The addon installed without demo data, then the customers."""
        if self.args.reuse_template and self.db_exists(db):
            log(f"reusing {db}")
            return
        self.drop(db)
        started = time.monotonic()
        subprocess.run(
            [
                *(sys.executable, "-m", "odoo", "-c", self.conf, "-d", db),
                *("-i", "account_dispute", "--without-demo=all", "--stop-after-init"),
                *("--log-level=warn", "--max-cron-threads=0"),
            ],
            check=True,
        )
        log(f"{db}: addon installed in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        seed(self.conf, db, self.args.customers)
        log(
            f"{db}: {self.args.customers} customers and invoices in "
            f"{time.monotonic() - started:.0f} s"
        )

    def clone(self, template, db):
        """A copy of the template: database and filestore."""
        self.drop(db)
        subprocess.run(["createdb", "-T", template, db], env=self.pg_env, check=True)
        source = os.path.join(self.data_dir, "filestore", template)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(self.data_dir, "filestore", db))

    def prepare_run(self, db, port):
        """The server's own address for wkhtmltopdf; the nightly cron due now;
        with ``--skip-mail-queue``, Odoo's mail queue off.

        :return: the nightly cron's id."""
        url = f"http://127.0.0.1:{port}"
        with self.connect(db) as cnx, cnx.cursor() as cr:
            if self.args.skip_mail_queue:
                cr.execute(
                    """
                    UPDATE ir_cron SET active = FALSE
                     WHERE id = (SELECT res_id FROM ir_model_data
                                  WHERE module = 'mail'
                                    AND name = 'ir_cron_mail_scheduler_action')
                    """
                )
            for key, value in (
                ("web.base.url", url),
                ("web.base.url.freeze", "True"),
                ("report.url", url),
            ):
                cr.execute(
                    """
                    INSERT INTO ir_config_parameter (key, value, create_uid,
                           create_date, write_uid, write_date)
                    VALUES (%s, %s, 1, now(), 1, now())
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                    """,
                    [key, value],
                )
            cr.execute(
                """
                UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC'
                                            - interval '1 minute', active = TRUE
                 WHERE id = (SELECT res_id FROM ir_model_data
                              WHERE module = 'account_dispute'
                                AND name = 'ir_cron_dunning_escalation')
                RETURNING id
                """
            )
            if cr.rowcount != 1:
                sys.exit("account_dispute.ir_cron_dunning_escalation not found")
            return cr.fetchone()[0]


def load_registry(conf, db):
    """Odoo in this process (configured once), for the seeding and the PDFs."""
    if not config.get("_prod_nightly"):
        config.parse_config(["-c", conf, "--log-level=error"])
        odoo.service.server.load_server_wide_modules()
        config["_prod_nightly"] = True
    return odoo.modules.registry.Registry(db)


def seed(conf, db, count):
    """``count`` customers, each with one posted invoice due DAYS_LATE days
    ago; the company sends its letters. Set-based: one create, one post."""

    registry = load_registry(conf, db)
    day = datetime.datetime.now(datetime.timezone.utc).date() - datetime.timedelta(
        days=DAYS_LATE
    )
    with registry.cursor() as cr:
        env = api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True},
        )
        company = env.ref("base.main_company")
        company.dunning_mode = "send"
        partners = env["res.partner"].create(
            [
                {
                    "name": f"{CUSTOMER} {i:04d}",
                    "is_company": True,
                    "email": f"customer{i:04d}{EMAIL_DOMAIN}",
                    "street": f"{i} rue de la Paix",
                    "zip": "75002",
                    "city": "Paris",
                }
                for i in range(count)
            ]
        )
        account = env["account.account"].search(
            [
                *env["account.account"]._check_company_domain(company),
                ("account_type", "=", "income"),
            ],
            limit=1,
        )
        invoices = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_date_due": day,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Goods",
                                "price_unit": 100 + i,
                                "account_id": account.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for i, partner in enumerate(partners)
            ]
        )
        invoices.action_post()
        due = set(invoices.mapped("invoice_date_due"))
        if due != {day}:
            sys.exit(f"the invoices are due on {due}, not on {day}")
    odoo.sql_db.close_db(db)
    odoo.modules.registry.Registry.delete(db)


# ----------------------------------------------------------------------
# One run of the production server
# ----------------------------------------------------------------------


class ServerRun:
    def __init__(self, setup, db, cron_threads, port, gevent_port, sink, cron_id):
        self.setup = setup
        self.cron_id = cron_id
        self.db = db
        self.cron_threads = cron_threads
        self.port = port
        self.gevent_port = gevent_port
        self.sink = sink
        self.logfile = os.path.join(setup.out_dir, f"{db}.log")
        self.process = None
        self.log_end = 0
        # Where the log stood when the last letter was sent.
        self.log_sent = None
        self.mail_queue = True
        self.failures = []
        self.figures = {"cron_threads": cron_threads, "database": db}

    def start(self, cron_threads=None):
        if os.path.exists(self.logfile):
            os.remove(self.logfile)
        threads = self.cron_threads if cron_threads is None else cron_threads
        command = [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            self.setup.conf,
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            "--workers=2",
            f"--max-cron-threads={threads}",
            f"--http-port={self.port}",
            f"--gevent-port={self.gevent_port}",
            f"--logfile={self.logfile}",
            "--log-level=info",
            "--smtp=127.0.0.1",
            f"--smtp-port={self.sink.port}",
        ]
        log(" ".join(command[1:]))
        self.process = subprocess.Popen(
            command,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.started = time.monotonic()

    def wait_http(self, timeout=120):
        """Until the server answers on its port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2):
                    return True
            except OSError:
                time.sleep(1)
        return False

    def stop(self):
        """SIGTERM (graceful), then a second one (forced), then SIGKILL: the
        server's process group, which this script started."""
        self.log_end = self.log_size()
        pgid = self.process.pid
        for sig, wait in (
            (signal.SIGTERM, 30),
            (signal.SIGTERM, 15),
            (signal.SIGKILL, 5),
        ):
            if self.process.poll() is not None:
                break
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        # Workers and wkhtmltopdf left in the group, if any.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)

    def log_size(self):
        return os.path.getsize(self.logfile) if os.path.exists(self.logfile) else 0

    def log_lines(self, start=0, end=None):
        """The log's lines from byte ``start`` to ``end`` (default: to where
        the server was stopped, or to now)."""
        if not os.path.exists(self.logfile):
            return []
        end = end or self.log_end or None
        with open(self.logfile, "rb") as f:
            f.seek(start)
            data = f.read(end - start if end else -1)
        return data.decode("utf-8", errors="replace").splitlines()

    def kills(self, start=0, end=None):
        """The log's lines on a worker killed or limited; the master logs a
        kill again until it has reaped the worker: once each here."""
        lines = {}
        for line in self.log_lines(start, end):
            if KILL_PATTERNS.search(line):
                lines.setdefault(line.split(" ", 2)[-1], line)
        return list(lines.values())

    def counts(self, cr):
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE state = 'sent'), count(*)
              FROM account_dunning_letter
            """
        )
        return cr.fetchone()

    def run(self, customers, timeout, keep_going):
        """Start the server; poll until every letter is sent."""
        self.start()
        sent = letters = 0
        last_report = 0
        with self.setup.connect(self.db) as cnx:
            cnx.autocommit = True
            with cnx.cursor() as cr:
                while True:
                    time.sleep(2)
                    elapsed = time.monotonic() - self.started
                    sent, letters = self.counts(cr)
                    if sent >= customers:
                        done = datetime.datetime.now()
                        self.log_sent = self.log_size()
                        break
                    if self.process.poll() is not None:
                        self.failures.append(
                            f"the server stopped by itself (status "
                            f"{self.process.returncode}): see {self.logfile}"
                        )
                        break
                    if elapsed > timeout:
                        self.failures.append(
                            f"{sent} of {customers} letters sent after {timeout} s"
                        )
                        break
                    if elapsed - last_report >= 30:
                        last_report = elapsed
                        log(
                            f"{elapsed:5.0f} s: {letters} letters, {sent} sent, "
                            f"{len(self.kills())} kill(s) in the log"
                        )
                    if not keep_going and self.kills():
                        self.failures.append(
                            f"a worker was killed after {elapsed:.0f} s "
                            f"({letters} letters, {sent} sent)"
                        )
                        break
        elapsed = time.monotonic() - self.started
        job_start = self.job_start()
        span = None
        if sent >= customers and job_start:
            span = (done - job_start).total_seconds()
        self.figures.update(
            load_average=[round(x, 1) for x in os.getloadavg()],
            seconds=round(elapsed, 1),
            job_seconds=span and round(span, 1),
            letters_sent=sent,
            letters_per_minute=span and round(sent / span * 60, 1),
        )
        log(
            f"{self.cron_threads} cron worker(s): {sent} of {customers} letters "
            f"sent {elapsed:.0f} s after the server's start"
            + (f", {span:.0f} s after the nightly job's" if span else "")
            + f" (load average over 1, 5, 15 min: {self.figures['load_average']})"
        )
        if not self.failures and self.mail_queue:
            self.send_mail_queue()
        self.stop()

    def send_mail_queue(self, timeout=300):
        """Letters leave their e-mails in Odoo's mail queue, which its cron
        (``mail.ir_cron_mail_scheduler_action``, hourly) sends: trigger it now,
        as Odoo does (a trigger, and a notification on the ``postgres``
        database that wakes the cron workers); wait until the queue is empty."""
        started = time.monotonic()
        with self.setup.connect(self.db) as cnx, cnx.cursor() as cr:
            cr.execute(
                """
                INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid,
                       create_date, write_uid, write_date)
                SELECT res_id, now() AT TIME ZONE 'UTC', 1, now(), 1, now()
                  FROM ir_model_data
                 WHERE module = 'mail' AND name = 'ir_cron_mail_scheduler_action'
                """
            )
        with self.setup.connect("postgres") as cnx, cnx.cursor() as cr:
            cr.execute("SELECT pg_notify('cron_trigger', %s)", [self.db])
        while (
            pending := self.emails_pending()
        ) and time.monotonic() < started + timeout:
            time.sleep(2)
        self.figures["mail_queue_seconds"] = round(time.monotonic() - started, 1)
        log(
            f"mail queue: {pending} e-mails left after "
            f"{self.figures['mail_queue_seconds']:.0f} s"
        )

    def job_start(self):
        """When the nightly job first started, from the log (local time)."""
        starting = re.compile(rf"ir_cron: Job '.*' \({self.cron_id}\) starting")
        for line in self.log_lines():
            if starting.search(line):
                return datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
        return None

    def queued_recipients(self):
        """The customers' addresses of the e-mails waiting in the queue."""
        with self.setup.connect(self.db) as cnx, cnx.cursor() as cr:
            cr.execute(
                """
                SELECT p.email FROM mail_mail m
                  JOIN mail_mail_res_partner_rel r ON r.mail_mail_id = m.id
                  JOIN res_partner p ON p.id = r.res_partner_id
                 WHERE m.state = 'outgoing' AND p.email LIKE %s
                """,
                [f"%{EMAIL_DOMAIN}"],
            )
            return [row[0] for row in cr.fetchall()]

    def emails_pending(self):
        with self.setup.connect(self.db) as cnx, cnx.cursor() as cr:
            cr.execute("SELECT count(*) FROM mail_mail WHERE state = 'outgoing'")
            return cr.fetchone()[0]

    def dunning_runs(self, cr):
        """The dunning runs (``account.dunning.run``): state, letters
        prepared (stored), letters sent and their span (from the letters)."""
        cr.execute(
            """
            SELECT r.id, r.state, r.letter_prepared_count,
                   count(l.id) FILTER (WHERE l.state = 'sent'),
                   count(l.id) FILTER (WHERE l.state != 'sent'),
                   r.date_start::text, r.date_end::text
              FROM account_dunning_run r
              LEFT JOIN account_dunning_letter l ON l.run_id = r.id
             GROUP BY r.id ORDER BY r.id
            """
        )
        keys = ("id", "state", "prepared", "sent", "not_sent", "start", "end")
        return [dict(zip(keys, row, strict=True)) for row in cr.fetchall()]

    # -- checks ---------------------------------------------------------

    def check(self, customers):
        fail = self.failures.append
        sent_at = self.log_sent or self.log_end
        for line in self.kills(0, sent_at):
            fail(f"worker killed or limited while the letters were sent: {line}")
        for line in self.kills(sent_at) if sent_at else ():
            fail(
                "worker killed or limited while Odoo's mail queue sent the "
                f"letters' e-mails: {line}"
            )
        errors = [
            line
            for line in self.log_lines()
            if ERROR_LINE.match(line)
            and not HARMLESS_ERROR.search(line)
            and not KILL_PATTERNS.search(line)
        ]
        for line in errors[:20]:
            fail(f"error in the log: {line}")
        with self.setup.connect(self.db) as cnx, cnx.cursor() as cr:
            cr.execute(
                "SELECT id FROM res_partner WHERE name LIKE %s", [f"{CUSTOMER} %"]
            )
            partner_ids = {row[0] for row in cr.fetchall()}
            if len(partner_ids) != customers:
                fail(f"{len(partner_ids)} customers in the database, not {customers}")
            cr.execute(
                """
                SELECT partner_id, array_agg(state ORDER BY id)
                  FROM account_dunning_letter GROUP BY partner_id
                """
            )
            letters = dict(cr.fetchall())
            twice = {p: s for p, s in letters.items() if len(s) > 1}
            if twice:
                fail(f"{len(twice)} customers have several letters: {_some(twice)}")
            unsent = {p: s for p, s in letters.items() if s != ["sent"]}
            missing = partner_ids - set(letters)
            if unsent or missing:
                fail(
                    f"{len(missing)} customers without a letter, {len(unsent)} with "
                    f"a letter not sent (or several): {_some(unsent)}"
                )
            others = set(letters) - partner_ids
            if others:
                fail(f"letters to {len(others)} other partners")
            cr.execute(
                """
                SELECT l.name, l.attachment_id, count(a.id)
                  FROM account_dunning_letter l
                  LEFT JOIN ir_attachment a
                    ON a.res_model = 'account.dunning.letter' AND a.res_id = l.id
                   AND a.mimetype = 'application/pdf'
                 GROUP BY l.id
                HAVING count(a.id) != 1 OR l.attachment_id IS NULL
                """
            )
            rows = cr.fetchall()
            if rows:
                fail(f"{len(rows)} letters without exactly one PDF: {rows[:5]}")
            # Each invoice: in one letter, at the first level, one note saying so.
            cr.execute(
                """
                SELECT m.name, count(DISTINCT r.letter_id),
                       m.dunning_level_id = (SELECT res_id FROM ir_model_data
                                              WHERE module = 'account_dispute'
                                                AND name = 'dunning_level_1'),
                       (SELECT count(*) FROM mail_message mm
                         WHERE mm.model = 'account.move' AND mm.res_id = m.id
                           AND mm.body LIKE '%%>' || max(l.name) || '<%%')
                  FROM account_move m
                  LEFT JOIN account_dunning_letter_account_move_rel r
                    ON r.move_id = m.id
                  LEFT JOIN account_dunning_letter l ON l.id = r.letter_id
                 WHERE m.move_type = 'out_invoice' AND m.partner_id = ANY(%s)
                 GROUP BY m.id
                """,
                [list(partner_ids)],
            )
            invoices = cr.fetchall()
            wrong = [row for row in invoices if row[1:] != (1, True, 1)]
            if len(invoices) != customers or wrong:
                fail(
                    f"{len(wrong)} of {len(invoices)} invoices not in exactly one "
                    f"letter, at the first level, traced once "
                    f"(invoice, letters, level, notes): {wrong[:5]}"
                )
            cr.execute(
                "SELECT state, count(*) FROM mail_mail GROUP BY state ORDER BY state"
            )
            self.figures["mail_mail"] = dict(cr.fetchall())
            runs = self.figures["dunning_runs"] = self.dunning_runs(cr)
            states = [run["state"] for run in runs]
            if states != ["done"] or runs[0]["sent"] != customers:
                fail(f"not one dunning run, done, of every letter: {runs}")
        if self.mail_queue:
            with self.sink.lock:
                received = [r for r in self.sink.recipients if r.endswith(EMAIL_DOMAIN)]
            what = "the SMTP sink received"
        else:
            received = self.queued_recipients()
            what = "Odoo's mail queue holds"
        self.figures["emails"] = len(received)
        doubles = {r for r in received if received.count(r) > 1}
        if len(set(received)) != customers or doubles:
            fail(
                f"{what} {len(received)} e-mails for {len(set(received))} "
                f"customers (expected {customers}, one each); mail.mail by "
                f"state: {self.figures['mail_mail']}"
            )
        return not self.failures


def _some(mapping, count=5):
    return dict(list(mapping.items())[:count])


# ----------------------------------------------------------------------
# PDF costs (make bench)
# ----------------------------------------------------------------------


def time_pdfs(run, runs):
    """Median seconds of one invoice PDF and one letter PDF, ``runs`` records
    each, with the server up (HTTP only) to serve the assets."""

    run.logfile = os.path.join(run.setup.out_dir, f"{run.db}_pdf.log")
    run.start(cron_threads=0)
    try:
        if not run.wait_http():
            return {"error": f"the server did not answer: see {run.logfile}"}
        registry = load_registry(run.setup.conf, run.db)
        result = {}
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            letters = env["account.dunning.letter"].search([], limit=runs + 1)
            invoices = letters.invoice_ids
            for key, report, records in (
                ("invoice_pdf", "account.account_invoices", invoices),
                ("letter_pdf", "account_dispute.report_dunning_letter_action", letters),
            ):
                times = []
                # The first record warms the caches and is not counted.
                for record in records[: runs + 1]:
                    with cr.savepoint(flush=False) as savepoint:
                        started = time.perf_counter()
                        content, _kind = env["ir.actions.report"]._render_qweb_pdf(
                            report, record.ids
                        )
                        times.append(time.perf_counter() - started)
                        if not content.startswith(b"%PDF"):
                            return {"error": f"{report} did not render a PDF"}
                        savepoint.rollback()
                result[key] = round(statistics.median(times[1:]), 3)
            result["pdf_runs"] = len(times) - 1
            cr.rollback()
        return result
    finally:
        run.stop()


# ----------------------------------------------------------------------


def main():
    args = parse_args()
    setup = Setup(args)
    template = f"{args.database}_tpl"
    setup.build_template(template)
    sink = SmtpSink().start()
    runs, failures = [], []
    for i, threads in enumerate(args.cron_threads):
        db = f"{args.database}_cron{threads}"
        setup.clone(template, db)
        cron_id = setup.prepare_run(db, args.http_ports[i])
        with sink.lock:
            sink.recipients.clear()
        run = ServerRun(
            setup, db, threads, args.http_ports[i], args.gevent_ports[i], sink, cron_id
        )
        run.mail_queue = not args.skip_mail_queue
        run.run(args.customers, args.timeout, args.keep_going)
        run.check(args.customers)
        if run.figures.get("dunning_runs"):
            log(f"dunning runs: {run.figures['dunning_runs']}")
        runs.append(run)
        failures += [f"{threads} cron worker(s): {f}" for f in run.failures]
        log(f"log: {run.logfile}")
        if failures and not args.keep_going:
            break
    if len(runs) == 2 and not failures:
        one, two = (run.figures["job_seconds"] for run in runs)
        if two >= one:
            failures.append(
                f"{runs[1].cron_threads} cron workers took {two:.0f} s, not less "
                f"than {runs[0].cron_threads}'s {one:.0f} s"
            )
    figures = {"customers": args.customers, "runs": [run.figures for run in runs]}
    if args.pdf_runs and runs:
        figures["pdf"] = time_pdfs(runs[-1], args.pdf_runs)
        log(f"PDF, median of {args.pdf_runs}: {figures['pdf']}")
    out(
        "\n| cron workers | letters sent | s from the server's start "
        "| s from the nightly job's start | letters/minute |"
    )
    out("|---:|---:|---:|---:|---:|")
    for run in runs:
        f = run.figures
        out(
            f"| {f['cron_threads']} | {f['letters_sent']} | {f['seconds']:.0f} | "
            f"{f['job_seconds'] or '-'} | {f['letters_per_minute'] or '-'} |"
        )
    if args.bench:
        with open(args.bench, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=2)
    if failures:
        out("\nFAILED:\n- " + "\n- ".join(failures), sys.stderr)
        sys.exit(1)
    out(
        f"\nOK: {args.customers} letters sent, each once, no worker killed, "
        f"with {' and '.join(str(t) for t in args.cron_threads)} cron worker(s)."
    )


if __name__ == "__main__":
    main()
