# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountDunningLetter(models.Model):
    """A formal notice also claims what invoices paid late still owe."""

    _inherit = "account.dunning.letter"

    def _prepare_late_charge_lines_vals(self):
        """Rows of the late-payment charges of the customer's invoices paid in
        full but late before the letter's date, in its company and currency,
        that they still owe (``account.move._get_late_charges_owed``: neither
        invoiced nor waived; a letter that claimed them before does not settle
        them). The penalties of art. L441-10 per period of their dated
        history, the indemnity of art. D441-5 (shared/domain/litiges-fr.md)."""
        self.ensure_one()
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", self.company_id.id),
                (
                    "commercial_partner_id",
                    "=",
                    self.partner_id.commercial_partner_id.id,
                ),
                ("currency_id", "=", self.currency_id.id),
                ("late_charge_state", "=", "to_claim"),
            ],
            order="invoice_date_due, name, id",
        )
        charges = invoices._get_late_charges_owed(self.date)
        vals_list = []
        for move, charge in charges.items():
            label = move._get_late_charge_label(charge.date_paid)
            vals_list += [
                self._prepare_segment_line_vals("penalty", move, label, segment)
                for segment in charge.periods
            ]
        for move, charge in charges.items():
            vals = self._prepare_indemnity_line_vals(move)
            vals["name"] = move._get_late_charge_label(charge.date_paid)
            vals_list.append(vals)
        return vals_list

    def _get_late_charge_sentence(self):
        """The letter's sentence naming the invoices paid late whose charges
        it claims (its penalty and indemnity rows on invoices it does not
        list); empty when there are none."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda x: x.line_type in ("penalty", "indemnity")
        )
        charges = (lines.move_id - self.invoice_ids)._get_late_charges(self.date)
        if not charges:
            return ""
        return self.env._(
            "The following invoices were paid after their due date: their "
            "late-payment penalties and recovery indemnity, in the calculation "
            "below, remain due: %(invoices)s.",
            invoices="; ".join(
                move._get_late_charge_label(charge.date_paid)
                for move, charge in charges.items()
            ),
        )
