# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ..common.row_lock import lock_rows_or_refuse


class AccountDunningLetter(models.Model):
    """A letter is sent when its e-mail really left: Odoo's mail queue reports
    an SMTP failure (``mail.mail``) or a bounce (``_message_receive_bounce``)
    on the letter, as OCA ``account_credit_control`` records e-mail errors on
    its control lines."""

    _inherit = "account.dunning.letter"

    state = fields.Selection(
        selection_add=[("email_error", "E-mail Failed"), ("cancelled",)],
        ondelete={"email_error": "set sent"},
    )
    email_failure_reason = fields.Text(
        string="E-mail Failure",
        readonly=True,
        copy=False,
        help="Why the letter's e-mail was not delivered: the mail server's error "
        "or the bounce received.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    def _get_deadline_kept_states(self):
        """The states of this concern in which a letter keeps its deadline as
        printed (``_compute_date_deadline``): a letter whose e-mail failed went
        out."""
        return ("email_error",)

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_email_error(self):
        if any(letter.state == "email_error" for letter in self):
            raise UserError(
                self.env._(
                    "A letter whose e-mail failed went out and is kept as evidence: "
                    "it cannot be deleted. Send its e-mail again or post it."
                )
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_resend_email(self):
        """E-mail the letter again, as it was sent (same date, same PDF), to
        its customer's invoice address, and count it as sent.

        Two clicks at once (two users, two tabs) e-mail it once: the second
        is refused, even when the mail server is down and the first click's
        e-mail failed again at once (``_lock_email_failed``).

        :raises UserError: a letter's e-mail did not fail, its customer has no
            e-mail address, or another user is e-mailing it again or posting
            it, or has just done so.
        """
        self._check_email_failed()
        self._lock_email_failed()
        for letter in self:
            if not letter._get_email_recipient().email:
                raise UserError(
                    self.env._(
                        "%(partner)s has no e-mail address: add one, or post the "
                        "letter and mark it as posted.",
                        partner=letter.partner_id.display_name,
                    )
                )
        self._mark_delivered()
        for letter in self:
            letter._send_email()
        return True

    def action_mark_posted(self):
        """The letter whose e-mail failed was printed and posted: it is sent.

        :raises UserError: a letter's e-mail did not fail, or another user is
            e-mailing it again or posting it, or has just done so.
        """
        self._check_email_failed()
        self._lock_email_failed()
        self._mark_delivered()
        for letter in self:
            letter._message_log(
                body=self.env._("The letter was posted after its e-mail failed.")
            )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _check_email_failed(self):
        if any(letter.state != "email_error" for letter in self):
            raise UserError(
                self.env._(
                    "Only letters whose e-mail failed can be e-mailed again or "
                    "marked as posted."
                )
            )

    def _lock_email_failed(self):
        """Hold the letters whose e-mail failed, and check again that it did:
        two clicks of *Send E-mail Again* or *Mark as Posted* at once act
        once. The second waits for nothing: it is refused at once, whether
        the first is still running or has just committed (see
        ``row_lock.lock_rows_or_refuse``).

        :raises UserError: another user holds the letters or changed them
            meanwhile, or a letter is no longer waiting.
        """
        lock_rows_or_refuse(
            self,
            self.env._(
                "Another user is e-mailing %(letters)s again or marking it as "
                "posted, or has just done so: reload the letter to see its state.",
                letters=", ".join(self.mapped("display_name")),
            ),
        )
        self.invalidate_recordset(["state"])
        done = self.filtered(lambda letter: letter.state != "email_error")
        if done:
            raise UserError(
                self.env._(
                    "%(letters)s was e-mailed again or marked as posted meanwhile: "
                    "it no longer waits for a person.",
                    letters=", ".join(done.mapped("display_name")),
                )
            )

    def _get_email_messages(self):
        """The messages that e-mailed the letter: those carrying its PDF to a
        recipient."""
        self.ensure_one()
        if not self.attachment_id:
            return self.env["mail.message"]
        return self.message_ids.filtered(
            lambda message: (
                message.partner_ids and self.attachment_id in message.attachment_ids
            )
        )

    def _record_email_failure(self, reason):
        """The e-mail of sent letters failed: say so on the letter, its
        chatter and its run.

        :param str reason: the mail server's error or the bounce, as the
            user should read it.
        """
        letters = self.filtered(lambda letter: letter.state == "sent")
        if not letters:
            return
        letters._write_internal(
            {"state": "email_error", "email_failure_reason": reason}
        )
        letters._roll_back_invoices_level()
        letters._drop_from_higher_drafts()
        for letter in letters:
            letter._message_log(
                body=self.env._(
                    "The e-mail of the letter was not delivered: %(reason)s. Send "
                    "it again once the address is right, or post the letter.",
                    reason=reason,
                )
            )
        for letter in letters.filtered("run_id"):
            letter.run_id._log("email", reason, letter=letter)

    def _mark_delivered(self):
        """The letters whose e-mail failed reached the customer after all
        (e-mailed again, or posted): sent, and their level reached on their
        invoices that no later letter took further."""
        self._write_internal({"state": "sent", "email_failure_reason": False})
        for letter in self:
            key = (letter.level_id.sequence, letter.date)
            letter._set_invoices_level(
                letter.invoice_ids.filtered(
                    lambda m, key=key: (
                        not m.dunning_level_id
                        or (m.dunning_level_id.sequence, m.dunning_date) < key
                    )
                )
            )

    def _roll_back_invoices_level(self):
        """The letters' e-mail failed: their level is not reached. Their
        invoices go back to the level and date of their last letter that was
        delivered (state ``sent``), or to none; an invoice that a later letter
        took further keeps its level. The planner then waits for the failed
        letter to be e-mailed again or posted (``account.dunning.run.
        _query_dunning_candidates``)."""
        delivered = self.search(
            [
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("state", "=", "sent"),
                ("id", "not in", self.ids),
            ],
            order="date desc, id desc",
        )
        for letter in self:
            for invoice in letter.invoice_ids.filtered(
                lambda m, letter=letter: (
                    m.dunning_level_id == letter.level_id
                    and m.dunning_date == letter.date
                )
            ):
                previous = delivered.filtered(
                    lambda x, invoice=invoice, letter=letter: (
                        invoice in x.invoice_ids and x.date <= letter.date
                    )
                )[:1]
                invoice.with_context(skip_is_manually_modified=True).write(
                    {
                        "dunning_level_id": previous.level_id.id,
                        "dunning_date": previous.date,
                    }
                )

    def _drop_from_higher_drafts(self):
        """Take the invoices of the letters whose e-mail failed out of the
        draft letters of a higher level prepared meanwhile: the ladder climbs
        from a delivered letter only. An emptied draft is cancelled."""
        drafts = self.search(
            [("state", "=", "draft"), ("invoice_ids", "in", self.invoice_ids.ids)]
        )
        for draft in drafts:
            failed = self.filtered(
                lambda x, draft=draft: x.level_id.sequence < draft.level_id.sequence
            )
            invoices = failed.invoice_ids & draft.invoice_ids
            if not invoices:
                continue
            draft.invoice_ids = [fields.Command.unlink(m.id) for m in invoices]
            draft._message_log(
                body=self.env._(
                    "%(invoices)s taken out of this letter: the e-mail of the "
                    "previous letter on them was not delivered.",
                    invoices=", ".join(invoices.mapped("name")),
                )
            )
        drafts.filtered(lambda x: not x.invoice_ids).action_cancel()

    @api.model
    def _get_bounce_evidence(self, email_message, message_dict):
        """What an incoming bounce shows of where it comes from, for
        ``_message_receive_bounce``: (the sender's normalized address, or "";
        whether it is a mail server's delivery status report, RFC 3464: a
        ``multipart/report; report-type=delivery-status`` holding a
        ``message/delivery-status`` part).

        :param email_message: the ``email.message.EmailMessage`` received.
        :param dict message_dict: what Odoo's mail gateway parsed of it.
        """
        report = (
            email_message.get_content_type() == "multipart/report"
            and (email_message.get_param("report-type") or "").lower()
            == "delivery-status"
            and any(
                part.get_content_type() == "message/delivery-status"
                for part in email_message.walk()
            )
        )
        return (email_normalize(message_dict.get("email_from") or "") or "", report)

    def _message_receive_bounce(self, email, partner):
        """A bounce of the letter's e-mail from its recipient: it failed,
        unless the customer could have written the bounce itself.

        A bounce counts when a mail server sent it: one sent from an address
        of the customer (the letter's recipient or any of the customer's
        contacts) leaves the letter sent, with a note and an activity for a
        person to check. One that counts but that the customer could still
        have forged (sent from its domain, not a delivery status report, or
        not received by the mail gateway) puts the letter in *E-mail Failed*
        and says so, with an activity (``_get_bounce_doubt``).

        :param str email: the normalized address that bounced.
        :param partner: the partners of that address, if any.
        """
        res = super()._message_receive_bounce(email, partner)
        evidence = self.env.context.get("dunning_bounce_evidence")
        for letter in self.filtered(lambda x: x.state == "sent"):
            recipients = letter._get_email_messages().partner_ids
            if not (
                partner & recipients
                or email in {email_normalize(r.email) for r in recipients}
            ):
                continue
            sender, doubt = letter._get_bounce_doubt(evidence)
            if doubt == "customer":
                letter._ask_bounce_check(
                    self.env._(
                        "A report that the e-mail of the letter was not delivered "
                        "to %(email)s came from %(sender)s, an address of the "
                        "customer: a mail server does not send its reports from "
                        "the recipient's address. The letter stays sent; check "
                        "with the customer that it was received.",
                        email=email,
                        sender=sender,
                    )
                )
                continue
            reason = self.env._(
                "the mail server of %(email)s returned it (bounce)", email=email
            )
            if doubt:
                reason = self.env._(
                    "%(reason)s; the customer could have written this bounce "
                    "itself (%(doubt)s): check it before relying on it",
                    reason=reason,
                    doubt=doubt,
                )
            letter._record_email_failure(reason)
            if doubt:
                letter._ask_bounce_check(
                    self.env._(
                        "The letter was marked as not delivered on a bounce that "
                        "the customer could have written itself (%(doubt)s). "
                        "Check with the customer or in the mail server's log; if "
                        "the letter was received, mark it as posted.",
                        doubt=doubt,
                    )
                )
        return res

    def _get_bounce_doubt(self, evidence):
        """Whether the customer could have written a bounce of this letter's
        e-mail, from the ``evidence`` of ``_get_bounce_evidence``.

        :return: (the bounce's sender, doubt): doubt is ``"customer"`` when
            the bounce came from an address of the customer (it does not
            count), a sentence saying why it could be forged, or "" when a
            mail server's delivery report came from another domain.
        """
        self.ensure_one()
        if not evidence:
            return "", self.env._("it did not come through the mail gateway")
        sender, report = evidence
        addresses = self._get_customer_addresses()
        if sender in addresses:
            return sender, "customer"
        if not sender:
            return sender, self.env._("it gives no sender address")
        domain = sender.rpartition("@")[2]
        domains = {address.rpartition("@")[2] for address in addresses}
        if any(domain == d or domain.endswith("." + d) for d in domains if d):
            return sender, self.env._(
                "it came from %(sender)s, of the customer's own domain",
                sender=sender,
            )
        if not report:
            return sender, self.env._(
                "it is not a mail server's delivery status report"
            )
        return sender, ""

    def _get_customer_addresses(self):
        """The normalized e-mail addresses of the letter's customer: its
        recipients, and the customer and all its contacts, archived ones
        included."""
        self.ensure_one()
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    (
                        "commercial_partner_id",
                        "=",
                        self.partner_id.commercial_partner_id.id,
                    )
                ]
            )
        )
        partners = (
            contacts
            | self._get_email_messages().partner_ids
            | self._get_email_recipient()
        )
        return {
            email_normalize(address)
            for address in partners.mapped("email")
            if email_normalize(address)
        }

    def _ask_bounce_check(self, body):
        """Say on the letter that a bounce needs a person, and ask its
        responsible to check it."""
        self.ensure_one()
        self._message_log(body=body)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self._get_responsible().id,
            summary=self.env._("Check the bounce of %(letter)s", letter=self.name),
            note=body,
        )
