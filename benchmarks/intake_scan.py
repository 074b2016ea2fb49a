# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Time the mail gateway's scan for invoice numbers on hostile texts.

    python3 benchmarks/intake_scan.py -c <odoo.conf> -d <db with the addon>

Reads nothing from the database and writes nothing: it times
``account.dispute._invoice_numbers_in_text`` on words of 10,000 to 200,000
letters and on bodies of 100,000 characters, and, with ``--before``, the scan it
replaced (``INVOICE_NUMBER_RE.findall`` over the whole text) on the shorter
words only: that one grows with the square of the word's length.
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import config

TEXTS = {
    "word of 10,000 letters": "a" * 10_000,
    "word of 20,000 letters": "a" * 20_000,
    "word of 200,000 letters": "a" * 200_000,
    "100,000 characters of prose and numbers": (
        "Bonjour, la facture INV/2026/00012 du 10/01/2026 est contestée. " * 1600
    )[:100_000],
    # the pattern's worst case within the bound: runs of 64 characters that
    # start with a letter and end in "/", each backtracked in full
    "100,000 characters of 64-character runs ending in /": (("a" * 63 + "/ ") * 1600)[
        :100_000
    ],
}
# The previous scan takes minutes beyond these.
BEFORE = ("word of 10,000 letters", "word of 20,000 letters")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--before", action="store_true", help="time the previous scan too"
    )
    return parser.parse_args()


def median_time(func, runs):
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    # importable once the configuration has set the addons path
    from odoo.addons.account_dispute.models.dispute.account_dispute_intake import (
        INVOICE_NUMBER_RE,
    )

    print("| text | scan ms | previous scan s |")
    print("|---|---:|---:|")
    with registry.cursor() as cr:
        Dispute = api.Environment(cr, SUPERUSER_ID, {})["account.dispute"]
        for label, text in TEXTS.items():
            after = median_time(
                lambda text=text: Dispute._invoice_numbers_in_text(text), args.runs
            )
            before = "-"
            if args.before and label in BEFORE:
                seconds = median_time(
                    lambda text=text: set(INVOICE_NUMBER_RE.findall(text)), 1
                )
                before = f"{seconds:.2f}"
            print(f"| {label} | {after * 1000:.2f} | {before} |")


if __name__ == "__main__":
    main()
