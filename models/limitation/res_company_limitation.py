# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .limitation_period import LIMITATION_YEARS


class ResCompany(models.Model):
    """How long the company's customer invoices can be claimed in court."""

    _inherit = "res.company"

    dispute_limitation_years = fields.Integer(
        string="Limitation Period (Years)",
        default=LIMITATION_YEARS,
        required=True,
        help="Years after its due date after which an unpaid invoice can no "
        "longer be claimed in court: 5 years for debts between merchants, or "
        "between a merchant and a non-merchant (French Commercial Code, art. "
        "L110-4). Shorter periods apply to some customers and trades (e.g. 2 "
        "years against a consumer, Consumer Code art. L218-2): ask your lawyer.",
        groups="base.group_user",
    )
    dispute_limitation_alert_days = fields.Integer(
        string="Alert Before Limitation (Days)",
        default=90,
        required=True,
        help="Days before an unpaid invoice becomes time-barred when its "
        "salesperson gets an activity to act: obtain an acknowledgement of the "
        "debt, or file a claim in court.",
        groups="base.group_user",
    )

    dispute_limitation_payment_acknowledges = fields.Boolean(
        string="Payments Acknowledge the Debt",
        default=True,
        help="Record a partial payment of an invoice, and a payment plan the "
        "customer agreed, as an acknowledgement of the debt that starts a new "
        "limitation period (Civil Code art. 2240, as the courts read it).",
        groups="base.group_user",
    )

    @api.constrains("dispute_limitation_years", "dispute_limitation_alert_days")
    def _check_dispute_limitation(self):
        """:raise ValidationError: a period under one year, or negative days."""
        for company in self:
            if company.dispute_limitation_years < 1:
                raise ValidationError(
                    self.env._(
                        "The limitation period of %(company)s must be one year or "
                        "more: enter the number of years set by law (5 between "
                        "merchants).",
                        company=company.name,
                    )
                )
            if company.dispute_limitation_alert_days < 0:
                raise ValidationError(
                    self.env._(
                        "The days of alert before the limitation date of "
                        "%(company)s cannot be negative: enter 0 or more.",
                        company=company.name,
                    )
                )
