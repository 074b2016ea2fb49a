# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import Command, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import LatePaymentCommon

D = fields.Date.to_date

# Keys an RPC caller could put in its context, hoping for the addon's own
# write path: none of them opens it.
FORGED_CONTEXT = {
    "account_dispute_internal_write": True,
    "account_dispute_internal_writes": True,
    "internal_writes": True,
    "frozen_internal": True,
}


class FrozenRecordsCommon(LatePaymentCommon):
    """Four kinds of user, each calling the API as JSON-RPC does
    (``odoo.api.call_kw``, in a transaction of its own); a formal notice of
    2026-11-09 sent to partner A (invoice of 1,200.00 due 2026-09-30) and a
    draft one for partner B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        # Contact Creation: what sending a letter needs of a user today.
        contacts = "base.group_partner_manager"
        cls.users = {
            "billing user": new_test_user(
                cls.env,
                login="frozen_billing",
                groups=f"account.group_account_invoice,{contacts}",
                company_id=company.id,
            ),
            "accountant": new_test_user(
                cls.env,
                login="frozen_accountant",
                groups=f"account.group_account_user,{contacts}",
                company_id=company.id,
            ),
            "manager": new_test_user(
                cls.env,
                login="frozen_manager",
                groups=f"account.group_account_manager,{contacts}",
                company_id=company.id,
            ),
            "admin": cls.env.ref("base.user_admin"),
        }
        cls.users["admin"].company_ids = [Command.link(company.id)]
        cls.billing = cls.users["billing user"]
        cls.manager = cls.users["manager"]
        cls.partner_b.email = "compta@partner-b.example.com"
        cls.invoice = cls._invoice(
            1200.0, terms=cls.terms_30, invoice_date=D("2026-08-31")
        )
        cls.invoice_b = cls._invoice(
            800.0,
            partner=cls.partner_b,
            terms=cls.terms_30,
            invoice_date=D("2026-08-31"),
        )
        Letter = cls.env["account.dunning.letter"]
        with freeze_time("2026-11-09"):
            cls.notice = Letter._run_escalation(
                date=D("2026-11-09"), partners=cls.partner_a
            )
            cls.notice.action_send()
            cls.draft = Letter._run_escalation(
                date=D("2026-11-09"), partners=cls.partner_b
            )

    def _call(self, user, records, method, *args, context=None):
        """``method`` called by ``user`` as JSON-RPC calls it: ``call_kw``,
        with the web client's context, rolled back when it fails as a
        request's transaction is.

        :param records: the records, or an empty recordset for a method of
            the model (``create``).
        """
        model = self.env[records._name].with_user(user)
        call_args = [records.ids, *args] if records else list(args)
        kwargs = {
            "context": {
                "allowed_company_ids": [self.env.company.id],
                **(context or {}),
            }
        }
        try:
            with self.env.cr.savepoint():
                return api.call_kw(model, method, call_args, kwargs)
        finally:
            self.env.invalidate_all()

    def assertRefused(self, records, method, *args, message, users=None, **kwargs):
        """Every user (or ``users``) is refused ``method``: with ``message``
        when its access rights allow the operation (else by them, or by the
        same refusal)."""
        operation = {"create": "create", "unlink": "unlink"}.get(method, "write")
        for label in users or self.users:
            user = self.users[label]
            allowed = (
                self.env["ir.model.access"]
                .with_user(user)
                .check(records._name, operation, raise_exception=False)
            )
            with self.subTest(user=label, method=method, args=args):
                if allowed:
                    with self.assertRaisesRegex(UserError, message) as caught:
                        self._call(user, records, method, *args, **kwargs)
                    self.assertNotIsInstance(caught.exception, AccessError)
                else:
                    # Refused by its rights, or by the guard first.
                    with self.assertRaises(UserError):
                        self._call(user, records, method, *args, **kwargs)
