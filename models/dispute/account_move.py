# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from ..common.states import UNPAID_PAYMENT_STATES
from .account_dispute import ACTIVE_STATES

_logger = logging.getLogger(__name__)


class AccountMove(models.Model):
    _inherit = "account.move"

    dispute_ids = fields.Many2many(
        comodel_name="account.dispute",
        relation="account_dispute_account_move_rel",
        column1="move_id",
        column2="dispute_id",
        string="Disputes",
        copy=False,
        readonly=True,
    )
    dispute_count = fields.Integer(compute="_compute_dispute_count", compute_sudo=True)
    is_disputed = fields.Boolean(
        string="Disputed",
        compute="_compute_is_disputed",
        store=True,
        compute_sudo=True,
        help="The invoice is in an active dispute: the amount it contests is out "
        "of the dunning ladder until the dispute ends; when it contests all that "
        "was left to pay, the invoice's due dates are suspended too.",
    )
    status_in_payment = fields.Selection(
        selection_add=[("contested", "Contested"), ("suspended", "Suspended")],
    )
    dunning_excluded = fields.Boolean(
        string="No Reminder",
        copy=False,
        tracking=True,
        help="Never send a reminder about this invoice.",
        groups="base.group_user",
    )
    dunning_level_id = fields.Many2one(
        comodel_name="account.dunning.level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The last level of the dunning ladder a letter was sent for.",
        groups="base.group_user",
    )
    dunning_date = fields.Date(
        string="Last Reminder",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    dunning_letter_ids = fields.Many2many(
        comodel_name="account.dunning.letter",
        relation="account_dunning_letter_account_move_rel",
        column1="move_id",
        column2="letter_id",
        string="Dunning Letters",
        copy=False,
        readonly=True,
        groups="base.group_user",
    )
    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        string="Origin Dispute",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The dispute this credit note, write-off or costs invoice was made for.",
    )
    payment_plan_ids = fields.Many2many(
        comodel_name="account.dispute.payment.plan",
        relation="account_dispute_payment_plan_account_move_rel",
        column1="move_id",
        column2="plan_id",
        string="Payment Plans",
        copy=False,
        readonly=True,
    )

    def _auto_init(self):
        """Create the addon's stored columns of ``account.move`` without the ORM
        computing them for every existing move, each concern by its own hook,
        in this order: the limitation dates (``_init_limitation_columns``,
        filled in SQL later), the late-payment charges
        (``_init_late_charge_columns``, then ``_init_late_charge_state`` on
        the invoices paid once the table is ready), the disputes' amounts and
        flags (``_init_dispute_columns``)."""
        self._init_limitation_columns()
        late_charges_created = self._init_late_charge_columns()
        self._init_dispute_columns()
        res = super()._auto_init()
        if late_charges_created:
            self._init_late_charge_state()
        return res

    def _init_dispute_columns(self):
        """Only the invoices of disputes differ from the default, and the
        migration of 18.0.1.3.0 computes those."""
        cr = self.env.cr
        if not column_exists(cr, "account_move", "is_disputed"):
            create_column(cr, "account_move", "is_disputed", "boolean")
        if not column_exists(cr, "account_move", "is_contested"):
            create_column(cr, "account_move", "is_contested", "boolean")
        if not column_exists(cr, "account_move", "amount_contested"):
            create_column(cr, "account_move", "amount_contested", "numeric")
        if not column_exists(cr, "account_move", "amount_residual_uncontested"):
            create_column(cr, "account_move", "amount_residual_uncontested", "numeric")
            cr.execute(
                "UPDATE account_move SET amount_residual_uncontested = amount_residual"
            )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("dispute_ids")
    def _compute_dispute_count(self):
        for move in self:
            move.dispute_count = len(move.dispute_ids)

    @api.depends("dispute_ids.state")
    def _compute_is_disputed(self):
        for move in self:
            move.is_disputed = any(
                state in ACTIVE_STATES for state in move.dispute_ids.mapped("state")
            )

    @api.depends("is_contested", "is_disputed")
    def _compute_status_in_payment(self):
        """An unpaid invoice whose disputes hold all that is left to pay shows
        so, not as overdue: *Suspended* in an active dispute, *Contested*
        while its dispute waits to be reviewed. An invoice contested in part
        keeps Odoo's status: the rest is due, and overdue, on its dates."""
        res = super()._compute_status_in_payment()
        for move in self.filtered(
            lambda m: m.is_contested and m.status_in_payment in UNPAID_PAYMENT_STATES
        ):
            move.status_in_payment = "suspended" if move.is_disputed else "contested"
        return res

    @api.depends("is_disputed")
    def _compute_show_reset_to_draft_button(self):
        """A disputed invoice stays posted: hide the button rather than refuse."""
        res = super()._compute_show_reset_to_draft_button()
        for move in self.filtered("is_disputed"):
            move.show_reset_to_draft_button = False
        return res

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------

    def button_draft(self):
        self._check_not_disputed()
        res = super().button_draft()
        self._dispute_safe_hook(
            self,
            "_dunning_refresh_letters",
            self.env._("Update the draft dunning letters of this invoice."),
        )
        return res

    def button_cancel(self):
        self._check_not_disputed()
        res = super().button_cancel()
        self._dispute_safe_hook(
            self,
            "_dunning_refresh_letters",
            self.env._("Update the draft dunning letters of this invoice."),
        )
        return res

    def action_open_dispute(self):
        """Open the dispute wizard, prefilled with these invoices."""
        wrong = self.filtered(
            lambda m: m.move_type != "out_invoice" or m.state != "posted"
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted customer invoices can be disputed: %(moves)s is not.",
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_open_wizard_action"
        )
        action["context"] = {"default_invoice_ids": self.ids}
        return action

    def action_gesture(self):
        """Grant a commercial gesture on this invoice, within its active dispute."""
        self.ensure_one()
        dispute = self.dispute_ids.filtered("is_active")[:1]
        if not dispute:
            raise UserError(
                self.env._(
                    "%(invoice)s is not in an active dispute: open one first.",
                    invoice=self.display_name,
                )
            )
        return dispute._wizard_action(
            "account_dispute.account_dispute_gesture_wizard_action",
            default_invoice_id=self.id,
        )

    def action_payment_plan(self):
        """Spread what is left to pay on these invoices over installments."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_payment_plan_wizard_action"
        )
        action["context"] = {"default_invoice_ids": self.ids}
        return action

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_dispute_action"
        )
        action["domain"] = [("invoice_ids", "in", self.ids)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "default_invoice_ids": self.ids,
        }
        if len(self.dispute_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.dispute_ids.id
        return action

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _get_invoices_action(self):
        """The customer invoices (or credit notes) action, on these moves only."""
        move_type = (
            "out_refund"
            if self and set(self.mapped("move_type")) == {"out_refund"}
            else "out_invoice"
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"account.action_move_{move_type}_type"
        )
        action["domain"] = [("id", "in", self.ids)]
        action["context"] = {"default_move_type": move_type, "create": False}
        if len(self) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.id
        return action

    def _get_amount_residual_sum(self, currency):
        """What is left to pay on these moves, in ``currency``, rounded to it.

        Disputes and payment plans hold moves of one currency, where the sum
        only drops float noise (0.10 + 0.20 is 0.30). A move in another
        currency (a wizard before it refuses the mix) counts at its company's
        rate of today, the user's day (Odoo's ``res.currency._convert``).
        Returns 0.0 for no move.
        """
        if not self:
            return 0.0
        today = fields.Date.context_today(self)
        by_source = defaultdict(float)
        for move in self:
            by_source[move.currency_id, move.company_id] += move.amount_residual
        total = sum(
            source._convert(amount, currency, company, today, round=False)
            for (source, company), amount in by_source.items()
        )
        return currency.round(total)

    def _dunning_suspension_reasons(self):
        """Why the dunning ladder leaves this invoice, or a part of it, alone:
        sentences, each dispute that holds an amount of it naming the amount
        (in the invoice's currency) when the rest is still reminded."""
        self.ensure_one()
        reasons = [
            self._dunning_dispute_reason(dispute)
            for dispute in self.dispute_ids
            if dispute._holds_dunning()
        ]
        if self.dunning_excluded:
            reasons.append(self.env._("No reminder for this invoice"))
        customer = self.commercial_partner_id.with_company(self.company_id)
        if customer.dunning_excluded:
            reasons.append(self.env._("No reminder for this customer"))
        for plan in self.payment_plan_ids.filtered(lambda p: p.state == "running"):
            reasons.append(
                self.env._(
                    "Payment plan %(plan)s: reminded on its installments",
                    plan=plan.name,
                )
            )
        return reasons

    def _lock_for_contest(self):
        """Take the invoices' rows for a contest, until the transaction ends:
        a second contest waits for the first to commit, then is run again
        and finds the invoice contested.

        Odoo's transactions read a snapshot taken at their first query, so
        the waiting one cannot see the dispute committed meanwhile; it is
        PostgreSQL that refuses it the row (serialization failure), as the
        first contest rewrote it, and Odoo runs the request again
        (``odoo.service.model.retrying``). The row is rewritten here, not
        only locked with ``FOR UPDATE``: the contest itself may change
        nothing on it (an invoice a draft from an e-mail already holds is
        contested already), and then the second contest would go through.
        """
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET write_date = write_date WHERE id IN %s",
                tuple(self.ids),
            )
        )

    def _check_not_disputed(self):
        """Keep disputed invoices posted: their suspended due dates live on them."""
        disputed = self.filtered("is_disputed")
        if disputed:
            raise UserError(
                self.env._(
                    "%(invoices)s is in an active dispute: resolve or cancel the "
                    "dispute before changing the invoice.",
                    invoices=", ".join(disputed.mapped("display_name")),
                )
            )

    @api.model
    def _dispute_safe_hook(self, records, method, task):
        """Run ``records.<method>()`` inside one of Odoo's own flows (posting,
        reconciliation, payment, reset to draft) without ever stopping it.

        It runs in a savepoint; what fails is undone, logged, noted on the
        record's chatter and given to its owner as an activity, whatever the
        error (a refusal, or a bug): the flow goes on and a person does the
        ``task`` (a whole translated sentence that says what to do, such as
        "Resolve this dispute: its invoices are settled."). Records that fail
        together are retried one by one, so that the others are done.
        Concurrency errors are raised: Odoo retries the whole request.
        """
        if not records:
            return
        try:
            with self.env.cr.savepoint():
                getattr(records, method)()
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:  # pylint: disable=broad-except
            if len(records) > 1:
                for record in records:
                    self._dispute_safe_hook(record, method, task)
                return
            _logger.warning("%s: left to a person: %s", records, task, exc_info=True)
            self._dispute_hand_over(records, task, error)

    @api.model
    def _dispute_hand_over(self, record, task, error):
        """Note on the record's chatter what could not be done automatically,
        and give it to its owner (else the dispute manager, else the
        administrator) as an activity. Never raises."""
        activity_type = self.env.ref("account_dispute.mail_activity_type_takeover")
        owner = (
            record._dispute_owner()
            or record.company_id.dispute_manager_id
            or self.env.ref("base.user_admin")
        )
        why = self.env._(
            "This could not be done automatically (%(error)s); the operation "
            "that called for it went through.",
            error=error,
        )
        pending = record.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type and a.summary == task
        )
        if pending:
            # Odoo's reconciliation may call the hook twice in one payment
            # (exchange difference): one activity per task is enough.
            return
        try:
            with self.env.cr.savepoint():
                record.message_post(body=Markup("<p>%s</p><p>%s</p>") % (task, why))
                record.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=owner.id,
                    summary=task,
                )
        except Exception:  # pylint: disable=broad-except
            _logger.exception("%s: could not leave this to a person: %s", record, task)

    def _dispute_owner(self):
        """Who takes over what the addon could not do on the invoice."""
        self.ensure_one()
        return self.invoice_user_id

    def _dunning_refresh_letters(self):
        """The draft letters of these invoices show them as they stand: paid,
        cancelled, reversed or contested invoices leave them at once."""
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        if not invoices:
            return
        self.env["account.dunning.letter"].search(
            [("state", "=", "draft"), ("invoice_ids", "in", invoices.ids)]
        )._refresh_drafts()
