# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class AccountCreditInsuranceCover(models.Model):
    """The cover (agrément, credit limit) an insurer accepts for one customer,
    over a period. A customer may have several covers over time, one at a
    date for a company.

    Once a threatened loss was declared on it, the cover is what the
    declaration relied on: read-only to every user, and never deleted; it may
    only be ended, once (``account.frozen.record.mixin``)."""

    _name = "account.credit.insurance.cover"
    _description = "Credit Insurance Cover"
    _inherit = [
        "mail.thread",
        "account.dispute.date.range.mixin",
        "account.frozen.record.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # Set by a declaration (Declare, on the invoices) only.
    _protected_fields = ("date_declared",)

    policy_id = fields.Many2one(
        comodel_name="account.credit.insurance.policy",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="policy_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    amount_cover = fields.Monetary(
        string="Agreed Cover",
        required=True,
        tracking=True,
        help="The credit limit the insurer accepts for this customer, in the "
        "policy's currency.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="End Date",
        tracking=True,
        help="Leave empty while the cover runs.",
    )
    date_declared = fields.Date(
        string="Threatened Loss Declared On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When a declaration file was last prepared for this customer.",
    )

    _sql_constraints = [
        (
            "amount_cover_positive",
            "CHECK(amount_cover >= 0)",
            "An agreed cover cannot be negative.",
        ),
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A cover cannot end before it starts.",
        ),
    ]

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("partner_id", "policy_id")
    def _compute_display_name(self):
        for cover in self:
            cover.display_name = (
                f"{cover.partner_id.name} ({cover.policy_id.display_name})"
            )

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------

    @api.constrains("partner_id")
    def _check_commercial_partner(self):
        wrong = self.filtered(
            lambda c: c.partner_id != c.partner_id.commercial_partner_id
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "A cover insures a customer, not one of its contacts: choose "
                    "%(customer)s instead of %(contact)s.",
                    customer=wrong[0].partner_id.commercial_partner_id.display_name,
                    contact=wrong[0].partner_id.display_name,
                )
            )

    @api.constrains("partner_id", "policy_id", "date_start", "date_end")
    def _check_no_overlap(self):
        """One cover at a date for a customer and a company: found in one
        search for the whole batch."""
        others = self.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        for cover in self:
            for other in others:
                if (
                    other != cover
                    and other.partner_id == cover.partner_id
                    and other.company_id == cover.company_id
                    and cover._overlaps(other)
                ):
                    raise ValidationError(
                        self.env._(
                            "%(customer)s already has a cover from %(start)s: end "
                            "it before the new one starts.",
                            customer=cover.partner_id.display_name,
                            start=format_date(self.env, other.date_start),
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    def _is_frozen(self):
        """A cover is kept as it was once a loss was declared on it."""
        self.ensure_one()
        return bool(self.date_declared)

    def _get_frozen_writable_fields(self):
        """The insurer usually withdraws a cover after a declaration: a
        declared cover that still runs may be ended, once."""
        writable = super()._get_frozen_writable_fields()
        if not self.date_end:
            writable.add("date_end")
        return writable

    def _get_frozen_error(self):
        self.ensure_one()
        return self.env._(
            "A threatened loss was declared on %(cover)s on %(date)s: the cover "
            "is kept as the declaration relied on it and cannot be changed or "
            "deleted. End it (its end date) and record the insurer's new cover "
            "as another one.",
            cover=self.display_name,
            date=format_date(self.env, self.date_declared),
        )

    def _get_protected_error(self, field_names):
        return self.env._(
            "A cover's declaration date is recorded by a threatened loss "
            "declaration (Declare, on the invoices) only and cannot be written "
            "by hand: %(fields)s.",
            fields=self._describe_fields(field_names),
        )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _overlaps(self, other):
        self.ensure_one()
        return (not self.date_end or other.date_start <= self.date_end) and (
            not other.date_end or self.date_start <= other.date_end
        )

    def _is_active_on(self, date):
        """Whether the cover runs on ``date``."""
        self.ensure_one()
        return self.date_start <= date and (not self.date_end or date <= self.date_end)

    @api.model
    def _get_covers_of(self, partners, companies, date=None):
        """The covers of active policies of these customers and companies
        (running on ``date`` if given), in one search; without ``partners``,
        the covers of every customer."""
        domain = [
            ("company_id", "in", companies.ids),
            ("policy_id.active", "=", True),
        ]
        if date:
            domain += [
                ("date_start", "<=", date),
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", date),
            ]
        if partners:
            domain.append(("partner_id", "in", partners.commercial_partner_id.ids))
        return self.search(domain)

    def _find(self, partner, company, date):
        """Among these covers, the one of ``partner`` (its commercial entity)
        and ``company`` running on ``date``, or an empty recordset."""
        commercial = partner.commercial_partner_id
        for cover in self:
            if (
                cover.partner_id == commercial
                and cover.company_id == company
                and date
                and cover._is_active_on(date)
            ):
                return cover
        return self.browse()
