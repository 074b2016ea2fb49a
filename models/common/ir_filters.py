# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class IrFilters(models.Model):
    _inherit = "ir.filters"

    @api.model
    def get_filters(
        self,
        model,
        action_id=None,
        embedded_action_id=None,
        embedded_parent_res_id=None,
    ):
        """The saved analyses the addon shares (Disputes > Analysis >
        Favorites) in the user's language.

        ``ir.filters`` names are not translatable: the shared filters that
        still bear the name the addon gave them get its translation; a filter
        renamed by a user keeps the user's name.
        """
        filters = super().get_filters(
            model, action_id, embedded_action_id, embedded_parent_res_id
        )
        if model == "account.dispute.report":
            names = self._get_dispute_analysis_names()
            for ir_filter in filters:
                if not ir_filter["user_id"]:
                    ir_filter["name"] = names.get(ir_filter["name"], ir_filter["name"])
        return filters

    @api.model
    def _get_dispute_analysis_names(self):
        """{name in report/account_dispute_report_views.xml: its translation}"""
        return {
            "Open disputes by aging": self.env._("Open disputes by aging"),
            "Resolution time by reason (Pareto)": self.env._(
                "Resolution time by reason (Pareto)"
            ),
            "Fault by category": self.env._("Fault by category"),
        }
