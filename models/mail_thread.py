# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """A reply into a dispute from someone who is neither one of its
        customer's contacts nor an internal user starts a new dispute, flagged
        for review, instead of being posted there (and its author made a
        follower who would receive the staff's answers). Odoo routes a reply
        to the thread of the message it answers, whoever sends it."""
        return super()._message_route_process(
            message,
            message_dict,
            [
                self.env["account.dispute"]._route_reply(message_dict, route)
                for route in routes or ()
            ],
        )
