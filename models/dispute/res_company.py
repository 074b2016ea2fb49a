# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from .account_dispute import DUE_DATE_POLICY_SELECTION


class ResCompany(models.Model):
    _inherit = "res.company"

    dispute_due_date_policy = fields.Selection(
        selection=DUE_DATE_POLICY_SELECTION,
        string="Due Dates After a Dispute",
        default="restart",
        required=True,
        help="How the due dates of a disputed invoice are set when its dispute is "
        "resolved. French practice restarts the payment term from the resolution "
        "date; the resolution wizard can choose another policy case by case.",
        groups="base.group_user",
    )
    dispute_manager_id = fields.Many2one(
        comodel_name="res.users",
        domain="[('share', '=', False)]",
        help="Alerted when a dispute stays past its deadline, and when a formal "
        "notice's deadline passes unpaid.",
        groups="base.group_user",
    )
    dispute_escalation_days = fields.Integer(
        string="Days Before Alerting the Manager",
        default=7,
        help="Days past a dispute's deadline after which the dispute manager is "
        "alerted too, not only its owner.",
        groups="base.group_user",
    )
    dunning_mode = fields.Selection(
        selection=[
            ("review", "Prepare the letters for review"),
            ("send", "Send the letters"),
        ],
        string="Nightly Dunning",
        default="review",
        required=True,
        groups="base.group_user",
    )
    dunning_last_run = fields.Datetime(
        string="Last Dunning Run",
        readonly=True,
        copy=False,
        help="When the company's last dunning run began and ended; a run that "
        "began before another ended is skipped, so that it never misses that "
        "run's letters.",
        groups="base.group_user",
    )
    dunning_skip_levels = fields.Boolean(
        string="Skip Levels",
        help="Let a very late invoice reach a higher level at once, without the "
        "letters of the levels below.",
        groups="base.group_user",
    )
    dunning_claim_penalties = fields.Boolean(
        string="Claim Penalties on Formal Notices",
        default=True,
        help="Print the late-payment penalties and the recovery indemnity on "
        "formal notices, and add them to the amount claimed.",
        groups="base.group_user",
    )
    dunning_postal_delay_days = fields.Integer(
        string="Postal Delay (Days)",
        default=2,
        help="Days a letter sent by post takes to reach the customer. A letter's "
        "payment deadline counts its days to pay from its receipt: letter date + "
        "this delay + the level's days to pay. Not added to letters sent by "
        "e-mail only.",
        groups="base.group_user",
    )
    dunning_signatory_name = fields.Char(
        string="Letters Signed By",
        help="The person who signs the dunning letters and formal notices. Empty: "
        "the letters are signed with the company's name. A dunning level can name "
        "another signatory.",
        groups="base.group_user",
    )
    dunning_signatory_title = fields.Char(
        string="Signatory's Title",
        help="Printed under the signatory's name, e.g. Chief Financial Officer.",
        groups="base.group_user",
    )
    late_payment_rate = fields.Float(
        string="Contractual Late-Payment Rate (%)",
        digits=(16, 2),
        help="The annual rate of the late-payment penalties your terms of sale "
        "set (French Commercial Code, art. L441-10), at least three times the "
        "legal interest rate. Empty: the legal rate applies, the ECB's main "
        "refinancing rate plus 10 points of each half-year, from the table of "
        "late-payment rates.",
        groups="base.group_user",
    )
    recovery_indemnity = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_recovery_indemnity",
        store=True,
        readonly=False,
        help="Fixed indemnity for recovery costs per invoice paid late (French "
        "Commercial Code, art. D441-5: 40 EUR).",
        groups="base.group_user",
    )
    late_charge_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Late-Payment Charges Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="The income account of the invoices of late-payment charges. Empty: "
        "the first account 7638 or 758 of the chart, else the sales journal's.",
        groups="base.group_user",
    )

    dispute_alias_id = fields.Many2one(
        comodel_name="mail.alias",
        string="Disputes Alias",
        copy=False,
        ondelete="set null",
        help="The address where customers send their complaints: each e-mail "
        "becomes a draft dispute of this company.",
        groups="base.group_user",
    )
    dispute_alias_name = fields.Char(
        string="Disputes Alias Name",
        compute="_compute_dispute_alias_name",
        inverse="_inverse_dispute_alias_name",
        help="The part before the @, e.g. litiges.",
        groups="base.group_user",
    )
    dispute_writeoff_threshold = fields.Monetary(
        string="Write-Off Threshold",
        currency_field="currency_id",
        default=5.0,
        help="A residual this small, left on an invoice after a commercial gesture, "
        "is offered for write-off in the same step.",
        groups="base.group_user",
    )
    dispute_writeoff_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Write-Off Account",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_other', 'income_other'))]",
        help="Where small residuals left after a commercial gesture are written off.",
        groups="base.group_user",
    )
    dispute_gesture_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Commercial Gestures Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Where price gestures (the whole residual, an amount or a percentage) "
        "are credited: the account of discounts granted (French chart: 709, "
        "rabais, remises et ristournes accordés). Empty: the chart's first 709 "
        "account, else the invoice's income accounts.",
        groups="base.group_user",
    )
    dispute_cost_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Re-Invoiced Costs Product",
        check_company=True,
        help="The product of the invoices that pass mediation and recovery costs on "
        "to a customer at fault; its income account and taxes apply.",
        groups="base.group_user",
    )
    dispute_followup_days = fields.Integer(
        string="Satisfaction Follow-Up (Days)",
        default=30,
        help="Days after a dispute is resolved when its owner is asked to call the "
        "customer back. 0 schedules no follow-up.",
        groups="base.group_user",
    )
    payment_plan_grace_days = fields.Integer(
        default=10,
        help="Days an installment may stay unpaid past its date before the payment "
        "plan is broken and its invoices return to the dunning ladder.",
        groups="base.group_user",
    )

    _sql_constraints = [
        (
            "late_payment_rate_positive",
            "CHECK(late_payment_rate >= 0)",
            "The late-payment rate cannot be negative.",
        ),
        (
            "recovery_indemnity_positive",
            "CHECK(recovery_indemnity >= 0)",
            "The recovery indemnity cannot be negative.",
        ),
        (
            "dunning_postal_delay_days_positive",
            "CHECK(dunning_postal_delay_days >= 0)",
            "The postal delay cannot be negative.",
        ),
        (
            "dispute_writeoff_threshold_positive",
            "CHECK(dispute_writeoff_threshold >= 0)",
            "The write-off threshold cannot be negative.",
        ),
        (
            "dispute_followup_days_positive",
            "CHECK(dispute_followup_days >= 0)",
            "The satisfaction follow-up delay cannot be negative.",
        ),
        (
            "payment_plan_grace_days_positive",
            "CHECK(payment_plan_grace_days >= 0)",
            "The payment plan grace days cannot be negative.",
        ),
    ]

    @api.constrains("late_payment_rate")
    def _check_late_payment_rate(self):
        """A contractual rate may not be below three times the legal interest
        rate (French Commercial Code, art. L441-10), the rate of the current
        half-year for creditors other than private persons (Monetary and
        Financial Code, art. L313-2)."""
        today = fields.Date.context_today(self)
        for company in self.filtered("late_payment_rate"):
            legal = company._get_legal_interest_rate_table().rate_at(today)
            if legal and float_compare(company.late_payment_rate, 3 * legal, 2) < 0:
                raise ValidationError(
                    self.env._(
                        "The contractual late-payment rate of %(company)s, "
                        "%(rate).2f %%, is below three times the legal interest "
                        "rate (%(legal).2f %% this half-year): set at least "
                        "%(floor).2f %%, or leave it empty to apply the ECB rate "
                        "plus 10 points (French Commercial Code, art. L441-10).",
                        company=company.name,
                        rate=company.late_payment_rate,
                        legal=legal,
                        floor=3 * legal,
                    )
                )

    def _get_late_payment_rate_table(self):
        """The rates of the late-payment penalties (French Commercial Code,
        art. L441-10): the contractual rate when set, else the ECB rate plus
        10 points of each half-year (``account.late.payment.rate``)."""
        self.ensure_one()
        return self.env["account.late.payment.rate"]._get_table(
            "ecb_plus_10", fixed=self.late_payment_rate
        )

    def _get_legal_interest_rate_table(self):
        """The legal interest rates a company claims (Civil Code, art.
        1231-6): the company is the creditor and acts for its business, so
        the rate "for all other cases" of the Monetary and Financial Code,
        art. L313-2, applies, whoever the debtor is."""
        return self.env["account.late.payment.rate"]._get_table("legal_professional")

    @api.depends("dispute_alias_id.alias_name")
    def _compute_dispute_alias_name(self):
        for company in self:
            company.dispute_alias_name = company.dispute_alias_id.alias_name

    def _inverse_dispute_alias_name(self):
        """Create, rename or drop the company's disputes alias."""
        model = self.env["ir.model"]._get("account.dispute")
        for company in self.sudo():
            name = (company.dispute_alias_name or "").strip()
            alias = company.dispute_alias_id
            if not name:
                company.dispute_alias_id = False
                alias.unlink()
            elif alias:
                alias.alias_name = name
            else:
                company.dispute_alias_id = self.env["mail.alias"].create(
                    {
                        "alias_name": name,
                        "alias_model_id": model.id,
                        "alias_defaults": repr({"company_id": company.id}),
                        "alias_domain_id": company.alias_domain_id.id,
                        "alias_contact": "everyone",
                    }
                )

    def _get_late_charge_account(self):
        """The income account of the invoices of late-payment charges: the
        company's choice, else the first of the chart's accounts 7638 (income
        from other receivables) or 758 (sundry operating income), else the
        default account of the sales journal."""
        self.ensure_one()
        if self.late_charge_account_id:
            return self.late_charge_account_id
        Account = self.env["account.account"].with_company(self)
        domain = [
            *Account._check_company_domain(self),
            ("deprecated", "=", False),
            ("account_type", "in", ("income", "income_other")),
        ]
        for prefix in ("7638", "758"):
            account = Account.search(
                [*domain, ("code", "=like", f"{prefix}%")], order="code", limit=1
            )
            if account:
                return account
        return (
            self.env["account.journal"]
            .search(
                [
                    *self.env["account.journal"]._check_company_domain(self),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            .default_account_id
        )

    @api.depends("country_id")
    def _compute_recovery_indemnity(self):
        for company in self:
            if company.country_id.code == "FR":
                company.recovery_indemnity = 40.0
            else:
                company.recovery_indemnity = company.recovery_indemnity

    def _get_recovery_indemnity(self, currency, date):
        """The fixed recovery indemnity of art. D441-5 of the French Commercial
        Code (40.00 EUR, or the amount the company set) in ``currency``,
        converted at Odoo's rate of ``date``: what a letter claims and what an
        invoice of late charges bills, once per invoice."""
        self.ensure_one()
        return self.currency_id._convert(self.recovery_indemnity, currency, self, date)

    def _get_dispute_gesture_account(self):
        """The account price gestures are credited to: the setting, else the
        company's first active account whose code starts with 709 (French
        chart of accounts, "rabais, remises et ristournes accordés par
        l'entreprise"); empty when neither, and the gesture then credits the
        invoice's income accounts."""
        self.ensure_one()
        return self.dispute_gesture_account_id or self.env[
            "account.account"
        ].with_company(self).search(
            [
                *self.env["account.account"]._check_company_domain(self),
                ("code", "=like", "709%"),
                ("deprecated", "=", False),
            ],
            limit=1,
        )

    def _check_dispute_figures_allowed(self):
        """The addon's KPIs, reports and exports read their figures in SQL,
        past the record rules: they read only the companies the user works in
        now, ``env.companies`` (allowed to the user and selected in the company
        switcher), whatever company the caller passes, through the interface
        or JSON-RPC. The company's name is left out of the message: the user
        may not read it.

        :raise AccessError: when one of these companies is not among them.
        """
        if self - self.env.companies:
            raise AccessError(
                self.env._(
                    "You can only read the figures of the companies selected in "
                    "the company switcher: select the company there first."
                )
            )
