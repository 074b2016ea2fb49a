# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AccountLateChargeWaiverWizard(models.TransientModel):
    """Waive the late-payment charges of invoices or of a customer, saying why."""

    _name = "account.late.charge.waiver.wizard"
    _description = "Waive Late-Payment Charges"

    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        readonly=True,
        help="The invoices paid late whose charges are waived.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        readonly=True,
        help="The customer whose charges are waived, in the current company, on "
        "all its invoices paid late.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    reason = fields.Text(
        required=True,
        help="Why the company waives them: written in the invoices' chatter, "
        "and kept on the customer for the company only.",
    )

    @api.constrains("reason")
    def _check_reason(self):
        """The reason is written in the chatter as the company's word: spaces
        alone say nothing.

        :raise ValidationError: an empty or blank reason.
        """
        if any(not (wizard.reason or "").strip() for wizard in self):
            raise ValidationError(
                self.env._(
                    "Say why the company waives the late-payment charges: the "
                    "reason is written in the chatter."
                )
            )

    def action_confirm(self):
        """Waive the charges and write the reason in the invoices' chatter;
        a customer's waiver keeps it on the customer for the company only
        (``res.partner._set_late_charge_waived``).

        :raises UserError: neither invoices nor customer, or an invoice whose
            charges are not owed (already invoiced, not paid late).
        :raises AccessError: the user is not a Disputes manager.
        """
        self.ensure_one()
        moves = self.move_ids
        moves._check_late_charge_waiver_access()
        if not moves and not self.partner_id:
            raise UserError(
                self.env._(
                    "Choose the invoices or the customer whose charges to waive."
                )
            )
        body = Markup("%s<br/>%s") % (
            self.env._("Late-payment charges waived."),
            self.reason,
        )
        if moves:
            moves._check_late_charges_owed()
            moves.late_charge_waived = True
            moves._message_log_batch(bodies=dict.fromkeys(moves.ids, body))
        partner = self.partner_id.commercial_partner_id
        if partner:
            partner.with_company(self.company_id)._set_late_charge_waived(
                True, reason=self.reason
            )
        return {"type": "ir.actions.act_window_close"}
