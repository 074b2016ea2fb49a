# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class AccountDunningRunFailure(models.Model):
    _inherit = "account.dunning.run.failure"

    kind = fields.Selection(
        selection_add=[("warning", "Warning")], ondelete={"warning": "cascade"}
    )


class AccountDunningRun(models.Model):
    """Each run checks that the table of late-payment rates knows the rates of
    its half-year (French Commercial Code, art. L441-10; Monetary and
    Financial Code, art. L313-2): they change on 1 January and 1 July."""

    _inherit = "account.dunning.run"

    @api.model_create_multi
    def create(self, vals_list):
        runs = super().create(vals_list)
        runs._log_missing_rates()
        return runs

    def _log_missing_rates(self):
        """A warning in the run's log for each rate the company's claims need
        and the table lacks for the run's half-year: the ECB rate plus 10
        points unless a contractual rate replaces it, and the legal interest
        rate (private persons' interest, the floor of a contractual rate)."""
        for run in self.filtered("company_id.dunning_claim_penalties"):
            company = run.company_id
            tables = [company._get_legal_interest_rate_table()]
            if not company.late_payment_rate:
                tables.insert(0, company._get_late_payment_rate_table())
            for table in tables:
                if not table.has_rate(run.date):
                    run._log("warning", table._missing_message(run.date))
