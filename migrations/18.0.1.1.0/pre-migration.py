# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""*No Reminder* on customers becomes a setting of each company.

The boolean column ``res_partner.dunning_excluded`` becomes the jsonb column
of a company-dependent field, ``{"<company id>": true}``. Odoo cannot cast a
boolean to jsonb, and would lose which companies the value is for: a customer
kept from reminders stays so in every company it belongs to, its own company
if it has one, else every company. False needs no value: it is the field's
fallback.
"""

from odoo.tools import SQL, sql


def migrate(cr, version):
    columns = sql.table_columns(cr, "res_partner")
    if columns.get("dunning_excluded", {}).get("udt_name") != "bool":
        return
    cr.execute("SELECT jsonb_object_agg(id::text, TRUE)::text FROM res_company")
    every_company = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            ALTER TABLE res_partner
           ALTER COLUMN dunning_excluded DROP DEFAULT,
           ALTER COLUMN dunning_excluded TYPE jsonb USING
                 CASE WHEN dunning_excluded IS NOT TRUE THEN NULL
                      WHEN company_id IS NOT NULL
                      THEN jsonb_build_object(company_id::text, TRUE)
                      ELSE %(every_company)s::jsonb END
            """,
            every_company=every_company,
        )
    )
