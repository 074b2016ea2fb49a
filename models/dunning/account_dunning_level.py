# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..common.account_dispute_date_range_mixin import check_day_count

LETTER_TYPE_SELECTION = [("reminder", "Reminder"), ("formal_notice", "Formal notice")]
# A preventive reminder comes at most a year before the due date.
DELAY_DAYS_MIN = -365


class AccountDunningLevel(models.Model):
    _name = "account.dunning.level"
    _description = "Dunning Level"
    _order = "company_id, sequence, delay_days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="The rank of the level in the ladder: an invoice climbs it in this order.",
    )
    delay_days = fields.Integer(
        string="Days After Due Date",
        required=True,
        help="Days after the due date at which an unpaid invoice reaches this "
        "level. A negative number makes a preventive reminder before the due date "
        "(a year before at most); ten years after at most.",
    )
    letter_type = fields.Selection(
        selection=LETTER_TYPE_SELECTION,
        required=True,
        default="reminder",
        help="A formal notice (mise en demeure) states the legal consequences: "
        "late-payment penalties and the recovery indemnity.",
    )
    channel = fields.Selection(
        selection=[
            ("email", "E-mail"),
            ("letter", "Letter"),
            ("email_letter", "E-mail and letter"),
        ],
        required=True,
        default="email",
    )
    registered_mail = fields.Boolean(
        string="Registered Letter",
        help="Sent by registered letter with acknowledgement of receipt; the "
        "letter's registered mail number can be recorded.",
    )
    deadline_days = fields.Integer(
        string="Days to Pay",
        default=8,
        help="The payment deadline stated in the letter, in days after the "
        "customer receives it. The letter's date plus the company's postal delay "
        "(letters sent by post) plus these days gives the date it prints.",
    )
    signatory_name = fields.Char(
        string="Signed By",
        help="Who signs this level's letters, e.g. a lawyer for the formal notice. "
        "Empty: the signatory of the company's settings.",
    )
    signatory_title = fields.Char(
        string="Signatory's Title",
        help="Printed under the level's signatory; used only with its name.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="E-mail Template",
        domain="[('model', '=', 'account.dunning.letter')]",
    )
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type",
        string="Activity",
        help="An activity planned for the customer's dispute owner or "
        "salesperson when a letter of this level is sent, e.g. a phone call.",
    )
    auto_send = fields.Boolean(
        string="Send Automatically",
        help="The nightly run sends the letters of this level at once, even when "
        "the company reviews the others.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    letter_count = fields.Integer(compute="_compute_letter_count")

    _sql_constraints = [
        (
            "deadline_days_positive",
            "CHECK(deadline_days >= 0)",
            "The days to pay cannot be negative.",
        ),
    ]

    @api.constrains("delay_days", "deadline_days")
    def _check_days(self):
        """A level moves dates by a bounded number of days: from a year before
        the due date to ten years after it, and up to ten years to pay.

        :raise ValidationError: see ``check_day_count``.
        """
        for level in self:
            check_day_count(level, "delay_days", minimum=DELAY_DAYS_MIN)
            check_day_count(level, "deadline_days")

    @api.depends_context("company")
    def _compute_letter_count(self):
        counts = dict(
            self.env["account.dunning.letter"]._read_group(
                [("level_id", "in", self.ids)], ["level_id"], ["__count"]
            )
        )
        for level in self:
            level.letter_count = counts.get(level, 0)

    def _get_postal_delay_days(self):
        """Days the level's letters take to reach the customer.

        The company's postal delay for letters sent by post (letter, e-mail and
        letter, registered letter), 0 for e-mail only: a letter's deadline
        counts the days to pay from its receipt.
        """
        self.ensure_one()
        if self.channel in ("letter", "email_letter") or self.registered_mail:
            return self.company_id.dunning_postal_delay_days
        return 0
