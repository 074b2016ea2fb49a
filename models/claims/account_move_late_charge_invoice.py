# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount

from ..common.formats import format_rate


class AccountMove(models.Model):
    """Invoicing or waiving the late-payment charges of invoices paid late
    (``account_move_late_charge.py`` computes what they owe): an invoice of
    charges per customer and currency, outside the scope of VAT
    (compensation, not the price of a service, shared/domain/litiges-fr.md).
    """

    _inherit = "account.move"

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_invoice_late_charges(self):
        """Invoice the late-payment charges these invoices owe, and show it.

        One draft customer invoice per customer and currency: a line of
        penalties per invoice (art. L441-10) and a line per indemnity (art.
        D441-5), without taxes (compensation, outside the scope of VAT), on
        the company's late-payment charges account; the invoices are linked to
        it, so that they are never charged twice.

        :raises UserError: an invoice owes no charges to invoice (not paid
            late, owed by a private person, waived or already invoiced), or
            another user is invoicing them.
        """
        self._check_late_charges_owed()
        if not self.env.company._with_locked_records(self, allow_raising=False):
            raise UserError(
                self.env._(
                    "Another user is changing these invoices: try again in a moment."
                )
            )
        charges = self._get_late_charges_owed(fields.Date.context_today(self))
        groups = defaultdict(self.browse)
        for move in self.sorted(lambda m: (m.invoice_date_due, m.name, m.id)):
            key = (move.company_id, move.commercial_partner_id, move.currency_id)
            groups[key] |= move
        invoices = self.browse()
        for (company, __, __), moves in groups.items():
            invoice = (
                self.env["account.move"]
                .with_company(company)
                .create(moves._prepare_late_charge_invoice_vals(charges))
            )
            moves.with_context(skip_is_manually_modified=True).write(
                {"late_charge_move_id": invoice.id}
            )
            body = self.env._(
                "Late-payment charges invoiced on %(invoice)s.",
                invoice=invoice._get_html_link(),
            )
            moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
            invoices |= invoice
        return invoices.with_env(self.env)._get_invoices_action()

    def action_waive_late_charges(self):
        """Ask why the company waives these invoices' late-payment charges."""
        self._check_late_charges_owed()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_late_charge_waiver_wizard_action"
        )
        action["context"] = {"default_move_ids": self.ids}
        return action

    def action_restore_late_charges(self):
        """Owe the late-payment charges again: the invoice's waiver ends.

        :raises AccessError: the user is not a Disputes manager.
        """
        self._check_late_charge_waiver_access()
        waived = self.filtered("late_charge_waived")
        waived.late_charge_waived = False
        body = self.env._("The late-payment charges are owed again.")
        waived._message_log_batch(bodies=dict.fromkeys(waived.ids, body))
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    @api.model
    def _check_late_charge_waiver_access(self):
        """Waiving what a customer owes is a Disputes manager's decision."""
        if not self.env.user.has_group("account_dispute.group_account_dispute_manager"):
            raise AccessError(
                self.env._("Only a Disputes manager may waive late-payment charges.")
            )

    def _check_late_charges_owed(self):
        """Refuse invoices whose late-payment charges are not owed, saying why."""
        if not self:
            raise UserError(self.env._("Select the invoices whose charges to invoice."))
        reasons = []
        for move in self.filtered(lambda m: m.late_charge_state != "to_claim"):
            if move.late_charge_state == "invoiced":
                reason = self.env._(
                    "%(invoice)s: already invoiced on %(charges)s",
                    invoice=move.display_name,
                    charges=move.late_charge_move_id.display_name,
                )
            elif move.late_charge_state == "waived":
                reason = self.env._(
                    "%(invoice)s: waived for the invoice or its customer",
                    invoice=move.display_name,
                )
            else:
                reason = self.env._(
                    "%(invoice)s: not a professional's invoice paid late",
                    invoice=move.display_name,
                )
            reasons.append(reason)
        if reasons:
            raise UserError(
                self.env._(
                    "These invoices owe no late-payment charges:\n%(reasons)s",
                    reasons="\n".join(reasons),
                )
            )

    def _prepare_late_charge_invoice_vals(self, charges):
        """The invoice of the late-payment charges of these invoices, of one
        customer, company and currency; labels in the customer's language."""
        partner = self.commercial_partner_id
        company = self.company_id
        lang_self = self.with_context(lang=partner.lang)
        account = company._get_late_charge_account()
        lines = [
            command
            for move in lang_self
            for command in move._prepare_late_charge_invoice_lines(
                charges[move], account
            )
        ]
        lines.append(
            Command.create(
                {
                    "display_type": "line_note",
                    "name": lang_self.env._(
                        "Late-payment penalties (French Commercial Code, art. "
                        "L441-10) and recovery indemnity (art. D441-5): "
                        "compensation, outside the scope of VAT."
                    ),
                }
            )
        )
        return {
            "move_type": "out_invoice",
            "partner_id": (
                self.partner_id if len(self.partner_id) == 1 else partner
            ).id,
            "company_id": company.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": ", ".join(self.mapped("name")),
            "invoice_line_ids": lines,
        }

    def _prepare_late_charge_invoice_lines(self, charge, account):
        """A line of penalties and a line of indemnity for this invoice, without
        taxes; amounts that round to zero are left out."""
        self.ensure_one()
        currency = self.currency_id
        env = self.env
        vals = []
        if not currency.is_zero(charge.penalty):
            vals.append((self._get_late_charge_penalty_label(charge), charge.penalty))
        if not currency.is_zero(charge.indemnity):
            vals.append(
                (
                    env._(
                        "Fixed indemnity for recovery costs (art. D441-5) - "
                        "invoice %(invoice)s",
                        invoice=self.name,
                    ),
                    charge.indemnity,
                )
            )
        return [
            Command.create(
                {
                    "name": name,
                    "account_id": account.id,
                    "quantity": 1.0,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                }
            )
            for name, amount in vals
        ]

    def _get_late_charge_penalty_label(self, charge):
        """The label of the penalties of an invoice paid late: its periods,
        with their rate when they bear several."""
        env = self.env
        currency = self.currency_id
        if charge.rate:
            periods = ", ".join(
                env._(
                    "%(base)s for %(days)s days",
                    base=format_amount(env, segment.base, currency),
                    days=segment.days,
                )
                for segment in charge.periods
            )
            return env._(
                "Late-payment penalties - invoice %(invoice)s paid %(days)s days "
                "late (rate %(rate)s: %(periods)s)",
                invoice=self.name,
                days=charge.days,
                rate=format_rate(env, charge.rate),
                periods=periods,
            )
        periods = ", ".join(
            env._(
                "%(base)s for %(days)s days at %(rate)s",
                base=format_amount(env, segment.base, currency),
                days=segment.days,
                rate=format_rate(env, segment.rate),
            )
            for segment in charge.periods
        )
        return env._(
            "Late-payment penalties - invoice %(invoice)s paid %(days)s days late "
            "(%(periods)s)",
            invoice=self.name,
            days=charge.days,
            periods=periods,
        )
