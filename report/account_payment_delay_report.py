# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.tools import SQL

# The columns of the model table, in its order: "0" is the indicative column.
BUCKETS = ("0", "1_30", "31_60", "61_90", "over_90")
# The halves of the model table: invoices received (D441-6 I 1°), then issued
# (I 2°); the sign turns their receivable or payable balance into an amount due.
HALVES = (
    ("received", "in_invoice", "in_refund", -1),
    ("issued", "out_invoice", "out_refund", 1),
)


class ReportAccountPaymentDelays(models.AbstractModel):
    """The payment-delay table of the management report (French Commercial
    Code, art. D441-6), on the model of the order of 20 March 2017 (annex 4-1
    of the Code): invoices received (vendor bills) and issued (customer
    invoices), by lateness; (A) the lateness buckets, (B) the invoices left
    out as disputed, (C) the reference payment terms. Each installment is its
    own due item; the part a dispute contests goes to (B), the rest of the
    invoice stays in (A) (``account_payment_delay_items``).

    Two tables, as the article allows: the invoices unpaid at the closing date
    (``unpaid``, art. D441-6 I), or instead those paid late during the fiscal
    year (``paid_late``, art. D441-6 II). Amounts are in the company's
    currency, taxes included; purchases and turnover of the year, the bases of
    the first table's percentages, are taxes excluded; each label says which.
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
                    wizard.company_id,
                    wizard.date_closing,
                    wizard.payment_delays_basis,
                )
                for wizard in wizards
            },
        }

    @api.model
    def _get_payment_delays(self, company, date_closing, basis="unpaid"):
        """The table of ``company`` at ``date_closing``, both halves.

        :param basis: ``unpaid`` for the invoices unpaid at the closing date
            whose term has passed (art. D441-6 I), ``paid_late`` for the
            invoices paid late during the fiscal year (art. D441-6 II).
        :return: a dict: ``company``, ``currency``, ``date_from`` (start of the
            fiscal year), ``date_closing``, ``basis``, ``title``, the
            ``labels`` of the rows and columns, and ``halves``: the invoices
            received then issued, each with its ``columns`` (one per bucket,
            then the total of 1 day and more: count of the invoices with an
            amount there, each once in the total, amount incl. VAT in the
            company's currency, share in %), ``excluded`` (count, amount: the
            contested parts of customer invoices, blocked vendor bills),
            ``base`` (the amount the shares are of) and ``terms`` (section C).
        :raise AccessError: when ``company`` is not among the user's current
            companies, ``env.companies`` (the figures are read in SQL, past the
            record rules; ``res.company._check_dispute_figures_allowed``).
        """
        company = company.with_env(self.env)
        company._check_dispute_figures_allowed()
        date_from = company.compute_fiscalyear_dates(date_closing)["date_from"]
        halves = [
            self._prepare_half(company, date_from, date_closing, basis, *half)
            for half in HALVES
        ]
        return self._prepare_table(company, date_from, date_closing, basis, halves)

    @api.model
    def _prepare_table(self, company, date_from, date_closing, basis, halves):
        """The table's values from its halves; labels shared by PDF and XLSX."""
        unpaid = basis == "unpaid"
        _ = self.env._
        return {
            "company": company,
            "currency": company.currency_id,
            "date_from": date_from,
            "date_closing": date_closing,
            "basis": basis,
            "title": _(
                "Invoices received and issued, unpaid at the closing date of the "
                "fiscal year, whose term has passed (art. D441-6 I of the French "
                "Commercial Code)"
            )
            if unpaid
            else _(
                "Invoices received and issued paid late during the fiscal year "
                "(art. D441-6 II of the French Commercial Code)"
            ),
            "labels": {
                "company": _("Company"),
                "date_closing": _("Closing date"),
                "date_from": _("Fiscal year from"),
                "columns": [label for __, label in self._column_labels()],
                "section_a": _("(A) Late payment brackets"),
                "count": _("Number of invoices concerned")
                if unpaid
                else _("Cumulative number of invoices concerned"),
                "amount": _("Total amount of the invoices concerned (incl. VAT)")
                if unpaid
                else _("Cumulative amount of the invoices concerned (incl. VAT)"),
                "section_b": _(
                    "(B) Invoices excluded from (A) relating to disputed or "
                    "unrecorded debts and claims"
                ),
                "excluded_count": _("Number of invoices excluded"),
                "excluded_amount": _(
                    "Total amount of the invoices excluded (incl. VAT)"
                ),
                "section_c": _(
                    "(C) Reference payment terms used (contractual or legal term "
                    "- article L. 441-10 of the French Commercial Code)"
                ),
                "terms": _("Payment terms used to compute late payments"),
                "notes": self._notes(basis, company.currency_id),
            },
            "halves": halves,
        }

    @api.model
    def _column_labels(self):
        _ = self.env._
        return [
            ("0", _("0 day (indicative)")),
            ("1_30", _("1 to 30 days")),
            ("31_60", _("31 to 60 days")),
            ("61_90", _("61 to 90 days")),
            ("over_90", _("91 days and more")),
            ("total", _("Total (1 day and more)")),
        ]

    @api.model
    def _notes(self, basis, currency):
        """What the figures are: the notes under the table."""
        _ = self.env._
        notes = [
            _(
                "Amounts in %(currency)s, the company's currency, taxes included. "
                "Each installment of an invoice is late from its own due date (its "
                "original one while a dispute suspends it). An invoice counts in "
                "each column and section where it has an amount, and once in the "
                "total (1 day and more).",
                currency=currency.name,
            )
        ]
        if basis == "unpaid":
            notes += [
                _(
                    "0 day (indicative): amounts unpaid at the closing date and "
                    "not past due; they are not in the total (1 day and more)."
                ),
                _(
                    "Payments and credit notes count when reconciled by the "
                    "closing date. Excluded (B): the amounts customers contest in "
                    "a dispute running at the closing date, the rest of each "
                    "invoice staying in (A) by its lateness; vendor bills whose "
                    "payment is blocked."
                ),
            ]
        else:
            notes += [
                _(
                    "Invoices settled by a payment dated in the fiscal year, each "
                    "installment by its own delay. 0 day (indicative): "
                    "installments paid on time; they are not in the total (1 day "
                    "and more)."
                ),
                _(
                    "Excluded (B): the amounts customers contested in a dispute "
                    "opened before the payment, the rest of each invoice staying "
                    "in (A); vendor bills whose payment is blocked."
                ),
            ]
        return notes

    @api.model
    def _half_labels(self, basis, half):
        _ = self.env._
        return {
            ("unpaid", "received"): {
                "title": _(
                    "Article D.441 I.-1°: Invoices received, unpaid at the closing "
                    "date of the fiscal year, whose term has passed"
                ),
                "share": _(
                    "Percentage of the total purchases of the fiscal year (excl. VAT)"
                ),
                "base": _("Purchases of the fiscal year (excl. VAT)"),
            },
            ("unpaid", "issued"): {
                "title": _(
                    "Article D.441 I.-2°: Invoices issued, unpaid at the closing "
                    "date of the fiscal year, whose term has passed"
                ),
                "share": _("Percentage of the turnover of the fiscal year (excl. VAT)"),
                "base": _("Turnover of the fiscal year (excl. VAT)"),
            },
            ("paid_late", "received"): {
                "title": _(
                    "Article D.441 II: Invoices received paid late during the "
                    "fiscal year"
                ),
                "share": _(
                    "Percentage of the total amount of the invoices received in "
                    "the year (incl. VAT)"
                ),
                "base": _("Invoices received in the year (incl. VAT)"),
            },
            ("paid_late", "issued"): {
                "title": _(
                    "Article D.441 II: Invoices issued paid late during the fiscal year"
                ),
                "share": _(
                    "Percentage of the total amount of the invoices issued in the "
                    "year (incl. VAT)"
                ),
                "base": _("Invoices issued in the year (incl. VAT)"),
            },
        }[basis, half]

    @api.model
    def _prepare_half(
        self, company, date_from, date_closing, basis, half, move_type, refund, sign
    ):
        """One half of the table: the invoices of ``move_type``, by bucket;
        (B) and (C) apart."""
        if basis == "unpaid":
            items, term_ids = self._get_unpaid_items(
                company, move_type, sign, date_closing
            )
            base = self._get_year_total(
                company,
                (move_type, refund),
                "amount_untaxed_signed",
                sign,
                date_from,
                date_closing,
            )
        else:
            items, term_ids = self._get_paid_late_items(
                company, move_type, sign, date_from, date_closing
            )
            base = self._get_year_total(
                company,
                (move_type,),
                "amount_total_signed",
                sign,
                date_from,
                date_closing,
            )
        currency = company.currency_id
        moves = {key: set() for key in (*BUCKETS, "excluded")}
        sums = dict.fromkeys((*BUCKETS, "excluded"), 0.0)
        for move_id, days_late, amount in items:
            key = "excluded" if days_late is None else self._bucket(days_late)
            moves[key].add(move_id)
            sums[key] += amount
        amounts = {key: currency.round(sums[key]) for key in BUCKETS}
        counts = {key: len(moves[key]) for key in BUCKETS}
        amounts["total"] = currency.round(sum(amounts[key] for key in BUCKETS[1:]))
        # an invoice late in several columns is one invoice of the total
        counts["total"] = len(set().union(*(moves[key] for key in BUCKETS[1:])))
        labels = self._half_labels(basis, half)
        return {
            "key": half,
            "title": labels["title"],
            "share_label": labels["share"],
            "base_label": labels["base"],
            "base": base,
            "columns": [
                {
                    "key": key,
                    "label": label,
                    "count": counts[key],
                    "amount": amounts[key],
                    "share": 100.0 * amounts[key] / base if base else 0.0,
                }
                for key, label in self._column_labels()
            ],
            "excluded": {
                "count": len(moves["excluded"]),
                "amount": currency.round(sums["excluded"]),
            },
            "terms": self._terms_used(term_ids),
        }

    @staticmethod
    def _bucket(days_late):
        if days_late <= 0:
            return "0"
        if days_late <= 30:
            return "1_30"
        if days_late <= 60:
            return "31_60"
        if days_late <= 90:
            return "61_90"
        return "over_90"

    @api.model
    def _terms_used(self, term_ids):
        """Section (C): the lateness is counted from each invoice's due date,
        that of its payment terms or the one written on it (art. L441-10: the
        terms agreed prevail over the legal ones). One whole sentence per case,
        so that each translates as a sentence."""
        _ = self.env._
        terms = ", ".join(
            sorted(
                self.env["account.payment.term"]
                .browse([term_id for term_id in term_ids if term_id])
                .mapped("name")
            )
        )
        written = None in term_ids
        if terms and written:
            contractual = _(
                "Contractual terms: %(terms)s, due date written on the invoice",
                terms=terms,
            )
        elif terms:
            contractual = _("Contractual terms: %(terms)s", terms=terms)
        elif written:
            contractual = _("Contractual terms: due date written on the invoice")
        else:
            contractual = _("Contractual terms: none")
        return {"contractual": contractual, "legal": _("Legal terms: not used")}

    @api.model
    def _get_year_total(self, company, move_types, column, sign, date_from, date_to):
        """The sum of ``column`` (a signed amount of account.move, in the
        company's currency) over the posted moves of ``move_types`` dated in
        the fiscal year up to ``date_to``, as a positive amount."""
        self.env["account.move"].flush_model(
            ["company_id", "state", "move_type", "invoice_date", column]
        )
        [(total,)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(%(column)s), 0) * %(sign)s
                  FROM account_move
                 WHERE company_id = %(company)s AND state = 'posted'
                   AND move_type IN %(move_types)s
                   AND invoice_date BETWEEN %(date_from)s AND %(date_to)s
                """,
                column=SQL.identifier(column),
                sign=sign,
                company=company.id,
                move_types=tuple(move_types),
                date_from=date_from,
                date_to=date_to,
            )
        )
        return float(total)
