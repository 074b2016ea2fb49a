# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from .frozen_record_mixin import is_internal_write

# What a user may still change on the attachment of a record that is done:
# the token of a share link, which changes nothing of what it holds.
FREE_FIELDS = {"access_token"}
# What Odoo's storage migration (``force_storage``) writes: the same content.
CONTENT_FIELDS = {"raw", "datas", "mimetype"}


class IrAttachment(models.Model):
    """The PDF of a sent letter, the proofs of a filed recovery file: the
    evidence of a record that is done (``account.frozen.record.mixin``)
    can be neither changed nor deleted, by any user."""

    _inherit = "ir.attachment"

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal_write():
            for vals in vals_list:
                if vals.get("res_field") and vals.get("res_model"):
                    record = self._get_frozen_owner(
                        vals["res_model"], vals.get("res_id"), vals["res_field"]
                    )
                    if record:
                        raise UserError(record._get_frozen_error())
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal_write() and set(vals) - FREE_FIELDS:
            for attachment, record in self._get_frozen_evidence().items():
                if not attachment._is_same_content(vals):
                    raise UserError(record._get_frozen_error())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen_evidence(self):
        if is_internal_write():
            return
        for record in self._get_frozen_evidence().values():
            raise UserError(record._get_frozen_error())

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

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
