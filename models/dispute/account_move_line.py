# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    date_maturity_original = fields.Date(
        string="Original Due Date",
        copy=False,
        readonly=True,
        help="The due date this receivable line had when a dispute suspended it; "
        "kept until the dispute ends.",
        groups="base.group_user",
    )

    def _reconcile_plan(self, reconciliation_plan):
        """After any reconciliation, settled invoices close their disputes and
        move their payment plans on. None of it may stop the reconciliation
        (a payment, a bank statement line): what fails is left to a person."""
        res = super()._reconcile_plan(reconciliation_plan)
        lines = self._lines_of_plan(reconciliation_plan)
        invoices = lines.move_id.filtered(lambda m: m.move_type == "out_invoice")
        Move = self.env["account.move"]
        Move._dispute_safe_hook(
            invoices.dispute_ids,
            "_autoresolve",
            self.env._("Resolve this dispute: its invoices are settled."),
        )
        Move._dispute_safe_hook(
            invoices.payment_plan_ids,
            "_update_state",
            self.env._("Update the state of this payment plan after the last payment."),
        )
        Move._dispute_safe_hook(
            invoices,
            "_dunning_refresh_letters",
            self.env._("Update the draft dunning letters of this invoice."),
        )
        return res

    def _lines_of_plan(self, reconciliation_plan):
        """All the lines of a reconciliation plan, however nested."""
        lines = self.browse()
        for item in reconciliation_plan:
            if isinstance(item, models.BaseModel):
                lines |= item
            else:
                lines |= self._lines_of_plan(item)
        return lines
