# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class AccountDispute(models.Model):
    """What the dispute's letters to the customer (acknowledgement and
    settlement) print."""

    _inherit = "account.dispute"

    def _get_letter_signatory(self):
        """Who signs the dispute's letters, once: ``(name, title)``, the title
        possibly empty.

        The company's signatory of letters (Settings) with their title, as on
        the dunning letters: a settlement commits the company. Without one, the
        dispute's owner with their job position (the contact's *Job
        Position*); without an owner, the company's name alone. Never a user's
        e-mail signature, which repeats the name.
        """
        self.ensure_one()
        company = self.company_id
        if company.dunning_signatory_name:
            return company.dunning_signatory_name, company.dunning_signatory_title or ""
        if self.user_id:
            return self.user_id.name, self.user_id.partner_id.function or ""
        return company.name, ""
