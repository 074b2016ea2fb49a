# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL


class ReportAccountPaymentDelays(models.AbstractModel):
    """The amounts of the payment-delay table (art. D441-6), one per due item:
    each installment of an invoice is its own due item, late from its own due
    date, and the amount a dispute contests on a customer invoice goes to
    section (B) while the rest of the invoice stays in the lateness buckets
    of section (A) (Civil Code art. 1219 and 1220: only the contested part is
    withheld). Customer invoices a dispute contested are cut by
    ``account.move._get_due_parts``, the rule the dunning and the penalties
    follow; the others are read in SQL per installment, which is what that
    rule gives for an invoice no dispute touched."""

    _inherit = "report.account_dispute.report_payment_delays"

    @api.model
    def _blocked_sql(self, move_type):
        """Whether a vendor bill ``m`` goes whole to section (B), as an SQL
        expression: its payment is blocked (Odoo's *Block Payment*, a present
        state: Odoo keeps no date for it). Customer invoices go there only
        for the amount their disputes contest."""
        if move_type == "in_invoice":
            return SQL("m.payment_state = 'blocked'")
        return SQL("FALSE")

    @api.model
    def _get_unpaid_items(self, company, move_type, sign, date_closing):
        """The amounts unpaid at the closing date of the invoices of
        ``move_type``, and the payment terms they used.

        Each installment's unpaid part is late from its own due date (its
        original one while a dispute suspends it); payments and credit notes
        count when dated by the closing date. A customer invoice a dispute
        ever contested is cut by its due parts
        (``account.move._get_due_parts``, see ``_get_contested_items``): the
        contested part goes to section (B), the rest stays in (A).

        :return: ``([(invoice id, days late or None for section (B), amount
            in the company's currency incl. VAT)], {payment terms id})``.
        """
        rows = self._query_unpaid_installments(company, move_type, sign, date_closing)
        items, term_ids, contested = [], set(), set()
        for move_id, date_due, amount, blocked, has_contest, term_id in rows:
            term_ids.add(term_id)
            if has_contest:
                contested.add(move_id)
            else:
                days_late = None if blocked else (date_closing - date_due).days
                items.append((move_id, days_late, float(amount)))
        moves = self.env["account.move"].browse(sorted(contested))
        items += self._get_contested_items(moves, date_closing)
        return items, term_ids

    @api.model
    def _query_unpaid_installments(self, company, move_type, sign, date_closing):
        """(invoice id, due date, amount unpaid, blocked, ever contested,
        payment terms) per installment (payment term line) of the invoices of
        ``move_type`` with something unpaid on it at the closing date; amounts
        in the company's currency, payments and credit notes counted when
        reconciled by then."""
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                WITH term AS (
                    SELECT l.move_id,
                           COALESCE(l.date_maturity_original, l.date_maturity)
                               AS date_due,
                           %(sign)s * (l.balance - COALESCE((
                               SELECT SUM(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.debit_move_id = l.id
                                  AND p.max_date <= %(closing)s), 0)
                             + COALESCE((
                               SELECT SUM(p.amount)
                                 FROM account_partial_reconcile p
                                WHERE p.credit_move_id = l.id
                                  AND p.max_date <= %(closing)s), 0)) AS due
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type = %(move_type)s
                       AND m.invoice_date <= %(closing)s
                       AND l.display_type = 'payment_term'
                )
                SELECT m.id,
                       term.date_due,
                       term.due,
                       %(blocked)s,
                       EXISTS (SELECT 1
                                 FROM account_dispute_line dl
                                WHERE dl.move_id = m.id),
                       m.invoice_payment_term_id
                  FROM term
                  JOIN account_move m ON m.id = term.move_id
                 WHERE term.due > 0
                 ORDER BY m.id, term.date_due
                """,
                sign=sign,
                company=company.id,
                move_type=move_type,
                closing=date_closing,
                blocked=self._blocked_sql(move_type),
            )
        )

    @api.model
    def _get_contested_items(self, moves, date_closing):
        """The items of customer invoices some dispute contested, read from
        their due parts at the closing date (``account.move._get_due_parts``,
        the rule the dunning and the penalties follow).

        A part held by a dispute that held it at the closing date too goes to
        section (B); a part a dispute holds now but that was not contested
        then is late from its installment's (original) due date. A contest
        that held an amount at the closing date but was resolved since on the
        invoice's own dates (or whole) shows in no part any more: its
        contested amount is moved back to (B), taken on the parts in the
        order they fall due, as the contest is taken on the installments.

        :return: ``[(invoice id, days late or None for (B), amount in the
            company's currency)]``.
        """
        items = []
        parts_by_move = defaultdict(list)
        for part in moves._get_due_parts(date_closing):
            parts_by_move[part.move].append(part)
        for move, parts in parts_by_move.items():
            currency = move.currency_id
            held, late = 0.0, []
            for part in parts:
                if part.dispute and self._dispute_held_on(part.dispute, date_closing):
                    held += part.amount
                    continue
                line = part.line
                date_due = (
                    part.date_due or line.date_maturity_original or line.date_maturity
                )
                late.append([date_due, part.amount])
            ended = move.dispute_line_ids.filtered(
                lambda x: (
                    x.dispute_id.state == "resolved"
                    and (x.is_whole or not x.date_due)
                    and self._dispute_held_on(x.dispute_id, date_closing)
                )
            )
            to_hold = sum(ended.mapped("amount_disputed"))
            for item in sorted(late, key=lambda x: x[0]):
                take = min(item[1], max(to_hold, 0.0))
                item[1] -= take
                held += take
                to_hold -= take
            rate = abs(move.amount_total_signed) / move.amount_total
            items += [
                (move.id, (date_closing - date_due).days, currency.round(amount) * rate)
                for date_due, amount in late
                if currency.compare_amounts(amount, 0.0) > 0
            ]
            if currency.compare_amounts(held, 0.0) > 0:
                items.append((move.id, None, currency.round(held) * rate))
        return items

    @api.model
    def _dispute_held_on(self, dispute, date):
        """Whether ``dispute`` held the amounts it contests on ``date``:
        recorded by then (opened, or raised by the customer and waiting in
        draft, ``account.dispute._holds_dunning``) and not resolved by then.
        A cancelled dispute never held anything."""
        if dispute.state == "cancelled":
            return False
        if dispute.state == "draft":
            return dispute._holds_dunning() and dispute.create_date.date() <= date
        return bool(dispute.date_opened and dispute.date_opened <= date) and not (
            dispute.date_resolved and dispute.date_resolved <= date
        )

    @api.model
    def _get_paid_late_items(self, company, move_type, sign, date_from, date_closing):
        """The installments of the invoices of ``move_type`` whose last
        payment, dated in the fiscal year, settled them; each late by the
        date of the last reconciliation that settled it (0 or less: paid on
        time), for its amount incl. VAT.

        The amount a customer contested in a dispute opened by the payment
        (``account.dispute.line.amount_disputed``) goes to section (B), taken
        on the installments in the order they fell due; a vendor bill whose
        payment is blocked goes there whole.

        :return: ``([(invoice id, days late or None for (B), amount in the
            company's currency)], {payment terms id})``.
        """
        rows = self._query_paid_late_installments(
            company, move_type, sign, date_from, date_closing
        )
        items, term_ids, contested = [], set(), {}
        for move_id, days_late, amount, blocked, disputed, term_id in rows:
            term_ids.add(term_id)
            amount = float(amount)
            left = contested.setdefault(move_id, float(disputed))
            take = amount if blocked else min(amount, left)
            contested[move_id] = left - take
            if take > 0:
                items.append((move_id, None, take))
            if amount - take > 0:
                items.append((move_id, days_late, amount - take))
        return items, term_ids

    @api.model
    def _query_paid_late_installments(
        self, company, move_type, sign, date_from, date_closing
    ):
        """(invoice id, days late, amount incl. VAT, blocked, amount contested
        before the payment, payment terms) per installment of the invoices of
        ``move_type`` whose last payment, dated in the fiscal year, settled
        them; amounts in the company's currency, each invoice's installments
        in the order they fell due."""
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                """
                WITH term AS (
                    SELECT l.id,
                           l.move_id,
                           COALESCE(l.date_maturity_original, l.date_maturity)
                               AS date_due,
                           l.balance,
                           l.balance
                             - COALESCE(SUM(p.amount)
                                   FILTER (WHERE p.debit_move_id = l.id), 0)
                             + COALESCE(SUM(p.amount)
                                   FILTER (WHERE p.credit_move_id = l.id), 0)
                               AS residual,
                           MAX(p.max_date) AS date_paid
                      FROM account_move_line l
                      JOIN account_move m ON m.id = l.move_id
                      LEFT JOIN account_partial_reconcile p
                             ON (p.debit_move_id = l.id OR p.credit_move_id = l.id)
                            AND p.max_date <= %(closing)s
                     WHERE m.company_id = %(company)s
                       AND m.state = 'posted'
                       AND m.move_type = %(move_type)s
                       AND m.payment_state IN ('paid', 'in_payment')
                       AND m.invoice_date <= %(closing)s
                       AND l.display_type = 'payment_term'
                     GROUP BY l.id
                ),
                paid AS (
                    SELECT term.move_id,
                           MAX(term.date_paid) AS date_paid
                      FROM term
                     GROUP BY term.move_id
                    HAVING BOOL_AND(ABS(term.residual) < %(half_unit)s)
                       AND MAX(term.date_paid) BETWEEN %(date_from)s AND %(closing)s
                )
                SELECT m.id,
                       term.date_paid - term.date_due,
                       %(sign)s * term.balance,
                       %(blocked)s,
                       COALESCE((
                           SELECT SUM(dl.amount_disputed)
                             FROM account_dispute_line dl
                             JOIN account_dispute d ON d.id = dl.dispute_id
                            WHERE dl.move_id = m.id
                              AND d.state NOT IN ('draft', 'cancelled')
                              AND d.date_opened <= paid.date_paid)
                         * ABS(m.amount_total_signed) / NULLIF(m.amount_total, 0),
                         0),
                       m.invoice_payment_term_id
                  FROM paid
                  JOIN term ON term.move_id = paid.move_id
                  JOIN account_move m ON m.id = paid.move_id
                 ORDER BY m.id, term.date_due, term.id
                """,
                sign=sign,
                company=company.id,
                move_type=move_type,
                date_from=date_from,
                closing=date_closing,
                half_unit=company.currency_id.rounding / 2,
                blocked=self._blocked_sql(move_type),
            )
        )
