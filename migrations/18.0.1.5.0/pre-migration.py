# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""18.0.1.5.0: the letter rows get a stored company (their company rule);
filled in one UPDATE rather than computed row by row."""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE account_dunning_letter_line
            ADD COLUMN IF NOT EXISTS company_id integer
        """
    )
    cr.execute(
        """
        UPDATE account_dunning_letter_line line
           SET company_id = letter.company_id
          FROM account_dunning_letter letter
         WHERE letter.id = line.letter_id
           AND line.company_id IS DISTINCT FROM letter.company_id
        """
    )
