# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Sending a letter: at once from the screen, or from the queue that the send
crons share."""

import logging
import subprocess
import time
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from ..common.frozen_record_mixin import internal_writes

_logger = logging.getLogger(__name__)

# More letters than this, sent from the screen, go through the queue: the
# HTTP request would outlive Odoo's limits (about 1.25 s a letter's PDF).
SEND_NOW_LIMIT = 5
# A letter that fails this many times waits for a person.
MAX_SEND_ATTEMPTS = 3
# Minutes before a failed letter is tried again, times its attempts.
RETRY_MINUTES = 5

_wkhtmltopdf_splits = []


def wkhtmltopdf_splits_records():
    """Whether wkhtmltopdf is the patched-Qt build, whose PDF outlines let
    Odoo split one rendering of several records (``ir.actions.report.
    _render_qweb_pdf_prepare_streams``). Asked once per process."""
    if not _wkhtmltopdf_splits:
        try:
            version = subprocess.run(
                [_get_wkhtmltopdf_bin(), "--version"],
                capture_output=True,
                timeout=30,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            version = b""
        _wkhtmltopdf_splits.append(b"patched qt" in version.lower())
    return _wkhtmltopdf_splits[0]


class AccountDunningLetter(models.Model):
    _inherit = "account.dunning.letter"

    run_id = fields.Many2one(
        comodel_name="account.dunning.run",
        string="Dunning Run",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The run that prepared the letter, or that sends it.",
    )
    sending_state = fields.Selection(
        selection=[("queued", "Queued to Send"), ("blocked", "Waiting for a Person")],
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Queued: the send step takes it up. Waiting for a person: it failed "
        "too many times; see the error, then send it again.",
    )
    send_attempt_count = fields.Integer(
        string="Sending Attempts", readonly=True, copy=False
    )
    send_retry_date = fields.Datetime(string="Next Attempt", readonly=True, copy=False)
    send_error = fields.Text(string="Sending Error", readonly=True, copy=False)

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the letters: a few at once, more through the queue of the
        send step (Odoo kills a request after 120 s), with a run to follow.

        :raises UserError: a letter is not a draft, or the only letter to send
            at once is covered by open credits.
        """
        if any(letter.state != "draft" for letter in self):
            raise UserError(self.env._("Only draft letters can be sent."))
        if len(self) <= SEND_NOW_LIMIT:
            return self._send_now()
        runs = self.env["account.dunning.run"]
        for company in self.company_id:
            with internal_writes():
                run = runs.create(
                    {
                        "company_id": company.id,
                        "trigger": "send",
                        "date_prepared": fields.Datetime.now(),
                    }
                )
            self.filtered(lambda x, c=company: x.company_id == c)._queue_for_sending(
                run
            )
            runs |= run
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "%(count)s letters are queued: they are sent in the background. "
                    "Follow the run in Accounting > Customers > Dunning Runs.",
                    count=len(self),
                ),
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "account.dunning.run",
                    "views": [[False, "list"], [False, "form"]],
                    "domain": [("id", "in", runs.ids)],
                    "name": self.env._("Dunning Runs"),
                },
            },
        }

    def action_send_again(self):
        """Put letters that failed back in the queue, their attempts reset."""
        letters = self.filtered(lambda x: x.state == "draft")
        letters._write_internal(
            {
                "sending_state": "queued",
                "send_attempt_count": 0,
                "send_retry_date": False,
            }
        )
        letters.run_id._reopen()
        self.env["account.dunning.run"]._trigger_sending()
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS: the queue
    # ------------------------------------------------------------------

    def _queue_for_sending(self, run):
        """Queue the draft letters for the send step of ``run``."""
        if not self:
            return
        self._write_internal(
            {
                "run_id": run.id,
                "sending_state": "queued",
                "send_attempt_count": 0,
                "send_retry_date": False,
                "send_error": False,
            }
        )
        run._trigger_sending()

    def _take_queued_letters(self, limit):
        """Take up to ``limit`` queued letters ready to go, locked by this
        transaction; those another sender holds are skipped (``FOR UPDATE
        SKIP LOCKED``). Runs as the send cron, for every company."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM account_dunning_letter
                 WHERE sending_state = 'queued' AND state = 'draft'
                   AND (send_retry_date IS NULL OR send_retry_date <= %s)
              ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                fields.Datetime.now(),
                limit,
            )
        )
        return self.browse([letter_id for (letter_id,) in rows])

    def _count_queued_letters(self):
        """Queued letters ready to go now."""
        return self.search_count(
            [
                ("sending_state", "=", "queued"),
                ("state", "=", "draft"),
                "|",
                ("send_retry_date", "=", False),
                ("send_retry_date", "<=", fields.Datetime.now()),
            ]
        )

    def _send_queued(self, deadline=None):
        """Send each letter in a savepoint of its own; one that fails is
        retried later, then left for a person (``MAX_SEND_ATTEMPTS``).

        :param deadline: ``time.monotonic()`` value after which no letter is
            begun: those left stay queued for the next step.
        :return: the letters sent or tried.
        """
        pdfs = self._render_pdfs()
        done = self.browse()
        for letter in self:
            if deadline and time.monotonic() >= deadline:
                break
            done |= letter
            letter = letter.with_company(letter.company_id)
            try:
                with self.env.cr.savepoint():
                    letter._send_now(pdfs=pdfs, raise_covered=False)
            except Exception as error:  # pylint: disable=broad-except
                _logger.warning(
                    "Dunning letter %s not sent", letter.name, exc_info=True
                )
                self.env.invalidate_all()
                letter._write_internal({"send_error": str(error)})
            if letter.state == "draft":
                letter._record_send_failure(
                    letter.send_error or self.env._("Not sent.")
                )
            else:
                letter._write_internal({"sending_state": False})
        return done

    def _record_send_failure(self, error):
        """Count a failed attempt: in the run's log and the letter's chatter;
        retried later, or left for a person after ``MAX_SEND_ATTEMPTS``."""
        self.ensure_one()
        attempt = self.send_attempt_count + 1
        blocked = attempt >= MAX_SEND_ATTEMPTS
        self._write_internal(
            {
                "send_attempt_count": attempt,
                "send_error": error,
                "sending_state": "blocked" if blocked else "queued",
                "send_retry_date": False
                if blocked
                else fields.Datetime.now() + timedelta(minutes=RETRY_MINUTES * attempt),
            }
        )
        if blocked:
            body = self.env._(
                "The letter could not be sent after %(count)s attempts: %(error)s. "
                "Correct the cause, then send it again.",
                count=attempt,
                error=error,
            )
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self._get_responsible().id,
                summary=self.env._("Send %(letter)s by hand", letter=self.name),
                note=body,
            )
        else:
            body = self.env._(
                "Attempt %(count)s to send the letter failed: %(error)s. It will be "
                "tried again.",
                count=attempt,
                error=error,
            )
            self.env["account.dunning.run"].sudo()._trigger_sending_at(
                self.send_retry_date
            )
        self.message_post(body=body)
        if self.run_id:
            self.run_id._log(
                "failed" if blocked else "retry", error, letter=self, attempt=attempt
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS: sending
    # ------------------------------------------------------------------

    def _send_now(self, pdfs=None, raise_covered=True):
        """Date the letters today, claim what is due today, print them, e-mail
        them where their level says so, and trace them.

        What a sent letter states is frozen. A letter whose invoices were all
        paid or contested meanwhile is cancelled; one whose customer's open
        credits cover its invoices is not sent, and the user is told why.

        :param pdfs: {letter id: PDF bytes} rendered beforehand, if any.
        :param raise_covered: refuse when every letter is covered.
        :return: a client action telling about covered letters, or True.
        :raises UserError: another transaction holds the letters or their
            invoices, or (``raise_covered``) all letters are covered.
        """
        self._lock_for_sending()
        self.with_context(dunning_claim_later=True).write(
            {"date": fields.Date.context_today(self)}
        )
        self._refresh_drafts()
        letters = self.filtered(lambda letter: letter.state == "draft")
        covered = letters.filtered(lambda letter: letter._is_covered())
        if raise_covered and covered and covered == self:
            raise UserError(
                "\n".join(letter._get_covered_message() for letter in covered)
            )
        for letter in covered:
            letter.message_post(body=letter._get_covered_message())
            if letter.run_id:
                letter.run_id._log("skipped", letter._get_covered_message(), letter)
            letter._cancel(letter._get_covered_message())
        for letter in letters - covered:
            if not letter._issue(pdfs):
                continue
            # Sent before its e-mail leaves: a failure of Odoo's mail queue,
            # even one met at once (mail_notify_force_send), finds the letter
            # sent and marks it failed (models/dunning/mail_mail.py).
            if letter.level_id.channel in ("email", "email_letter"):
                letter._send_email()
        if covered and raise_covered:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "message": "\n".join(x._get_covered_message() for x in covered),
                },
            }
        return True

    def _lock_for_sending(self):
        """Hold the letters and their invoices, or refuse at once.

        So that a letter is not sent twice by two users or runs, nor sent on
        an invoice whose dispute or payment another user is saving.
        """
        company = self.env.company
        if not all(
            not records or company._with_locked_records(records, allow_raising=False)
            for records in (self, self.invoice_ids)
        ):
            raise UserError(
                self.env._(
                    "Another user is changing these letters or their invoices (a "
                    "payment, a dispute, a sending): try again in a moment."
                )
            )

    def _render_pdfs(self):
        """{letter id: PDF bytes} of the letters, in one wkhtmltopdf call when
        the binary can split it by letter (patched Qt), else {}: each letter
        is then rendered alone when it is sent."""
        if len(self) < 2 or not wkhtmltopdf_splits_records():
            return {}
        report = self.env.ref("account_dispute.report_dunning_letter_action")
        # Dated and claimed as _send_now will: the same rows, the same PDF.
        self.with_context(dunning_claim_later=True).write(
            {"date": fields.Date.context_today(self)}
        )
        self._refresh_drafts()
        try:
            streams = report._render_qweb_pdf_prepare_streams(
                report.report_name, {"report_type": "pdf"}, self.ids
            )
        except UserError:
            _logger.warning("Letters %s not rendered together", self.ids, exc_info=True)
            return {}
        if not set(self.ids) <= set(streams):
            return {}
        return {res_id: streams[res_id]["stream"].getvalue() for res_id in self.ids}

    def _issue(self, pdfs=None):
        """The draft letters go out as they stand (their date, their rows):
        each keeps its PDF (rendered unless given), is sent, and its invoices
        reach its level; from then on it is frozen. ``_send_now`` dates them
        today first and e-mails them; the demo data issues letters of days
        past.

        :param pdfs: {letter id: PDF bytes} rendered beforehand, if any.
        :return: the letters issued; one that could not be printed stays in
            draft (see ``_attach_pdf``).
        :raises UserError: a letter is not a draft.
        """
        if any(letter.state != "draft" for letter in self):
            raise UserError(self.env._("Only draft letters can be sent."))
        issued = self.browse()
        for letter in self:
            if letter._attach_pdf((pdfs or {}).get(letter.id)):
                letter._write_internal({"state": "sent"})
                letter._trace_sent()
                issued |= letter
        return issued

    def _attach_pdf(self, content=None):
        """Render the letter (unless ``content`` is given) and keep it.

        :return: whether it was; if not, it stays in draft, and its chatter
            and ``send_error`` say why.
        """
        self.ensure_one()
        if content is None:
            report = self.env.ref("account_dispute.report_dunning_letter_action")
            try:
                content, __ = report._render_qweb_pdf(report.report_name, self.ids)
            except UserError as error:
                _logger.warning("Dunning letter %s not rendered: %s", self.name, error)
                self.message_post(
                    body=self.env._(
                        "The letter could not be printed, it stays in draft: %(error)s",
                        error=str(error),
                    )
                )
                self._write_internal({"send_error": str(error)})
                return False
        attachment = self.env["ir.attachment"].create(
            {
                "name": "{}.pdf".format(self.name.replace("/", "-")),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        self._write_internal({"attachment_id": attachment.id})
        return True

    def _get_email_recipient(self):
        """Whom the letter is e-mailed to: the customer's invoice address."""
        self.ensure_one()
        return self.env["res.partner"].browse(
            self.partner_id.address_get(["invoice"])["invoice"]
        )

    def _send_email(self):
        self.ensure_one()
        recipient = self._get_email_recipient()
        if not recipient.email:
            self.message_post(
                body=self.env._(
                    "%(partner)s has no e-mail address: print the letter and post it.",
                    partner=self.partner_id.display_name,
                )
            )
            return
        template = self.level_id.mail_template_id or self.env.ref(
            "account_dispute.mail_template_dunning_letter"
        )
        # Odoo sends the e-mail once the sending commits (the send step's
        # batch), within the step's time: a night of letters never floods
        # Odoo's mail queue, whose cron would outlive the worker's limits.
        self.message_post(
            subject=template._render_field("subject", self.ids, compute_lang=True)[
                self.id
            ],
            body=template._render_field("body_html", self.ids, compute_lang=True)[
                self.id
            ],
            partner_ids=recipient.ids,
            attachment_ids=self.attachment_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )

    def _trace_sent(self):
        """Raise the invoices' level and say so on the invoices.

        Nothing is written on the customer: a contact that other companies
        and every employee read is no place for a company's dunning; the
        letter and its invoices, which the company rules protect, keep it."""
        self.ensure_one()
        self._set_invoices_level(self.invoice_ids)
        body = self.env._(
            "%(level)s sent: %(letter)s.",
            level=self.level_id.name,
            letter=self._get_html_link(),
        )
        self.invoice_ids._message_log_batch(
            bodies=dict.fromkeys(self.invoice_ids.ids, body)
        )
        activity_type = self.level_id.activity_type_id
        if activity_type:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=self._get_responsible().id,
                summary=self.env._("Follow up %(letter)s", letter=self.name),
            )

    def _set_invoices_level(self, invoices):
        """The letter's level is reached on ``invoices``, on the letter's date."""
        self.ensure_one()
        invoices.with_context(skip_is_manually_modified=True).write(
            {"dunning_level_id": self.level_id.id, "dunning_date": self.date}
        )

    def _get_responsible(self):
        """Who follows the letter up: the salesperson, else the dispute manager."""
        self.ensure_one()
        return (
            self.partner_id.user_id
            or self.company_id.dispute_manager_id
            or self.env.user
        )
