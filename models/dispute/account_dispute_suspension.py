# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .account_dispute import ACTIVE_STATES, CUSTOMER_CHANNELS


class AccountDispute(models.Model):
    """What a dispute holds out of the dunning, and when. Its invoices' due
    dates are kept aside while it runs and given back when it ends by
    ``account.move`` (``_dispute_suspend``, ``_dispute_release``): opening
    (account_dispute_stage.py), invoices added or taken off (``write``),
    resolution (account_dispute_resolution.py) and cancellation call them."""

    _inherit = "account.dispute"

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _holds_dunning(self):
        """Whether the dispute keeps its invoices out of the dunning: while it
        is active, and, raised by the customer on the portal or by e-mail,
        from the moment it is recorded, in draft, to be reviewed. What the
        portal and the acknowledgement promise the customer."""
        self.ensure_one()
        return self.state in ACTIVE_STATES or (
            self.state == "draft" and self.channel in CUSTOMER_CHANNELS
        )

    def _drop_contested_from_letters(self):
        """Take the invoices these disputes hold out of the draft letters, at
        once: a letter that waits would otherwise be sent on them."""
        self.filtered(
            lambda d: d._holds_dunning()
        ).invoice_ids._dunning_refresh_letters()

    def _update_invoices_suspension(self, invoices_before):
        """After the invoices of the disputes changed: the invoices added to
        an active dispute are suspended from today, those taken off are
        released (they get their due dates back once no dispute holds them).

        :param invoices_before: {dispute: invoices} read before the change;
            the disputes not in it are left alone.
        """
        removed = self.env["account.move"]
        today = fields.Date.context_today(self)
        for dispute in self.filtered(lambda d: d in invoices_before and d.is_active):
            added = dispute.invoice_ids - invoices_before[dispute]
            added._dispute_suspend(dispute, date_from=today)
            removed |= invoices_before[dispute] - dispute.invoice_ids
        removed._dispute_release()
