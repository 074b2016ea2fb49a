# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import struct
import zlib

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.pdf import PdfReadError, PdfStreamError, merge_pdf

from ..common.states import ISSUED_STATES

PDF_MIMETYPE = "application/pdf"
# What pypdf raises on a file that is not a readable PDF: its own errors, and
# the Python errors of a damaged structure (a missing key, a bad stream).
PDF_READ_ERRORS = (
    PdfReadError,
    PdfStreamError,
    AssertionError,
    AttributeError,
    IndexError,
    KeyError,
    NotImplementedError,
    RecursionError,
    TypeError,
    ValueError,
    struct.error,
    zlib.error,
)


class AccountDisputeRecovery(models.Model):
    """The proofs of the recovery file: their list (the "bordereau de
    pièces" of the request, Code of civil procedure, art. 1407) and one PDF
    bundling them, stored on the file."""

    _inherit = "account.dispute.recovery"

    def _get_letters(self):
        """The letters sent to the customer about the file's invoices, the
        formal notice included, oldest first."""
        self.ensure_one()
        letters = self.env["account.dunning.letter"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ISSUED_STATES),
                ("invoice_ids", "in", self.invoice_ids.ids),
            ]
        )
        return (letters | self.letter_id).sorted(lambda x: (x.date, x.id))

    def _get_field_attachment(self, fname):
        """The attachment holding the binary field ``fname``, if any."""
        self.ensure_one()
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("res_field", "=", fname),
            ],
            limit=1,
        )

    def _get_attached_documents(self):
        """The PDF documents attached to the dispute and to the file (their
        chatter), the bundle itself left out."""
        self.ensure_one()
        domain = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        if self.dispute_id:
            domain = [
                "|",
                "&",
                ("res_model", "=", "account.dispute"),
                ("res_id", "=", self.dispute_id.id),
                "&",
                *domain,
            ]
        return self.env["ir.attachment"].search(
            [
                ("mimetype", "=", PDF_MIMETYPE),
                ("res_field", "=", False),
                ("id", "!=", self.bundle_attachment_id.id),
                *domain,
            ],
            order="create_date, id",
        )

    def _get_proofs(self):
        """The proofs, in the order they are numbered: the invoices, the terms
        of sale, the letters, the acknowledgement of receipt, the documents
        attached to the dispute or the file.

        :returns: a list of dicts: ``label`` (printed), ``invoice``,
            ``letter`` or ``attachment`` (the record the PDF comes from).
        """
        self.ensure_one()
        _ = self.env._
        proofs = [
            {
                "label": _(
                    "Invoice %(invoice)s of %(date)s",
                    invoice=invoice.name,
                    date=format_date(self.env, invoice.invoice_date),
                ),
                "invoice": invoice,
            }
            for invoice in self.invoice_ids.sorted(lambda m: (m.invoice_date, m.name))
        ]
        terms = self._get_field_attachment("terms_file")
        if terms:
            proofs.append({"label": _("Terms of sale"), "attachment": terms})
        for letter in self._get_letters():
            proofs.append(
                {"label": self._get_letter_proof_label(letter), "letter": letter}
            )
        receipt = self._get_field_attachment("acknowledgement_file")
        if receipt:
            proofs.append(
                {
                    "label": _("Acknowledgement of receipt of the formal notice"),
                    "attachment": receipt,
                }
            )
        proofs += [
            {"label": attachment.name, "attachment": attachment}
            for attachment in self._get_attached_documents()
        ]
        return proofs

    def _get_letter_proof_label(self, letter):
        _ = self.env._
        date = format_date(self.env, letter.date)
        if letter.letter_type != "formal_notice":
            return _("Reminder %(letter)s of %(date)s", letter=letter.name, date=date)
        if letter.registered_mail_ref and letter.date_received:
            return _(
                "Formal notice %(letter)s of %(date)s (registered letter No. %(ref)s, "
                "received on %(received)s)",
                letter=letter.name,
                date=date,
                ref=letter.registered_mail_ref,
                received=format_date(self.env, letter.date_received),
            )
        if letter.registered_mail_ref:
            return _(
                "Formal notice %(letter)s of %(date)s (registered letter No. %(ref)s)",
                letter=letter.name,
                date=date,
                ref=letter.registered_mail_ref,
            )
        return _("Formal notice %(letter)s of %(date)s", letter=letter.name, date=date)

    def _get_proof_pdf(self, proof):
        """The PDF of one proof, as bytes; None for a document that is not a
        PDF (a scan in another format is joined separately)."""
        if "invoice" in proof:
            pdf, __ = self.env["ir.actions.report"]._render_qweb_pdf(
                "account.account_invoices", proof["invoice"].ids
            )
            return pdf
        if "letter" in proof:
            letter = proof["letter"]
            if letter.attachment_id:
                return letter.attachment_id.raw
            pdf, __ = self.env["ir.actions.report"]._render_qweb_pdf(
                "account_dispute.report_dunning_letter_action", letter.ids
            )
            return pdf
        attachment = proof["attachment"]
        if attachment.mimetype != PDF_MIMETYPE:
            return None
        return attachment.raw

    def action_build_proof_bundle(self):
        """Merge the proofs into one PDF stored on the file (the previous
        bundle is replaced). A filed file keeps the bundle it was filed with:
        it is given as it is (and made once, if it had none).

        :raise UserError: a document attached as a PDF that is not a readable
            one, named (see ``_check_proof_pdf``).
        """
        for recovery in self:
            if recovery._is_frozen() and recovery.bundle_attachment_id:
                continue
            pdfs = []
            for proof in recovery._get_proofs():
                pdf = recovery._get_proof_pdf(proof)
                if pdf and "attachment" in proof:
                    recovery._check_proof_pdf(proof, pdf)
                if pdf:
                    pdfs.append(pdf)
            content = recovery._merge_proof_pdfs(pdfs)
            old = recovery.bundle_attachment_id
            bundle = self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "%(file)s - proofs.pdf", file=recovery.name.replace("/", "-")
                    ),
                    "type": "binary",
                    "datas": base64.b64encode(content),
                    "res_model": recovery._name,
                    "res_id": recovery.id,
                    "mimetype": PDF_MIMETYPE,
                }
            )
            recovery._write_internal({"bundle_attachment_id": bundle.id})
            old.unlink()
        if len(self) == 1:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.bundle_attachment_id.id}?download=true",
                "target": "self",
            }
        return True

    def _check_proof_pdf(self, proof, pdf):
        """Refuse a proof attached by a person (``proof`` of ``_get_proofs``,
        ``pdf`` its bytes) that pypdf cannot read through: the bundle would
        fail on it with a technical error, or leave it out while the list of
        proofs announces it.

        :raise UserError: naming the proof and what to do.
        """
        try:
            self._merge_proof_pdfs([pdf])
        except PDF_READ_ERRORS as error:
            raise UserError(
                self.env._(
                    "The proof “%(proof)s” is not a readable PDF, so the proofs "
                    "cannot be bundled: attach a readable copy in its place (or "
                    "remove it from the dispute or the file), then bundle the "
                    "proofs again.",
                    proof=proof["label"],
                )
            ) from error

    @staticmethod
    def _merge_proof_pdfs(pdfs):
        """One PDF of the pages of ``pdfs`` (bytes), in order: Odoo's
        ``odoo.tools.pdf.merge_pdf``."""
        return merge_pdf(pdfs)
