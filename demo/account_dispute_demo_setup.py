# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class AccountDisputeDemoSetup(models.AbstractModel):
    """What the demo data needs before its story is written, kept with the
    demo's files: no production model carries it."""

    _name = "account.dispute.demo.setup"
    _description = "Customer Disputes: demo company setup"

    @api.model
    def _setup_company(self, companies, siret=None):
        """Make ready the company of the demo (demo/res_company_demo.xml)
        before its story is written.

        :param companies: ``res.company`` records, or their ids (as the demo
            XML's ``<function>`` passes them).
        :param siret: the SIRET to set when l10n_fr adds the field.

        - Its chart of accounts: France's (``fr``, module l10n_fr_account,
          which ``make demo`` installs before the addon) when it is
          installed, else Odoo's generic chart, in the company's currency:
          the addon does not depend on the French localization, and its demo
          installs without it.
        - Its SIRET, when l10n_fr adds the field (``siret``).
        - French, the language of its users and customers: activated (make
          demo loads it already), so that the story is written in French
          (demo/account_dispute_demo.xml runs in ``lang`` fr_FR).
        - The addon's translations in every installed language: Odoo loads a
          module's translations only after its demo data, so the chatter
          messages, e-mails and letters the story writes at install would
          otherwise mix English terms into French sentences ("Customer
          Dispute créé").
        """
        if not isinstance(companies, models.BaseModel):
            companies = self.env["res.company"].browse(companies)
        charts = self.env["account.chart.template"]
        template = (
            "fr"
            if charts._get_chart_template_mapping().get("fr", {}).get("installed")
            else "generic_coa"
        )
        for company in companies:
            if not company.chart_template:
                currency = company.currency_id
                # try_loading() would warn that the registry is still loading:
                # the modules the chart needs are loaded already.
                charts._load(template, company, install_demo=False)
                if company.currency_id != currency:
                    # The generic chart is in USD: keep the company's currency
                    # (no entry is written yet). Its taxes stay those of its
                    # fiscal country.
                    company.currency_id = currency
            if siret and "siret" in company._fields:
                company.siret = siret
        self.env["res.lang"]._activate_lang("fr_FR")
        languages = [
            code for code, __ in self.env["res.lang"].get_installed() if code != "en_US"
        ]
        self.env["ir.module.module"]._load_module_terms(["account_dispute"], languages)
