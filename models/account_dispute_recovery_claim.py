# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models
from odoo.exceptions import UserError

from .account_dunning_letter_claim import get_claim_totals

# Code des procédures civiles d'exécution, art. L125-1 and R125-1: the
# simplified recovery of small claims is for a contractual claim of at most
# 5,000 EUR in principal and interest.
SMALL_CLAIMS_LIMIT_EUR = 5000.0


class AccountDisputeRecovery(models.Model):
    """What the recovery file claims: the rows of the formal notice's claim
    computed again at the file's date by the letters' own code
    (models/account_dunning_letter_claim.py), and their sums."""

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
            notice = recovery.letter_id
            key = (notice.company_id.id, notice.partner_id.id, notice.currency_id.id)
            letter = recovery._get_claim_letter()
            for vals in letter.with_context(
                lang=recovery.partner_id.lang
            )._prepare_claim_lines_vals(
                notice._get_open_credit_lines().get(key, []),
                notice._get_formal_notice_dates(),
                invoices=recovery.invoice_ids,
            ):
                if vals["line_type"] == "contested":
                    continue
                vals.pop("letter_id")
                vals_list.append({**vals, "recovery_id": recovery.id})
        self.env["account.dispute.recovery.line"].create(vals_list)
        self.filtered(
            lambda r: r.recovery_kind == "small_claims"
        )._check_small_claims_threshold()

    def _get_claim_letter(self):
        """The formal notice as a draft dated the file's date: a record in
        memory (``new``), never saved, whose origin is the notice, so that the
        indemnity and the charges the notice claimed count as its own and not
        as claimed by another letter. Its invoices are passed apart (those of
        a record in memory are new records)."""
        self.ensure_one()
        notice = self.letter_id
        return notice.new(
            {
                "name": notice.name,
                "company_id": notice.company_id.id,
                "partner_id": notice.partner_id.id,
                "level_id": notice.level_id.id,
                "currency_id": notice.currency_id.id,
                "date": self.date,
                "debtor_type": self.debtor_type,
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
