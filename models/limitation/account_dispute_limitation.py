# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields, models

# The third parties of a mediation or a conciliation (Civil Code art. 2238):
# referring a dispute to them suspends the limitation of its invoices. A
# collection agency, a commissaire de justice's amicable recovery, a lawyer's
# letter do not.
MEDIATION_TYPES = (
    "business_mediation",
    "credit_insurer",
    "trade_association",
    "conciliator",
)
# The procedures whose filing is a claim in court (art. 2241 al. 1, which
# names summary proceedings). An injunction to pay, the simplified recovery of
# small claims (a suspension from the debtor's agreement, art. 2238 al. 1) and
# the others are left to the user to record as the lawyer advises.
COURT_CLAIM_PROCEDURES = ("summary", "merits")


class AccountDispute(models.Model):
    """The limitation events of a dispute's invoices, and those its mediation
    and litigation stages record by themselves."""

    _inherit = "account.dispute"

    limitation_event_ids = fields.One2many(
        comodel_name="account.move.limitation.event",
        inverse_name="dispute_id",
        string="Limitation Events",
    )
    limitation_event_count = fields.Integer(compute="_compute_limitation_event_count")

    @api.depends("limitation_event_ids")
    def _compute_limitation_event_count(self):
        for dispute in self:
            dispute.limitation_event_count = len(dispute.limitation_event_ids)

    def _get_limitation_stages_before_write(self, vals):
        """What ``write`` reads before writing ``vals``, for
        ``_limitation_follow_stage``: {dispute id: stage} when ``vals``
        change the stage, else empty (nothing for the limitation to record).
        """
        if "state" not in vals:
            return {}
        return {dispute.id: dispute.state for dispute in self}

    def action_view_limitation_events(self):
        """The dispute's interruptions and suspensions; a new one concerns its
        invoices."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dispute.account_move_limitation_event_action"
        )
        action["domain"] = [("dispute_id", "=", self.id)]
        action["context"] = {
            "default_dispute_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_company_id": self.company_id.id,
            "default_invoice_ids": self._limitation_invoices().ids,
        }
        return action

    def _limitation_invoices(self):
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        )

    def _limitation_follow_stage(self, before):
        """Record what the dispute's new stage does to the limitation.

        - Into mediation, with a mediator or conciliator: a suspension from
          the referral date (art. 2238). The law counts from the written
          agreement to mediate, else the first meeting: the note asks to check.
        - Into litigation, by summary proceedings or on the merits: a claim in
          court filed on the filing date (art. 2241).
        - Out of mediation, or resolved out of litigation: the running event
          of that kind ends, on the resolution date else today.
        """
        today = fields.Date.context_today(self)
        vals_list = []
        for dispute in self:
            previous = before.get(dispute.id)
            if previous == dispute.state:
                continue
            ended = {
                "mediation": previous == "mediation",
                "court_claim": previous == "litigation" and dispute.state == "resolved",
            }
            for kind, is_over in ended.items():
                running = dispute.limitation_event_ids.filtered(
                    lambda e, kind=kind: e.kind == kind and not e.date_end
                )
                if is_over and running:
                    running.date_end = max(
                        dispute.date_resolved or today, *running.mapped("date")
                    )
            started = dispute._limitation_stage_event()
            if not started or not dispute._limitation_invoices():
                continue
            kind, date, note = started
            if not dispute.limitation_event_ids.filtered(
                lambda e, kind=kind, date=date: (
                    e.kind == kind and (not e.date_end or e.date == date)
                )
            ):
                vals_list.append(
                    dispute._prepare_limitation_event_vals(kind, date, note)
                )
        return self.env["account.move.limitation.event"].create(vals_list)

    def _limitation_stage_event(self):
        """(kind, date, note) of the event the dispute's stage starts, or None."""
        self.ensure_one()
        _ = self.env._
        if (
            self.state == "mediation"
            and self.mediator_type in MEDIATION_TYPES
            and self.date_mediation
        ):
            return (
                "mediation",
                self.date_mediation,
                _(
                    "Recorded when the dispute went to mediation, on the referral "
                    "date. The suspension runs from the written agreement to "
                    "mediate, else the first meeting (Civil Code art. 2238): "
                    "correct the date if it differs."
                ),
            )
        if (
            self.state == "litigation"
            and self.litigation_procedure in COURT_CLAIM_PROCEDURES
            and self.date_litigation
        ):
            return (
                "court_claim",
                self.date_litigation,
                _(
                    "Recorded when the dispute was filed in court. The "
                    "interruption is void if the claim is withdrawn, lapses or is "
                    "finally dismissed (Civil Code art. 2243): then delete this "
                    "event."
                ),
            )
        return None

    def _prepare_limitation_event_vals(self, kind, date, note):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "dispute_id": self.id,
            "invoice_ids": [Command.set(self._limitation_invoices().ids)],
            "kind": kind,
            "date": date,
            "note": note,
        }
