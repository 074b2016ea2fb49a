# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools import SQL

from ..models.dispute.account_dispute import (
    ACTIVE_STATES,
    FAULT_SELECTION,
    LITIGATION_PROCEDURE_SELECTION,
    MEDIATOR_TYPE_SELECTION,
    RESOLUTION_SELECTION,
    STATE_SELECTION,
    VALIDITY_SELECTION,
)
from ..models.dispute.account_dispute_reason import CATEGORY_SELECTION

AGING_SELECTION = [
    ("0_30", "0-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("over_90", "Over 90 days"),
]


class AccountDisputeReport(models.Model):
    """One row per dispute, amounts in the company's currency, ages as of today.

    Not a view in the database: the query is built for each read, so that
    today is the reader's (``fields.Date.context_today``, the user's time
    zone) as everywhere else in the addon, not PostgreSQL's day in UTC. The
    ages (days open, aging, past deadline) stay columns: they filter, group
    and aggregate like the others, and follow the calendar.
    """

    _name = "account.dispute.report"
    _description = "Dispute Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_opened desc, id desc"

    dispute_id = fields.Many2one(comodel_name="account.dispute", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    date_opened = fields.Date(string="Opened On", readonly=True)
    date_resolved = fields.Date(string="Resolved On", readonly=True)
    date_deadline = fields.Date(string="Deadline", readonly=True)
    state = fields.Selection(selection=STATE_SELECTION, readonly=True)
    reason_id = fields.Many2one(comodel_name="account.dispute.reason", readonly=True)
    reason_category = fields.Selection(
        selection=CATEGORY_SELECTION, string="Category", readonly=True
    )
    fault = fields.Selection(selection=FAULT_SELECTION, readonly=True)
    validity = fields.Selection(selection=VALIDITY_SELECTION, readonly=True)
    resolution = fields.Selection(selection=RESOLUTION_SELECTION, readonly=True)
    mediator_type = fields.Selection(
        selection=MEDIATOR_TYPE_SELECTION, string="Third Party", readonly=True
    )
    litigation_procedure = fields.Selection(
        selection=LITIGATION_PROCEDURE_SELECTION, string="Procedure", readonly=True
    )
    escalated = fields.Boolean(
        string="Mediation or Court",
        readonly=True,
        help="The dispute went to mediation or to court.",
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Owner", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    amount_disputed = fields.Monetary(readonly=True)
    amount_credited = fields.Monetary(readonly=True)
    amount_residual_uncontested = fields.Monetary(
        string="Amount Due Uncontested",
        readonly=True,
        help="What is left to pay on the dispute's invoices beside the amounts "
        "disputes hold: due on the invoices' own dates, and claimed by the "
        "dunning. The amount disputed is the part contested, not the invoices.",
    )
    days_open = fields.Integer(
        readonly=True, aggregator="avg", help="Days since an active dispute opened."
    )
    days_to_resolve = fields.Integer(
        readonly=True, aggregator="avg", help="Days a resolved dispute took."
    )
    aging = fields.Selection(
        selection=AGING_SELECTION,
        readonly=True,
        help="How old an active dispute is, or how long a resolved one took.",
    )
    from_reminder = fields.Boolean(
        string="After a Reminder",
        readonly=True,
        help="One of its invoices had been reminded before the dispute opened.",
    )
    past_deadline = fields.Boolean(readonly=True)
    nbr = fields.Integer(string="# Disputes", readonly=True)

    @property
    def _table_query(self):
        return self._query()

    def _query(self):
        return SQL(
            """
            SELECT d.id,
                   d.id AS dispute_id,
                   d.name,
                   d.date_opened,
                   d.date_resolved,
                   d.date_deadline,
                   d.state,
                   d.reason_id,
                   d.reason_category,
                   d.fault,
                   d.validity,
                   d.resolution,
                   d.mediator_type,
                   d.litigation_procedure,
                   (d.mediator_type IS NOT NULL OR d.court_id IS NOT NULL
                    OR d.state IN ('mediation', 'litigation')) AS escalated,
                   d.user_id,
                   d.partner_id,
                   d.company_id,
                   c.currency_id,
                   ROUND(d.amount_disputed * COALESCE(rate.rate, 1), 2)
                       AS amount_disputed,
                   ROUND(COALESCE(d.amount_credited, 0) * COALESCE(rate.rate, 1), 2)
                       AS amount_credited,
                   COALESCE(rate.uncontested, 0) AS amount_residual_uncontested,
                   CASE WHEN d.state IN %(active)s
                        THEN %(today)s - d.date_opened END AS days_open,
                   CASE WHEN d.state = 'resolved'
                        THEN d.date_resolved - d.date_opened END AS days_to_resolve,
                   CASE WHEN d.date_opened IS NULL OR d.state = 'cancelled' THEN NULL
                        WHEN COALESCE(d.date_resolved, %(today)s) - d.date_opened
                             <= 30 THEN '0_30'
                        WHEN COALESCE(d.date_resolved, %(today)s) - d.date_opened
                             <= 60 THEN '31_60'
                        WHEN COALESCE(d.date_resolved, %(today)s) - d.date_opened
                             <= 90 THEN '61_90'
                        ELSE 'over_90' END AS aging,
                   EXISTS (
                        SELECT 1
                          FROM account_dispute_account_move_rel dr
                          JOIN account_dunning_letter_account_move_rel lr
                            ON lr.move_id = dr.move_id
                          JOIN account_dunning_letter l
                            ON l.id = lr.letter_id
                           AND l.state = 'sent'
                           AND l.date <= d.date_opened
                         WHERE dr.dispute_id = d.id) AS from_reminder,
                   (d.state IN %(active)s AND d.date_deadline < %(today)s)
                       AS past_deadline,
                   1 AS nbr
              FROM account_dispute d
              JOIN res_company c ON c.id = d.company_id
         LEFT JOIN LATERAL (
                   SELECT SUM(ABS(m.amount_total_signed))
                          / NULLIF(SUM(m.amount_total), 0) AS rate,
                          ROUND(SUM(m.amount_residual_uncontested
                                    * ABS(m.amount_total_signed)
                                    / NULLIF(m.amount_total, 0)), 2) AS uncontested
                     FROM account_dispute_account_move_rel dr
                     JOIN account_move m ON m.id = dr.move_id
                    WHERE dr.dispute_id = d.id) rate ON TRUE
            """,
            active=ACTIVE_STATES,
            today=fields.Date.context_today(self),
        )
