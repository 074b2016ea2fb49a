# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The customer's credit insurance cover in the current company, and how much
of it its open invoices use."""

import operator as py_operator
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..common.confirm_labels import label_confirmations
from ..common.states import UNPAID_PAYMENT_STATES

OPERATORS = {
    "<": py_operator.lt,
    "<=": py_operator.le,
    ">": py_operator.gt,
    ">=": py_operator.ge,
    "=": py_operator.eq,
    "!=": py_operator.ne,
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_insurance_cover_id = fields.Many2one(
        comodel_name="account.credit.insurance.cover",
        compute="_compute_credit_insurance",
        search="_search_credit_insurance_cover_id",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The cover of the customer running today, from an active policy of "
        "the current company.",
    )
    credit_insurance_amount = fields.Monetary(
        string="Agreed Cover",
        compute="_compute_credit_insurance",
        currency_field="credit_insurance_currency_id",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The agreed cover, in the company's currency.",
    )
    credit_insurance_amount_used = fields.Monetary(
        string="Cover Used",
        compute="_compute_credit_insurance",
        currency_field="credit_insurance_currency_id",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="What is left to pay on the customer's posted invoices of the "
        "company, less the part disputes hold, in the company's currency.",
    )
    credit_insurance_amount_disputed = fields.Monetary(
        string="Disputed (Not Covered)",
        compute="_compute_credit_insurance",
        currency_field="credit_insurance_currency_id",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="What disputes hold on the customer's invoices (the contested "
        "part only): insurers exclude it until the dispute is settled.",
    )
    credit_insurance_amount_left = fields.Monetary(
        string="Cover Left",
        compute="_compute_credit_insurance",
        search="_search_credit_insurance_amount_left",
        currency_field="credit_insurance_currency_id",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
        help="The agreed cover less the cover used; negative when the open "
        "invoices pass the cover.",
    )
    credit_insurance_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_credit_insurance",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )
    credit_insurance_date_declared = fields.Date(
        related="credit_insurance_cover_id.date_declared",
        string="Threatened Loss Declared On",
        groups="account_dispute.group_account_dispute_user,account.group_account_readonly",
    )

    # ------------------------------------------------------------------
    # COMPUTE / SEARCH METHODS
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_insurance(self):
        """On the commercial entity, for the batch at once."""
        company = self.env.company
        figures = self._get_credit_insurance_figures(
            self.commercial_partner_id._origin, company
        )
        empty = (self.env["account.credit.insurance.cover"], 0.0, 0.0, 0.0, 0.0)
        for partner in self:
            cover, agreed, used, disputed, left = figures.get(
                partner.commercial_partner_id._origin, empty
            )
            partner.credit_insurance_cover_id = cover
            partner.credit_insurance_amount = agreed
            partner.credit_insurance_amount_used = used
            partner.credit_insurance_amount_disputed = disputed
            partner.credit_insurance_amount_left = left
            partner.credit_insurance_currency_id = company.currency_id

    @api.model
    def _get_credit_insurance_figures(self, partners, company):
        """{commercial partner: (cover, agreed, used, disputed, left)} of the
        insured ones among ``partners`` (commercial entities), today, in the
        currency of ``company``: one search of covers and one grouped query
        of the open invoices."""
        today = fields.Date.context_today(self)
        covers = self.env["account.credit.insurance.cover"]._get_covers_of(
            partners, company, date=today
        )
        amounts = self._get_credit_insurance_use(covers.partner_id, company)
        figures = {}
        for cover in covers:
            agreed = cover.currency_id._convert(
                cover.amount_cover, company.currency_id, company, today
            )
            used, disputed = amounts.get(cover.partner_id, (0.0, 0.0))
            figures[cover.partner_id] = (cover, agreed, used, disputed, agreed - used)
        return figures

    @api.model
    def _get_credit_insurance_use(self, partners, company):
        """{commercial partner: (used, disputed)}: what is left to pay on the
        posted customer invoices of ``company``, in its currency, apart for
        the part disputes hold (``account.move.amount_contested``): insurers
        exclude the disputed part until the dispute is settled, the rest of
        an invoice contested in part stays covered (Civil Code art. 1219).
        One grouped query, and one search of the invoices contested."""
        domain = [
            ("commercial_partner_id", "in", partners.ids),
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", UNPAID_PAYMENT_STATES),
        ]
        Move = self.env["account.move"]
        groups = Move._read_group(
            domain,
            groupby=["commercial_partner_id"],
            aggregates=["amount_residual_signed:sum"],
        )
        contested = Move.search([*domain, ("amount_contested", ">", 0.0)])
        disputed = defaultdict(float)
        for move, amount in contested._get_insurance_amount_disputed().items():
            disputed[move.commercial_partner_id] += amount
        return {
            partner: (residual - disputed[partner], disputed[partner])
            for partner, residual in groups
        }

    def _search_credit_insurance_cover_id(self, operator, value):
        """Customers (and their contacts) with a cover running today in the
        current company, matching the cover searched for.

        :raise UserError: a value that is neither empty nor a cover's id (or
            a list of them)."""
        today = fields.Date.context_today(self)
        cover_domain = [
            ("company_id", "=", self.env.company.id),
            ("policy_id.active", "=", True),
            ("date_start", "<=", today),
            "|",
            ("date_end", "=", False),
            ("date_end", ">=", today),
        ]
        Cover = self.env["account.credit.insurance.cover"]
        many = operator in ("in", "not in")
        ids = value if isinstance(value, list | tuple) else [value]
        if many != isinstance(value, list | tuple) or not all(
            cover_id in (False, None) or type(cover_id) is int for cover_id in ids
        ):
            raise UserError(
                self.env._(
                    "Search the cover with a cover of the list, or with “is set” "
                    "or “is not set”."
                )
            )
        if operator in ("=", "!=") and not value:
            insured = Cover.search(cover_domain).partner_id
            op = "not in" if operator == "=" else "in"
            return [("commercial_partner_id", op, insured.ids)]
        covers = Cover.search([*cover_domain, ("id", operator, value)])
        return [("commercial_partner_id", "in", covers.partner_id.ids)]

    def _search_credit_insurance_amount_left(self, operator, value):
        """Insured customers (and their contacts) whose cover left compares
        so (``< 0``: the open invoices pass the cover), over the customers
        insured today in the current company only.

        :raise UserError: for an operator other than a comparison, or a value
            that is not a number."""
        try:
            value = float(value or 0.0)
        except (TypeError, ValueError):
            value = None
        if operator not in OPERATORS or value is None:
            raise UserError(
                self.env._("Compare the cover left with a number (<, >, =...).")
            )
        insured = self.env["account.credit.insurance.cover"]._get_covers_of(
            self.env["res.partner"],
            self.env.company,
            date=fields.Date.context_today(self),
        )
        figures = self._get_credit_insurance_figures(
            insured.partner_id, self.env.company
        )
        matching = [
            partner.id
            for partner, (*__, left) in figures.items()
            if OPERATORS[operator](left, value)
        ]
        return [("commercial_partner_id", "in", matching)]

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The declaration's confirmation dialog names its buttons after what
        they do, in the user's language (see ``label_confirmations``)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            label_confirmations(
                arch,
                {
                    "action_credit_insurance_declare": (
                        self.env._("Prepare the declaration"),
                        self.env._("Not now"),
                    )
                },
            )
        return arch, view

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_credit_insurance_declare(self):
        """Declare a Threatened Loss for the customer: its insured unpaid
        invoices of the current company not declared yet."""
        self.ensure_one()
        invoices = (
            self.env["account.move"]
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", UNPAID_PAYMENT_STATES),
                    ("insurance_declared_date", "=", False),
                ]
            )
            ._credit_insurance_declarable()
        )
        invoices._credit_insurance_declare()
        return invoices._credit_insurance_declared_action()
