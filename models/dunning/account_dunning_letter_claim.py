# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..claims.account_move_late_payment import Deduction
from ..common.states import ISSUED_STATES


def get_claim_totals(lines):
    """The sums of a claim's rows (letter or recovery file), in its currency:
    what is due (principal less credits), the penalties or legal interest,
    the indemnities, and the total claimed. What is under dispute
    (``contested`` rows) is stated, never claimed: it counts in no sum.

    :param lines: rows with ``line_type`` and ``amount``.
    :return: {field name: amount}.
    """
    totals = defaultdict(float)
    for line in lines:
        if line.line_type != "contested":
            totals[line.line_type] += line.amount
    return {
        "amount_due": totals["principal"] + totals["credit"],
        "penalty_amount": totals["penalty"] + totals["interest"],
        "indemnity_amount": totals["indemnity"],
        "amount_total": sum(totals.values()),
    }


class AccountDunningLetter(models.Model):
    """What a letter claims: the rows of its calculation, and their sums.

    Who owes what (shared/domain/litiges-fr.md):
    - a professional owes, on a formal notice, the late-payment penalties of
      art. L441-10 of the French Commercial Code on the dated history of each
      invoice, and the fixed recovery indemnity of art. D441-5 once per
      invoice paid late;
    - a private person owes neither, only interest at the legal rate from the
      formal notice on (Civil Code, art. 1231-6);
    - open credit notes and unmatched payments of the customer, in the
      letter's company and currency, reduce the claim; under a running payment
      plan, only the installments past due are claimed.
    """

    _inherit = "account.dunning.letter"

    amount_due = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        help="What the customer owes on the letter's invoices (or their late "
        "installments), less its open credits, as the letter states it.",
    )
    penalty_amount = fields.Monetary(
        string="Late-Payment Penalties",
        compute="_compute_amounts",
        store=True,
        help="On formal notices: from a professional, the penalties of the French "
        "Commercial Code, art. L441-10 (each amount unpaid x annual rate x days "
        "late / 365); from a private person, interest at the legal rate since "
        "the first formal notice (Civil Code, art. 1231-6).",
    )
    indemnity_amount = fields.Monetary(
        string="Recovery Indemnity",
        compute="_compute_amounts",
        store=True,
        help="French Commercial Code, art. D441-5: a fixed indemnity owed by a "
        "professional once per invoice paid late, claimed on formal notices.",
    )
    amount_total = fields.Monetary(
        string="Total Claimed", compute="_compute_amounts", store=True
    )

    has_credit_lines = fields.Boolean(compute="_compute_has_credit_lines")

    @api.depends("line_ids.line_type")
    def _compute_has_credit_lines(self):
        for letter in self:
            letter.has_credit_lines = "credit" in letter.line_ids.mapped("line_type")

    @api.depends("line_ids.amount", "line_ids.line_type")
    def _compute_amounts(self):
        """The sums of the letter's rows, in the letter's currency."""
        for letter in self:
            letter.update(get_claim_totals(letter.line_ids))

    def action_reconcile_credits(self):
        """Reconcile the customer's open credits listed on the letter with its
        invoices, oldest first, as Odoo's reconciliation does; then update the
        draft."""
        self._check_draft_to_reconcile()
        for letter in self:
            credits = letter.line_ids.filtered(lambda x: x.line_type == "credit")
            receivables = (letter.invoice_ids | credits.move_id).line_ids.filtered(
                lambda x: (
                    x.account_id.account_type == "asset_receivable" and not x.reconciled
                )
            )
            for account in receivables.account_id:
                receivables.filtered(lambda x, a=account: x.account_id == a).reconcile()
        self._refresh_drafts()
        return True

    def _check_draft_to_reconcile(self):
        if any(
            letter.state != "draft"
            or "credit" not in letter.line_ids.mapped("line_type")
            for letter in self
        ):
            raise UserError(
                self.env._(
                    "Only a draft letter that lists open credits can reconcile them "
                    "with its invoices."
                )
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _refresh_drafts(self):
        """Show the draft letters' invoices as they stand, and claim it anew.

        Paid, cancelled, reversed or contested invoices leave the drafts
        (emptied drafts are cancelled); the rows are computed again at the
        letter's date. Sent letters never change.
        """
        drafts = self.filtered(lambda letter: letter.state == "draft")
        drafts._drop_settled_invoices()
        drafts._compute_claim()

    def _compute_claim(self):
        """Write the rows of the draft letters' claim at their date."""
        letters = self.filtered(lambda letter: letter.state == "draft")
        if not letters:
            return
        credits = letters._get_open_credit_lines()
        notices = letters._get_formal_notice_dates()
        letters.invoice_ids._prefetch_due_parts()
        letters.invoice_ids.fetch(["payment_plan_ids"])
        letters.line_ids.unlink()
        vals_list = []
        for letter in letters:
            letter.debtor_type = letter.partner_id._get_debtor_type()
            # The rows' labels are printed: in the customer's language.
            vals_list += letter.with_context(
                lang=letter.partner_id.lang
            )._prepare_claim_lines_vals(
                credits.get(
                    (letter.company_id.id, letter.partner_id.id, letter.currency_id.id),
                    [],
                ),
                notices,
            )
        self.env["account.dunning.letter.line"].create(vals_list)

    def _is_covered(self):
        """Nothing left to claim once the open credits are deducted."""
        self.ensure_one()
        return self.currency_id.compare_amounts(self.amount_due, 0.0) <= 0

    def _get_covered_message(self):
        self.ensure_one()
        return self.env._(
            "%(letter)s is not sent: the open credits of %(partner)s cover its "
            "invoices. Reconcile them from the letter.",
            letter=self.name,
            partner=self.partner_id.display_name,
        )

    def _prepare_claim_lines_vals(self, credit_lines, notices, invoices=None):
        """The rows of the letter's claim: what is due, what is deducted, and,
        on a formal notice, the penalties or interest and the indemnity.

        :param invoices: the invoices claimed, the letter's by default (a
            recovery file passes the unpaid invoices of its formal notice to
            a copy of it in memory, whose own invoices are new records).
        """
        self.ensure_one()
        if invoices is None:
            invoices = self.invoice_ids
        invoices = invoices.sorted(lambda m: (m.invoice_date_due, m.id))
        plans = invoices.payment_plan_ids.filtered(lambda p: p.state == "running")
        planned = invoices.filtered(lambda m: m.payment_plan_ids & plans)
        installments = plans.line_ids.filtered(
            lambda x: x.state != "paid" and x.date < self.date
        )
        vals_list = self._prepare_principal_lines_vals(invoices - planned)
        vals_list += [self._prepare_installment_line_vals(x) for x in installments]
        vals_list += [self._prepare_credit_line_vals(line) for line in credit_lines]
        if (
            self.letter_type == "formal_notice"
            and self.company_id.dunning_claim_penalties
        ):
            deductions = [
                Deduction(
                    line.date,
                    -line.amount_residual_currency,
                    line.move_id.move_type == "out_refund",
                )
                for line in credit_lines
            ]
            if self.debtor_type == "consumer":
                vals_list += self._prepare_interest_lines_vals(
                    invoices - planned, deductions, notices
                )
            else:
                vals_list += self._prepare_penalty_lines_vals(
                    invoices - planned, installments, deductions, claimed=invoices
                )
                vals_list += self._prepare_late_charge_lines_vals()
        return vals_list

    def _prepare_principal_lines_vals(self, invoices):
        """The rows of what is due on ``invoices`` by the letter's date, one
        per due part (``account.move._get_due_parts``): each installment with
        its own due date and what is unpaid on it, less what a dispute
        contests. An invoice nothing of which is due yet (a reminder before
        the due date) shows its next part. What a dispute holds gets a row
        that says so and claims nothing (``contested``)."""
        vals_list = []
        for move in invoices:
            parts = move._get_due_parts(self.date)
            due = [p for p in parts if p.date_due and p.date_due <= self.date]
            if not due:
                due = [p for p in parts if p.date_due][:1]
            in_installments = len(move._dispute_term_lines()) > 1
            vals_list += [
                self._prepare_principal_line_vals(part, in_installments) for part in due
            ]
            held = defaultdict(float)
            for part in parts:
                if not part.date_due:
                    held[part.dispute] += part.amount
            vals_list += [
                self._prepare_contested_line_vals(move, dispute, amount)
                for dispute, amount in held.items()
            ]
        return vals_list

    def _prepare_principal_line_vals(self, part, in_installments=False):
        """The row of one due part; an installment says so in its label."""
        move = part.move
        name = move.name
        if in_installments:
            name = self.env._(
                "%(invoice)s, installment due on %(date)s",
                invoice=move.name,
                date=format_date(self.env, part.line.date_maturity),
            )
        return {
            "letter_id": self.id,
            "sequence": 10,
            "line_type": "principal",
            "name": name,
            "move_id": move.id,
            "date_due": part.date_due,
            "amount": part.amount,
        }

    def _prepare_contested_line_vals(self, move, dispute, amount):
        """The row of what a dispute contests on an invoice: under dispute,
        not claimed (it counts in no total, see ``get_claim_totals``)."""
        return {
            "letter_id": self.id,
            "sequence": 15,
            "line_type": "contested",
            "name": self.env._(
                "%(invoice)s (dispute %(dispute)s)",
                invoice=move.name,
                dispute=dispute.name,
            ),
            "move_id": move.id,
            "amount": move.currency_id.round(amount),
        }

    def _prepare_installment_line_vals(self, installment):
        plan = installment.plan_id
        return {
            "letter_id": self.id,
            "sequence": 10,
            "line_type": "principal",
            "name": self.env._(
                "Installment of %(date)s of payment plan %(plan)s (%(invoices)s)",
                date=format_date(self.env, installment.date),
                plan=plan.name,
                invoices=", ".join(plan.invoice_ids.mapped("name")),
            ),
            "installment_id": installment.id,
            "date_due": installment.date,
            "amount": installment.amount - installment.amount_paid,
        }

    def _prepare_credit_line_vals(self, line):
        return {
            "letter_id": self.id,
            "sequence": 20,
            "line_type": "credit",
            "name": line.move_id.name,
            "move_id": line.move_id.id,
            "date_due": line.date,
            "amount": line.amount_residual_currency,
        }

    def _prepare_penalty_lines_vals(
        self, invoices, installments, deductions, claimed=None
    ):
        """Art. L441-10 penalties per period of each invoice's dated history,
        and per installment past due; the art. D441-5 indemnity once per late
        invoice, restated by every formal notice until an invoice of charges
        books it or the company waives it (``account.move``
        ``_get_late_charges_owed``, which decides what is still owed).

        :param claimed: all the invoices claimed (the letter's by default).
        """
        if claimed is None:
            claimed = self.invoice_ids
        rates = self.company_id._get_late_payment_rate_table()
        charges = invoices._get_late_charges_owed(self.date, deductions=deductions)
        vals_list = [
            self._prepare_segment_line_vals("penalty", move, move.name, segment)
            for move, charge in charges.items()
            for segment in charge.periods
        ]
        for installment in installments:
            vals_list += self._prepare_rate_lines_vals(
                "penalty",
                rates,
                self.env["account.move"],
                self.env._(
                    "Installment of %(date)s (%(plan)s)",
                    date=format_date(self.env, installment.date),
                    plan=installment.plan_id.name,
                ),
                installment.amount - installment.amount_paid,
                installment.date,
                self.date,
            )
        indemnities = [move for move, charge in charges.items() if charge.indemnity]
        planned = installments.plan_id.invoice_ids & claimed
        indemnities += [
            move
            for move in planned.sorted(lambda m: (m.invoice_date_due, m.id))
            if move not in charges and not move._is_late_charge_settled()
        ]
        return vals_list + [
            self._prepare_indemnity_line_vals(move) for move in indemnities
        ]

    def _prepare_interest_lines_vals(self, invoices, deductions, notices):
        """Interest at the legal rate for private persons, from the first formal
        notice that claimed each invoice (Civil Code, art. 1231-6)."""
        rates = self.company_id._get_legal_interest_rate_table()
        vals_list = []
        for move in invoices.filtered(lambda m: m in notices):
            periods = move._get_late_payment_periods(
                self.date, date_start=notices[move], deductions=deductions
            )
            vals_list += [
                self._prepare_segment_line_vals("interest", move, move.name, segment)
                for segment in rates.split_periods(self.currency_id, periods)
            ]
        return vals_list

    def _prepare_rate_lines_vals(self, line_type, rates, move, name, base, start, end):
        """The rows of one period's penalties or interest: the period, from
        the day after ``start`` to ``end`` included, cut at 1 January and
        1 July, each piece at its half-year's rate (``RateTable.split``:
        base x annual rate x days / 365, rounded in the letter's currency).

        :param rates: a ``RateTable`` (``res.company``'s
            ``_get_late_payment_rate_table`` or
            ``_get_legal_interest_rate_table``).
        :raises UserError: the table has no rate for the period.
        """
        return [
            self._prepare_segment_line_vals(line_type, move, name, segment)
            for segment in rates.split(self.currency_id, base, start, end)
        ]

    def _prepare_segment_line_vals(self, line_type, move, name, segment):
        """The row of a ``RateSegment``: a piece of a period at one rate."""
        return {
            "letter_id": self.id,
            "sequence": 30,
            "line_type": line_type,
            "name": name,
            "move_id": move.id,
            "date_due": segment.date_from,
            "date_from": segment.date_from,
            "date_to": segment.date_to,
            "days": segment.days,
            "base_amount": segment.base,
            "rate": segment.rate,
            "amount": segment.amount,
        }

    def _prepare_indemnity_line_vals(self, move):
        company = self.company_id
        return {
            "letter_id": self.id,
            "sequence": 40,
            "line_type": "indemnity",
            "name": move.name,
            "move_id": move.id,
            "date_due": move.invoice_date_due,
            "amount": company._get_recovery_indemnity(self.currency_id, self.date),
        }

    def _get_open_credit_lines(self):
        """{(company id, customer id, currency id): open receivable credit
        lines}: credit notes and payments not matched yet."""
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "in", self.company_id.ids),
                ("partner_id", "child_of", self.partner_id.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual_currency", "<", 0.0),
                ("currency_id", "in", self.currency_id.ids),
            ],
            order="date, id",
        )
        credits = defaultdict(list)
        for line in lines:
            partner = line.partner_id.commercial_partner_id
            credits[(line.company_id.id, partner.id, line.currency_id.id)].append(line)
        return credits

    def _get_formal_notice_dates(self):
        """{invoice: date of the first formal notice sent about it}."""
        notices = self.search(
            [
                ("state", "in", ISSUED_STATES),
                ("letter_type", "=", "formal_notice"),
                ("invoice_ids", "in", self.invoice_ids.ids),
            ],
            order="date",
        )
        dates = {}
        for notice in notices:
            for move in notice.invoice_ids:
                dates.setdefault(move, notice.date)
        return dates
