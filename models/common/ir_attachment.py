# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
import re
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from .frozen_record_mixin import is_internal_write

# What a file name must not carry: the C0 and C1 controls and DEL (a header or
# a file system takes them for something else) and the bidirectional controls
# (LRM, RLM, ALM, LRE to RLO, LRI to PDI), which make "invoice<RLO>fdp.exe"
# read as "invoiceexe.pdf".
UNSAFE_FILE_NAME_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# What a user may still change on the attachment of a record that is done:
# the token of a share link, which changes nothing of what it holds.
FREE_FIELDS = {"access_token"}
# What Odoo's storage migration (``force_storage``) writes: the same content.
CONTENT_FIELDS = {"raw", "datas", "mimetype"}


def safe_file_name(name, default="file"):
    """``name`` without the characters of ``UNSAFE_FILE_NAME_RE`` and the
    spaces they leave at its ends; ``default`` when nothing is left. The one
    sanitizer of the file names the addon stores: attachments of its records
    (e-mails and portal contests, the proof bundle) and its exports."""
    if not name:
        return name
    return UNSAFE_FILE_NAME_RE.sub("", name).strip() or default


class IrAttachment(models.Model):
    """The files attached to the addon's records keep a safe name, whoever
    attaches them (the mail gateway, the portal, the chatter, the addon).
    The evidence of a record that is done (the PDF of a sent letter, the
    proofs of a filed recovery file: ``account.frozen.record.mixin``) can be
    neither changed nor deleted, by any user."""

    _inherit = "ir.attachment"

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("res_model"):
                continue
            if not is_internal_write() and vals.get("res_field"):
                record = self._get_frozen_owner(
                    vals["res_model"], vals.get("res_id"), vals["res_field"]
                )
                if record:
                    raise UserError(record._get_frozen_error())
            if vals.get("name") and self._is_account_dispute_model(vals["res_model"]):
                safe = safe_file_name(vals["name"])
                if vals.get("description") == vals["name"]:
                    vals["description"] = safe
                vals["name"] = safe
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal_write() and set(vals) - FREE_FIELDS:
            for attachment, record in self._get_frozen_evidence().items():
                if not attachment._is_same_content(vals):
                    raise UserError(record._get_frozen_error())
        res = super().write(vals)
        if {"name", "res_model"} & vals.keys():
            for attachment in self:
                safe = safe_file_name(attachment.name)
                if safe != attachment.name and self._is_account_dispute_model(
                    attachment.res_model
                ):
                    super(IrAttachment, attachment).write({"name": safe})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_evidence(self):
        if is_internal_write():
            return
        for record in self._get_frozen_evidence().values():
            raise UserError(record._get_frozen_error())

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    @api.model
    def _is_account_dispute_model(self, res_model):
        """Whether ``res_model`` is a model the addon defines."""
        Model = self.env.get(res_model) if res_model else None
        return Model is not None and Model._original_module == "account_dispute"

    def _get_frozen_evidence(self):
        """{attachment: the record that is done whose evidence it is}, among
        these attachments."""
        ids_by_model = defaultdict(set)
        attachments = self.sudo()
        for attachment in attachments:
            if self._is_frozen_model(attachment.res_model) and attachment.res_id:
                ids_by_model[attachment.res_model].add(attachment.res_id)
        evidence = {}
        for model, ids in ids_by_model.items():
            records = self.env[model].sudo().browse(ids).exists()
            for record in records.filtered(lambda r: r._is_frozen()):
                for attachment in attachments.filtered(
                    lambda a, r=record: a.res_model == r._name and a.res_id == r.id
                ):
                    if record._holds_evidence(attachment):
                        evidence[attachment.with_env(self.env)] = record.with_env(
                            self.env
                        )
        return evidence

    @api.model
    def _get_frozen_owner(self, res_model, res_id, res_field):
        """The record that is done whose evidence field ``res_field`` is, if any."""
        if not self._is_frozen_model(res_model) or not res_id:
            return None
        record = self.env[res_model].sudo().browse(res_id).exists()
        if (
            record
            and res_field in record._frozen_attachment_fields
            and record._is_frozen()
        ):
            return record.with_env(self.env)
        return None

    @api.model
    def _is_frozen_model(self, model_name):
        """Whether records of ``model_name`` keep evidence in attachments
        once done (``account.frozen.record.mixin``)."""
        model = self.env.get(model_name) if model_name else None
        return bool(getattr(model, "_frozen_attachment_fields", None))

    def _is_same_content(self, vals):
        """Whether ``vals`` only writes this attachment's content again, as
        Odoo's storage migration does (``ir.attachment._migrate``)."""
        self.ensure_one()
        if set(vals) - FREE_FIELDS - CONTENT_FIELDS:
            return False
        if vals.get("mimetype", self.mimetype) != self.mimetype:
            return False
        if "raw" in vals:
            raw = vals["raw"]
            raw = raw.encode() if isinstance(raw, str) else raw
        elif "datas" in vals:
            raw = base64.b64decode(vals["datas"] or b"")
        else:
            return True
        return self._compute_checksum(raw) == self.sudo().checksum
