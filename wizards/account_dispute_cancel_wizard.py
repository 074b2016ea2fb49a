# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.dispute.account_dispute import ACTIVE_STATES


class AccountDisputeCancelWizard(models.TransientModel):
    """Cancel a dispute the customer raised, as unfounded, and tell them why."""

    _name = "account.dispute.cancel.wizard"
    _description = "Cancel a Dispute as Unfounded"

    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        required=True,
        ondelete="cascade",
    )
    recipient_ids = fields.Many2many(related="dispute_id.recipient_ids")
    reason = fields.Text(
        string="Why",
        required=True,
        help="Why the dispute is unfounded, in the customer's language: it is "
        "e-mailed to the customer, and the invoices are due and reminded again.",
    )

    def action_confirm(self):
        """Cancel the dispute and e-mail the reason to the customer.

        :raise UserError: no reason was given.
        """
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(
                self.env._("Tell the customer why their dispute is unfounded.")
            )
        self.dispute_id._check_state(("draft", *ACTIVE_STATES), "cancel")
        self.dispute_id._cancel_unfounded(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
