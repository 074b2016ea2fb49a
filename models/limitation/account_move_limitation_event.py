# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# What stops or restarts the limitation period of an invoice (French Civil
# Code). An interruption erases the time run and starts a new period of the
# same length (art. 2231); a suspension stops the clock without erasing the
# time run (art. 2230). A formal notice (mise en demeure) is neither: it is
# not listed here on purpose.
LIMITATION_KIND_SELECTION = [
    ("acknowledgement", "Acknowledgement of the debt"),
    ("court_claim", "Claim in court"),
    ("enforcement", "Enforcement act or precautionary measure"),
    ("mediation", "Mediation or conciliation"),
]
LIMITATION_SUSPENSIONS = ("mediation",)
# The acts that the 20-year cap of art. 2232 does not bound (its al. 2: art.
# 2241 al. 1 and 2244).
LIMITATION_UNCAPPED = ("court_claim", "enforcement")


class AccountMoveLimitationEvent(models.Model):
    """An act that interrupted or suspended the limitation period of invoices.

    French Civil Code: an acknowledgement of the debt by the debtor (art.
    2240), a claim in court, even in summary proceedings (art. 2241; the
    interruption lasts until the proceedings end, art. 2242) and an
    enforcement act or a precautionary measure (art. 2244) interrupt it: a new
    period of the same length starts (art. 2231). A mediation or a
    conciliation agreed after the dispute arose suspends it from the written
    agreement, else the first meeting, until it ends; the period then runs
    again for six months at least (art. 2238). The event is recorded by a
    person, with its proof; the invoices compute their limitation date from
    it (``account.move._compute_date_limitation``).
    """

    _name = "account.move.limitation.event"
    _description = "Interruption or Suspension of a Limitation Period"
    _inherit = ["mail.thread", "account.dispute.date.range.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="account_move_limitation_event_rel",
        column1="event_id",
        column2="move_id",
        string="Invoices",
        required=True,
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        help="The customer's invoices the act concerns: an acknowledgement or a "
        "claim names the debts it covers.",
    )
    dispute_id = fields.Many2one(
        comodel_name="account.dispute",
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
    )
    kind = fields.Selection(
        selection=LIMITATION_KIND_SELECTION,
        required=True,
        tracking=True,
        help="An acknowledgement, a claim in court or an enforcement act "
        "interrupts the period: a new one of the same length starts (Civil Code "
        "art. 2231, 2240, 2241, 2244). A mediation or conciliation suspends it "
        "while it lasts (art. 2238). A formal notice does neither.",
    )
    effect = fields.Selection(
        selection=[("interruption", "Interruption"), ("suspension", "Suspension")],
        compute="_compute_effect",
    )
    date = fields.Date(
        required=True,
        tracking=True,
        help="The day of the act: the acknowledgement's date, the claim's filing, "
        "the enforcement act's service; for a mediation, the written agreement "
        "to mediate, else the first meeting.",
    )
    date_end = fields.Date(
        string="Ended On",
        tracking=True,
        help="For a mediation or conciliation: the day it ended (agreement, "
        "failure, or one party or the mediator ending it). For a claim in court: "
        "the day the proceedings ended; the new period runs from it (art. 2242). "
        "Empty: still running, and the limitation date is unknown.",
    )
    payment_move_id = fields.Many2one(
        comodel_name="account.move",
        string="From Payment",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The partial payment this acknowledgement was recorded from: paying "
        "part of a debt acknowledges it (Civil Code art. 2240, as the courts "
        "read it). Undoing the payment's matching deletes it.",
    )
    payment_plan_id = fields.Many2one(
        comodel_name="account.dispute.payment.plan",
        string="From Payment Plan",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The payment plan the customer agreed that this acknowledgement "
        "was recorded from (Civil Code art. 2240, as the courts read it).",
    )
    note = fields.Text()
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="account_move_limitation_event_attachment_rel",
        column1="event_id",
        column2="attachment_id",
        string="Proofs",
        help="The signed acknowledgement, the summons, the enforcement act, the "
        "agreement to mediate: what proves the date in court.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("kind")
    def _compute_effect(self):
        for event in self:
            if not event.kind:
                event.effect = False
            elif event.kind in LIMITATION_SUSPENSIONS:
                event.effect = "suspension"
            else:
                event.effect = "interruption"

    @api.depends("kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            event.display_name = (
                f"{kinds.get(event.kind, '')} {format_date(self.env, event.date)}"
            ).strip()

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------

    @api.constrains("date", "date_end", "kind")
    def _check_dates(self):
        """:raise ValidationError: a day to come (the event records what
        happened), an end before the start, or an end on an act that has
        none."""
        today = fields.Date.context_today(self)
        for event in self:
            if event.date > today or (event.date_end and event.date_end > today):
                raise ValidationError(
                    self.env._(
                        "“%(event)s” cannot happen on a day to come: give the day "
                        "of the act, today at the latest.",
                        event=event.display_name,
                    )
                )
            if event.date_end and event.kind in ("acknowledgement", "enforcement"):
                raise ValidationError(
                    self.env._(
                        "“%(event)s” happens on one day: leave its end date empty.",
                        event=event.display_name,
                    )
                )
            if event.date_end and event.date_end < event.date:
                raise ValidationError(
                    self.env._(
                        "“%(event)s” cannot end before it began: correct its end date.",
                        event=event.display_name,
                    )
                )

    @api.constrains("partner_id", "invoice_ids")
    def _check_invoices(self):
        """:raise ValidationError: an invoice of another customer, or not a
        posted customer invoice."""
        for event in self:
            wrong = event.invoice_ids.filtered(
                lambda m, event=event: (
                    m.move_type != "out_invoice"
                    or m.state != "posted"
                    or m.commercial_partner_id != event.partner_id.commercial_partner_id
                )
            )
            if wrong:
                raise ValidationError(
                    self.env._(
                        "“%(event)s” can only concern posted invoices of "
                        "%(customer)s: take %(invoices)s off.",
                        event=event.display_name,
                        customer=event.partner_id.display_name,
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        events = super().create(vals_list)
        # Proofs uploaded on the form belong to the event: its readers read them.
        for event in events:
            event.attachment_ids.filtered(lambda a: not a.res_id).write(
                {"res_model": self._name, "res_id": event.id}
            )
        return events
