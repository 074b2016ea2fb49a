# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """What a customer owes on its invoices paid late, in the current company."""

    _inherit = "res.partner"

    late_charge_waived = fields.Boolean(
        string="Late-Payment Charges Waived",
        company_dependent=True,
        readonly=True,
        groups="base.group_user",
        help="The company waives the late-payment penalties and recovery "
        "indemnity of this customer's invoices paid late (set on the company: "
        "its contacts follow it).",
    )
    late_charge_waiver_reason = fields.Text(
        string="Why Waived",
        company_dependent=True,
        readonly=True,
        groups="account_dispute.group_account_dispute_user,"
        "account.group_account_readonly",
        help="Why the company waives this customer's late-payment charges, as "
        "the Disputes manager wrote it. Kept here, for the company only, not "
        "in the chatter of a customer other companies share.",
    )
    late_charge_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices Owing Late-Payment Charges",
        compute="_compute_late_charges",
        groups="account_dispute.group_account_dispute_user,"
        "account.group_account_readonly",
    )
    late_charge_count = fields.Integer(
        compute="_compute_late_charges",
        groups="account_dispute.group_account_dispute_user,"
        "account.group_account_readonly",
    )
    late_charge_total = fields.Monetary(
        string="Late-Payment Charges Owed",
        compute="_compute_late_charges",
        currency_field="late_charge_currency_id",
        groups="account_dispute.group_account_dispute_user,"
        "account.group_account_readonly",
        help="Penalties and indemnities owed on the customer's invoices paid "
        "late, neither invoiced nor waived, in the company's currency.",
    )
    late_charge_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_late_charges",
        groups="account_dispute.group_account_dispute_user,"
        "account.group_account_readonly",
    )

    @api.depends_context("company")
    def _compute_late_charges(self):
        """One search for the batch, on the commercial entities."""
        company = self.env.company
        commercial = self.commercial_partner_id._origin
        invoices = self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("commercial_partner_id", "in", commercial.ids),
                ("late_charge_state", "=", "to_claim"),
            ],
            order="invoice_date_due, name, id",
        )
        today = fields.Date.context_today(self)
        for partner in self:
            owed = invoices.filtered(
                lambda m, p=partner: (
                    m.commercial_partner_id == p.commercial_partner_id._origin
                )
            )
            partner.late_charge_invoice_ids = owed
            partner.late_charge_count = len(owed)
            partner.late_charge_total = sum(
                move.currency_id._convert(
                    move.late_charge_amount, company.currency_id, company, today
                )
                for move in owed
            )
            partner.late_charge_currency_id = company.currency_id

    def action_view_late_charges(self):
        """The customer's invoices paid late that owe charges."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_move_late_charge_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("late_charge_state", "!=", False),
        ]
        return action

    def action_invoice_late_charges(self):
        """Invoice what the customer owes on its invoices paid late.

        :raises UserError: it owes none in the current company.
        """
        self.ensure_one()
        invoices = self.late_charge_invoice_ids
        if not invoices:
            raise UserError(
                self.env._(
                    "%(partner)s owes no late-payment charges to invoice: its "
                    "invoices paid late are already invoiced or waived.",
                    partner=self.commercial_partner_id.display_name,
                )
            )
        return invoices.action_invoice_late_charges()

    def action_waive_late_charges(self):
        """Ask why the company waives this customer's late-payment charges."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_late_charge_waiver_wizard_action"
        )
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    def action_restore_late_charges(self):
        """Owe the late-payment charges again in the current company."""
        self.ensure_one()
        self.commercial_partner_id._set_late_charge_waived(False)
        return True

    def _set_late_charge_waived(self, waived, reason=False):
        """Waive the customer's charges for ``reason``, or not, in the
        current company, and say so on its invoices whose charges the
        change waives or owes again.

        The waiver is a Disputes manager's decision (the buttons and the
        wizard say who), not an edit of the contact: written as superuser so
        that contact editing rights are not needed. Nothing is posted on the
        customer, whom other companies and every employee read: the reason
        stays in the company's own value of ``late_charge_waiver_reason``.

        :raises AccessError: the user is not a Disputes manager.
        """
        self.env["account.move"]._check_late_charge_waiver_access()
        owed_before = self.late_charge_invoice_ids
        self.sudo().with_company(self.env.company).write(
            {
                "late_charge_waived": waived,
                "late_charge_waiver_reason": reason if waived else False,
            }
        )
        self.invalidate_recordset(["late_charge_invoice_ids"])
        if waived:
            invoices = owed_before
            body = Markup("%s<br/>%s") % (
                self.env._("Late-payment charges of the customer waived."),
                reason or "",
            )
        else:
            invoices = self.late_charge_invoice_ids
            body = self.env._(
                "The late-payment charges of the customer are owed again."
            )
        invoices._message_log_batch(bodies=dict.fromkeys(invoices.ids, body))
