# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column

from ..common.states import UNPAID_PAYMENT_STATES
from ..dispute.account_move_due_date import DUE_DATE_SYNC_OFF
from .account_move_limitation_event import LIMITATION_SUSPENSIONS, LIMITATION_UNCAPPED
from .limitation_period import (
    LIMITATION_MEDIATION_FLOOR_MONTHS,
    LIMITATION_YEARS,
    SQL_DATES,
    limitation_last_day,
    limitation_period_end,
)

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
        compute="_compute_date_due_contractual",
        store=True,
        copy=False,
        help="The due date, as the invoice was posted, of its earliest unpaid "
        "installment (of its first installment once all are paid): the day the "
        "limitation period and the credit insurer's deadlines run from (Civil "
        "Code art. 2224 and 2233). A dispute that later moves the due dates "
        "does not move it.",
        groups="base.group_user",
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
        groups="base.group_user",
    )
    date_limitation_alerted = fields.Date(
        string="Limitation Alert Given For",
        copy=False,
        readonly=True,
        help="The limitation date its salesperson was alerted of; a new date, "
        "after an interruption, gets its own alert.",
        groups="base.group_user",
    )
    limitation_event_ids = fields.Many2many(
        comodel_name="account.move.limitation.event",
        relation="account_move_limitation_event_rel",
        column1="move_id",
        column2="event_id",
        string="Limitation Events",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    limitation_event_count = fields.Integer(
        compute="_compute_limitation_event_count",
        groups="base.group_user",
    )
    limitation_status = fields.Selection(
        selection=LIMITATION_STATUS_SELECTION,
        compute="_compute_limitation_status",
        search="_search_limitation_status",
        groups="base.group_user",
    )

    def _init_limitation_columns(self):
        """Create the columns rather than computing them for every move of the
        database (called by ``_auto_init``): the contractual due dates of the
        receivable lines fill them in SQL
        (``account.move.line._init_date_maturity_contractual``)."""
        cr = self.env.cr
        if not column_exists(cr, "account_move", "date_due_contractual"):
            create_column(cr, "account_move", "date_due_contractual", "date")
            create_column(cr, "account_move", "date_limitation", "date")

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("line_ids.date_maturity_contractual", "line_ids.reconciled")
    def _compute_date_due_contractual(self):
        """The contractual due date of the earliest unpaid installment, else of
        the first one. Each installment's limitation runs from its own due
        date (Civil Code art. 2233): the earliest unpaid one is time-barred
        first, and the credit insurer counts from it. Its SQL twin is
        :meth:`_get_date_due_contractual_query`."""
        for move in self:
            lines = move._dispute_term_lines().filtered("date_maturity_contractual")
            unpaid = lines.filtered(lambda x: not x.reconciled)
            move.date_due_contractual = min(
                (unpaid or lines).mapped("date_maturity_contractual"), default=False
            )

    @api.model
    def _get_date_due_contractual_query(self, move_ids=None):
        """SQL of (move id, contractual due date): the rule of
        :meth:`_compute_date_due_contractual`, for the readers in SQL.

        :param move_ids: the moves to read, all by default.
        """
        return SQL(
            """
            SELECT l.move_id,
                   COALESCE(MIN(l.date_maturity_contractual)
                                FILTER (WHERE l.reconciled IS NOT TRUE),
                            MIN(l.date_maturity_contractual)) AS due
              FROM account_move_line l
             WHERE l.display_type = 'payment_term'
               AND l.date_maturity_contractual IS NOT NULL
               %s
          GROUP BY l.move_id
            """,
            SQL("AND l.move_id IN %s", tuple(move_ids)) if move_ids else SQL(),
        )

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
          due date). A dispute does not move it, nor does the part of the
          invoice it contests: the customer contesting does not suspend the
          limitation, only a mediation or conciliation does (art. 2238),
          recorded as an event. Each installment runs from its own due date
          (art. 2233): the invoice shows the date of its earliest unpaid
          installment, the first to be time-barred.
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
          Overlapping mediations suspend it once: the days they share count
          once. An interruption before the due date starts the new period on
          the due date (art. 2233).
        - Cap: 20 years from the invoice date (art. 2232), unless a claim in
          court or an enforcement act interrupted it before then (art. 2232
          al. 2); once the cap has passed, no act revives the debt.
        - With the company's ``dispute_limitation_payment_acknowledges``, a
          partial payment and a payment plan agreed by the customer are
          recorded as acknowledgements (art. 2240, as the courts read it):
          see ``account.move.limitation.event``.

        Example: due on 2026-01-31, 5 years: 2031-01-31. Acknowledged by the
        customer on 2027-06-15: 2032-06-15. Instead, a mediation from
        2027-03-01 to 2027-05-01: 61 days more, 2031-04-02.
        """
        for move in self:
            if (
                move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in UNPAID_PAYMENT_STATES
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
        due = self.date_due_contractual
        running_from = due
        last = limitation_period_end(running_from, years)
        resumes = running_from  # the end of the latest suspension counted
        born = self.invoice_date or due
        capped = True  # until a claim in court or an enforcement act (2232 al. 2)

        def takes_effect(event):
            if event.kind == "court_claim" and event.date_end:
                return event.date_end, event.id
            return event.date, event.id

        for event in events.sorted(takes_effect):
            if event.date > limitation_last_day(last, born, capped):
                # Time-barred before the act, by the period or by the 20-year
                # cap: only a renunciation by the debtor revives it (art.
                # 2250-2251), not computed here.
                continue
            if event.kind in LIMITATION_SUSPENSIONS:
                if not event.date_end:
                    return False
                # Days already suspended by an overlapping mediation count once.
                start = max(event.date, running_from, resumes)
                stopped = (event.date_end - start).days
                if stopped > 0:
                    floor = event.date_end + relativedelta(
                        months=LIMITATION_MEDIATION_FLOOR_MONTHS
                    )
                    last = max(last + timedelta(days=stopped), floor)
                    resumes = event.date_end
                continue
            if event.kind == "court_claim" and not event.date_end:
                return False
            # A new period, which starts when a running suspension ends, and
            # not before the due date (art. 2233).
            running_from = max(event.date_end or event.date, resumes, due)
            last = limitation_period_end(running_from, years)
            if event.kind in LIMITATION_UNCAPPED:
                capped = False
        return limitation_last_day(last, born, capped)

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
                or move.payment_state not in UNPAID_PAYMENT_STATES
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

        :raise UserError: another operator, or a value that is not a status
            (a status for “is”, a list of them for “is in”).
        """
        if operator not in ("=", "in"):
            raise UserError(
                self.env._("Search the limitation status with “is” or “is in”.")
            )
        statuses = [value] if operator == "=" else value
        if not isinstance(statuses, list | tuple) or not all(
            status is False or isinstance(status, str) for status in statuses
        ):
            raise UserError(
                self.env._(
                    "Search the limitation status with one of its values: "
                    "%(statuses)s.",
                    statuses=", ".join(
                        label
                        for __, label in self._fields[
                            "limitation_status"
                        ]._description_selection(self.env)
                    ),
                )
            )
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
                ("payment_state", "in", UNPAID_PAYMENT_STATES),
            ],
        }
        parts = [domains[status] for status in statuses if status in domains]
        if not parts:
            return [("id", "=", 0)]
        # Each part is a list of terms joined by AND: OR normalizes them.
        return expression.OR(parts)

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        """Keep the due date of each installment of the customer invoices
        posted: the day its limitation runs from, whatever a dispute does to
        the due dates later. Posted again after a reset to draft, the invoice
        takes its dates as they are then.

        Our own bookkeeping, as Odoo's ``_post`` does its own: the invoice is
        not marked as modified by hand (``skip_is_manually_modified``), its
        lines are not synchronised again, and only the lines whose date
        changes are written."""
        posted = super()._post(soft=soft)
        lines = (
            posted.filtered(lambda m: m.move_type == "out_invoice")
            .with_context(**DUE_DATE_SYNC_OFF)
            ._dispute_term_lines()
        )
        for due, group in lines.grouped(
            lambda x: x.date_maturity_original or x.date_maturity
        ).items():
            group.filtered(
                lambda x, due=due: x.date_maturity_contractual != due
            ).date_maturity_contractual = due
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
                unpaid=UNPAID_PAYMENT_STATES,
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


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    date_maturity_contractual = fields.Date(
        string="Contractual Due Date",
        copy=False,
        readonly=True,
        help="The due date of this installment when the invoice was posted: its "
        "limitation and the credit insurer's deadlines run from it, whatever a "
        "dispute does to the due date later.",
        groups="base.group_user",
    )

    def _auto_init(self):
        """Create the column and fill it in SQL once every table is ready."""
        cr = self.env.cr
        if not column_exists(cr, "account_move_line", "date_maturity_contractual"):
            create_column(cr, "account_move_line", "date_maturity_contractual", "date")
            self.pool.post_init(self._init_date_maturity_contractual)
        return super()._auto_init()

    def _init_date_maturity_contractual(self):
        """The contractual due dates of the posted customer invoices' lines,
        then their invoices' ``date_due_contractual`` and ``date_limitation``:
        in SQL for those without limitation events (the company's period from
        the contractual due date, at most 20 years after the invoice date:
        ``limitation_period``'s functions, as ``_get_date_limitation``), by
        the ORM for the few with events. The
        single installment of an invoice keeps the contractual date its
        invoice had (a dispute may have moved its due date since)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                UPDATE account_move_line l
                   SET date_maturity_contractual = COALESCE(
                           CASE WHEN (SELECT COUNT(*) FROM account_move_line o
                                       WHERE o.move_id = l.move_id
                                         AND o.display_type = 'payment_term') = 1
                                THEN m.date_due_contractual END,
                           l.date_maturity_original, l.date_maturity)
                  FROM account_move m
                 WHERE m.id = l.move_id AND l.display_type = 'payment_term'
                   AND m.move_type = 'out_invoice' AND m.state = 'posted'
                """
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE account_move m SET date_due_contractual = t.due
                  FROM (%(due)s) t
                 WHERE t.move_id = m.id
                   AND m.date_due_contractual IS DISTINCT FROM t.due
             RETURNING m.id
                """,
                due=self.env["account.move"]._get_date_due_contractual_query(),
            )
        )
        changed = [row[0] for row in cr.fetchall()]
        self.invalidate_model(["date_maturity_contractual"])
        if not changed:
            return
        cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET date_limitation = CASE
                       WHEN m.payment_state IN %(unpaid)s THEN %(last_day)s
                       END
                  FROM res_company c
                 WHERE c.id = m.company_id AND m.id IN %(ids)s
                   AND NOT EXISTS (SELECT 1 FROM account_move_limitation_event_rel r
                                    WHERE r.move_id = m.id)
             RETURNING m.id
                """,
                unpaid=UNPAID_PAYMENT_STATES,
                last_day=limitation_last_day(
                    limitation_period_end(
                        SQL("m.date_due_contractual"),
                        SQL(
                            "COALESCE(c.dispute_limitation_years, %s)",
                            LIMITATION_YEARS,
                        ),
                        dates=SQL_DATES,
                    ),
                    SQL("COALESCE(m.invoice_date, m.date_due_contractual)"),
                    dates=SQL_DATES,
                ),
                ids=tuple(changed),
            )
        )
        done = {row[0] for row in cr.fetchall()}
        Move = self.env["account.move"]
        Move.invalidate_model(["date_due_contractual", "date_limitation"])
        self.env.add_to_compute(
            Move._fields["date_limitation"],
            Move.browse([move_id for move_id in changed if move_id not in done]),
        )
