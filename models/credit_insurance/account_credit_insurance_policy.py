# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A credit insurance policy (assurance-crédit) and the deadlines its contract
sets. The addon prepares the declarations and reminds the owner of these
deadlines; it declares nothing to the insurer itself."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountCreditInsurancePolicy(models.Model):
    _name = "account.credit.insurance.policy"
    _description = "Credit Insurance Policy"
    _inherit = ["mail.thread"]
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(string="Policy Number", required=True, tracking=True)
    insurer_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of the agreed covers.",
    )
    active = fields.Boolean(default=True)
    max_extension_days = fields.Integer(
        string="Maximum Extension (days)",
        default=60,
        tracking=True,
        help="How many days a due date may be extended (by a dispute's "
        "settlement or a payment plan) without asking the insurer, counted from "
        "the original due date. Beyond it, the owner is warned.",
    )
    declaration_days = fields.Integer(
        string="Days to Declare (days)",
        default=90,
        tracking=True,
        help="How many days after the original due date an unpaid debt must be "
        "declared to the insurer as a threatened loss, failing which the cover "
        "is lost for it (set by the policy's contract).",
    )
    alert_days = fields.Integer(
        string="Warn Before (days)",
        default=15,
        tracking=True,
        help="The owner of an unpaid insured invoice is warned this many days "
        "before its declaration deadline.",
    )
    documents_required = fields.Text(
        help="What the insurer wants with a declaration (invoices, reminders, "
        "formal notice, disputes...): printed on the declaration file.",
    )
    cover_ids = fields.One2many(
        comodel_name="account.credit.insurance.cover",
        inverse_name="policy_id",
        string="Covers",
    )
    cover_count = fields.Integer(compute="_compute_cover_count")

    _sql_constraints = [
        (
            "days_positive",
            "CHECK(max_extension_days >= 0 AND declaration_days >= 0 AND "
            "alert_days >= 0)",
            "The days of a credit insurance policy cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------

    @api.depends("insurer_id", "name")
    def _compute_display_name(self):
        for policy in self:
            policy.display_name = (
                f"{policy.insurer_id.name} - {policy.name}"
                if policy.insurer_id
                else policy.name
            )

    @api.depends("cover_ids")
    def _compute_cover_count(self):
        groups = dict(
            self.env["account.credit.insurance.cover"]._read_group(
                [("policy_id", "in", self.ids)],
                groupby=["policy_id"],
                aggregates=["__count"],
            )
        )
        for policy in self:
            policy.cover_count = groups.get(policy._origin, 0)

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_declared(self):
        """Deleting a policy deletes its covers: not one on which a loss was
        declared (see ``account.credit.insurance.cover``)."""
        declared = self.cover_ids.filtered("date_declared")
        if declared:
            raise UserError(
                self.env._(
                    "A threatened loss was declared under policy %(policy)s "
                    "(%(covers)s): the policy and its covers are kept as the "
                    "declaration relied on them and cannot be deleted. Archive "
                    "the policy instead.",
                    policy=declared[0].policy_id.display_name,
                    covers=", ".join(declared.partner_id.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _get_declaration_date(self, date_due):
        """The last day to declare a debt due on ``date_due`` (its original due
        date) as a threatened loss: ``date_due`` + the policy's days to
        declare. Returns False without a date."""
        self.ensure_one()
        return date_due and fields.Date.add(date_due, days=self.declaration_days)
