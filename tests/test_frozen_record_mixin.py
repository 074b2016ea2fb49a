# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo_test_helper import FakeModelLoader

from odoo import api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..models.common.frozen_record_mixin import internal_writes, is_internal_write
from .frozen_common import FORGED_CONTEXT


@tagged("post_install", "-at_install")
class TestFrozenRecordMixin(TransactionCase):
    """``account.frozen.record.mixin`` on a small fake model: protected
    fields are written by the model's own methods only, a record that is
    done is read-only, and no RPC context opens the way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_frozen_record import FrozenFakeRecord

        cls.loader.update_registry((FrozenFakeRecord,))
        cls.Record = cls.env["account.frozen.fake.record"]

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _rpc(self, records, method, *args, context=None):
        call_args = [records.ids, *args] if records else list(args)
        return api.call_kw(self.Record, method, call_args, {"context": context or {}})

    def test_protected_fields_start_as_new(self):
        record = self.Record.create({"name": "A", "state": "draft"})
        self.assertEqual(record.state, "draft")
        with self.assertRaisesRegex(UserError, "cannot be written by hand"):
            self.Record.create({"name": "B", "state": "done"})
        # Neither the context's defaults nor the user's defaults apply.
        self.env["ir.default"].set(self.Record._name, "date_done", "2026-01-01")
        record_id = self._rpc(
            self.Record, "create", {"name": "C"}, context={"default_state": "done"}
        )
        self.assertRecordValues(
            self.Record.browse(record_id), [{"state": "draft", "date_done": False}]
        )
        with internal_writes():
            done = self.Record.create({"name": "D", "state": "done"})
        self.assertEqual(done.state, "done")

    def test_protected_fields_written_by_own_methods_only(self):
        record = self.Record.create({"name": "A"})
        for context in (None, FORGED_CONTEXT):
            with self.assertRaisesRegex(UserError, "cannot be written by hand"):
                self._rpc(record, "write", {"state": "done"}, context=context)
        # A value sent unchanged, and the other fields, pass.
        record.write({"state": "draft", "name": "B"})
        record._close()
        self.assertRecordValues(record, [{"state": "done", "name": "B"}])
        self.assertFalse(is_internal_write())

    def test_done_record_is_read_only(self):
        record = self.Record.create({"name": "A"})
        record._close()
        with self.assertRaisesRegex(UserError, "is done"):
            self._rpc(record, "write", {"name": "B"})
        with self.assertRaisesRegex(UserError, "is done"):
            self._rpc(record, "unlink")
        with self.assertRaisesRegex(UserError, "is done"):
            self._rpc(record, "write", {"state": "draft"}, context=FORGED_CONTEXT)
        record.write({"name": "A", "active": False})
        self.assertFalse(record.active)
        record._write_internal({"name": "Renamed by the model"})
        self.assertEqual(record.name, "Renamed by the model")
