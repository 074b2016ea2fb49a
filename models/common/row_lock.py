# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Two clicks, one effect: a button whose effect must happen once (an e-mail
sent again, a dispute resolved) holds the rows it acts on before it checks
their state, and refuses at once with a message if another transaction has
them."""

from psycopg2 import errors

from odoo.exceptions import UserError
from odoo.tools import SQL


def lock_rows_or_refuse(records, message):
    """Hold the rows of ``records`` until the transaction ends, or raise
    ``UserError(message)`` at once.

    Refused when another transaction holds one of the rows (``FOR NO KEY
    UPDATE NOWAIT``: the lock an ``UPDATE`` takes, so that a record being
    created that merely refers to the row, such as a wizard, does not
    stand in the way), or changed one since this transaction began: Odoo's
    transactions are ``REPEATABLE READ``, so this one would not see that
    change. Odoo would run such a request again (``odoo.service.model.
    retrying``): the second click would then act again on the state the
    first left, which a mail server down may have put back as it was. Once
    the rows are held, the state this transaction reads is the last one
    committed: check it after this call.

    :param records: the records to hold (any model with a table).
    :param str message: the user's message, translated.
    :raises UserError: another transaction holds or just changed a row.
    """
    if not records.ids:
        return
    cr = records.env.cr
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                    SQL.identifier(records._table),
                    tuple(records.ids),
                ),
                log_exceptions=False,
            )
    except (errors.LockNotAvailable, errors.SerializationFailure) as error:
        raise UserError(message) from error
