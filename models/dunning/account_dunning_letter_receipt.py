# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..common.states import ISSUED_STATES


class AccountDunningLetter(models.Model):
    """A letter sent by registered post with acknowledgement of receipt
    (lettre recommandée avec accusé de réception): its number and the day the
    customer received it, from the acknowledgement that comes back.

    The days to pay of a formal notice run from its receipt (Civil Code art.
    1344 and French practice, "sous huitaine à compter de la réception"):
    until the acknowledgement is back, the company's postal delay stands for
    it; once recorded, the deadline is counted from the real date.
    """

    _inherit = "account.dunning.letter"

    registered_mail = fields.Boolean(related="level_id.registered_mail")
    date_received = fields.Date(
        string="Received On",
        readonly=True,
        copy=False,
        tracking=True,
        help="The date of receipt on the acknowledgement of the registered "
        "letter: the days to pay run from it. Recorded with Record the "
        "Acknowledgement.",
    )

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------

    @api.constrains("date_received", "date", "state")
    def _check_date_received(self):
        today = fields.Date.context_today(self)
        for letter in self.filtered("date_received"):
            if letter.state not in ISSUED_STATES:
                raise ValidationError(
                    self.env._(
                        "%(letter)s was not sent: record its receipt once it is.",
                        letter=letter.name,
                    )
                )
            if not letter.date <= letter.date_received <= today:
                raise ValidationError(
                    self.env._(
                        "%(letter)s: the date of receipt must lie between the "
                        "letter's date (%(date)s) and today; check the "
                        "acknowledgement of receipt.",
                        letter=letter.name,
                        date=format_date(self.env, letter.date),
                    )
                )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_open_receipt_wizard(self):
        """Record the registered letter's number and its date of receipt."""
        self.ensure_one()
        self._check_can_record_receipt()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the Acknowledgement of Receipt"),
            "res_model": "account.dunning.letter.receipt.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_letter_id": self.id,
                "default_registered_mail_ref": self.registered_mail_ref,
                "default_date_received": self.date_received,
            },
        }

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _check_can_record_receipt(self):
        """:raises UserError: a letter is not sent, or not by registered post."""
        for letter in self:
            if letter.state not in ISSUED_STATES or not letter.registered_mail:
                raise UserError(
                    self.env._(
                        "%(letter)s is not a registered letter that was sent: only "
                        "the receipt of a sent registered letter can be recorded.",
                        letter=letter.name,
                    )
                )

    def _record_receipt(self, registered_mail_ref, date_received):
        """Record the acknowledgement of receipt of the sent registered
        letter: its number and the day the customer received it; the deadline
        becomes that day plus the days to pay the letter gave (counted back
        from its deadline, ``_get_days_from_receipt``).

        :param str registered_mail_ref: the registered letter's number.
        :param date_received: the date on the acknowledgement (date or
            ``YYYY-MM-DD``).
        :raises UserError: the letter is not a sent registered letter, or the
            number is missing.
        :raises ValidationError: the date is before the letter's or to come.
        """
        self.ensure_one()
        self._check_can_record_receipt()
        if not registered_mail_ref:
            raise UserError(
                self.env._(
                    "Enter the number of the registered letter, as printed on its "
                    "acknowledgement of receipt."
                )
            )
        date_received = fields.Date.to_date(date_received)
        days = self._get_days_from_receipt()
        self._write_internal(
            {
                "registered_mail_ref": registered_mail_ref,
                "date_received": date_received,
                "date_deadline": fields.Date.add(date_received, days=days),
            }
        )
        return True
