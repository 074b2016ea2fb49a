# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, format_date
from odoo.tools.sql import column_exists, create_column

from ..common.states import UNPAID_PAYMENT_STATES
from .account_dispute import ACTIVE_STATES

_logger = logging.getLogger(__name__)

# Our own bookkeeping on posted invoices: Odoo must not recompute their lines,
# and our chatter note (old → new due dates) replaces its field tracking.
DUE_DATE_SYNC_OFF = {
    "skip_invoice_sync": True,
    "skip_is_manually_modified": True,
    "check_move_validity": False,
    "tracking_disable": True,
}


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
    dispute_suspension_date = fields.Date(
        string="Suspended Since",
        copy=False,
        readonly=True,
        help="The day the first dispute of the current suspension was opened.",
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
    invoice_date_due_original = fields.Date(
        string="Original Due Date",
        compute="_compute_invoice_date_due_original",
        help="The due date the invoice had before its dispute suspended it.",
        groups="base.group_user",
    )

    def _auto_init(self):
        """Create the stored amounts and flags without computing them for every
        existing move: only the invoices of disputes differ from the default,
        and the migration of 18.0.1.3.0 computes those."""
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
        return super()._auto_init()

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

    @api.depends("line_ids.date_maturity_original")
    def _compute_invoice_date_due_original(self):
        for move in self:
            dates = move.line_ids.filtered("date_maturity_original").mapped(
                "date_maturity_original"
            )
            move.invoice_date_due_original = max(dates, default=False)

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

    def _dispute_term_lines(self):
        return self.line_ids.filtered(lambda line: line.display_type == "payment_term")

    def _dispute_suspend(self, disputes, date_from=None):
        """Keep each receivable line's due date aside while a dispute runs.

        An invoice already suspended by another dispute keeps the dates it had
        before the first one: the suspension lasts until the last dispute ends.
        ``disputes`` are the disputes being opened (or extended to these
        invoices); the work is done in a few grouped writes whatever the
        number of invoices.
        """
        self._dispute_mark_whole(disputes)
        whole = self.filtered(
            lambda m: (
                m.dispute_suspension_date
                or any(x.is_whole for x in disputes.line_ids if x.move_id == m)
            )
        )
        (self - whole)._dispute_log_partial(disputes)
        moves = whole.with_context(**DUE_DATE_SYNC_OFF)
        lines = moves._dispute_term_lines().filtered(
            lambda line: not line.date_maturity_original
        )
        by_date = defaultdict(lines.browse)
        for line in lines:
            by_date[line.date_maturity] |= line
        for date, group in by_date.items():
            group.write({"date_maturity_original": date})
        by_start = defaultdict(moves.browse)
        bodies = {}
        for move in moves:
            dispute = (disputes & move.dispute_ids)[:1] or disputes[:1]
            if not move.dispute_suspension_date:
                by_start[date_from or dispute.date_opened] |= move
            bodies[move.id] = self.env._(
                "Dispute %(dispute)s opened: the invoice leaves the dunning "
                "ladder and its due date (%(date)s) is suspended until the "
                "dispute ends.",
                dispute=dispute._get_html_link(),
                date=format_date(
                    self.env, move.invoice_date_due_original or move.invoice_date_due
                ),
            )
        for start, group in by_start.items():
            group.write({"dispute_suspension_date": start})
        self._message_log_batch(bodies=bodies)

    def _dispute_mark_whole(self, disputes):
        """Mark the contests of ``disputes`` on these invoices that cover all
        that is left to pay: those suspend the invoice's own due dates."""
        for line in disputes.line_ids.filtered(lambda x: x.move_id in self):
            if (
                line.currency_id.compare_amounts(
                    line.amount_disputed, line.move_id.amount_residual
                )
                >= 0
            ):
                line.is_whole = True

    def _dispute_log_partial(self, disputes):
        """Note on invoices contested in part what leaves the dunning."""
        bodies = {}
        for move in self:
            line = disputes.line_ids.filtered(lambda x, m=move: x.move_id == m)[:1]
            if not line:
                continue
            bodies[move.id] = self.env._(
                "Dispute %(dispute)s opened: %(amount)s of the invoice is contested "
                "and leaves the dunning ladder until the dispute ends; the rest "
                "(%(rest)s) stays due on its own dates.",
                dispute=line.dispute_id._get_html_link(),
                amount=move.currency_id.format(line.amount_disputed),
                rest=move.currency_id.format(
                    move.amount_residual - line.amount_disputed
                ),
            )
        self._message_log_batch(bodies=bodies)

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

    def _dispute_release(self):
        """Give invoices whose last dispute ended their new due dates.

        The policy is the one of the latest dispute resolved during the
        suspension; when every such dispute was cancelled, the original dates
        come back exactly. Lines sharing a new date are written together.
        """
        moves = self.filtered(
            lambda m: not m.is_disputed and m.dispute_suspension_date
        ).with_context(**DUE_DATE_SYNC_OFF)
        if not moves:
            return
        line_dates = defaultdict(moves.line_ids.browse)
        move_dates = defaultdict(moves.browse)
        back_to_ladder = moves.browse()
        bodies = {}
        for move in moves:
            decisive = move.dispute_ids.filtered(
                lambda d, move=move: (
                    d.state == "resolved"
                    and d.date_resolved >= move.dispute_suspension_date
                )
            ).sorted(lambda d: (d.date_resolved, d.id))[-1:]
            changes = move._dispute_due_date_changes(decisive)
            for line, new_date in changes:
                line_dates[new_date] |= line
            if changes:
                new_dates = dict(changes)
                due = max(
                    new_dates.get(line, line.date_maturity)
                    for line in move._dispute_term_lines()
                )
                move_dates[due] |= move
            bodies[move.id] = move._dispute_due_date_changes_body(decisive, changes)
            if decisive.resolution not in (False, "customer_paid", "withdrawn"):
                back_to_ladder |= move
        for new_date, lines in line_dates.items():
            lines.write({"date_maturity": new_date})
        for due, group in move_dates.items():
            group.write({"invoice_date_due": due})
        back_to_ladder.write({"dunning_level_id": False, "dunning_date": False})
        moves._dispute_term_lines().write({"date_maturity_original": False})
        moves.write({"dispute_suspension_date": False})
        moves._message_log_batch(bodies=bodies)

    def _dispute_new_due_date(self, line, dispute, suspended_on=None):
        """The due date of an open receivable line (or of the part of it a
        dispute contested) once the suspension ends, by the due date policy of
        the dispute resolved.

        :param suspended_on: the day the suspension started (the invoice's
            ``dispute_suspension_date`` by default).
        """
        original = line.date_maturity_original or line.date_maturity
        policy = dispute.due_date_policy or "keep"
        if policy == "restart":
            delay = original - (self.invoice_date or self.date)
            return fields.Date.add(dispute.date_resolved, days=max(delay.days, 0))
        if policy == "extend":
            start = suspended_on or self.dispute_suspension_date
            lasted = dispute.date_resolved - start
            return fields.Date.add(original, days=lasted.days)
        if policy == "custom":
            return dispute.date_due_custom
        return original

    def _dispute_due_date_changes(self, dispute):
        """[(line, new due date)] of the unpaid receivable lines that move.

        Only ``date_maturity`` and ``invoice_date_due`` change: neither is in
        the inalterability hash, so hash-locked journals stay valid, and the
        payment term lines are written without Odoo recomputing them.
        """
        self.ensure_one()
        changes = []
        for line in self._dispute_term_lines().filtered(lambda x: not x.reconciled):
            new_date = self._dispute_new_due_date(line, dispute)
            if new_date != line.date_maturity:
                changes.append((line, new_date))
        return changes

    def _dispute_resolved_due_date_sentence(self, dispute):
        """The resolution of ``dispute`` and the due date policy it applied:
        one whole sentence per policy, so that each translates as a sentence
        (no policy applied reads as the original due dates kept)."""
        args = {
            "dispute": dispute._get_html_link(),
            "date": format_date(self.env, dispute.date_resolved),
        }
        _ = self.env._
        messages = {
            "restart": _(
                "Dispute %(dispute)s resolved on %(date)s: the payment term "
                "restarts from that date.",
                **args,
            ),
            "extend": _(
                "Dispute %(dispute)s resolved on %(date)s: the due dates are "
                "extended by the length of the dispute.",
                **args,
            ),
            "keep": _(
                "Dispute %(dispute)s resolved on %(date)s: the original due dates "
                "are kept.",
                **args,
            ),
            "custom": _(
                "Dispute %(dispute)s resolved on %(date)s: the due date agreed "
                "with the customer applies.",
                **args,
            ),
        }
        return messages[dispute.due_date_policy or "keep"]

    def _dispute_due_date_changes_body(self, dispute, changes):
        """The chatter note of the new due dates, old → new."""
        if dispute:
            why = self._dispute_resolved_due_date_sentence(dispute)
        else:
            why = self.env._(
                "The invoice is no longer disputed and no dispute was resolved: "
                "the original due dates are restored."
            )
        if changes:
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "Due date %(old)s → %(new)s",
                    old=format_date(self.env, line.date_maturity),
                    new=format_date(self.env, new),
                )
                for line, new in changes
            )
            return Markup("%s<ul>%s</ul>") % (why, items)
        return Markup("%s %s") % (why, self.env._("The due dates are unchanged."))
