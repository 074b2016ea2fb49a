# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import fields, models
from odoo.tools.misc import format_amount, format_date

from ..common.formats import format_rate
from ..common.states import ISSUED_STATES


class AccountDunningLetter(models.Model):
    """What the printed letter says, in the language of the letter's context.

    The report calls these helpers on the letter browsed in the customer's
    language: figures go through Odoo's formatting (``format_amount``,
    ``format_date``, babel) and the addon's (``common.formats.format_rate``),
    and the sentences holding a figure are built whole here so that a
    translator can order their words.
    """

    _inherit = "account.dunning.letter"

    # ------------------------------------------------------------------
    # FORMATTING
    # ------------------------------------------------------------------

    def _format_rate(self, rate):
        """An annual rate in percent, e.g. 12.15 -> "12,15 %" in French
        (``common.formats.format_rate``)."""
        return format_rate(self.env, rate)

    def _format_amount(self, amount):
        """An amount of the letter's currency with its symbol, e.g. "40,00 €"."""
        self.ensure_one()
        return format_amount(self.env, amount, self.currency_id)

    def _format_date_in_full(self, date):
        """A date written out, e.g. "20 décembre 2026" (babel's long format)."""
        return format_date(self.env, date, date_format="long")

    def _strong(self, text):
        return Markup("<strong>%s</strong>") % text

    # ------------------------------------------------------------------
    # PARTS OF THE LETTER
    # ------------------------------------------------------------------

    def _get_place_and_date(self):
        """Where and when the letter is written: "Lyon, le 20 décembre 2026",
        the company's city and the letter's date in full."""
        self.ensure_one()
        return self.company_id._get_letter_place_and_date(self.date)

    def _get_signatory(self):
        """Who signs the letter: ``(name, title)``, the title possibly empty.

        The level's signatory when it names one, else the company's; without
        either, the company's name alone (never a user's e-mail signature).
        """
        self.ensure_one()
        level = self.level_id
        if level.signatory_name:
            return level.signatory_name, level.signatory_title or ""
        company = self.company_id
        if company.dunning_signatory_name:
            return company.dunning_signatory_name, company.dunning_signatory_title or ""
        return company.name, ""

    def _get_days_from_receipt(self):
        """Days to pay after receipt that the deadline gives, or 0.

        Counted back from the deadline (date of receipt + days to pay), so
        that the days and the date the letter states agree even when the
        deadline was changed by hand. The date of receipt is the one on the
        acknowledgement of a registered letter once recorded
        (``date_received``), else the letter's date + the postal delay.
        """
        self.ensure_one()
        if not (self.date and self.date_deadline):
            return 0
        receipt = self.date_received or fields.Date.add(
            self.date, days=self.level_id._get_postal_delay_days()
        )
        return max((self.date_deadline - receipt).days, 0)

    def _get_formal_notice_intro(self):
        """The formal notice's first sentence: "despite our previous
        reminders" only when a reminder on one of its invoices reached the
        customer before it (a letter ``sent``, not one whose e-mail failed):
        the notice is evidence, and must not state a reminder that never
        arrived."""
        self.ensure_one()
        reminded = self.search_count(
            [
                ("id", "!=", self.id),
                ("invoice_ids", "in", self.invoice_ids.ids),
                ("letter_type", "=", "reminder"),
                ("state", "=", "sent"),
                ("date", "<=", self.date),
            ],
            limit=1,
        )
        if reminded:
            return self.env._(
                "Despite our previous reminders, the following invoices remain unpaid:"
            )
        return self.env._(
            "The following invoices remain unpaid despite their due date having passed:"
        )

    def _get_demand_sentence(self):
        """The formal notice's demand: the sum, the days from receipt, the date."""
        self.ensure_one()
        amount = self._strong(self._format_amount(self.amount_total))
        date = self._strong(self._format_date_in_full(self.date_deadline))
        days = self._get_days_from_receipt()
        if not days:
            return self.env._(
                "We hereby put you on formal notice to pay us the sum of %(amount)s "
                "by %(date)s at the latest.",
                amount=amount,
                date=date,
            )
        return self.env._(
            "We hereby put you on formal notice to pay us the sum of %(amount)s "
            "within %(days)s days of receipt of this letter, that is by %(date)s at "
            "the latest.",
            amount=amount,
            days=days,
            date=date,
        )

    def _get_reminder_sentence(self):
        """A reminder's request: the amount due and the date to pay by."""
        self.ensure_one()
        return self.env._(
            "Please pay us %(amount)s by %(date)s at the latest.",
            amount=self._strong(self._format_amount(self.amount_due)),
            date=self._strong(self._format_date_in_full(self.date_deadline)),
        )

    def _get_previous_reminder(self):
        """The last reminder that went out before this letter about one of
        its invoices (``states.ISSUED_STATES``), or an empty recordset."""
        self.ensure_one()
        return self.search(
            [
                ("id", "!=", self._origin.id or 0),
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("letter_type", "=", "reminder"),
                ("state", "in", ISSUED_STATES),
                ("date", "<=", self.date),
                ("invoice_ids", "in", self.invoice_ids.ids),
            ],
            order="date desc, id desc",
            limit=1,
        )

    def _get_reminder_intro(self):
        """A reminder's opening: a later reminder names the one before it, so
        that the second reminder does not read as the first."""
        self.ensure_one()
        previous = self._get_previous_reminder()
        if not previous:
            return self.env._(
                "Unless we are mistaken, the following invoices are still unpaid "
                "on this date:"
            )
        return self.env._(
            "Despite our reminder of %(date)s, the following invoices are still "
            "unpaid on this date:",
            date=self._format_date_in_full(previous.date),
        )

    def _get_next_level(self):
        """The level that follows the letter's in its company's ladder (active
        levels by sequence), or an empty recordset at the top."""
        self.ensure_one()
        level = self.level_id
        return self.env["account.dunning.level"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("id", "!=", level.id),
                "|",
                ("sequence", ">", level.sequence),
                "&",
                ("sequence", "=", level.sequence),
                ("delay_days", ">", level.delay_days),
            ],
            order="sequence, delay_days, id",
            limit=1,
        )

    def _get_next_step_sentence(self):
        """What follows a reminder left unpaid when the next level of the
        ladder is a formal notice: the notice, and what it will claim (art.
        L441-10 penalties, running since each due date, and the art. D441-5
        indemnity per invoice from a professional; interest at the legal rate
        from the notice on from a private person, Civil Code art. 1231-6).
        Empty for a formal notice and when a reminder follows.
        """
        self.ensure_one()
        next_level = self._get_next_level()
        if self.letter_type != "reminder" or next_level.letter_type != "formal_notice":
            return ""
        date = self._strong(self._format_date_in_full(self.date_deadline))
        if self.debtor_type == "consumer":
            return self.env._(
                "Failing payment by %(date)s, we will send you a formal notice "
                "(mise en demeure), from which the sums due will bear interest at "
                "the legal rate (article 1231-6 of the French Civil Code).",
                date=date,
            )
        company = self.company_id
        indemnity = format_amount(
            self.env, company.recovery_indemnity, company.currency_id
        )
        if next_level.registered_mail:
            return self.env._(
                "Failing payment by %(date)s, we will send you a formal notice "
                "(mise en demeure) by registered letter. It will claim the "
                "late-payment penalties running since each due date (article "
                "L441-10 of the French Commercial Code) and a fixed recovery "
                "indemnity of %(indemnity)s per invoice (article D441-5).",
                date=date,
                indemnity=indemnity,
            )
        return self.env._(
            "Failing payment by %(date)s, we will send you a formal notice (mise "
            "en demeure). It will claim the late-payment penalties running since "
            "each due date (article L441-10 of the French Commercial Code) and a "
            "fixed recovery indemnity of %(indemnity)s per invoice (article "
            "D441-5).",
            date=date,
            indemnity=indemnity,
        )

    def _get_contested_sentence(self):
        """What the letter does not claim because the customer contests it,
        in one sentence: "Under dispute, and not claimed by this letter:
        1 500,00 € of invoice FAC/2026/00012 (dispute LIT/2026/00003)." Empty
        when nothing is contested (Civil Code art. 1219: the customer may
        withhold only the contested part, the rest is claimed)."""
        self.ensure_one()
        rows = self.line_ids.filtered(lambda x: x.line_type == "contested")
        if not rows:
            return ""
        items = [
            self.env._(
                "%(amount)s of invoice %(label)s",
                amount=self._format_amount(row.amount),
                label=row.name,
            )
            for row in rows
        ]
        return self.env._(
            "Under dispute, and not claimed by this letter: %(items)s.",
            items="; ".join(items),
        )

    def _get_charges_title(self):
        """The title of the penalty or interest calculation, dated the letter's
        date: the rows run up to it."""
        self.ensure_one()
        date = self._format_date_in_full(self.date)
        if self.debtor_type == "consumer":
            return self.env._(
                "Interest at the legal rate, calculated up to %(date)s", date=date
            )
        return self.env._(
            "Late-payment penalties, calculated up to %(date)s", date=date
        )

    def _get_penalty_rate_sentence(self):
        """French Commercial Code, art. L441-10: the rate, as of right, until
        payment. The rate of the calculation's rows when they use one rate,
        the company's of the letter's half-year when there are none; "the
        rates above" when several."""
        self.ensure_one()
        rates = set(
            self.line_ids.filtered(lambda line: line.line_type == "penalty").mapped(
                "rate"
            )
        ) or {self.company_id._get_late_payment_rate_table().rate_at(self.date) or 0.0}
        if len(rates) > 1:
            return self.env._(
                "Under article L441-10 of the French Commercial Code, late-payment "
                "penalties at the annual rates shown above are due as of right, "
                "without any reminder being needed, from the day after each due "
                "date until full payment."
            )
        return self.env._(
            "Under article L441-10 of the French Commercial Code, late-payment "
            "penalties at the annual rate of %(rate)s are due as of right, without "
            "any reminder being needed, from the day after each due date until "
            "full payment.",
            rate=self._format_rate(rates.pop()),
        )

    def _get_indemnity_sentence(self):
        """French Commercial Code, art. D441-5: the fixed indemnity per invoice."""
        self.ensure_one()
        company = self.company_id
        return self.env._(
            "A fixed indemnity for recovery costs of %(amount)s per invoice paid "
            "late is also due (article D441-5 of the French Commercial Code).",
            amount=format_amount(
                self.env, company.recovery_indemnity, company.currency_id
            ),
        )

    def _get_payment_sentence(self):
        """How to pay: the bank account of the invoices, else the company's,
        and the references to quote."""
        self.ensure_one()
        invoices = self.invoice_ids.sorted(lambda move: (move.invoice_date, move.name))
        references = ", ".join(
            invoices.mapped(lambda move: move.payment_reference or move.name)
        )
        bank = (
            self.invoice_ids.partner_bank_id or self.company_id.partner_id.bank_ids
        )[:1]
        if not bank:
            return self.env._(
                "Please quote %(references)s with your payment.",
                references=references,
            )
        if bank.bank_bic:
            return self.env._(
                "Please pay by bank transfer to the account %(account)s (BIC "
                "%(bic)s), quoting %(references)s.",
                account=self._strong(bank.acc_number),
                bic=self._strong(bank.bank_bic),
                references=references,
            )
        return self.env._(
            "Please pay by bank transfer to the account %(account)s, quoting "
            "%(references)s.",
            account=self._strong(bank.acc_number),
            references=references,
        )
