# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""18.0.1.5.0: the threatened-loss declaration files that earlier versions
attached to the customer, where every company and every employee read them,
move to the customer's credit insurance cover of their company. A file whose
cover cannot be found stays on the customer and is logged.
"""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    # The files are named after the translated "Threatened loss declaration
    # - <customer> - <date>" (English or French); each goes to the cover of
    # its customer and company that ran when it was made, else the latest.
    cr.execute(
        """
        WITH files AS (
            SELECT a.id, a.res_id AS partner_id, a.company_id,
                   a.create_date::date AS day
              FROM ir_attachment a
             WHERE a.res_model = 'res.partner'
               AND a.res_field IS NULL
               AND (a.name LIKE 'Threatened loss declaration - %%'
                    OR a.name LIKE 'Déclaration de menace de sinistre - %%')
        ), matched AS (
            SELECT DISTINCT ON (f.id) f.id, c.id AS cover_id
              FROM files f
              JOIN account_credit_insurance_cover c
                ON c.partner_id = f.partner_id
               AND c.company_id = f.company_id
          ORDER BY f.id,
                   (c.date_start <= f.day
                    AND (c.date_end IS NULL OR c.date_end >= f.day)) DESC,
                   c.date_start DESC, c.id DESC
        )
        UPDATE ir_attachment a
           SET res_model = 'account.credit.insurance.cover',
               res_id = m.cover_id
          FROM matched m
         WHERE a.id = m.id
        """
    )
    _logger.info(
        "%s threatened-loss declaration files moved from customers to their "
        "credit insurance covers",
        cr.rowcount,
    )
    cr.execute(
        """
        SELECT count(*) FROM ir_attachment
         WHERE res_model = 'res.partner'
           AND (name LIKE 'Threatened loss declaration - %%'
                OR name LIKE 'Déclaration de menace de sinistre - %%')
        """
    )
    left = cr.fetchone()[0]
    if left:
        _logger.warning(
            "%s threatened-loss declaration files have no cover of their "
            "company: they stay on the customer, move them by hand",
            left,
        )
