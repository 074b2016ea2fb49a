# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..models.common.formats import format_rate
from ..models.dispute.account_dispute import ACTIVE_STATES


class AccountDisputeDashboard(models.TransientModel):
    """The credit manager's figures for a period, computed when displayed."""

    _name = "account.dispute.dashboard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Dispute KPIs"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(days=89),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    open_count = fields.Integer(string="Active Disputes", compute="_compute_kpis")
    open_amount = fields.Monetary(
        string="Amount in Dispute",
        compute="_compute_kpis",
        help="The amounts the active disputes contest, not the whole invoices "
        "they are on.",
    )
    past_deadline_count = fields.Integer(
        string="Past Deadline", compute="_compute_kpis"
    )
    resolve_days_avg = fields.Float(
        string="Average Days to Resolve",
        digits=(16, 1),
        compute="_compute_kpis",
        help="Disputes resolved in the 90 days up to the end of the period.",
    )
    resolve_days_median = fields.Float(
        string="Median Days to Resolve",
        digits=(16, 1),
        compute="_compute_kpis",
        help="Disputes resolved in the 90 days up to the end of the period.",
    )
    invoice_count = fields.Integer(string="Invoices Issued", compute="_compute_kpis")
    disputed_invoice_count = fields.Integer(
        string="Invoices Disputed", compute="_compute_kpis"
    )
    dispute_rate = fields.Float(
        string="Dispute Rate (%)",
        digits=(16, 2),
        compute="_compute_kpis",
        help="Invoices of the period that were disputed, over the invoices issued "
        "in the period.",
    )
    amount_credited = fields.Monetary(
        string="Credited by Gestures",
        compute="_compute_kpis",
        help="Credit notes of the period granted for a dispute.",
    )
    dso = fields.Float(
        string="DSO (Days)",
        digits=(16, 1),
        compute="_compute_kpis",
        help="Days sales outstanding: what customers owe today, over the sales of "
        "the period, times its days.",
    )
    dso_undisputed = fields.Float(
        string="DSO Without Disputes (Days)",
        digits=(16, 1),
        compute="_compute_kpis",
        help="The same, leaving out the amounts disputes hold: an invoice "
        "contested in part counts for the rest of what is owed on it.",
    )
    resolved_count = fields.Integer(
        string="Resolved in the Period", compute="_compute_kpis"
    )
    unfounded_rate = fields.Float(
        string="Unfounded (%)",
        digits=(16, 2),
        compute="_compute_kpis",
        help="Disputes resolved in the period that were unfounded.",
    )
    no_escalation_rate = fields.Float(
        string="Resolved Without Escalation (%)",
        digits=(16, 2),
        compute="_compute_kpis",
        help="Disputes resolved in the period that never went to mediation or court.",
    )
    # The rates as the user reads them: "12,15 %" in French.
    dispute_rate_display = fields.Char(
        string="Dispute Rate",
        compute="_compute_rate_displays",
        help="Invoices of the period that were disputed, over the invoices issued "
        "in the period.",
    )
    unfounded_rate_display = fields.Char(
        string="Unfounded Disputes",
        compute="_compute_rate_displays",
        help="Disputes resolved in the period that were unfounded.",
    )
    no_escalation_rate_display = fields.Char(
        string="Resolved Without Escalation",
        compute="_compute_rate_displays",
        help="Disputes resolved in the period that never went to mediation or court.",
    )

    @api.depends("company_id", "date_from", "date_to")
    def _compute_kpis(self):
        """The figures of a complete period; zero while the form lacks the
        company or a date, or the period ends before it starts (the user is
        still typing it)."""
        for dashboard in self:
            if not dashboard._has_period():
                for name, field in self._fields.items():
                    if field.compute == "_compute_kpis":
                        dashboard[name] = 0
                continue
            kpis = dashboard._get_kpis()
            for name, value in kpis.items():
                dashboard[name] = value

    @api.depends("dispute_rate", "unfounded_rate", "no_escalation_rate")
    def _compute_rate_displays(self):
        for dashboard in self:
            dashboard.dispute_rate_display = self._format_rate(dashboard.dispute_rate)
            dashboard.unfounded_rate_display = self._format_rate(
                dashboard.unfounded_rate
            )
            dashboard.no_escalation_rate_display = self._format_rate(
                dashboard.no_escalation_rate
            )

    @api.constrains("company_id")
    def _check_company_allowed(self):
        """Refuse a dashboard of a company the user does not work in now.

        :raise AccessError: see ``res.company._check_dispute_figures_allowed``.
        """
        self.company_id._check_dispute_figures_allowed()

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for dashboard in self:
            if (
                dashboard.date_from
                and dashboard.date_to
                and dashboard.date_from > dashboard.date_to
            ):
                raise ValidationError(
                    self.env._("The period must end after it starts.")
                )

    def _has_period(self):
        """Whether the dashboard has a company and a period that ends on or
        after its start: the figures can be computed."""
        self.ensure_one()
        return bool(
            self.company_id
            and self.date_from
            and self.date_to
            and self.date_from <= self.date_to
        )

    def action_view_open(self):
        return self._disputes_action([("state", "in", ACTIVE_STATES)])

    def action_view_past_deadline(self):
        return self._disputes_action(
            [
                ("state", "in", ACTIVE_STATES),
                ("date_deadline", "<", fields.Date.context_today(self)),
            ]
        )

    def action_view_analysis(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_report_analysis_action"
        )

    def _disputes_action(self, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id), *domain]
        action["context"] = {}
        return action

    @api.model
    def _format_rate(self, rate):
        """A rate in percent in the user's language: "12,15 %" in French
        (``common.formats.format_rate``)."""
        return format_rate(self.env, rate)

    def _get_kpis(self):
        """Every figure of the dashboard, in a few grouped queries.

        :raise AccessError: when the dashboard's company is not among the
            user's current companies: the queries read past the record rules
            (``res.company._check_dispute_figures_allowed``).
        """
        self.ensure_one()
        self.company_id._check_dispute_figures_allowed()
        self.env.flush_all()
        kpis = {}
        kpis.update(self._get_open_kpis())
        kpis.update(self._get_resolution_kpis())
        kpis.update(self._get_invoice_kpis())
        kpis.update(self._get_dso_kpis())
        return kpis

    def _get_open_kpis(self):
        Report = self.env["account.dispute.report"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", ACTIVE_STATES),
        ]
        [(count, amount)] = Report._read_group(
            domain, aggregates=["__count", "amount_disputed:sum"]
        )
        late = Report.search_count([*domain, ("past_deadline", "=", True)])
        return {
            "open_count": count,
            "open_amount": amount or 0.0,
            "past_deadline_count": late,
        }

    def _get_resolution_kpis(self):
        since = self.date_to - relativedelta(days=89)
        [(avg, median)] = self.env.execute_query(
            SQL(
                """
                SELECT AVG(date_resolved - date_opened),
                       PERCENTILE_CONT(0.5) WITHIN GROUP
                           (ORDER BY date_resolved - date_opened)
                  FROM account_dispute
                 WHERE company_id = %(company)s AND state = 'resolved'
                   AND date_resolved BETWEEN %(since)s AND %(until)s
                """,
                company=self.company_id.id,
                since=since,
                until=self.date_to,
            )
        )
        [(resolved, unfounded, escalated)] = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*),
                       COUNT(*) FILTER (WHERE validity = 'unfounded'),
                       COUNT(*) FILTER (WHERE mediator_type IS NOT NULL
                                           OR court_id IS NOT NULL)
                  FROM account_dispute
                 WHERE company_id = %(company)s AND state = 'resolved'
                   AND date_resolved BETWEEN %(since)s AND %(until)s
                """,
                company=self.company_id.id,
                since=self.date_from,
                until=self.date_to,
            )
        )
        return {
            "resolve_days_avg": float(avg or 0.0),
            "resolve_days_median": float(median or 0.0),
            "resolved_count": resolved,
            "unfounded_rate": resolved and 100.0 * unfounded / resolved,
            "no_escalation_rate": resolved
            and 100.0 * (resolved - escalated) / resolved,
        }

    def _get_invoice_kpis(self):
        [(issued, disputed, credited)] = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'),
                       COUNT(*) FILTER (WHERE m.move_type = 'out_invoice'
                                          AND EXISTS (
                            SELECT 1
                              FROM account_dispute_account_move_rel r
                              JOIN account_dispute d ON d.id = r.dispute_id
                             WHERE r.move_id = m.id
                               AND d.state NOT IN ('draft', 'cancelled'))),
                       COALESCE(SUM(-m.amount_total_signed) FILTER (
                            WHERE m.move_type = 'out_refund'
                              AND m.dispute_id IS NOT NULL), 0)
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date BETWEEN %(since)s AND %(until)s
                """,
                company=self.company_id.id,
                since=self.date_from,
                until=self.date_to,
            )
        )
        return {
            "invoice_count": issued,
            "disputed_invoice_count": disputed,
            "dispute_rate": issued and 100.0 * disputed / issued,
            "amount_credited": credited,
        }

    def _get_dso_kpis(self):
        """DSO in days, and without what disputes hold: the contested amounts
        (``account.move.amount_contested``, in the company's currency at the
        invoice's rate), not the whole invoices they are on."""
        [(sales, owed, owed_disputed)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(m.amount_total_signed) FILTER (
                            WHERE m.invoice_date >= %(since)s), 0),
                       COALESCE(SUM(m.amount_residual_signed), 0),
                       COALESCE(SUM(m.amount_contested * m.amount_residual_signed
                                    / NULLIF(m.amount_residual, 0)), 0)
                  FROM account_move m
                 WHERE m.company_id = %(company)s AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date <= %(until)s
                """,
                company=self.company_id.id,
                since=self.date_from,
                until=self.date_to,
            )
        )
        days = (self.date_to - self.date_from).days + 1
        if not sales:
            return {"dso": 0.0, "dso_undisputed": 0.0}
        return {
            "dso": float(owed) / float(sales) * days,
            "dso_undisputed": float(owed - owed_disputed) / float(sales) * days,
        }
