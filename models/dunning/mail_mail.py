# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        """A dunning letter's e-mail that Odoo's mail queue failed to deliver
        to its recipient (SMTP error, server down, address refused) marks the
        letter as e-mail failed, as OCA ``account_credit_control`` does with its
        control lines. Done before ``super()``, which may delete the mail."""
        if failure_type:
            self._record_dunning_letter_failure(
                success_pids, failure_reason, failure_type
            )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def _record_dunning_letter_failure(self, success_pids, failure_reason, type_):
        # The mail queue runs as whoever flushed it: the letters' state is
        # the delivery's result, not the user's change.
        Letter = self.env["account.dunning.letter"].sudo()
        types = dict(
            self.env["mail.notification"]
            ._fields["failure_type"]
            ._description_selection(self.env)
        )
        for mail in self.filtered(lambda m: m.model == Letter._name and m.res_id):
            letter = Letter.browse(mail.res_id).exists()
            message = mail.mail_message_id
            if not letter or message not in letter._get_email_messages():
                continue
            failed = mail.recipient_ids
            if mail.state != "exception":
                failed = failed.filtered(lambda p: p.id not in success_pids)
            if failed & message.partner_ids:
                letter._record_email_failure(
                    failure_reason or mail.failure_reason or types.get(type_, type_)
                )
