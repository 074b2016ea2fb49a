# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize


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

    def _compute_date_deadline(self):
        """The deadline of a letter whose e-mail failed stays as printed."""
        failed = self.filtered(lambda letter: letter.state == "email_error")
        for letter in failed:
            letter.date_deadline = letter.date_deadline
        return super(AccountDunningLetter, self - failed)._compute_date_deadline()

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

        :raises UserError: a letter's e-mail did not fail, or its customer has
            no e-mail address.
        """
        self._check_email_failed()
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

        :raises UserError: a letter's e-mail did not fail.
        """
        self._check_email_failed()
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

    def _message_receive_bounce(self, email, partner):
        """A bounce of the letter's e-mail from its recipient: it failed.

        :param str email: the normalized address that bounced.
        :param partner: the partners of that address, if any.
        """
        res = super()._message_receive_bounce(email, partner)
        for letter in self.filtered(lambda x: x.state == "sent"):
            recipients = letter._get_email_messages().partner_ids
            if partner & recipients or email in {
                email_normalize(recipient.email) for recipient in recipients
            }:
                letter._record_email_failure(
                    self.env._(
                        "the mail server of %(email)s returned it (bounce)",
                        email=email,
                    )
                )
        return res
