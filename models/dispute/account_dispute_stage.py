# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..common.confirm_labels import label_confirmations
from ..common.row_lock import lock_rows_or_refuse
from .account_dispute import (
    ACTIVE_STATES,
    CUSTOMER_CHANNELS,
    LITIGATION_PROCEDURE_SELECTION,
    MEDIATOR_TYPE_SELECTION,
)


class AccountDispute(models.Model):
    """The dispute's stages and the buttons that move it: open, negotiation,
    mediation, litigation (with the third party, the court and their costs,
    re-invoiced to a customer at fault), cancel, back to draft; the dates the
    stages record, never to come; who may move a dispute, and when. Resolving
    is in account_dispute_resolution.py."""

    _inherit = "account.dispute"

    mediator_type = fields.Selection(
        selection=MEDIATOR_TYPE_SELECTION,
        string="Third Party",
        tracking=True,
        help="Who helps settle the dispute out of court, or recovers the debt.",
    )
    mediator_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
    )
    date_mediation = fields.Date(string="Referred On", tracking=True)
    mediation_cost = fields.Monetary(
        tracking=True,
        help="What the mediator or the recovery agent charges.",
    )
    court_id = fields.Many2one(
        comodel_name="res.partner",
        tracking=True,
        check_company=True,
    )
    litigation_procedure = fields.Selection(
        selection=LITIGATION_PROCEDURE_SELECTION,
        string="Procedure",
        tracking=True,
    )
    litigation_ref = fields.Char(string="Case Reference", tracking=True)
    date_litigation = fields.Date(string="Filed On", tracking=True)
    litigation_cost = fields.Monetary(
        string="Recovery Costs",
        tracking=True,
        help="Court, commissaire de justice and lawyer's fees of the procedure.",
    )
    cost_invoice_id = fields.Many2one(
        comodel_name="account.move",
        string="Costs Invoice",
        copy=False,
        readonly=True,
        help="The invoice that passed the mediation and recovery costs on to the "
        "customer.",
    )

    cancel_reason = fields.Text(
        string="Why Cancelled",
        copy=False,
        readonly=True,
        tracking=True,
        help="What the customer was told when their dispute was cancelled as "
        "unfounded.",
    )

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------

    @api.constrains("date_opened", "date_resolved", "date_mediation", "date_litigation")
    def _check_dates_not_in_future(self):
        """These dates record what happened: a day to come is a typing error
        (and a dispute opened tomorrow could not resolve itself today)."""
        today = fields.Date.context_today(self)
        fnames = ("date_opened", "date_resolved", "date_mediation", "date_litigation")
        for dispute in self:
            for fname in fnames:
                if dispute[fname] and dispute[fname] > today:
                    raise ValidationError(dispute._get_future_date_error(fname))

    def _get_future_date_error(self, fname):
        """Why the date ``fname`` of this dispute is refused: a day to come. One
        whole sentence per date, so that each translates as a sentence."""
        self.ensure_one()
        args = {"dispute": self.name, "date": format_date(self.env, self[fname])}
        _ = self.env._
        messages = {
            "date_opened": _(
                "Dispute %(dispute)s cannot be opened on a day to come "
                "(%(date)s): give the day it was opened, today at the latest.",
                **args,
            ),
            "date_resolved": _(
                "Dispute %(dispute)s cannot be resolved on a day to come "
                "(%(date)s): give the day it was resolved, today at the latest.",
                **args,
            ),
            "date_mediation": _(
                "Dispute %(dispute)s cannot be referred to a third party on a day "
                "to come (%(date)s): give the day it was referred, today at the "
                "latest.",
                **args,
            ),
            "date_litigation": _(
                "Dispute %(dispute)s cannot be filed in court on a day to come "
                "(%(date)s): give the day it was filed, today at the latest.",
                **args,
            ),
        }
        return messages[fname]

    # ------------------------------------------------------------------
    # VIEWS
    # ------------------------------------------------------------------

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The form's confirmation dialogs name their buttons after what they
        do, in the user's language (see ``label_confirmations``)."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            _ = self.env._
            label_confirmations(
                arch,
                {
                    "action_cancel": (_("Cancel the dispute"), _("Keep it")),
                    "action_invoice_costs": (_("Create the invoice"), _("Not now")),
                },
            )
        return arch, view

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def action_open(self):
        """Open the file: the invoices leave the dunning ladder from now on."""
        self._check_state(("draft",), "open")
        for dispute in self:
            if not dispute.invoice_ids:
                raise UserError(
                    self.env._(
                        "Add the disputed invoices to %(dispute)s before opening it.",
                        dispute=dispute.name,
                    )
                )
            dispute._check_amount_against_invoices()
            if dispute.reason_id and not dispute.reason_id.active:
                raise UserError(
                    self.env._(
                        "The reason “%(reason)s” of %(dispute)s is archived: choose "
                        "another one.",
                        reason=dispute.reason_id.name,
                        dispute=dispute.name,
                    )
                )
            issued = max(dispute.invoice_ids.mapped("invoice_date"), default=False)
            if dispute.date_opened and issued and dispute.date_opened < issued:
                raise UserError(
                    self.env._(
                        "%(dispute)s cannot be opened on %(date)s, before its "
                        "invoices were issued (%(issued)s).",
                        dispute=dispute.name,
                        date=format_date(self.env, dispute.date_opened),
                        issued=format_date(self.env, issued),
                    )
                )
        today = fields.Date.context_today(self)
        self.filtered(lambda d: not d.date_opened).date_opened = today
        self._write_internal({"state": "open", "to_review": False})
        self.activity_feedback(["account_dispute.mail_activity_type_contest"])
        # The clock starts (again, after a reset to draft): so do the alerts.
        self._reset_alerts()
        self.invoice_ids._dispute_suspend(self)
        return True

    def action_negotiate(self):
        return self._set_active_state("negotiation")

    def action_mediate(self):
        return self._set_active_state("mediation")

    def action_litigate(self):
        return self._set_active_state("litigation")

    def action_refer(self):
        """Ask for the third party or the court before moving the dispute on."""
        self.ensure_one()
        self._check_state(ACTIVE_STATES, "refer")
        return self._wizard_action(
            "account_dispute.account_dispute_referral_wizard_action",
            default_target_state=self.env.context.get("target_state", "mediation"),
        )

    def action_cancel(self):
        """Cancel a dispute opened by mistake: its invoices get their dates back
        and return to the dunning ladder.

        A dispute the customer raised on the portal or by e-mail is cancelled
        through a wizard that tells the customer why (see
        :meth:`_cancel_unfounded`): the portal and the acknowledgement
        promised them no reminder while it runs.

        :raise UserError: a dispute is neither draft nor active, or several
            disputes are cancelled at once and one of them was raised by the
            customer.
        """
        self._check_state(("draft", *ACTIVE_STATES), "cancel")
        raised = self.filtered(lambda d: d.channel in CUSTOMER_CHANNELS)
        if raised and len(self) > 1:
            raise UserError(
                self.env._(
                    "%(disputes)s were raised by the customer: cancel them one by "
                    "one, to tell the customer why each is unfounded.",
                    disputes=", ".join(raised.mapped("name")),
                )
            )
        if raised:
            return self._wizard_action(
                "account_dispute.account_dispute_cancel_wizard_action"
            )
        self._cancel()
        return True

    def action_draft(self):
        """Back to draft: the clock and its alerts start again at the opening."""
        self._check_state(("cancelled",), "draft")
        self._write_internal(
            {"state": "draft", "date_opened": False, "date_deadline": False}
        )
        return True

    def action_invoice_costs(self):
        """Pass the mediation and recovery costs on to a customer at fault."""
        self.ensure_one()
        if self.fault != "customer":
            raise UserError(
                self.env._(
                    "Costs can only be re-invoiced when the dispute is the "
                    "customer's fault; %(dispute)s is not.",
                    dispute=self.name,
                )
            )
        if self.cost_invoice_id and self.cost_invoice_id.state != "cancel":
            raise UserError(
                self.env._(
                    "The costs of %(dispute)s are already invoiced on %(invoice)s.",
                    dispute=self.name,
                    invoice=self.cost_invoice_id.display_name,
                )
            )
        lines = self._prepare_cost_invoice_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "Enter the mediation or recovery costs of %(dispute)s first.",
                    dispute=self.name,
                )
            )
        invoice = self.env["account.move"].create(
            self._prepare_cost_invoice_vals(lines)
        )
        self.cost_invoice_id = invoice
        self.message_post(
            body=self.env._(
                "Costs re-invoiced to the customer on %(invoice)s.",
                invoice=invoice._get_html_link(),
            )
        )
        return invoice._get_invoices_action()

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _set_active_state(self, state):
        self._check_state(ACTIVE_STATES, "move")
        self._write_internal({"state": state})
        return True

    def _cancel(self):
        """Cancel the disputes: the invoices of the active ones get their due
        dates back, and every invoice no other dispute holds returns to the
        dunning ladder."""
        was_active = self.filtered("is_active")
        self._write_internal({"state": "cancelled"})
        self.activity_feedback(["account_dispute.mail_activity_type_contest"])
        was_active.invoice_ids._dispute_release()

    def _cancel_unfounded(self, reason):
        """Cancel the dispute as unfounded and tell the customer why.

        ``reason`` (plain text, in the customer's language) is kept on the
        dispute and sent to its recipients (the contact who wrote or
        contested, and the invoicing address) with the template
        ``mail_template_dispute_cancelled``. The invoices return to the
        dunning ladder; an active dispute gives them back their original due
        dates.
        """
        self.ensure_one()
        self.write({"cancel_reason": reason, "validity": "unfounded"})
        self._cancel()
        template = self.env.ref("account_dispute.mail_template_dispute_cancelled")
        self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

    def _check_state(self, allowed_states, action):
        """Refuse ``action`` on a dispute whose status it does not start from.

        :param action: a key of :meth:`_get_state_error` (``open``,
            ``resolve``, ``cancel``, ``draft``, ``refer``, ``settlement``,
            ``move``).
        :raise UserError: for the first dispute not in ``allowed_states``.
        """
        refused = self.filtered(lambda d: d.state not in allowed_states)[:1]
        if refused:
            raise UserError(refused._get_state_error(action))

    def _get_state_error(self, action):
        """Why ``action`` is refused on this dispute: one whole sentence per
        action, so that each translates as a sentence."""
        self.ensure_one()
        states = dict(self._fields["state"]._description_selection(self.env))
        args = {"dispute": self.name, "state": states[self.state]}
        _ = self.env._
        messages = {
            "open": _(
                "You cannot open dispute %(dispute)s: its status is “%(state)s”. "
                "Only a draft dispute can be opened.",
                **args,
            ),
            "resolve": _(
                "You cannot resolve dispute %(dispute)s: its status is "
                "“%(state)s”. Only an active dispute can be resolved.",
                **args,
            ),
            "cancel": _(
                "You cannot cancel dispute %(dispute)s: its status is "
                "“%(state)s”. Only a draft or active dispute can be cancelled.",
                **args,
            ),
            "draft": _(
                "You cannot reset dispute %(dispute)s to draft: its status is "
                "“%(state)s”. Only a cancelled dispute can be reset to draft.",
                **args,
            ),
            "refer": _(
                "You cannot refer dispute %(dispute)s to a third party: its status "
                "is “%(state)s”. Only an active dispute can be referred.",
                **args,
            ),
            "settlement": _(
                "You cannot print the settlement of dispute %(dispute)s: its "
                "status is “%(state)s”. Resolve the dispute first.",
                **args,
            ),
            "move": _(
                "You cannot move dispute %(dispute)s to another stage: its status "
                "is “%(state)s”. Only an active dispute changes stage.",
                **args,
            ),
        }
        return messages[action]

    def _lock_or_refuse(self):
        """Hold the disputes until the transaction ends, so that two users
        confirming the same change at once (two resolution wizards) change
        them once: the second is refused at once with a message about the
        dispute, never a database error. Check the status after this call:
        it is then the last one committed.

        :raise UserError: another user is changing a dispute, or has just
            changed it.
        """
        lock_rows_or_refuse(
            self,
            self.env._(
                "Another user is changing dispute %(dispute)s or has just changed "
                "it (it may already be resolved or cancelled): reload the dispute "
                "to see its status.",
                dispute=", ".join(self.mapped("name")),
            ),
        )
        self.invalidate_recordset(["state"])

    def _prepare_cost_invoice_lines(self):
        """The lines of the costs invoice; their labels are printed for the
        customer, in the customer's language."""
        product = self.company_id.dispute_cost_product_id
        _ = self.with_context(lang=self.partner_id.lang).env._
        costs = [
            (
                _("Mediation costs, dispute %(dispute)s", dispute=self.name),
                self.mediation_cost,
            ),
            (
                _("Recovery costs, dispute %(dispute)s", dispute=self.name),
                self.litigation_cost,
            ),
        ]
        return [
            Command.create(
                {
                    "product_id": product.id,
                    "name": label,
                    "quantity": 1.0,
                    "price_unit": amount,
                }
            )
            for label, amount in costs
            if not self.currency_id.is_zero(amount)
        ]

    def _prepare_cost_invoice_vals(self, lines):
        return {
            "move_type": "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "dispute_id": self.id,
            "invoice_line_ids": lines,
        }
