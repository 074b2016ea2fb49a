# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, models

# What a file name must not carry: the C0 and C1 controls and DEL (a header or
# a file system takes them for something else) and the bidirectional controls
# (LRM, RLM, ALM, LRE to RLO, LRI to PDI), which make "invoice<RLO>fdp.exe"
# read as "invoiceexe.pdf".
UNSAFE_FILE_NAME_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


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
    attaches them (the mail gateway, the portal, the chatter, the addon)."""

    _inherit = "ir.attachment"

    @api.model
    def _is_account_dispute_model(self, res_model):
        """Whether ``res_model`` is a model the addon defines."""
        Model = self.env.get(res_model) if res_model else None
        return Model is not None and Model._original_module == "account_dispute"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name") and self._is_account_dispute_model(
                vals.get("res_model")
            ):
                safe = safe_file_name(vals["name"])
                if vals.get("description") == vals["name"]:
                    vals["description"] = safe
                vals["name"] = safe
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if {"name", "res_model"} & vals.keys():
            for attachment in self:
                safe = safe_file_name(attachment.name)
                if safe != attachment.name and self._is_account_dispute_model(
                    attachment.res_model
                ):
                    super(IrAttachment, attachment).write({"name": safe})
        return res
