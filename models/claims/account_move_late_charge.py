# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import datetime
from collections import defaultdict, namedtuple

from odoo import api, fields, models
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column

from ..common.states import ISSUED_STATES

LATE_CHARGE_STATE_SELECTION = [
    ("to_claim", "Owed"),
    ("invoiced", "Invoiced"),
    ("waived", "Waived"),
]
PAID_STATES = ("paid", "in_payment")
# What an invoice paid late owes: ``periods`` are the ``RateSegment`` of its
# dated history, each at the rate of its half-year; amounts in the invoice's
# currency, ``rate`` in % a year (0.0 when the periods bear several rates),
# ``days`` the longest any part of it stayed unpaid after its due date.
LateCharge = namedtuple(
    "LateCharge", "move date_paid days base rate periods penalty indemnity"
)
NO_CHARGE = LateCharge(None, False, 0, 0.0, 0.0, (), 0.0, 0.0)


class AccountMove(models.Model):
    """Late-payment charges of customer invoices paid in full, but late.

    French Commercial Code (shared/domain/litiges-fr.md): an invoice paid
    late still owes the penalties of art. L441-10 on its dated history and
    the fixed recovery indemnity of art. D441-5, once per invoice; only a
    professional owes them. They are claimed by the next formal notice, and
    booked by an invoice of charges, outside the scope of VAT (compensation,
    not the price of a service).
    """

    _inherit = "account.move"

    late_charge_state = fields.Selection(
        selection=LATE_CHARGE_STATE_SELECTION,
        string="Late-Payment Charges",
        compute="_compute_late_charge_state",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Owed: a professional's invoice paid in full after its due date, "
        "whose penalties (French Commercial Code, art. L441-10) and recovery "
        "indemnity (art. D441-5) are neither invoiced nor waived. Invoiced: "
        "they are on an invoice of charges that is not cancelled. Waived: the "
        "company waived them for this invoice or this customer.",
        groups="base.group_user",
    )
    late_charge_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Charges Invoice",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The invoice of late-payment charges that charges this invoice; "
        "cancelling it makes the charges owed again.",
        groups="base.group_user",
    )
    late_charge_invoice_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="late_charge_move_id",
        string="Charged Invoices",
        readonly=True,
        help="The invoices paid late whose charges this invoice charges.",
        groups="base.group_user",
    )
    late_charge_waived = fields.Boolean(
        string="Late-Payment Charges Waived",
        copy=False,
        readonly=True,
        help="The company waived the late-payment charges of this invoice; the "
        "reason is in the chatter.",
        groups="base.group_user",
    )
    late_charge_date_paid = fields.Date(
        string="Paid In Full On",
        compute="_compute_late_charge_figures",
        groups="base.group_user",
    )
    late_charge_days = fields.Integer(
        string="Days Late",
        compute="_compute_late_charge_figures",
        help="The longest time a part of the invoice stayed unpaid after its due "
        "date, in days.",
        groups="base.group_user",
    )
    late_charge_base = fields.Monetary(
        string="Paid Late",
        compute="_compute_late_charge_figures",
        help="What was still unpaid on the due dates, in the invoice's currency.",
        groups="base.group_user",
    )
    late_charge_rate = fields.Float(
        string="Annual Rate (%)",
        digits=(16, 2),
        compute="_compute_late_charge_figures",
        help="The annual rate of the penalties: the contractual rate, else the "
        "ECB rate plus 10 points of the half-year. Empty when the periods span "
        "half-years of different rates: each period has its own.",
        groups="base.group_user",
    )
    late_charge_penalty = fields.Monetary(
        string="Penalties",
        compute="_compute_late_charge_figures",
        help="French Commercial Code, art. L441-10: the sum over the invoice's "
        "dated history of each amount unpaid x annual rate x days late / 365, "
        "each period rounded, in the invoice's currency.",
        groups="base.group_user",
    )
    late_charge_indemnity = fields.Monetary(
        string="Indemnity",
        compute="_compute_late_charge_figures",
        help="French Commercial Code, art. D441-5: the fixed indemnity for "
        "recovery costs, once per invoice paid late, in the invoice's currency.",
        groups="base.group_user",
    )
    late_charge_amount = fields.Monetary(
        string="Charges",
        compute="_compute_late_charge_figures",
        help="Penalties and indemnity.",
        groups="base.group_user",
    )
    late_charge_letter_id = fields.Many2one(
        comodel_name="account.dunning.letter",
        string="Claimed In",
        compute="_compute_late_charge_figures",
        help="The first sent letter that claimed these charges after the invoice "
        "was paid. Later formal notices claim them again until they are invoiced "
        "or waived: a letter asks for them, it does not settle them.",
        groups="base.group_user",
    )

    def _init_late_charge_columns(self):
        """Create the column of ``late_charge_state`` rather than computing it
        for every move of the database (called by ``_auto_init``, before
        Odoo's).

        :return: whether the column was created: then
            ``_init_late_charge_state`` computes it once the table is ready.
        """
        if column_exists(self.env.cr, self._table, "late_charge_state"):
            return False
        create_column(self.env.cr, self._table, "late_charge_state", "varchar")
        return True

    def _init_late_charge_state(self):
        """Compute the new ``late_charge_state`` of the customer invoices paid
        only (called by ``_auto_init``, after Odoo's)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM account_move WHERE move_type = 'out_invoice' "
                "AND state = 'posted' AND payment_state IN %s",
                PAID_STATES,
            )
        )
        self.env.add_to_compute(
            self._fields["late_charge_state"], self.browse(r[0] for r in rows)
        )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends(
        "move_type",
        "state",
        "payment_state",
        "invoice_date_due",
        "late_charge_waived",
        "late_charge_move_id.state",
        "late_charge_invoice_ids",
        "commercial_partner_id.debtor_type",
        "commercial_partner_id.late_charge_waived",
    )
    def _compute_late_charge_state(self):
        """A professional's invoice paid late owes its charges until they are
        invoiced or waived; the waiver of a customer is the one of the
        invoice's company."""
        candidates = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in PAID_STATES
                and not m.late_charge_invoice_ids
                and m.commercial_partner_id.debtor_type != "consumer"
            )
        )
        late = candidates._get_late_charges()
        for move in self:
            if move.late_charge_move_id.state not in (False, "cancel"):
                move.late_charge_state = "invoiced"
            elif move not in late:
                move.late_charge_state = False
            elif (
                move.late_charge_waived
                or move.commercial_partner_id.with_company(
                    move.company_id
                ).late_charge_waived
            ):
                move.late_charge_state = "waived"
            else:
                move.late_charge_state = "to_claim"

    @api.depends("late_charge_state")
    def _compute_late_charge_figures(self):
        charges = self.filtered("late_charge_state")._get_late_charges()
        letters = self._get_late_charge_letters(charges) if charges else {}
        for move in self:
            charge = charges.get(move, NO_CHARGE)
            move.late_charge_date_paid = charge.date_paid
            move.late_charge_days = charge.days
            move.late_charge_base = charge.base
            move.late_charge_rate = charge.rate
            move.late_charge_penalty = charge.penalty
            move.late_charge_indemnity = charge.indemnity
            move.late_charge_amount = charge.penalty + charge.indemnity
            move.late_charge_letter_id = letters.get(move, False)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _get_late_charges(self, date=None):
        """{invoice: LateCharge} of these invoices paid in full after a due date.

        Penalties (French Commercial Code, art. L441-10) on each invoice's
        dated history up to the day it was paid in full, at the company's
        contractual rate or at each half-year's rate of the table of
        late-payment rates, each period rounded in the invoice's currency; the
        indemnity (art. D441-5) in the invoice's currency at ``date`` (today
        by default). Whether they are owed (professional, not waived, not
        invoiced) is ``late_charge_state``'s matter.
        """
        date = date or fields.Date.context_today(self)
        invoices = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in PAID_STATES
            )
        )
        # What was matched with their receivables, read once for the batch.
        invoices._dispute_term_lines().mapped(
            "matched_credit_ids.credit_move_id.move_id.move_type"
        )
        settlements = invoices._get_late_charge_settlements()
        if not settlements:
            return {}
        periods_by_move = defaultdict(list)
        date_to = max(settlement[0] for settlement in settlements.values())
        for period in invoices._get_late_payment_periods(date_to):
            periods_by_move[period.move].append(period)
        return {
            move: move._get_late_charge(periods, date, settlements[move])
            for move, periods in periods_by_move.items()
        }

    def _get_late_charge(self, periods, date, settlement=(False, 0, 0.0)):
        """The ``LateCharge`` of this invoice for its late ``periods``: the
        penalties of art. L441-10 at the company's rate, each period rounded in
        the invoice's currency, and the art. D441-5 indemnity converted at
        ``date``.

        :param settlement: (day paid in full, days late, amount paid late) of
            an invoice paid in full; (False, 0, 0.0) for one still unpaid.
        """
        self.ensure_one()
        company = self.company_id
        currency = self.currency_id
        segments = company._get_late_payment_rate_table().split_periods(
            currency, periods
        )
        rates = {segment.rate for segment in segments}
        date_paid, days, base = settlement
        return LateCharge(
            self,
            date_paid,
            days,
            base,
            rates.pop() if len(rates) == 1 else 0.0,
            segments,
            currency.round(sum(segment.amount for segment in segments)),
            company._get_recovery_indemnity(currency, date),
        )

    def _get_late_charges_owed(self, date, deductions=()):
        """{invoice: LateCharge} of the late-payment charges these invoices
        still owe on ``date``, in each invoice's currency: the one place that
        decides it for the letters, the recovery files and the invoices of
        charges (French Commercial Code, art. L441-10 and D441-5; they are owed
        until paid or waived, shared/domain/litiges-fr.md).

        - An invoice paid in full after a due date, on ``date`` at the latest:
          the penalties of its whole dated history and the indemnity, while
          they are neither on an invoice of charges (not cancelled) nor waived
          (``late_charge_state`` "to_claim"). A letter that claims them does
          not settle them: the next one claims them again, until then.
        - An invoice still (partly) unpaid: the penalties of its dated history
          up to ``date``, less ``deductions`` (``Deduction`` tuples of the
          customer's open credits); the indemnity unless an invoice of charges
          (not cancelled) booked it or the company waived it for the invoice
          (both possible only once it was paid: a payment undone since).

        A charge has no indemnity (0.0) when it is not owed. Whether the
        debtor is a professional is read by the callers: a private person owes
        neither (a letter claims legal interest instead, ``late_charge_state``
        is empty).
        """
        paid = self.filtered(lambda m: m.payment_state in PAID_STATES)
        owed = {
            move: charge
            for move, charge in paid.filtered(
                lambda m: m.late_charge_state == "to_claim"
            )
            ._get_late_charges(date)
            .items()
            if charge.date_paid <= date
        }
        unpaid = (self - paid).filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )
        periods_by_move = defaultdict(list)
        for period in unpaid._get_late_payment_periods(date, deductions=deductions):
            periods_by_move[period.move].append(period)
        for move, periods in periods_by_move.items():
            charge = move._get_late_charge(periods, date)
            if move._is_late_charge_settled():
                charge = charge._replace(indemnity=0.0)
            owed[move] = charge
        return owed

    def _is_late_charge_settled(self):
        """The charges of this invoice were booked on an invoice of charges
        that is not cancelled, or waived for it."""
        self.ensure_one()
        return (
            self.late_charge_move_id.state not in (False, "cancel")
            or self.late_charge_waived
        )

    def _is_late_charge_invoice(self):
        """This move is an invoice of late-payment charges: no charges on
        charges, it bears neither penalties nor interest, hence no indemnity
        either (it is compensation for lateness already,
        shared/domain/litiges-fr.md). ``_get_late_payment_periods`` leaves it
        out."""
        self.ensure_one()
        return bool(self.late_charge_invoice_ids)

    def _get_late_charge_settlements(self):
        """{invoice: (day it was paid in full, days late, amount paid late)}.

        Per receivable line, from what was matched with it: a payment on its
        date, a credit note on the due date at the latest (what it credits
        was never owed).
        """
        settlements = {}
        for move in self:
            date_paid, days, base = None, 0, 0.0
            lines = move._dispute_term_lines().filtered("date_maturity")
            for line in lines:
                events = line._get_late_payment_events(datetime.date.max)
                if not events:
                    continue
                last = max(date for date, __ in events)
                date_paid = max(date_paid or last, last)
                days = max(days, (last - line.date_maturity).days)
                on_time = sum(a for d, a in events if d <= line.date_maturity)
                base += line.amount_currency - on_time
            if date_paid:
                settlements[move] = (date_paid, days, move.currency_id.round(base))
        return settlements

    def _get_late_charge_letters(self, charges):
        """{invoice: the first sent letter that claimed its charges}: one dated
        on or after the day it was paid in full, with a penalty or indemnity
        row on it."""
        lines = self.env["account.dunning.letter.line"].search(
            [
                ("move_id", "in", [move.id for move in charges]),
                ("line_type", "in", ("penalty", "indemnity")),
                ("letter_id.state", "in", ISSUED_STATES),
            ],
            order="id",
        )
        letters = {}
        for line in lines:
            if line.letter_id.date >= charges[line.move_id].date_paid:
                letters.setdefault(line.move_id, line.letter_id)
        return letters

    def _get_late_charge_label(self, date_paid):
        """How a letter names an invoice paid late."""
        self.ensure_one()
        return self.env._(
            "%(invoice)s, paid on %(date)s",
            invoice=self.name,
            date=format_date(self.env, date_paid),
        )
