# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..common.states import UNPAID_PAYMENT_STATES
from .account_dispute import ACTIVE_STATES

DEBTOR_TYPE_SELECTION = [
    ("professional", "Professional"),
    ("consumer", "Private person"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dispute_ids = fields.One2many(
        comodel_name="account.dispute",
        inverse_name="partner_id",
        string="Disputes",
        readonly=True,
    )
    dispute_count = fields.Integer(
        compute="_compute_dispute_stats",
        groups="account_dispute.group_account_dispute_user",
    )
    dispute_open_count = fields.Integer(
        string="Active Disputes",
        compute="_compute_dispute_stats",
        groups="account_dispute.group_account_dispute_user",
    )
    amount_disputed_open = fields.Monetary(
        string="Amount in Dispute",
        compute="_compute_dispute_stats",
        currency_field="dispute_currency_id",
        groups="account_dispute.group_account_dispute_user",
        help="What the customer contests in its active disputes, in the company's "
        "currency.",
    )
    amount_disputed_total = fields.Monetary(
        string="Total Disputed",
        compute="_compute_dispute_stats",
        currency_field="dispute_currency_id",
        groups="account_dispute.group_account_dispute_user",
        help="What the customer contested in all its disputes but cancelled ones, "
        "in the company's currency.",
    )
    amount_credited_total = fields.Monetary(
        string="Total Credited",
        compute="_compute_dispute_stats",
        currency_field="dispute_currency_id",
        groups="account_dispute.group_account_dispute_user",
        help="Credit notes granted in its disputes, in the company's currency.",
    )
    dispute_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_dispute_stats",
        groups="account_dispute.group_account_dispute_user",
    )
    contested_invoice_ids = fields.Many2many(
        comodel_name="account.move",
        string="Contested Invoices",
        compute="_compute_contested_invoice_ids",
        groups="account_dispute.group_account_dispute_user",
        help="The customer's unpaid invoices of the current company that it "
        "contests, in whole or in part: in an active dispute, or contested and "
        "waiting to be reviewed. What it contests is out of the dunning ladder; "
        "the rest stays due on its dates.",
    )
    dunning_excluded = fields.Boolean(
        string="No Reminder",
        company_dependent=True,
        tracking=True,
        help="Never send reminders to this customer from the current company; "
        "each company sharing the customer decides for itself. Contacts follow "
        "their company's setting.",
        groups="base.group_user",
    )

    debtor_type = fields.Selection(
        selection=DEBTOR_TYPE_SELECTION,
        compute="_compute_debtor_type",
        store=True,
        readonly=False,
        precompute=True,
        help="A private person buying outside any business owes neither the "
        "late-payment penalties (French Commercial Code, art. L441-10) nor the "
        "recovery indemnity (art. D441-5): only interest at the legal rate from "
        "the formal notice (Civil Code, art. 1231-6). Defaults to professional "
        "for a company, a contact of a company or a customer with a VAT number.",
        groups="base.group_user",
    )

    @api.depends("is_company", "company_type", "parent_id", "vat")
    def _compute_debtor_type(self):
        """A company is a professional. ``company_type`` is read too: a
        customer created with ``company_type="company"`` (by code or by
        import) gets ``is_company`` from its inverse only after this field was
        precomputed, and protected from recomputation, at creation."""
        for partner in self:
            is_company = partner.is_company or partner.company_type == "company"
            if is_company or partner.parent_id or partner.vat:
                partner.debtor_type = "professional"
            else:
                partner.debtor_type = partner.debtor_type or "consumer"

    def _get_debtor_type(self):
        """Whom the letters address: the commercial entity decides."""
        self.ensure_one()
        return self.commercial_partner_id.debtor_type or "professional"

    @api.depends_context("company")
    def _compute_dispute_stats(self):
        """Count on the commercial entity, in one grouped query for the batch."""
        company = self.env.company
        commercial = self.commercial_partner_id._origin
        groups = self.env["account.dispute"]._read_group(
            [("partner_id", "in", commercial.ids)],
            groupby=["partner_id", "state", "currency_id"],
            aggregates=["__count", "amount_disputed:sum", "amount_credited:sum"],
        )
        empty = {"count": 0, "open": 0, "amount": 0.0, "total": 0.0, "credited": 0.0}
        stats = {p: dict(empty) for p in commercial}
        today = fields.Date.context_today(self)
        for partner, state, currency, count, amount, credited in groups:
            partner_stats = stats[partner]
            partner_stats["count"] += count
            amount = currency._convert(amount, company.currency_id, company, today)
            if state in ACTIVE_STATES:
                partner_stats["open"] += count
                partner_stats["amount"] += amount
            if state != "cancelled":
                partner_stats["total"] += amount
                partner_stats["credited"] += currency._convert(
                    credited, company.currency_id, company, today
                )
        for partner in self:
            partner_stats = stats.get(partner.commercial_partner_id._origin, empty)
            partner.dispute_count = partner_stats["count"]
            partner.dispute_open_count = partner_stats["open"]
            partner.amount_disputed_open = partner_stats["amount"]
            partner.amount_disputed_total = partner_stats["total"]
            partner.amount_credited_total = partner_stats["credited"]
            partner.dispute_currency_id = company.currency_id

    @api.depends_context("company")
    def _compute_contested_invoice_ids(self):
        """On the commercial entity, in one grouped query for the batch."""
        commercial = self.commercial_partner_id._origin
        Move = self.env["account.move"]
        groups = Move._read_group(
            [
                ("commercial_partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", UNPAID_PAYMENT_STATES),
                ("amount_contested", ">", 0.0),
            ],
            groupby=["commercial_partner_id"],
            aggregates=["id:recordset"],
        )
        invoices = dict(groups)
        for partner in self:
            partner.contested_invoice_ids = invoices.get(
                partner.commercial_partner_id._origin, Move
            )

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_action"
        )
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {
            "default_partner_id": commercial.id,
            "search_default_filter_active": 1,
        }
        return action
