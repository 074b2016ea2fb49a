# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import threading
from contextlib import closing, contextmanager
from unittest.mock import patch

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.account_dispute.controllers.portal import AccountDisputePortal
from odoo.addons.base.models.ir_mail_server import IrMailServer

from ..models.common.frozen_record_mixin import internal_writes
from .common import AccountDisputeCommon

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestConcurrency(AccountDisputeCommon):
    """Two transactions at once, each on a connection of its own.

    What the other transaction must see is committed in the main company by
    the test itself, and removed at its end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.Letter = cls.env["account.dunning.letter"]

    @contextmanager
    def _transaction(self):
        """An environment on a connection of its own, rolled back at the end."""
        with closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as cr:
            # A test without the locks would wait forever on the other one.
            # Committed, the setting outlives a rollback (Odoo's retrying).
            cr.execute("SET lock_timeout TO '5s'")
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.cr.commit()
            yield env

    @contextmanager
    def _committed_invoice(self):
        """A posted invoice of the main company, due on 2026-02-09, committed."""
        with self._committed_invoices(1) as pairs:
            yield pairs[0]

    @contextmanager
    def _committed_invoices(self, count):
        """[(invoice id, customer id)] of ``count`` customers, each with a
        posted invoice of the main company due on 2026-02-09, committed."""
        with self._transaction() as env:
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Concurrent customer {index}",
                        "email": f"c{index}@concurrent.example.com",
                    }
                    for index in range(count)
                ]
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": "2026-01-10",
                        "invoice_payment_term_id": self.env.ref(
                            "account.account_payment_term_30days"
                        ).id,
                        "invoice_line_ids": [
                            Command.create({"name": "Goods", "price_unit": 1000.0})
                        ],
                    }
                    for partner in partners
                ]
            )
            invoices.action_post()
            env.cr.commit()
            try:
                yield list(zip(invoices.ids, partners.ids, strict=True))
            finally:
                env.cr.rollback()
                env.invalidate_all()
                self._remove(env, invoices, partners)
                env.cr.commit()

    def _remove(self, env, invoices, partners):
        invoices = invoices.with_context(force_delete=True)
        disputes = env["account.dispute"].search([("invoice_ids", "in", invoices.ids)])
        # Resolved disputes are history: the test's own are let go.
        env.cr.execute(
            "UPDATE account_dispute SET state = 'cancelled' "
            "WHERE id IN %s AND state = 'resolved'",
            [tuple(disputes.ids) or (0,)],
        )
        disputes.invalidate_recordset()
        disputes.filtered(
            lambda d: d.state not in ("draft", "cancelled")
        ).action_cancel()
        disputes.unlink()
        payments = env["account.payment"].search([("partner_id", "in", partners.ids)])
        payments.action_draft()
        payments.with_context(force_delete=True).unlink()
        letters = env["account.dunning.letter"].search(
            [("partner_id", "in", partners.ids)]
        )
        # Sent letters are kept as evidence: the test's own are let go.
        env.cr.execute(
            "UPDATE account_dunning_letter SET state = 'cancelled' WHERE id IN %s",
            [tuple(letters.ids) or (0,)],
        )
        letters.invalidate_recordset()
        runs = letters.run_id
        letters.unlink()
        # Runs are never deleted but by the addon's own code: the test's
        # committed ones are let go.
        with internal_writes():
            runs.unlink()
        invoices.button_draft()
        invoices.unlink()
        Register = env["account.payment.register"]
        Register.search([("partner_id", "in", partners.ids)]).unlink()
        partners.unlink()

    def _run(self, env, partner_id, date="2026-02-20", **context):
        return (
            env["account.dunning.letter"]
            .with_context(**context)
            ._run_escalation(
                date=D(date), partners=env["res.partner"].browse(partner_id)
            )
        )

    def _pay(self, env, invoice_id):
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=[invoice_id]
        ).create({"payment_date": "2026-02-19"})._create_payments()

    def _hold_company(self, env, company):
        """What a run under way holds: its company's row, until its
        transaction ends."""
        env.cr.execute(
            "SELECT id FROM res_company WHERE id = %s FOR NO KEY UPDATE NOWAIT",
            [company.id],
        )

    def test_second_escalation_run_is_skipped_or_refused(self):
        with (
            self._committed_invoice() as (invoice_id, partner_id),
            self._transaction() as env,
            self._transaction() as other,
        ):
            company = env.company
            self._hold_company(other, company)
            self.assertFalse(self._run(env, partner_id, dunning_nightly=True))
            with self.assertRaisesRegex(UserError, "under way or has just ended"):
                self._run(env, partner_id)
            self.assertFalse(
                env["account.dunning.letter"].search(
                    [("invoice_ids", "in", [invoice_id])]
                )
            )
            other.cr.rollback()
            env.cr.rollback()
            letters = self._run(env, partner_id)
            self.assertEqual(letters.invoice_ids.ids, [invoice_id])
            self.assertFalse(self._run(env, partner_id))
            # The run holds its company until its transaction ends, no longer:
            # nothing outlives it.
            with self.assertRaises(psycopg2.errors.LockNotAvailable):
                with other.cr.savepoint(), mute_logger("odoo.sql_db"):
                    self._hold_company(other, company)
            env.cr.commit()
            other.cr.rollback()
            self._hold_company(other, company)

    def test_run_begun_before_another_ended_is_skipped(self):
        """Its snapshot would miss the other run's letters: it stops."""
        with (
            self._committed_invoice() as (invoice_id, partner_id),
            self._transaction() as late,
            self._transaction() as first,
        ):
            # The late run's transaction begins (and takes its snapshot) first.
            self.assertEqual(late["account.move"].browse(invoice_id).state, "posted")
            self.assertTrue(self._run(first, partner_id))
            first.cr.commit()
            self.assertFalse(self._run(late, partner_id, dunning_nightly=True))
            with self.assertRaisesRegex(UserError, "has just ended"):
                self._run(late, partner_id)
            late.cr.rollback()
            Letter = late["account.dunning.letter"]
            self.assertEqual(Letter.search_count([("partner_id", "=", partner_id)]), 1)
            # A run begun afterwards finds the letter and creates nothing.
            self.assertFalse(self._run(late, partner_id))

    def test_payment_registered_while_the_escalation_runs(self):
        with (
            self._committed_invoice() as (invoice_id, partner_id),
            self._transaction() as cron,
            self._transaction() as cashier,
        ):
            with cron.cr.savepoint(flush=False) as savepoint:
                letters = self._run(cron, partner_id)
                self.assertEqual(letters.invoice_ids.ids, [invoice_id])
                savepoint.rollback()
            self._pay(cashier, invoice_id)
            cashier.flush_all()
            # The invoice being paid is skipped, not reminded.
            self.assertFalse(self._run(cron, partner_id))
            cashier.cr.commit()
            cron.cr.rollback()
            cron.invalidate_all()
            self.assertFalse(self._run(cron, partner_id))
            self.assertEqual(
                cron["account.move"].browse(invoice_id).payment_state, "paid"
            )

    def test_dispute_opened_while_a_letter_is_sent(self):
        with self._committed_invoice() as (invoice_id, partner_id):
            with self._transaction() as env:
                letter_id = self._run(env, partner_id).id
                env.cr.commit()
            with self._transaction() as sender, self._transaction() as clerk:
                dispute = clerk["account.dispute"].create(
                    {
                        "partner_id": partner_id,
                        "invoice_ids": [Command.set([invoice_id])],
                        "reason_id": clerk.ref("account_dispute.reason_wrong_price").id,
                    }
                )
                dispute.action_open()
                clerk.flush_all()
                letter = sender["account.dunning.letter"].browse(letter_id)
                with self.assertRaisesRegex(UserError, "Another user is changing"):
                    letter.action_send()
                self.assertEqual(letter.state, "draft")
                clerk.cr.commit()
                sender.cr.rollback()
                sender.invalidate_all()
                # Once the dispute is saved, the letter is left without invoice.
                self.assertEqual(letter.state, "cancelled")
                self.assertFalse(letter.invoice_ids)
                self.assertFalse(letter.attachment_id)

    def _contest_at_once(self, invoice_id, partner_id, count=3):
        """``count`` portal contests of the invoice, each by the portal's code
        in a transaction of its own, in threads released together once each
        transaction has begun (and taken its snapshot); each runs as Odoo
        serves a request (``retrying``: run again on a serialization failure,
        then committed). Returns what the portal's code returned to each."""
        barrier = threading.Barrier(count, timeout=30)
        results, errors = [None] * count, []

        def contest(index):
            try:
                with self._transaction() as env:
                    invoice = env["account.move"].browse(invoice_id)
                    self.assertEqual(invoice.state, "posted")
                    post = {
                        "reason_id": str(self.reason.id),
                        "amount": "400",
                        "message": f"Contest {index}",
                    }
                    author = env["res.partner"].browse(partner_id)
                    barrier.wait()
                    results[index] = retrying(
                        lambda: AccountDisputePortal()._contest_invoice(
                            invoice, post, author=author
                        ),
                        env,
                    )
            except Exception as error:  # reported by the test, below
                errors.append(error)

        threads = [
            threading.Thread(target=contest, args=(index,)) for index in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(errors)
        return results

    def _portal_disputes(self, invoice_id):
        with self._transaction() as env:
            return env["account.dispute"].search_read(
                [("invoice_ids", "in", [invoice_id]), ("channel", "=", "portal")],
                ["name", "description"],
            )

    def test_three_portal_contests_at_once(self):
        with self._committed_invoice() as (invoice_id, partner_id):
            results = self._contest_at_once(invoice_id, partner_id)
            self.assertEqual(
                sorted(results, key=str), [None, "not_contestable", "not_contestable"]
            )
            disputes = self._portal_disputes(invoice_id)
            self.assertEqual(len(disputes), 1)
            self.assertIn(f"Contest {results.index(None)}", disputes[0]["description"])

    def test_three_portal_contests_of_an_invoice_contested_by_email(self):
        """The e-mail's draft already holds the reminders (the invoice is
        contested): the portal's contest changes nothing on the invoice row."""
        with self._committed_invoice() as (invoice_id, partner_id):
            with self._transaction() as env:
                env["account.dispute"].create(
                    {
                        "partner_id": partner_id,
                        "invoice_ids": [Command.set([invoice_id])],
                        "channel": "email",
                        "email_from": "c@concurrent.example.com",
                    }
                )
                self.assertTrue(env["account.move"].browse(invoice_id).is_contested)
                env.cr.commit()
            results = self._contest_at_once(invoice_id, partner_id)
            self.assertEqual(
                sorted(results, key=str), [None, "not_contestable", "not_contestable"]
            )
            self.assertEqual(len(self._portal_disputes(invoice_id)), 1)

    @contextmanager
    def _committed_queue(self, count):
        """[customer id] of ``count`` customers whose letters are queued to
        send, committed."""
        with self._committed_invoices(count) as pairs:
            partner_ids = [partner_id for __, partner_id in pairs]
            with self._transaction() as env:
                partners = env["res.partner"].browse(partner_ids)
                # Printed and posted: no e-mail leaves the test for an SMTP
                # server it does not have.
                partners.email = False
                letters = env["account.dunning.letter"]._run_escalation(
                    date=D("2026-02-20"), partners=partners
                )
                self.assertEqual(len(letters), count)
                letters._queue_for_sending(letters.run_id)
                env.cr.commit()
            yield partner_ids

    def _sent_once(self, partner_ids):
        """Each customer's letter is sent, with one PDF: none sent twice."""
        with self._transaction() as env:
            letters = env["account.dunning.letter"].search(
                [("partner_id", "in", partner_ids)]
            )
            self.assertEqual(len(letters), len(partner_ids))
            self.assertEqual(set(letters.mapped("state")), {"sent"})
            attachments = env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "account.dunning.letter"),
                    ("res_id", "in", letters.ids),
                ]
            )
            self.assertEqual(attachments, len(partner_ids))
            self.assertEqual(letters.run_id.state, "done")
            self.assertEqual(letters.run_id.letter_sent_count, len(partner_ids))

    def _in_threads(self, *functions):
        """Run the functions at once, each in a thread of its own as cron
        workers do (a test's own thread never commits); fail on what they
        raised."""
        errors = []

        def target(function):
            try:
                function()
            except Exception as error:  # reported by the test, below
                errors.append(error)

        threads = [threading.Thread(target=target, args=(f,)) for f in functions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertFalse(errors)

    def test_sender_with_an_old_snapshot_takes_the_queue_again(self):
        """A send step whose transaction began before another sender
        committed sees letters still queued that are no longer locked:
        PostgreSQL refuses to lock them (repeatable read); the step takes the
        queue again in a new transaction, and finds nothing left."""
        with self._committed_queue(2) as partner_ids:
            with self._transaction() as late, self._transaction() as first:
                late["account.dunning.letter"].search_count([])
                first["account.dunning.run"]._cron_send()
                first.cr.commit()
                self._in_threads(late["account.dunning.run"]._cron_send)
            self._sent_once(partner_ids)

    def test_two_senders_share_the_queue(self):
        """Two send steps at once (two cron workers), each on a connection of
        its own: while one holds its batch, the other takes the next letters
        instead of waiting (SKIP LOCKED); every letter is sent exactly once."""
        with self._committed_queue(10) as partner_ids:
            barrier = threading.Barrier(2, timeout=20)
            Letter = type(self.Letter)
            send_queued = Letter._send_queued
            taken = {}

            def hold_then_send(letters, deadline=None):
                name = threading.current_thread().name
                if name not in taken:
                    # Both senders hold a batch before either sends it.
                    taken[name] = letters.ids
                    barrier.wait()
                return send_queued(letters, deadline)

            def sender():
                # A call of the send cron, committed as Odoo's cron does.
                with self._transaction() as env:
                    env["account.dunning.run"]._cron_send()
                    env.cr.commit()

            with (
                patch.object(Letter, "_send_queued", hold_then_send),
                # Time enough for the batch whatever the machine.
                patch.object(
                    type(self.env["account.dunning.run"]),
                    "_get_step_seconds",
                    lambda self: 600.0,
                ),
            ):
                self._in_threads(sender, sender)
            first, second = taken.values()
            self.assertEqual((len(first), len(second)), (5, 5))
            self.assertFalse(set(first) & set(second))
            self._sent_once(partner_ids)

    # ------------------------------------------------------------------
    # Two clicks, one effect (issue 25, point 9)
    # ------------------------------------------------------------------

    @contextmanager
    def _committed_failed_letter(self):
        """The id of a reminder e-mailed to a customer of the main company,
        whose e-mail failed, committed."""
        with self._committed_invoice() as (__, partner_id):
            with self._transaction() as env:
                letter = self._run(env, partner_id)
                letter._send_now()
                self.assertEqual(len(letter._get_email_messages()), 1)
                letter._record_email_failure("550 5.1.1 No such mailbox")
                env.cr.commit()
                letter_id = letter.id
            yield letter_id

    def _click(self, env, model, method, ids):
        """A button clicked in the web client: ``call_kw`` as Odoo's JSON-RPC
        runs it (``retrying``: run again on a concurrency error, then
        committed)."""
        return retrying(lambda: api.call_kw(env[model], method, [ids], {}), env)

    def test_two_resends_at_once_send_one_email_with_the_mail_server_down(self):
        """Two users click *Send E-mail Again* on the same letter at once;
        the mail server is down, so the first click's e-mail fails at once
        and the letter waits again. The second click is refused, whether the
        first is still running or has just ended: one e-mail, not two."""
        Letter = "account.dunning.letter"
        with (
            self._committed_failed_letter() as letter_id,
            patch.object(
                IrMailServer,
                "connect",
                side_effect=ConnectionRefusedError("Connection refused"),
            ),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            with self._transaction() as late, self._transaction() as first:
                self.assertEqual(late[Letter].browse(letter_id).state, "email_error")
                api.call_kw(first[Letter], "action_resend_email", [[letter_id]], {})
                with self.assertRaisesRegex(UserError, "Another user is e-mailing"):
                    self._click(late, Letter, "action_resend_email", [letter_id])
                first.cr.commit()
                self.assertEqual(first[Letter].browse(letter_id).state, "email_error")
                # Begun before the first ended: refused, not run again on the
                # letter that the failed e-mail put back to wait.
                with self.assertRaisesRegex(UserError, "Another user is e-mailing"):
                    self._click(late, Letter, "action_resend_email", [letter_id])
                with self.assertRaisesRegex(UserError, "Another user is e-mailing"):
                    self._click(late, Letter, "action_mark_posted", [letter_id])
            with self._transaction() as env:
                letter = env[Letter].browse(letter_id)
                self.assertEqual(letter.state, "email_error")
                self.assertEqual(
                    len(letter._get_email_messages()), 2, "sent, then sent again once"
                )
                # A click made afterwards, on the letter that waits again,
                # e-mails it again.
                self._click(env, Letter, "action_resend_email", [letter_id])
                self.assertEqual(len(letter._get_email_messages()), 3)

    def test_resend_and_mark_posted_at_once(self):
        """One user marks the letter as posted while another e-mails it
        again: the second is refused, then told the letter no longer
        waits."""
        Letter = "account.dunning.letter"
        with self._committed_failed_letter() as letter_id:
            with self._transaction() as late, self._transaction() as first:
                self.assertEqual(late[Letter].browse(letter_id).state, "email_error")
                self._click(first, Letter, "action_mark_posted", [letter_id])
                with self.assertRaisesRegex(UserError, "or has just done so"):
                    self._click(late, Letter, "action_resend_email", [letter_id])
                late.cr.rollback()
                with self.assertRaisesRegex(UserError, "Only letters whose e-mail"):
                    self._click(late, Letter, "action_resend_email", [letter_id])
                letter = late[Letter].browse(letter_id)
                self.assertEqual(letter.state, "sent")
                self.assertEqual(len(letter._get_email_messages()), 1)

    def test_two_resolutions_at_once(self):
        """Two users confirm the resolution wizard of the same dispute at
        once: the second gets a message about the dispute, never a database
        error, and the dispute is resolved once."""
        Wizard = "account.dispute.resolve.wizard"
        with self._committed_invoice() as (invoice_id, partner_id):
            with self._transaction() as env:
                dispute = env["account.dispute"].create(
                    {
                        "partner_id": partner_id,
                        "invoice_ids": [Command.set([invoice_id])],
                        "reason_id": env.ref("account_dispute.reason_wrong_price").id,
                        "date_opened": "2026-02-01",
                    }
                )
                dispute.action_open()
                env.cr.commit()
                dispute_id = dispute.id
            values = {
                "dispute_id": dispute_id,
                "resolution": "credit_note",
                "date_resolved": "2026-02-10",
            }
            with self._transaction() as late, self._transaction() as first:
                # Each user opens the wizard (the dialog saves it: committed),
                # then both confirm it.
                late_wizard = late[Wizard].create(values)
                late.cr.commit()
                first_wizard = first[Wizard].create(values)
                first.cr.commit()
                self.assertEqual(late_wizard.dispute_id.state, "open")
                api.call_kw(first[Wizard], "action_confirm", [first_wizard.ids], {})
                with self.assertRaisesRegex(UserError, "Another user is changing"):
                    self._click(late, Wizard, "action_confirm", late_wizard.ids)
                first.cr.commit()
                with self.assertRaisesRegex(UserError, "it may already be resolved"):
                    self._click(late, Wizard, "action_confirm", late_wizard.ids)
                late.cr.rollback()
                # Reloaded, the second user is told the dispute is resolved.
                with self.assertRaisesRegex(UserError, "its status is “Resolved”"):
                    self._click(
                        late, Wizard, "action_confirm", [late[Wizard].create(values).id]
                    )
            with self._transaction() as env:
                dispute = env["account.dispute"].browse(dispute_id)
                self.assertEqual(dispute.state, "resolved")
                tracked = dispute.message_ids.tracking_value_ids.filtered(
                    lambda t: t.field_id.name == "state"
                )
                self.assertEqual(tracked.mapped("new_value_char").count("Resolved"), 1)
