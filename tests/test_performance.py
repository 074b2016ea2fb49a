# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.dunning import account_dunning_run_escalation as run_module
from .common import AccountDisputeCommon

D = fields.Date.to_date

# Measured: 91 queries for 6 letters, whether they hold 6 or 30 invoices (the
# run reads the table of late-payment rates once, to warn of a half-year
# without a rate; one locks the batch's invoices, three stamp the company's run,
# one reads the planner's count of letters, one the company's default of the
# customer's No Reminder; the letters' claim reads the open credits, the
# formal notices sent and the payment plans, the invoices' due parts (their
# installments, what was matched with them, their contests), and inserts its
# rows, once for the batch; the run record is created, counted, closed and
# read back). After the whole suite, the second test of the two costs one
# query more (the same statements, logged alike; what the suite's earlier
# tests leave in the process); a query per invoice would cost 24 more. The
# company rule on the letters' rows and the addon's fields kept for employees
# (issue 25) cost 8 queries a run, whatever its size.
QUERIES = 92


@tagged("post_install", "-at_install")
class TestQueryCount(AccountDisputeCommon):
    """The nightly escalation costs the same queries for 6 invoices as for 30:
    no query per invoice can come back unnoticed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.partners = cls.env["res.partner"].create(
            [{"name": f"Customer {i}", "email": f"c{i}@example.com"} for i in range(6)]
        )

    def _invoices(self, per_partner):
        for partner in self.partners:
            for _i in range(per_partner):
                self._invoice(500.0, partner=partner, terms=self.terms_30)

    def _escalate(self):
        self.env.invalidate_all()
        # Every cache, not only the default one: what a test before this one
        # cleared must not cost this one a query more than the other.
        self.env.registry.clear_all_caches()
        return self.env["account.dunning.letter"]._run_escalation(date=D("2026-02-16"))

    def test_escalation_queries_do_not_grow_with_invoices(self):
        self._invoices(1)
        self.env.flush_all()
        with self.assertQueryCount(QUERIES):
            letters = self._escalate()
        self.assertEqual(len(letters), 6)

    def test_escalation_queries_with_five_times_more_invoices(self):
        self._invoices(5)
        self.env.flush_all()
        with self.assertQueryCount(QUERIES):
            letters = self._escalate()
        self.assertEqual(len(letters), 6)
        self.assertEqual(len(letters.invoice_ids), 30)

    def test_letter_references_taken_at_once(self):
        Letter = self.env["account.dunning.letter"]
        names = Letter._next_names(3)
        self.assertEqual(len(set(names)), 3)
        self.assertTrue(all(name.startswith("REL/") for name in names))
        numbers = [int(name.rsplit("/", 1)[1]) for name in names]
        self.assertEqual(numbers, sorted(numbers))
        sequence = self.env.ref("account_dispute.seq_account_dunning_letter")
        sequence.implementation = "no_gap"
        gapless = Letter._next_names(2)
        self.assertEqual(len(set(gapless)), 2)
        self.assertEqual(Letter._next_names(0), [])

    def test_a_failing_batch_is_skipped_and_retried(self):
        """One bad batch of customers rolls back alone; the next run retries."""
        self._invoices(1)
        Run = type(self.env["account.dunning.run"])
        real_create = Run._create_letters
        calls = []

        def create_letters(run, plan):
            calls.append(plan)
            if len(calls) == 1:
                real_create(run, plan)
                raise ValueError("wkhtmltopdf is on fire")
            return real_create(run, plan)

        with (
            patch.object(run_module, "PARTNER_BATCH", 2),
            patch.object(Run, "_create_letters", create_letters),
            mute_logger(
                "odoo.addons.account_dispute.models.dunning."
                "account_dunning_run_escalation"
            ),
        ):
            letters = self._escalate()
        self.assertEqual(len(calls), 3, "three batches of two customers")
        self.assertEqual(len(letters), 4, "the first batch was rolled back")
        self.assertEqual(
            self.env["account.dunning.letter"].search_count(
                [("partner_id", "in", self.partners.ids)]
            ),
            4,
        )
        self.assertEqual(len(self._escalate()), 2, "the next run retries them")

    def test_planner_counts_the_letters_of_a_big_run(self):
        """On a letter table believed empty, the run has PostgreSQL count the
        letters again as it adds them (``ANALYZE``, outside its transaction),
        so that the foreign-key checks are planned again with the index; a
        handful of times in a run, not a batch."""
        self._invoices(1)
        self.env.flush_all()
        Letter = type(self.env["account.dunning.letter"])
        counts = []
        with (
            patch.object(run_module, "PARTNER_BATCH", 1),
            patch.object(Letter, "_letters_counted_by_planner", lambda self: 0),
            patch.object(
                Letter,
                "_count_letters_for_planner",
                lambda self: counts.append(len(self.search([]))),
            ),
        ):
            self.assertEqual(len(self._escalate()), 6)
        self.assertEqual(len(counts), 2, "after 2 then 6 letters")

    def _preview_queries(self, count, total):
        """Queries of the *Run the Dunning* preview, ``count`` customers more
        (``total`` in all)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Previewed {i}"} for i in range(count)]
        )
        for partner in partners:
            self._invoice(500.0, partner=partner, terms=self.terms_30)
        wizard = self.env["account.dunning.run.wizard"].create({"date": "2026-02-16"})
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.registry.clear_all_caches()
        before = self.env.cr.sql_log_count
        self.assertIn("Previewed", wizard.preview)
        self.assertEqual(wizard.letter_count, total)
        return self.env.cr.sql_log_count - before

    def test_preview_queries_do_not_grow_with_customers(self):
        """The preview reads its customers at once: as many queries for 50
        customers as for 10 (it took one more a customer)."""
        ten = self._preview_queries(10, 10)
        fifty = self._preview_queries(40, 50)
        self.assertEqual(ten, fifty)
