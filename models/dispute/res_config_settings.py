# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dispute_due_date_policy = fields.Selection(
        related="company_id.dispute_due_date_policy", readonly=False
    )
    dispute_manager_id = fields.Many2one(
        related="company_id.dispute_manager_id", readonly=False
    )
    dispute_escalation_days = fields.Integer(
        related="company_id.dispute_escalation_days", readonly=False
    )
    dunning_mode = fields.Selection(related="company_id.dunning_mode", readonly=False)
    dunning_last_run = fields.Datetime(related="company_id.dunning_last_run")
    dunning_skip_levels = fields.Boolean(
        related="company_id.dunning_skip_levels", readonly=False
    )
    dunning_claim_penalties = fields.Boolean(
        related="company_id.dunning_claim_penalties", readonly=False
    )
    dunning_postal_delay_days = fields.Integer(
        related="company_id.dunning_postal_delay_days", readonly=False
    )
    dunning_signatory_name = fields.Char(
        related="company_id.dunning_signatory_name", readonly=False
    )
    dunning_signatory_title = fields.Char(
        related="company_id.dunning_signatory_title", readonly=False
    )
    late_payment_rate = fields.Float(
        related="company_id.late_payment_rate", readonly=False
    )
    recovery_indemnity = fields.Monetary(
        related="company_id.recovery_indemnity",
        currency_field="currency_id",
        readonly=False,
    )
    late_charge_account_id = fields.Many2one(
        related="company_id.late_charge_account_id", readonly=False
    )
    dispute_writeoff_threshold = fields.Monetary(
        related="company_id.dispute_writeoff_threshold",
        currency_field="currency_id",
        readonly=False,
    )
    dispute_writeoff_account_id = fields.Many2one(
        related="company_id.dispute_writeoff_account_id", readonly=False
    )
    dispute_gesture_account_id = fields.Many2one(
        related="company_id.dispute_gesture_account_id", readonly=False
    )
    dispute_cost_product_id = fields.Many2one(
        related="company_id.dispute_cost_product_id", readonly=False
    )
    dispute_followup_days = fields.Integer(
        related="company_id.dispute_followup_days", readonly=False
    )
    dispute_limitation_years = fields.Integer(
        related="company_id.dispute_limitation_years", readonly=False
    )
    dispute_limitation_alert_days = fields.Integer(
        related="company_id.dispute_limitation_alert_days", readonly=False
    )
    dispute_limitation_payment_acknowledges = fields.Boolean(
        related="company_id.dispute_limitation_payment_acknowledges", readonly=False
    )
    payment_plan_grace_days = fields.Integer(
        related="company_id.payment_plan_grace_days", readonly=False
    )
    dispute_alias_name = fields.Char(
        related="company_id.dispute_alias_name", readonly=False
    )
    dispute_alias_domain = fields.Char(related="company_id.alias_domain_name")
