# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from .account_dispute import (
    ACTIVE_STATES,
    DUE_DATE_POLICY_SELECTION,
    RESOLUTION_SELECTION,
    VALIDITY_SELECTION,
)


class AccountDispute(models.Model):
    """How a dispute ends and what becomes of its amount: the resolution
    (by the wizard, a gesture, a payment plan, or by itself when a payment
    or a credit note settles its invoices: ``_autoresolve``, called after
    each reconciliation by account_move_line.py) and what it does to the due
    dates (``_resolve``).

    ``_resolve`` records the due date policy applied (the company's, the
    original dates for an unfounded dispute, or a date agreed); from it an
    invoice held whole gets its new due dates once no dispute holds it
    (``account.move._dispute_release``), a part contested its own due date
    (``account.dispute.line._reschedule``), both computed by
    ``account.move._dispute_new_due_date``.
    """

    _inherit = "account.dispute"

    date_resolved = fields.Date(string="Resolved On", copy=False, readonly=True)
    resolution = fields.Selection(
        selection=RESOLUTION_SELECTION,
        copy=False,
        readonly=True,
        tracking=True,
    )
    resolution_note = fields.Html(
        string="Internal Note",
        copy=False,
        help="What was learned, so that it does not happen again: internal, "
        "never printed on a document for the customer.",
    )
    due_date_policy = fields.Selection(
        selection=DUE_DATE_POLICY_SELECTION,
        string="Due Date Policy Applied",
        copy=False,
        readonly=True,
    )
    date_due_custom = fields.Date(
        string="Agreed Due Date",
        copy=False,
        readonly=True,
        help="The due date agreed with the customer, when that policy was applied.",
    )
    validity = fields.Selection(
        selection=VALIDITY_SELECTION,
        copy=False,
        tracking=True,
        help="Whether the customer was right. An unfounded dispute keeps the "
        "original due dates by default: penalties run as if it never happened.",
    )
    credit_note_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="dispute_id",
        string="Credit Notes",
        domain=[("move_type", "=", "out_refund")],
        readonly=True,
    )
    write_off_move_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="dispute_id",
        string="Write-Offs",
        domain=[("move_type", "=", "entry")],
        readonly=True,
    )
    payment_plan_ids = fields.One2many(
        comodel_name="account.dispute.payment.plan",
        inverse_name="dispute_id",
        string="Payment Plans",
        readonly=True,
    )
    payment_plan_count = fields.Integer(compute="_compute_payment_plan_count")
    amount_credited = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="Total of the posted credit notes granted for this dispute.",
    )
    amount_written_off = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="Residuals written off after a commercial gesture.",
    )
    amount_paid = fields.Monetary(
        compute="_compute_amount_outcome",
        store=True,
        help="The part of the disputed amount the customer paid.",
    )
    amount_open = fields.Monetary(
        string="Amount Still Open",
        compute="_compute_amount_outcome",
        store=True,
        help="The part of the disputed amount neither credited, written off nor "
        "paid yet.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("payment_plan_ids")
    def _compute_payment_plan_count(self):
        for dispute in self:
            dispute.payment_plan_count = len(dispute.payment_plan_ids)

    @api.depends(
        "amount_disputed",
        "invoice_ids.amount_residual",
        "credit_note_ids.state",
        "credit_note_ids.amount_total",
        "write_off_move_ids.state",
        "write_off_move_ids.amount_total",
    )
    def _compute_amount_outcome(self):
        """Split the disputed amount into what became of it."""
        for dispute in self:
            posted_credits = dispute.credit_note_ids.filtered(
                lambda m: m.state == "posted"
            )
            posted_write_offs = dispute.write_off_move_ids.filtered(
                lambda m: m.state == "posted"
            )
            credited = sum(posted_credits.mapped("amount_total"))
            written_off = sum(posted_write_offs.mapped("amount_total"))
            currency = dispute.currency_id
            left = max(
                currency.round(dispute.amount_disputed - credited - written_off), 0.0
            )
            residual = dispute.invoice_ids._get_amount_residual_sum(currency)
            still_open = min(residual, left)
            dispute.amount_credited = credited
            dispute.amount_written_off = written_off
            dispute.amount_open = still_open
            dispute.amount_paid = currency.round(left - still_open)

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_resolve(self):
        self.ensure_one()
        self._check_state(ACTIVE_STATES, "resolve")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_resolve_wizard_action"
        )
        action["context"] = {"default_dispute_id": self[:1].id}
        return action

    def action_gesture(self):
        """Grant a commercial gesture: a credit note on one of the invoices."""
        self.ensure_one()
        return self._wizard_action(
            "account_dispute.account_dispute_gesture_wizard_action",
            default_invoice_id=self.invoice_ids.filtered(
                lambda m: not m.currency_id.is_zero(m.amount_residual)
            )[:1].id,
        )

    def action_payment_plan(self):
        self.ensure_one()
        return self._wizard_action(
            "account_dispute.account_dispute_payment_plan_wizard_action",
            default_invoice_ids=self.invoice_ids.filtered(
                lambda m: not m.currency_id.is_zero(m.amount_residual)
            ).ids,
        )

    def action_view_credit_notes(self):
        self.ensure_one()
        return self.credit_note_ids._get_invoices_action()

    def action_view_payment_plans(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_payment_plan_action"
        )
        action["domain"] = [("dispute_id", "=", self.id)]
        action["context"] = {"create": False}
        if len(self.payment_plan_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.payment_plan_ids.id
        return action

    def action_print_settlement(self):
        self.ensure_one()
        self._check_state(("resolved",), "settlement")
        return self.env.ref(
            "account_dispute.report_dispute_settlement_action"
        ).report_action(self)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _resolve(
        self,
        resolution,
        date_resolved=None,
        due_date_policy=None,
        date_custom=None,
        resolution_note=None,
        validity=None,
        payment_plan=None,
        resolution_customer_note=None,
    ):
        """Close the disputes and give their invoices new due dates.

        This is what the resolution wizard calls; gestures, payment plans and
        the automatic resolution of settled invoices resolve through it too.
        An unfounded dispute keeps the original due dates unless told
        otherwise. ``resolution_note`` is internal (lessons learned);
        ``resolution_customer_note`` is what the settlement letter tells the
        customer was agreed. ``payment_plan`` holds the installments' parameters of
        ``account.dispute.payment.plan._prepare_installments`` when the
        resolution is a payment plan.
        """
        self._check_state(ACTIVE_STATES, "resolve")
        today = fields.Date.context_today(self)
        date_resolved = date_resolved or today
        if date_resolved > today:
            raise ValidationError(
                self.env._("A dispute cannot be resolved at a future date.")
            )
        for dispute in self:
            policy = due_date_policy or (
                "keep"
                if validity == "unfounded"
                else dispute.company_id.dispute_due_date_policy
            )
            if policy == "custom" and not date_custom:
                raise ValidationError(
                    self.env._("Give the due date agreed with the customer.")
                )
            if date_resolved < dispute.date_opened:
                raise ValidationError(
                    self.env._(
                        "Dispute %(dispute)s was opened on %(date)s: it cannot be "
                        "resolved before.",
                        dispute=dispute.name,
                        date=format_date(self.env, dispute.date_opened),
                    )
                )
            vals = {
                "state": "resolved",
                "resolution": resolution,
                "date_resolved": date_resolved,
                "due_date_policy": policy,
                "date_due_custom": date_custom if policy == "custom" else False,
            }
            if validity:
                vals["validity"] = validity
            if resolution_note:
                vals["resolution_note"] = resolution_note
            if resolution_customer_note:
                vals["resolution_customer_note"] = resolution_customer_note
            contested_parts = dispute.line_ids._get_held_parts()
            dispute._write_internal(vals)
            dispute.line_ids._reschedule(contested_parts)
        self.invoice_ids._dispute_release()
        if resolution == "payment_plan":
            plans = self.env["account.dispute.payment.plan"]
            for dispute in self.filtered(
                lambda d: (
                    not d.payment_plan_ids.filtered(lambda p: p.state == "running")
                )
            ):
                params = dict(payment_plan or {})
                invoices = params.pop("invoices", None) or dispute.invoice_ids
                plans._create_for_invoices(
                    invoices.filtered(
                        lambda m: not m.currency_id.is_zero(m.amount_residual)
                    ),
                    dispute=dispute,
                    **params,
                )
        self._schedule_followup()
        return True

    def _autoresolve(self):
        """Resolve active disputes whose invoices are settled, with a note.

        Called after each reconciliation: ``credit_note`` when a credit note
        settled part of the invoices, ``customer_paid`` otherwise.
        """
        for dispute in self.filtered("is_active"):
            invoices = dispute.invoice_ids
            if not all(
                inv.currency_id.is_zero(inv.amount_residual) for inv in invoices
            ):
                continue
            credited = dispute.credit_note_ids.filtered(
                lambda m: m.state == "posted"
            ) or invoices._get_reconciled_invoices().filtered(
                lambda m: m.move_type == "out_refund"
            )
            if credited:
                dispute._resolve("credit_note", validity="founded")
                body = self.env._(
                    "Every invoice of the dispute is settled: the dispute resolved "
                    "itself by a credit note."
                )
            else:
                dispute._resolve("customer_paid")
                body = self.env._(
                    "Every invoice of the dispute is settled: the dispute resolved "
                    "itself, the customer paid."
                )
            dispute.message_post(body=body)

    def _schedule_followup(self):
        """Ask the owner to call the customer back once things have settled."""
        activity_type = self.env.ref("account_dispute.mail_activity_type_followup")
        model = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": dispute.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": fields.Date.add(
                        dispute.date_resolved,
                        days=dispute.company_id.dispute_followup_days,
                    ),
                    "user_id": dispute.user_id.id or self.env.user.id,
                    "summary": self.env._("Call the customer: are they satisfied?"),
                }
                for dispute in self
                if dispute.company_id.dispute_followup_days
            ]
        )
