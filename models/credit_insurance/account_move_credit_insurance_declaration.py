# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Declare a threatened loss: prepare the file the credit insurer asks for
(PDF and XLSX), mark the invoices and the customer's cover as declared, and
keep the file in the cover's chatter. Sending it to the insurer is left to
the user: the addon declares nothing itself.

The file stays on the cover, which the company rule and the credit insurance
rights protect (Customer Disputes users and read-only accountants of the
company), never on the customer, whom other companies and every employee
read."""

import base64

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...report.xlsx_book import XLSX_MIMETYPE
from ..common.states import UNPAID_PAYMENT_STATES

REPORT = "account_dispute.report_credit_insurance_declaration"


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_credit_insurance_declare(self):
        """Declare a Threatened Loss on the selected invoices."""
        self._credit_insurance_declare()
        return self._credit_insurance_declared_action()

    def _credit_insurance_declarable(self):
        """The invoices a declaration may hold: posted unpaid customer
        invoices with a cover, not declared yet."""
        return self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in UNPAID_PAYMENT_STATES
                and m.insurance_cover_id
                and not m.insurance_declared_date
            )
        )

    def _check_credit_insurance_declarable(self):
        """:raise UserError: without invoices, when one of them cannot be
        declared, or when they are of several customers or companies."""
        if not self:
            raise UserError(
                self.env._(
                    "There is no insured unpaid invoice left to declare for this "
                    "customer."
                )
            )
        wrong = self - self._credit_insurance_declarable()
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted unpaid customer invoices of an insured customer, "
                    "not declared yet, can be declared: %(invoices)s cannot.",
                    invoices=", ".join(wrong.mapped("display_name")),
                )
            )
        if len(self.commercial_partner_id) > 1 or len(self.company_id) > 1:
            raise UserError(
                self.env._(
                    "Declare the invoices of one customer and one company at a time."
                )
            )

    def _credit_insurance_declare(self, date=None):
        """Prepare the declaration of these invoices (PDF and XLSX), mark them
        and the cover as declared on ``date`` (today by default), keep the
        files in the cover's chatter and say so in the invoices'.

        :return: the two ``ir.attachment`` (PDF, XLSX), on the cover.
        :raise UserError: see ``_check_credit_insurance_declarable``.
        """
        self._check_credit_insurance_declarable()
        date = date or fields.Date.context_today(self)
        self = self.with_context(credit_insurance_date=date)
        Report = self.env["report.account_dispute.report_credit_insurance_declaration"]
        declaration = Report._get_declarations(self)[0]
        partner = declaration["partner"]
        pdf, __ = self.env["ir.actions.report"]._render_qweb_pdf(REPORT, self.ids)
        xlsx = Report._get_xlsx(declaration)
        name = self.env._(
            "Threatened loss declaration - %(customer)s - %(date)s",
            customer=partner.name,
            date=fields.Date.to_string(date),
        ).replace("/", "-")
        self.with_context(skip_is_manually_modified=True).write(
            {"insurance_declared_date": date}
        )
        body = self.env._(
            "Threatened loss declaration prepared on %(date)s for the credit "
            "insurer %(insurer)s (policy %(policy)s): %(invoices)s. Send it to "
            "the insurer; the addon does not.",
            date=format_date(self.env, date),
            insurer=declaration["policy"].insurer_id.name,
            policy=declaration["policy"].name,
            invoices=", ".join(self.mapped("name")),
        )
        attachments = self._keep_declaration_on_cover(
            declaration["cover"],
            date,
            Markup("<p>%s</p>") % body,
            [
                (f"{name}.pdf", pdf, "application/pdf"),
                (f"{name}.xlsx", xlsx, XLSX_MIMETYPE),
            ],
        )
        self._message_log_batch(
            bodies={move.id: Markup("<p>%s</p>") % body for move in self}
        )
        return attachments

    def _keep_declaration_on_cover(self, cover, date, body, files):
        """Mark ``cover`` declared on ``date`` and keep ``files`` ((name,
        content, mimetype)) in its chatter with ``body``, by the user.

        Declaring is a Customer Disputes user's act (the buttons say who),
        who reads covers and may not edit them: once the user's right to
        read the cover is checked, these steps are written as superuser, so
        that no right on covers nor on contacts is needed.

        :return: the attachments, in the user's environment.
        :raise AccessError: the user may not read the cover.
        """
        cover.check_access("read")
        cover_sudo = cover.sudo()
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [self._prepare_declaration_attachment(cover, *file) for file in files]
            )
        )
        cover_sudo._write_internal({"date_declared": date})
        cover_sudo.message_post(
            body=body,
            attachment_ids=attachments.ids,
            author_id=self.env.user.partner_id.id,
        )
        return attachments.with_env(self.env)

    def _prepare_declaration_attachment(self, cover, name, content, mimetype):
        """The values of a declaration file kept on ``cover``."""
        return {
            "name": name,
            "datas": base64.b64encode(content),
            "mimetype": mimetype,
            "res_model": cover._name,
            "res_id": cover.id,
        }

    def _credit_insurance_declared_action(self):
        """Tell the user where the file is, and open the cover that keeps it."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The declaration file (PDF and XLSX) is in the chatter of "
                    "the customer's credit insurance cover: send it to the "
                    "insurer."
                ),
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "account.credit.insurance.cover",
                    "res_id": self.insurance_cover_id[:1].id,
                    "views": [[False, "form"]],
                    "target": "current",
                },
            },
        }
