# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The nightly warnings about credit insurance deadlines: before each
declaration deadline, and when a dispute or a payment plan pushed a due date
beyond what the policy allows. Each is given once per invoice and reason."""

from odoo import api, fields, models
from odoo.tools import SQL, format_date

# Invoices warned in one call of the cron; Odoo commits after each call and
# calls again at once while some are left (ir.cron._notify_progress).
ALERT_BATCH = 200


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _credit_insurance_alert_query(self, today, limit=None, count=False):
        """The insured unpaid invoices that call for a warning on ``today``:
        (id, warn of the deadline, warn of the extension, original due date,
        declaration deadline, due date after extensions, days beyond the
        policy). In one query, whatever the number of invoices.

        The rules of ``_compute_insurance_dates``: the original due date is
        the stored ``date_due_contractual`` (earliest unpaid installment);
        the extension is counted per unpaid installment against its own
        contractual date (``_get_insurance_extension_days``)."""
        self.env.flush_all()
        candidates = SQL(
            """
            WITH insured AS (
                SELECT m.id,
                       m.insurance_alert_deadline_date AS alerted_deadline,
                       m.insurance_alert_extension_date AS alerted_extension,
                       p.declaration_days, p.alert_days, p.max_extension_days,
                       m.date_due_contractual AS due_base,
                       GREATEST(m.invoice_date_due, later.date) AS due_pushed,
                       COALESCE(
                           (SELECT MAX(GREATEST(l.date_maturity, later.date)
                                       - l.date_maturity_contractual)
                              FROM account_move_line l
                             WHERE l.move_id = m.id
                               AND l.display_type = 'payment_term'
                               AND l.reconciled IS NOT TRUE
                               AND l.date_maturity_contractual IS NOT NULL),
                           0) AS extension_days
                  FROM account_move m
                  JOIN account_credit_insurance_cover c
                    ON c.partner_id = m.commercial_partner_id
                   AND c.company_id = m.company_id
                   AND c.date_start <= m.invoice_date
                   AND (c.date_end IS NULL OR c.date_end >= m.invoice_date)
                  JOIN account_credit_insurance_policy p
                    ON p.id = c.policy_id AND p.active
                 CROSS JOIN LATERAL (
                       SELECT GREATEST(
                           CASE WHEN m.dispute_suspension_date IS NOT NULL
                                THEN %(today)s::date END,
                           (SELECT MAX(pl.date)
                              FROM account_dispute_payment_plan_account_move_rel r
                              JOIN account_dispute_payment_plan pp
                                ON pp.id = r.plan_id AND pp.state = 'running'
                              JOIN account_dispute_payment_plan_line pl
                                ON pl.plan_id = pp.id
                             WHERE r.move_id = m.id)) AS date) later
                 WHERE m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state IN ('not_paid', 'partial')
                   AND m.insurance_declared_date IS NULL
                   AND (m.insurance_alert_deadline_date IS NULL
                        OR m.insurance_alert_extension_date IS NULL)
            ), flagged AS (
                SELECT id, due_base,
                       due_base + declaration_days AS date_declare,
                       due_pushed,
                       extension_days - max_extension_days AS excess,
                       (alerted_deadline IS NULL
                        AND due_base + declaration_days - alert_days
                            <= %(today)s::date) AS warn_deadline,
                       (alerted_extension IS NULL
                        AND extension_days > max_extension_days)
                           AS warn_extension
                  FROM insured
            )
            """,
            today=today,
        )
        if count:
            query = SQL(
                "%s SELECT COUNT(*) FROM flagged WHERE warn_deadline OR warn_extension",
                candidates,
            )
            return self.env.execute_query(query)[0][0]
        query = SQL(
            """%s
            SELECT id, warn_deadline, warn_extension, due_base, date_declare,
                   due_pushed, excess
              FROM flagged
             WHERE warn_deadline OR warn_extension
             ORDER BY id
             LIMIT %s
            """,
            candidates,
            limit,
        )
        return self.env.execute_query(query)

    @api.model
    def _cron_credit_insurance_alerts(self, date=None, limit=ALERT_BATCH):
        """Warn the owners of insured unpaid invoices, by batches of
        ``limit`` invoices (one query, one create of activities and two
        writes a batch): ``alert_days`` before the declaration deadline
        (original due date + the policy's days to declare), and when the due
        date after extensions passes the original due date + the policy's
        maximum extension. The date of each warning is kept on the invoice:
        re-running changes nothing. Returns (done, remaining)."""
        today = date or fields.Date.context_today(self)
        rows = self._credit_insurance_alert_query(today, limit=limit)
        vals_list = []
        activity_type = self.env.ref(
            "account_dispute.mail_activity_type_credit_insurance"
        )
        warned = {"deadline": [], "extension": []}
        moves = self.browse([row[0] for row in rows])
        for move, row in zip(moves, rows, strict=True):
            __, deadline, extension, due_base, date_declare, due_pushed, excess = row
            if deadline:
                warned["deadline"].append(move.id)
                vals_list.append(
                    move._prepare_insurance_alert_vals(
                        activity_type,
                        date_declare,
                        self.env._(
                            "Declare %(invoice)s to the credit insurer by "
                            "%(date)s (original due date %(due)s)",
                            invoice=move.name,
                            date=format_date(self.env, date_declare),
                            due=format_date(self.env, due_base),
                        ),
                    )
                )
            if extension:
                warned["extension"].append(move.id)
                vals_list.append(
                    move._prepare_insurance_alert_vals(
                        activity_type,
                        today,
                        self.env._(
                            "%(invoice)s: its due date (%(date)s) is %(days)s "
                            "days beyond what the credit insurance policy "
                            "allows: ask the insurer",
                            invoice=move.name,
                            date=format_date(self.env, due_pushed),
                            days=excess,
                        ),
                    )
                )
        self.env["mail.activity"].create(vals_list)
        self._mark_insurance_alerted(
            "insurance_alert_deadline_date", warned["deadline"], today
        )
        self._mark_insurance_alerted(
            "insurance_alert_extension_date", warned["extension"], today
        )
        remaining = (
            self._credit_insurance_alert_query(today, count=True)
            if len(rows) == limit
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        return len(rows), remaining

    @api.model
    def _mark_insurance_alerted(self, field, ids, date):
        """Keep the date of a warning on the invoices ``ids``, in one UPDATE:
        the field is a mere stamp, read by the alert query only, and
        ``account.move.write`` would synchronise each invoice's lines."""
        if not ids:
            return
        self.env.execute_query(
            SQL(
                "UPDATE account_move SET %s = %s WHERE id IN %s",
                SQL.identifier(field),
                date,
                tuple(ids),
            )
        )
        self.browse(ids).invalidate_recordset([field])

    def _prepare_insurance_alert_vals(self, activity_type, date_deadline, summary):
        """The values of one warning's activity on the invoice (its name is
        given, read with the batch's, rather than computed one by one)."""
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id("account.move"),
            "res_id": self.id,
            "res_name": self.display_name,
            "activity_type_id": activity_type.id,
            "user_id": self._get_insurance_owner().id,
            "date_deadline": date_deadline,
            "summary": summary,
        }
