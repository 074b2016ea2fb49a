# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import UserError

from ..dunning.account_dunning_letter_claim import get_claim_totals

# Code des procédures civiles d'exécution, art. L125-1 and R125-1: the
# simplified recovery of small claims is for a contractual claim of at most
# 5,000 EUR in principal and interest.
SMALL_CLAIMS_LIMIT_EUR = 5000.0


class AccountDisputeRecovery(models.Model):
    """What the recovery file claims: the rows of the formal notice's claim
    computed again at the file's date by the letters' own code
    (models/dunning/account_dunning_letter_claim.py), and their sums."""

    _inherit = "account.dispute.recovery"

    @api.depends("line_ids.amount", "line_ids.line_type")
    def _compute_amounts(self):
        """The sums of the rows, as a letter sums its own."""
        for recovery in self:
            recovery.update(get_claim_totals(recovery.line_ids))

    def _compute_claim(self):
        """Write the rows of the files' claim at their date, with the letters'
        code, on an in-memory copy of each formal notice dated that day: what
        is due on each invoice, installment by installment, and the penalties
        on it. What a dispute holds is left out: a court or an agency is
        asked for what is due, not for what the customer contests (Civil
        Code art. 1219); the letters state it apart (``contested`` rows)."""
        self.line_ids.unlink()
        vals_list = []
        for recovery in self:
            vals_list += [
                {**vals, "recovery_id": recovery.id}
                for vals in recovery._prepare_claim_rows(
                    recovery.letter_id,
                    recovery.date,
                    recovery.debtor_type,
                    recovery.invoice_ids,
                )
            ]
        self.env["account.dispute.recovery.line"].create(vals_list)
        self.filtered(
            lambda r: r.recovery_kind == "small_claims"
        )._check_small_claims_threshold()

    @api.model
    def _prepare_claim_rows(self, notice, date, debtor_type, invoices):
        """The rows (dicts, without letter nor file) of what the formal
        notice claims on ``invoices`` computed again at ``date``, in the
        customer's language, less what a dispute contests."""
        key = (notice.company_id.id, notice.partner_id.id, notice.currency_id.id)
        letter = self._get_claim_letter(notice, date, debtor_type)
        rows = []
        for vals in letter.with_context(
            lang=notice.partner_id.lang
        )._prepare_claim_lines_vals(
            notice._get_open_credit_lines().get(key, []),
            notice._get_formal_notice_dates(),
            invoices=invoices,
        ):
            if vals["line_type"] != "contested":
                vals.pop("letter_id")
                rows.append(vals)
        return rows

    @api.model
    def _is_covered_by_credits(self, notice, date):
        """The customer's open credits (credit notes, payments not matched
        yet) cover what is due on the formal notice's unpaid invoices at
        ``date``: the file would claim no principal."""
        rows = self._prepare_claim_rows(
            notice,
            date,
            notice.partner_id.commercial_partner_id._get_debtor_type(),
            self._get_unpaid_invoices(notice),
        )
        amounts = {"principal": 0.0, "credit": 0.0}
        for vals in rows:
            if vals["line_type"] in amounts:
                amounts[vals["line_type"]] += vals["amount"]
        currency = notice.currency_id
        return not currency.is_zero(amounts["credit"]) and (
            currency.compare_amounts(amounts["principal"] + amounts["credit"], 0.0) <= 0
        )

    @api.model
    def _get_claim_letter(self, notice, date, debtor_type):
        """The formal notice as a draft dated ``date``: a record in memory
        (``new``), never saved, whose origin is the notice. Its invoices are
        passed apart (those of a record in memory are new records)."""
        return notice.new(
            {
                "name": notice.name,
                "company_id": notice.company_id.id,
                "partner_id": notice.partner_id.id,
                "level_id": notice.level_id.id,
                "currency_id": notice.currency_id.id,
                "date": date,
                "debtor_type": debtor_type,
                "state": "draft",
            },
            origin=notice,
        )

    def _check_small_claims_threshold(self):
        """Code des procédures civiles d'exécution, art. L125-1 and R125-1:
        the simplified recovery is for a claim of at most 5,000 EUR in
        principal and interest (the penalties of art. L441-10 are interest;
        the fixed indemnity of art. D441-5 is not).

        :raises UserError: above the threshold.
        """
        euro = self.env.ref("base.EUR")
        for recovery in self:
            amount = recovery.amount_due + recovery.penalty_amount
            amount_eur = recovery.currency_id._convert(
                amount, euro, recovery.company_id, recovery.date
            )
            if euro.compare_amounts(amount_eur, SMALL_CLAIMS_LIMIT_EUR) > 0:
                raise UserError(
                    self.env._(
                        "The simplified recovery of small claims is for claims of "
                        "at most %(limit)s in principal and interest (Code des "
                        "procédures civiles d'exécution, art. L125-1 and R125-1); "
                        "%(customer)s owes %(amount)s: choose an injunction to pay "
                        "or a collection agency.",
                        limit=recovery._format_amount(SMALL_CLAIMS_LIMIT_EUR, euro),
                        customer=recovery.partner_id.display_name,
                        amount=recovery._format_amount(amount_eur, euro),
                    )
                )
