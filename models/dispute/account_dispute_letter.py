# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models
from odoo.tools.misc import format_amount


class AccountDispute(models.Model):
    """What the dispute's letters to the customer (acknowledgement and
    settlement) print, and the acknowledgement's e-mail."""

    _inherit = "account.dispute"

    resolution_customer_note = fields.Html(
        string="What Was Agreed",
        copy=False,
        help="What the customer is told was agreed: the settlement letter "
        "prints it. The resolution note (lessons learned) stays internal and "
        "is never printed on a document for the customer.",
    )

    def action_send_acknowledgement(self):
        """Open the composer with the acknowledgement e-mail and its PDF."""
        self.ensure_one()
        template = self.env.ref("account_dispute.mail_template_dispute_acknowledgement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def _get_letter_date(self):
        """The date a letter about the dispute prints when it has none of its
        own (the acknowledgement; the settlement before a resolution date):
        the day it is printed, in the user's time zone
        (``fields.Date.context_today``), as every "today" of the addon."""
        return fields.Date.context_today(self)

    def _get_letter_signatory(self):
        """Who signs the dispute's letters, once: ``(name, title)``, the title
        possibly empty.

        The company's signatory of letters (Settings) with their title, as on
        the dunning letters: a settlement commits the company. Without one, the
        dispute's owner with their job position (the contact's *Job
        Position*); without an owner, the company's name alone. Never a user's
        e-mail signature, which repeats the name.
        """
        self.ensure_one()
        company = self.company_id
        if company.dunning_signatory_name:
            return company.dunning_signatory_name, company.dunning_signatory_title or ""
        if self.user_id:
            return self.user_id.name, self.user_id.partner_id.function or ""
        return company.name, ""

    def _get_acknowledgement_hold_sentence(self):
        """What the dispute holds, in the dispute's currency: the contested
        amount only; the rest of the invoices stays due on its dates (Civil
        Code art. 1219, issue 23). The rest is what is left to pay on the
        invoices less the contested amount, never below 0."""
        self.ensure_one()
        currency = self.currency_id
        rest = max(self.amount_residual - self.amount_disputed, 0.0)
        contested = format_amount(self.env, self.amount_disputed, currency)
        if currency.is_zero(rest):
            return self.env._(
                "Only the contested amount, %(amount)s, is held until the dispute "
                "is settled: it is all that is left to pay on these invoices.",
                amount=contested,
            )
        return self.env._(
            "Only the contested amount, %(amount)s, is held until the dispute is "
            "settled; the rest of these invoices, %(rest)s, stays due on its due "
            "dates.",
            amount=contested,
            rest=format_amount(self.env, rest, currency),
        )

    def _get_acknowledgement_outcome_sentences(self):
        """What each outcome does to the contested amount's due date, as the
        acknowledgement states it: founded, the company's policy of due dates
        after a dispute (Settings, ``dispute_due_date_policy``); unfounded,
        the original due dates stand and penalties run from them (art.
        L441-10 of the French Commercial Code; a private person owes no such
        penalties, so its letter does not cite them).

        :return: [founded sentence, unfounded sentence].
        """
        self.ensure_one()
        policy = self.company_id.dispute_due_date_policy
        if policy == "extend":
            founded = self.env._(
                "If your dispute is founded, its due date will be extended by "
                "the length of the dispute for the part still to pay."
            )
        elif policy == "keep":
            founded = self.env._(
                "If your dispute is founded, the part still to pay keeps its "
                "original due date."
            )
        elif policy == "custom":
            founded = self.env._(
                "If your dispute is founded, we will agree with you on the due "
                "date of the part still to pay."
            )
        else:
            founded = self.env._(
                "If your dispute is founded, the payment term of the part still "
                "to pay will start again from the date of the settlement."
            )
        if self.partner_id._get_debtor_type() == "consumer":
            unfounded = self.env._(
                "If it is unfounded, the original due dates of the invoices stand."
            )
        else:
            unfounded = self.env._(
                "If it is unfounded, the original due dates of the invoices stand, "
                "and late-payment penalties run from them."
            )
        return [founded, unfounded]
