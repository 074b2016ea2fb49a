# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class AccountDunningRunWizard(models.TransientModel):
    _name = "account.dunning.run.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Run the Dunning"

    date = fields.Date(required=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        help="Leave empty to run the dunning for every customer.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    letter_count = fields.Integer(
        string="Letters to Create", compute="_compute_preview"
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.constrains("date")
    def _check_date(self):
        for wizard in self:
            try:
                self.env["account.dunning.run"]._check_dunning_date(wizard.date)
            except UserError as error:
                raise ValidationError(error.args[0]) from error

    @api.depends("date", "partner_id", "company_id")
    def _compute_preview(self):
        for wizard in self:
            if wizard.date and wizard.date > fields.Date.context_today(wizard):
                wizard.letter_count = 0
                wizard.preview = Markup("<p>%s</p>") % self.env._(
                    "No preview for a day to come: choose today or a day past."
                )
                continue
            plan = wizard._get_plan()
            wizard.letter_count = len(plan)
            # The customers' names read at once, not one query a customer.
            partners = self.env["res.partner"].browse({key[0] for key in plan})
            names = dict(
                zip(partners.ids, partners.mapped("display_name"), strict=True)
            )
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (names[partner_id], level.name, len(invoice_ids))
                for (partner_id, level, __), invoice_ids in plan.items()
            )
            header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
                self.env._("Customer"),
                self.env._("Level"),
                self.env._("Invoices"),
            )
            wizard.preview = (
                Markup('<table class="table table-sm">%s%s</table>') % (header, rows)
                if plan
                else Markup("<p>%s</p>") % self.env._("No letter is due.")
            )

    def _get_levels(self):
        return self.env["account.dunning.level"].search(
            [("company_id", "=", self.company_id.id)], order="sequence, id"
        )

    def _get_plan(self):
        self.ensure_one()
        levels = self._get_levels()
        if not levels:
            return {}
        return self.env["account.dunning.run"]._get_dunning_plan(
            self.company_id, levels, self.date, self.partner_id or None
        )

    def action_run(self):
        self.ensure_one()
        levels = self._get_levels()
        if not levels:
            raise UserError(
                self.env._(
                    "%(company)s has no dunning level: set up the ladder in "
                    "Accounting > Configuration > Disputes > Dunning Levels first.",
                    company=self.company_id.name,
                )
            )
        Run = self.env["account.dunning.run"].with_company(self.company_id)
        letters, *__ = Run._run_company(
            self.company_id, levels, self.date, self.partner_id or None, "wizard"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dunning_letter_action"
        )
        action["domain"] = [("id", "in", letters.ids)]
        action["context"] = {}
        return action
