# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class MailThread(models.AbstractModel):
    """Odoo's mail gateway routes every incoming e-mail through ``mail.thread``:
    the addon steps in only for its own records (a reply into a dispute, a
    bounce of a dunning letter) and leaves every other route and bounce as
    Odoo made it."""

    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """A reply into a dispute from someone who is neither one of its
        customer's contacts nor an internal user starts a new dispute, flagged
        for review, instead of being posted there (and its author made a
        follower who would receive the staff's answers). Odoo routes a reply
        to the thread of the message it answers, whoever sends it. Routes to
        other models are passed on untouched."""
        Dispute = self.env["account.dispute"]
        if routes and any(route[0] == Dispute._name for route in routes):
            routes = [
                Dispute._route_reply(message_dict, route)
                if route[0] == Dispute._name
                else route
                for route in routes
            ]
        return super()._message_route_process(message, message_dict, routes)

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounce of a dunning letter's e-mail tells the letter what the
        bounce looks like (who sent it, whether it is a mail server's delivery
        report): Odoo passes the letter only the address that bounced
        (``_message_receive_bounce``), and a debtor can mail a forged report.
        Set here, from the e-mail itself, whatever the context held."""
        Letter = self.env["account.dunning.letter"]
        bounced = message_dict.get("bounced_message")
        if bounced and bounced.model == Letter._name:
            thread = self.with_context(
                dunning_bounce_evidence=Letter._get_bounce_evidence(
                    email_message, message_dict
                )
            )
            return super(MailThread, thread)._routing_handle_bounce(
                email_message, message_dict
            )
        return super()._routing_handle_bounce(email_message, message_dict)
