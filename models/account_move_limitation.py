# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column

from .account_move_limitation_event import LIMITATION_SUSPENSIONS, LIMITATION_UNCAPPED

UNPAID_STATES = ("not_paid", "partial")
# Art. 2232 al. 1: suspensions and interruptions cannot carry the period past
# 20 years from the birth of the right.
LIMITATION_CAP_YEARS = 20
# Art. 2238 al. 2: after a mediation or conciliation the period runs again
# for six months at least.
LIMITATION_MEDIATION_FLOOR_MONTHS = 6

LIMITATION_STATUS_SELECTION = [
    ("running", "Running"),
    ("soon", "Time-barred soon"),
    ("barred", "Time-barred"),
    ("on_hold", "On hold (mediation or proceedings running)"),
]


class AccountMove(models.Model):
    """When an unpaid customer invoice can no longer be claimed in court."""

    _inherit = "account.move"
    _limitation_alert_batch = 500

    date_due_contractual = fields.Date(
        string="Contractual Due Date",
        copy=False,
        readonly=True,
        help="The first due date of the invoice when it was posted: the day the "
        "limitation period starts from (Civil Code art. 2224). A dispute that "
        "later moves the due dates does not move it.",
    )
    date_limitation = fields.Date(
        string="Time-Barred After",
        compute="_compute_date_limitation",
        store=True,
        copy=False,
        help="The last day on which the unpaid invoice can still be claimed in "
        "court, or its limitation interrupted; it is time-barred when this day "
        "ends (Civil Code art. 2229). Empty while a mediation or court "
        "proceedings recorded on it run, and on paid invoices.",
    )
    date_limitation_alerted = fields.Date(
        string="Limitation Alert Given For",
        copy=False,
        readonly=True,
        help="The limitation date its salesperson was alerted of; a new date, "
        "after an interruption, gets its own alert.",
    )
    limitation_event_ids = fields.Many2many(
        comodel_name="account.move.limitation.event",
        relation="account_move_limitation_event_rel",
        column1="move_id",
        column2="event_id",
        string="Limitation Events",
        copy=False,
        readonly=True,
    )
    limitation_event_count = fields.Integer(compute="_compute_limitation_event_count")
    limitation_status = fields.Selection(
        selection=LIMITATION_STATUS_SELECTION,
        compute="_compute_limitation_status",
        search="_search_limitation_status",
    )

    def _auto_init(self):
        """Create the columns and set them on the posted customer invoices in
        SQL, rather than computing them for every move of the database. No
        event exists yet: the default period of 5 years applies."""
        cr = self.env.cr
        if not column_exists(cr, "account_move", "date_due_contractual"):
            create_column(cr, "account_move", "date_due_contractual", "date")
            create_column(cr, "account_move", "date_limitation", "date")
            self._init_date_limitation()
        return super()._auto_init()

    def _init_date_limitation(self):
        cr = self.env.cr
        due = (
            SQL("COALESCE(l.date_maturity_original, l.date_maturity)")
            if column_exists(cr, "account_move_line", "date_maturity_original")
            else SQL("l.date_maturity")
        )
        cr.execute(
            SQL(
                """
                UPDATE account_move m SET date_due_contractual = t.due
                  FROM (SELECT l.move_id, MIN(%(due)s) AS due
                          FROM account_move_line l
                         WHERE l.display_type = 'payment_term'
                      GROUP BY l.move_id) t
                 WHERE t.move_id = m.id
                   AND m.move_type = 'out_invoice' AND m.state = 'posted'
                """,
                due=due,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE account_move
                   SET date_limitation =
                       (date_due_contractual + interval '5 years')::date
                 WHERE date_due_contractual IS NOT NULL
                   AND payment_state IN %(unpaid)s
                """,
                unpaid=UNPAID_STATES,
            )
        )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "invoice_date",
        "date_due_contractual",
        "company_id.dispute_limitation_years",
        "limitation_event_ids.kind",
        "limitation_event_ids.date",
        "limitation_event_ids.date_end",
    )
    def _compute_date_limitation(self):
        """The last day on which an unpaid customer invoice can be claimed.

        - Start: the contractual due date, ``date_due_contractual`` (Civil Code
          art. 2224: from the day the creditor could act; for an invoice, its
          due date). A dispute does not move it: the customer contesting does
          not suspend the limitation, only a mediation or conciliation does
          (art. 2238), recorded as an event. Of an invoice in installments,
          the first due date counts: the earliest, so the alert is never late.
        - Length: the company's ``dispute_limitation_years`` (Commercial Code
          art. L110-4: 5 years). The day of the due date is not counted (art.
          2228-2229): the last day is the same day, that many years later; a
          29 February ends on 28 February. No shift to the next working day.
        - Events (``account.move.limitation.event``), in the order they take
          effect: an interruption starts a new period of the same length from
          the act (art. 2231, 2240, 2244), or from the end of the proceedings
          of a claim in court (art. 2241-2242); a suspension adds the days the
          mediation lasted, and leaves six months at least after its end (art.
          2238). An act after the last day changes nothing: the debt is
          time-barred already. A mediation or proceedings still running: no
          date (the clock is stopped, or the interruption lasts).
        - Cap: 20 years from the invoice date (art. 2232), unless a claim in
          court or an enforcement act interrupted it (art. 2232 al. 2).

        Example: due on 2026-01-31, 5 years: 2031-01-31. Acknowledged by the
        customer on 2027-06-15: 2032-06-15. Instead, a mediation from
        2027-03-01 to 2027-05-01: 61 days more, 2031-04-02.
        """
        for move in self:
            if (
                move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in UNPAID_STATES
                or not move.date_due_contractual
            ):
                move.date_limitation = False
                continue
            move.date_limitation = move._get_date_limitation(
                move.company_id.dispute_limitation_years, move.limitation_event_ids
            )

    def _get_date_limitation(self, years, events):
        """The last day to act on this invoice, ``years`` after its contractual
        due date, after ``events``; False while one still runs. See
        :meth:`_compute_date_limitation` for the rules."""
        self.ensure_one()
        period = relativedelta(years=years)
        running_from = self.date_due_contractual
        last = running_from + period
        resumes = running_from  # the end of the latest suspension

        def takes_effect(event):
            if event.kind == "court_claim" and event.date_end:
                return event.date_end, event.id
            return event.date, event.id

        for event in events.sorted(takes_effect):
            if event.date > last:
                # Time-barred before the act: only a renunciation by the
                # debtor revives it (art. 2250-2251), not computed here.
                continue
            if event.kind in LIMITATION_SUSPENSIONS:
                if not event.date_end:
                    return False
                stopped = (event.date_end - max(event.date, running_from)).days
                if stopped > 0:
                    floor = event.date_end + relativedelta(
                        months=LIMITATION_MEDIATION_FLOOR_MONTHS
                    )
                    last = max(last + timedelta(days=stopped), floor)
                    resumes = max(resumes, event.date_end)
                continue
            if event.kind == "court_claim" and not event.date_end:
                return False
            # A new period, which starts when a running suspension ends.
            running_from = max(event.date_end or event.date, resumes)
            last = running_from + period
        if not any(kind in LIMITATION_UNCAPPED for kind in events.mapped("kind")):
            born = self.invoice_date or self.date_due_contractual
            last = min(last, born + relativedelta(years=LIMITATION_CAP_YEARS))
        return last

    @api.depends("limitation_event_ids")
    def _compute_limitation_event_count(self):
        for move in self:
            move.limitation_event_count = len(move.limitation_event_ids)

    @api.depends("date_limitation", "date_due_contractual", "payment_state")
    @api.depends_context("uid")
    def _compute_limitation_status(self):
        today = fields.Date.context_today(self)
        for move in self:
            alert_days = move.company_id.dispute_limitation_alert_days
            if (
                move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in UNPAID_STATES
                or not move.date_due_contractual
            ):
                move.limitation_status = False
            elif not move.date_limitation:
                move.limitation_status = "on_hold"
            elif move.date_limitation < today:
                move.limitation_status = "barred"
            elif move.date_limitation <= today + timedelta(days=alert_days):
                move.limitation_status = "soon"
            else:
                move.limitation_status = "running"

    def _search_limitation_status(self, operator, value):
        """``limitation_status`` = or in the given statuses; "soon" is within
        each company's alert days.

        :raise UserError: another operator.
        """
        if operator not in ("=", "in"):
            raise UserError(
                self.env._("Search the limitation status with “is” or “is in”.")
            )
        statuses = [value] if operator == "=" else list(value)
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([])
        soon = ["|"] * (len(companies) - 1)
        for company in companies:
            until = today + timedelta(days=company.dispute_limitation_alert_days)
            soon += [
                "&",
                ("company_id", "=", company.id),
                ("date_limitation", "<=", until),
            ]
        domains = {
            "barred": [("date_limitation", "<", today)],
            "soon": [("date_limitation", ">=", today), *soon],
            "running": [("date_limitation", ">=", today), "!", *soon],
            "on_hold": [
                ("date_limitation", "=", False),
                ("date_due_contractual", "!=", False),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", UNPAID_STATES),
            ],
        }
        parts = [domains[status] for status in statuses if status in domains]
        if not parts:
            return [("id", "=", 0)]
        return ["|"] * (len(parts) - 1) + [term for part in parts for term in part]

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        """Keep the first due date of the customer invoices posted: the day
        their limitation runs from, whatever a dispute does to the due dates
        later. Posted again after a reset to draft, the invoice takes its
        dates as they are then."""
        posted = super()._post(soft=soft)
        by_date = defaultdict(self.browse)
        for move in posted.filtered(lambda m: m.move_type == "out_invoice"):
            lines = move._dispute_term_lines()
            due = min(
                (line.date_maturity_original or line.date_maturity for line in lines),
                default=move.invoice_date_due,
            )
            by_date[due] |= move
        for due, moves in by_date.items():
            moves.date_due_contractual = due
        return posted

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_view_limitation_events(self):
        """The invoice's interruptions and suspensions; a new one concerns it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_move_limitation_event_action"
        )
        action["domain"] = [("invoice_ids", "in", self.ids)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_company_id": self.company_id.id,
            "default_invoice_ids": self.ids,
        }
        return action

    # ------------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------------

    @api.model
    def _cron_limitation_alerts(self, limit=None):
        """Give the salesperson of each unpaid invoice an activity once, the
        company's ``dispute_limitation_alert_days`` before it becomes
        time-barred. A new limitation date (after an interruption) gets a new
        alert. At most ``limit`` invoices a call; Odoo calls again at once
        while some are left (``ir.cron._notify_progress``).

        :return: the invoices alerted.
        """
        limit = limit or self._limitation_alert_batch
        today = fields.Date.context_today(self)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, COUNT(*) OVER ()
                  FROM account_move m
                  JOIN res_company c ON c.id = m.company_id
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.payment_state IN %(unpaid)s
                   AND m.date_limitation >= %(today)s
                   AND m.date_limitation
                       <= %(today)s + c.dispute_limitation_alert_days
                   AND m.date_limitation_alerted IS DISTINCT FROM m.date_limitation
              ORDER BY m.date_limitation, m.id
                 LIMIT %(limit)s
                """,
                unpaid=UNPAID_STATES,
                today=today,
                limit=limit,
            )
        )
        invoices = self.browse([invoice_id for invoice_id, _count in rows])
        activity_type = self.env.ref("account_dispute.mail_activity_type_limitation")
        by_date = defaultdict(self.browse)
        for invoice in invoices:
            invoice.activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=invoice.date_limitation,
                user_id=(
                    invoice._dispute_owner()
                    or invoice.company_id.dispute_manager_id
                    or self.env.user
                ).id,
                note=invoice._get_limitation_alert_note(),
            )
            by_date[invoice.date_limitation] |= invoice
        for date, group in by_date.items():
            group.date_limitation_alerted = date
        remaining = rows[0][1] - len(invoices) if rows else 0
        self.env["ir.cron"]._notify_progress(done=len(invoices), remaining=remaining)
        return invoices

    def _get_limitation_alert_note(self):
        self.ensure_one()
        return Markup("<p>%s</p>") % self.env._(
            "%(invoice)s can be claimed in court until %(date)s; it is time-barred "
            "after. To keep the claim: obtain a written acknowledgement of the "
            "debt, or have a lawyer file a claim; then record it on the invoice. "
            "A formal notice does not interrupt the limitation.",
            invoice=self.name,
            date=format_date(self.env, self.date_limitation),
        )
