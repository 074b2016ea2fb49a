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
        self.write({"state": "sent", "email_failure_reason": False})
        for letter in self:
            letter._send_email()
        return True

    def action_mark_posted(self):
        """The letter whose e-mail failed was printed and posted: it is sent.

        :raises UserError: a letter's e-mail did not fail.
        """
        self._check_email_failed()
        self.write({"state": "sent", "email_failure_reason": False})
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
        letters.write({"state": "email_error", "email_failure_reason": reason})
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
