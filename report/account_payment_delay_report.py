# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.tools import SQL


class ReportAccountPaymentDelays(models.AbstractModel):
    """The table of invoices issued, unpaid and past due at a closing date, by
    lateness (French Commercial Code, art. D441-6).

    Disputed invoices are left out of the buckets and stated apart, as the
    article allows. Amounts are in the company's currency, taxes included;
    payments count when reconciled by the closing date.
    """

    _name = "report.account_dispute.report_payment_delays"
    _description = "Payment Delays (art. D441-6)"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["account.dispute.export.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "account.dispute.export.wizard",
            "docs": wizards,
            "tables": {
                wizard.id: self._get_payment_delays(
                    wizard.company_id, wizard.date_closing
                )
                for wizard in wizards
            },
        }

    @api.model
    def _get_payment_delays(self, company, date_closing):
        """{'buckets': [{key, label, count, amount, share}], 'total': {...},
        'excluded': {count, amount}, 'turnover': float, ...}"""
        rows = self._query_unpaid_invoices(company, date_closing)
        turnover = self._get_turnover(company, date_closing)
        buckets = {
            key: {"count": 0, "amount": 0.0} for key, _label in self._bucket_labels()
        }
        excluded = {"count": 0, "amount": 0.0}
        for days_late, amount, disputed in rows:
            if disputed:
                excluded["count"] += 1
                excluded["amount"] += float(amount)
                continue
            bucket = buckets[self._bucket(days_late)]
            bucket["count"] += 1
            bucket["amount"] += float(amount)
        currency = company.currency_id
        lines = []
        for key, label in self._bucket_labels():
            amount = currency.round(buckets[key]["amount"])
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "count": buckets[key]["count"],
                    "amount": amount,
                    "share": turnover and 100.0 * amount / turnover,
                }
            )
        total_amount = currency.round(sum(line["amount"] for line in lines))
        return {
            "company": company,
            "currency": currency,
            "date_closing": date_closing,
            "date_from": self._fiscal_year_start(company, date_closing),
            "turnover": turnover,
            "buckets": lines,
            "total": {
                "count": sum(line["count"] for line in lines),
                "amount": total_amount,
                "share": turnover and 100.0 * total_amount / turnover,
            },
            "excluded": {
                "count": excluded["count"],
                "amount": currency.round(excluded["amount"]),
            },
        }

    @api.model
    def _bucket_labels(self):
        return [
            ("1_30", self.env._("1 to 30 days")),
            ("31_60", self.env._("31 to 60 days")),
            ("61_90", self.env._("61 to 90 days")),
            ("over_90", self.env._("91 days and more")),
        ]

    @staticmethod
    def _bucket(days_late):
        if days_late <= 30:
            return "1_30"
        if days_late <= 60:
            return "31_60"
        if days_late <= 90:
            return "61_90"
        return "over_90"

    @api.model
    def _fiscal_year_start(self, company, date_closing):
        return company.compute_fiscalyear_dates(date_closing)["date_from"]

    @api.model
    def _get_turnover(self, company, date_closing):
        """Sales of the fiscal year up to the closing date, taxes excluded."""
        self.env.flush_all()
        [(turnover,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(amount_untaxed_signed), 0)
                  FROM account_move
                 WHERE company_id = %(company)s AND state = 'posted'
                   AND move_type IN ('out_invoice', 'out_refund')
                   AND invoice_date BETWEEN %(date_from)s AND %(date_to)s
                """,
                company=company.id,
                date_from=self._fiscal_year_start(company, date_closing),
                date_to=date_closing,
            )
        )
        return float(turnover)

    @api.model
    def _query_unpaid_invoices(self, company, date_closing):
        """(days late, amount due at closing, disputed at closing) per invoice.

        An invoice is late from the oldest due date of its receivable lines
        left unpaid at the closing date; it is disputed at the closing date when
        a dispute opened by then was still running on that day.
        """
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                WITH term AS (
                    SELECT l.move_id,
                           COALESCE(l.date_maturity_original, l.date_maturity)
                               AS date_due,
                           l.balance - COALESCE((
                               SELECT SUM(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.debit_move_id = l.id
                                  AND p.max_date <= %(closing)s), 0)
                             + COALESCE((
                               SELECT SUM(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.credit_move_id = l.id
                                  AND p.max_date <= %(closing)s), 0) AS due
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type = 'out_invoice'
                       AND m.invoice_date <= %(closing)s
                       AND l.display_type = 'payment_term'
                )
                SELECT %(closing)s - MIN(term.date_due) AS days_late,
                       SUM(term.due) AS amount,
                       EXISTS (
                           SELECT 1
                             FROM account_dispute_account_move_rel r
                             JOIN account_dispute d ON d.id = r.dispute_id
                            WHERE r.move_id = term.move_id
                              AND d.state NOT IN ('draft', 'cancelled')
                              AND d.date_opened <= %(closing)s
                              AND (d.date_resolved IS NULL
                                   OR d.date_resolved > %(closing)s)) AS disputed
                  FROM term
                 WHERE term.due > 0
                 GROUP BY term.move_id
                HAVING MIN(term.date_due) < %(closing)s
                """,
                company=company.id,
                closing=date_closing,
            )
        )
