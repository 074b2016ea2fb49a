# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What is done stays done, whatever the path.

A state, and the values that record what happened (the day a letter went
out, its PDF, the filing of a recovery file, a run's counts, a declaration),
are written by the addon's own methods only; a record that is done (a sent
letter and its rows, a filed recovery file, a finished run, a declared
cover: ``_is_frozen``) is read-only to every user, administrators included.
A plain ``write``, ``create`` or ``unlink`` through the API (``call_kw``, an
import, a server action) is refused with a message that says why.

The addon's methods write inside :func:`internal_writes` (or with
``_write_internal``): a context variable that only Python code sets. A key
of ``env.context`` would not do: every RPC call brings a context of its
caller's choosing (``odoo.api.call_kw`` takes it from the request).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, models
from odoo.exceptions import UserError

_INTERNAL_WRITES = ContextVar("account_dispute_internal_writes", default=False)


@contextmanager
def internal_writes():
    """Let the code of the block write the protected values and the frozen
    records: for the addon's own methods (buttons, wizards, crons, demo
    data), never for values a user sends as they are."""
    token = _INTERNAL_WRITES.set(True)
    try:
        yield
    finally:
        _INTERNAL_WRITES.reset(token)


def is_internal_write():
    """Whether the addon's own code is writing (see :func:`internal_writes`)."""
    return _INTERNAL_WRITES.get()


class AccountFrozenRecordMixin(models.AbstractModel):
    """A record whose state and history are written by its own methods only,
    and that is read-only once done.

    A model that inherits it lists its protected fields in
    ``_protected_fields`` and says when a record is done in ``_is_frozen``;
    its methods write through ``_write_internal`` or in
    ``internal_writes()``. What mail adds to a record (followers, messages,
    activities, its main attachment) stays writable, as do the fields of
    ``_get_frozen_writable_fields``.
    """

    _name = "account.frozen.record.mixin"
    _description = "Record Kept as It Was Done"

    # Written by the record's own methods only, in every state.
    _protected_fields = ()
    # Still writable by users once the record is done (an archive flag...).
    _frozen_writable_fields = ()
    # The record's evidence in ir.attachment: Many2one fields to it, and
    # Binary fields stored as attachments. Once the record is done, these
    # attachments can be neither changed nor deleted (models/common/ir_attachment.py).
    _frozen_attachment_fields = ()
    # Whether a record that is done cannot be deleted either.
    _frozen_unlink = True

    # ------------------------------------------------------------------
    # HOOKS
    # ------------------------------------------------------------------

    def _is_frozen(self):
        """Whether this record is done: read-only to every user."""
        self.ensure_one()
        return False

    def _get_frozen_writable_fields(self):
        """The fields a user may still write on this record once it is done."""
        self.ensure_one()
        return set(self._frozen_writable_fields)

    def _holds_evidence(self, attachment):
        """Whether ``attachment`` is part of this record's evidence (see
        ``_frozen_attachment_fields``)."""
        self.ensure_one()
        for fname in self._frozen_attachment_fields:
            field = self._fields[fname]
            if field.type == "many2one" and attachment in self[fname]:
                return True
            if field.type == "binary" and attachment.res_field == fname:
                return True
        return False

    def _get_frozen_error(self):
        """Why this record, done, cannot be changed; what to do instead."""
        self.ensure_one()
        return self.env._(
            "%(record)s is done: what it records is kept as it is and cannot be "
            "changed or deleted.",
            record=self.display_name,
        )

    def _get_protected_error(self, field_names):
        """Why ``field_names`` cannot be written by hand; the button to use."""
        return self.env._(
            "These values of a %(model)s are recorded by its buttons only and "
            "cannot be written by hand: %(fields)s.",
            fields=self._describe_fields(field_names),
            model=self._description,
        )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if is_internal_write():
            return super().create(vals_list)
        for vals in vals_list:
            self._check_protected_create(vals)
            # Nothing is created that would be done at once (a row of a sent
            # letter, a line of a run's log): checked before it is written.
            record = self.new(vals)
            if record._is_frozen():
                raise UserError(record._get_frozen_error())
        return super().create(vals_list)

    def write(self, vals):
        if not is_internal_write():
            self._check_frozen_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_frozen(self):
        if not self._frozen_unlink or is_internal_write():
            return
        for record in self:
            if record._is_frozen():
                raise UserError(record._get_frozen_error())

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------

    def _write_internal(self, vals):
        """Write ``vals`` as the addon's own code: protected fields and
        records that are done included. For the addon's methods only."""
        with internal_writes():
            return self.write(vals)

    def _check_frozen_write(self, vals):
        """:raises UserError: ``vals`` would change a record that is done,
        or a protected field."""
        given = set(vals) - self._get_mail_fields()
        if not given:
            return
        protected = given & set(self._protected_fields)
        for record in self:
            if record._is_frozen():
                changed = record._get_changed_fields(vals, given)
                if changed - record._get_frozen_writable_fields():
                    raise UserError(record._get_frozen_error())
            elif protected:
                changed = record._get_changed_fields(vals, protected)
                if changed:
                    raise UserError(record._get_protected_error(changed))

    def _check_protected_create(self, vals):
        """A record starts as a new one: its protected fields take their own
        default (the first state) or none, whatever the context or the
        user's defaults (``default_state``, ``ir.default``) say. They are
        set in ``vals`` for that.

        :raises UserError: ``vals`` sets a protected field to another value.
        """
        refused = set()
        for fname in self._protected_fields:
            field = self._fields[fname]
            default = field.default(self) if field.default else False
            if fname not in vals:
                vals[fname] = field.convert_to_write(
                    field.convert_to_cache(default, self), self
                )
            elif vals[fname] and self._to_cache(field, vals[fname]) != (
                self._to_cache(field, default)
            ):
                refused.add(fname)
        if refused:
            raise UserError(self._get_protected_error(refused))

    def _get_changed_fields(self, vals, fnames):
        """Those of ``fnames`` whose value in ``vals`` differs from this
        record's (a client may send a value unchanged); relational commands
        always count as changes."""
        self.ensure_one()
        changed = set()
        for fname in fnames:
            field = self._fields.get(fname)
            if field is None or field.type in ("one2many", "many2many"):
                changed.add(fname)
            elif self._to_cache(field, vals[fname]) != self._to_cache(
                field, self[fname]
            ):
                changed.add(fname)
        return changed

    def _to_cache(self, field, value):
        """``value`` of ``field`` as Odoo caches it (ids, dates), to compare."""
        try:
            return field.convert_to_cache(value, self.browse(), validate=False)
        except (TypeError, ValueError):
            return value

    @api.model
    def _get_mail_fields(self):
        """The fields mail adds to a record (followers, messages, activities,
        main attachment): writable on every record."""
        fields = set()
        for mixin in ("mail.thread", "mail.activity.mixin"):
            fields.update(self.env[mixin]._fields)
        return (
            (fields & set(self._fields)) - set(models.MAGIC_COLUMNS) - {"display_name"}
        )

    def _describe_fields(self, field_names):
        """The labels of ``field_names``, in the user's language."""
        return ", ".join(
            sorted(
                f"“{self._fields[fname]._description_string(self.env)}”"
                for fname in field_names
            )
        )
