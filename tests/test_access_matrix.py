# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, api, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date

USER_MODELS = {
    # model: (dispute user's rights, dispute manager's rights)
    "account.dispute": ("rwc", "rwcu"),
    "account.dispute.line": ("rwcu", "rwcu"),
    "account.dispute.reason": ("r", "rwcu"),
    "account.dunning.level": ("r", "rwcu"),
    "account.dunning.letter": ("rwc", "rwcu"),
    "account.dunning.run": ("rwc", "rwcu"),
    "account.dunning.run.failure": ("r", "rwcu"),
    "account.dispute.payment.plan": ("rwc", "rwcu"),
    "account.dispute.payment.plan.line": ("rwc", "rwcu"),
    "account.dispute.recovery": ("rwc", "rwcu"),
    "account.dispute.recovery.line": ("rwcu", "rwcu"),
    "account.dispute.recovery.wizard": ("rwcu", "rwcu"),
    "account.dispute.report": ("r", "r"),
    "account.move.limitation.event": ("rwc", "rwcu"),
    "account.dispute.dashboard": ("rwcu", "rwcu"),
    "account.dispute.export.wizard": ("rwcu", "rwcu"),
    "account.dispute.open.wizard": ("rwcu", "rwcu"),
    "account.dispute.open.wizard.line": ("rwcu", "rwcu"),
    "account.dispute.resolve.wizard": ("rwcu", "rwcu"),
    "account.dispute.referral.wizard": ("rwcu", "rwcu"),
    "account.dispute.payment.plan.wizard": ("rwcu", "rwcu"),
    "account.dispute.payment.plan.wizard.line": ("rwcu", "rwcu"),
    "account.dunning.run.wizard": ("rwcu", "rwcu"),
    "account.dispute.gesture.wizard": ("", "rwcu"),
    "account.dispute.gesture.wizard.line": ("", "rwcu"),
    "account.late.charge.waiver.wizard": ("", "rwcu"),
    "account.credit.insurance.policy": ("r", "rwcu"),
    "account.credit.insurance.cover": ("r", "rwcu"),
    "account.dunning.letter.line": ("rwcu", "rwcu"),
    "account.late.payment.rate": ("r", "rwcu"),
    "account.dunning.letter.receipt.wizard": ("rwcu", "rwcu"),
    "account.dispute.cancel.wizard": ("rwcu", "rwcu"),
}
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


def addon_models(env):
    """The models the addon defines, from the registry: its ``ir.model``
    records (which also name the models it extends) whose class comes from
    the addon. Abstract models have no records to protect."""
    data = env["ir.model.data"].search(
        [("module", "=", "account_dispute"), ("model", "=", "ir.model")]
    )
    names = env["ir.model"].browse(data.mapped("res_id")).mapped("model")
    return sorted(
        name
        for name in names
        if name in env
        and not env[name]._abstract
        and env[name]._original_module == "account_dispute"
    )


def models_without_company_rule(env):
    """The models the addon defines, wizards included, that have a company
    field and no global record rule on the user's companies. (The models it
    extends keep Odoo's rules.)"""
    missing = []
    for name in addon_models(env):
        if "company_id" not in env[name]._fields:
            continue
        rules = env["ir.rule"].search(
            [
                ("model_id.model", "=", name),
                ("global", "=", True),
                ("perm_read", "=", True),
            ]
        )
        if not any(
            "company_id" in (rule.domain_force or "")
            and "company_ids" in (rule.domain_force or "")
            for rule in rules
        ):
            missing.append(name)
    return missing


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccountDisputeCommon):
    """Every model and the main buttons, for every kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company = cls.env.company

        def user(login, groups):
            return new_test_user(
                cls.env, login=login, groups=groups, company_id=company.id
            )

        cls.users = {
            "none": user("am_none", "base.group_user"),
            "billing": user("am_billing", "account.group_account_invoice"),
            "user": user(
                "am_user", "base.group_user,account_dispute.group_account_dispute_user"
            ),
            "manager": user(
                "am_manager",
                "account.group_account_invoice,"
                "account_dispute.group_account_dispute_manager",
            ),
            "portal": user("am_portal", "base.group_portal"),
            "public": cls.env.ref("base.public_user"),
        }
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)
        cls.dispute = cls._dispute(cls.invoice)
        cls.letter = cls.env["account.dunning.letter"]._run_escalation(
            date=D("2026-02-20"),
            partners=cls._invoice(500.0, partner=cls.partner_b).partner_id,
        )

    def test_matrix_lists_every_model_of_the_addon(self):
        """A new model of the addon must be given its place in the matrix."""
        self.assertEqual(set(USER_MODELS), set(addon_models(self.env)))

    def _rights(self, user, model):
        Access = self.env["ir.model.access"].with_user(user)
        return "".join(
            letter
            for letter, operation in OPERATIONS.items()
            if Access.check(model, operation, raise_exception=False)
        )

    def test_model_rights_of_every_group(self):
        expected_by_user = {
            "none": lambda user_rights, manager_rights: "",
            "billing": lambda user_rights, manager_rights: user_rights,
            "user": lambda user_rights, manager_rights: user_rights,
            "manager": lambda user_rights, manager_rights: manager_rights,
            "portal": lambda user_rights, manager_rights: "",
            "public": lambda user_rights, manager_rights: "",
        }
        for model, rights in USER_MODELS.items():
            for name, expected in expected_by_user.items():
                with self.subTest(model=model, user=name):
                    self.assertEqual(
                        self._rights(self.users[name], model), expected(*rights)
                    )

    def test_outsiders_reach_no_record_nor_button(self):
        for name in ("none", "portal", "public"):
            user = self.users[name]
            with self.subTest(user=name):
                for record in (self.dispute, self.letter, self.levels[:1]):
                    with self.assertRaises(AccessError):
                        record.with_user(user).read(["display_name"])
                with self.assertRaises(AccessError):
                    self.dispute.with_user(user).action_negotiate()
                with self.assertRaises(AccessError):
                    self.letter.with_user(user).action_cancel()
                with self.assertRaises(AccessError):
                    self.env["account.dunning.run.wizard"].with_user(user).create({})
        self.assertEqual(self.dispute.state, "open")
        self.assertEqual(self.letter.state, "draft")

    def test_dispute_user_buttons(self):
        user = self.users["user"]
        dispute = self.dispute.with_user(user)
        dispute.action_negotiate()
        self.assertEqual(dispute.state, "negotiation")
        letter = self.letter.with_user(user)
        with self.assertRaises(AccessError):
            letter.unlink()
        letter.action_cancel()
        self.assertEqual(letter.state, "cancelled")
        with self.assertRaises(AccessError):
            self.levels[:1].with_user(user).write({"delay_days": 3})
        with self.assertRaises(AccessError):
            self.env["account.dispute.gesture.wizard"].with_user(user).with_context(
                active_model="account.dispute", active_id=dispute.id
            ).create({"dispute_id": dispute.id, "invoice_id": self.invoice.id})
        with self.assertRaises(AccessError):
            dispute.unlink()

    def test_dispute_manager_buttons(self):
        manager = self.users["manager"]
        self.levels[:1].with_user(manager).write({"delay_days": 3})
        self.assertEqual(self.levels[:1].delay_days, 3)
        self.letter.with_user(manager).unlink()
        self.assertFalse(self.letter.exists())
        wizard = (
            self.env["account.dispute.gesture.wizard"]
            .with_user(manager)
            .create(
                {
                    "dispute_id": self.dispute.id,
                    "invoice_id": self.invoice.id,
                    "mode": "full",
                }
            )
        )
        self.assertEqual(wizard.dispute_id, self.dispute)

    def test_letters_levels_and_reasons_by_company(self):
        company_2 = self.setup_other_company()["company"]
        level_2 = self.levels[:1].copy({"company_id": company_2.id})
        reason_2 = self.reason.copy({"company_id": company_2.id})
        billing = self.users["billing"]
        Level = self.env["account.dunning.level"].with_user(billing)
        self.assertEqual(Level.search([]), self.levels)
        reasons = self.env["account.dispute.reason"].with_user(billing).search([])
        self.assertNotIn(reason_2, reasons)
        self.assertIn(self.reason, reasons)
        with self.assertRaises(AccessError):
            level_2.with_user(billing).read(["name"])
        both = new_test_user(
            self.env,
            login="am_both",
            groups="account.group_account_invoice",
            company_id=self.env.company.id,
            company_ids=[Command.set((self.env.company | company_2).ids)],
        )
        Level = self.env["account.dunning.level"].with_user(both)
        self.assertEqual(
            Level.with_context(allowed_company_ids=company_2.ids).search([]), level_2
        )
        self.assertEqual(
            Level.with_context(
                allowed_company_ids=(self.env.company | company_2).ids
            ).search([]),
            self.levels | level_2,
        )
        Letter = self.env["account.dunning.letter"].with_user(both)
        self.assertFalse(
            Letter.with_context(allowed_company_ids=company_2.ids).search([])
        )
        self.assertEqual(Letter.search([]), self.letter)


@tagged("post_install", "-at_install")
class TestCompanyRules(AccountDisputeCommon):
    """Company A's letters, as a user of company B sees them through the
    API (``call_kw``, as JSON-RPC does)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company_b = cls.setup_other_company()["company"]
        cls.user_b = new_test_user(
            cls.env,
            login="cr_billing_b",
            groups="account.group_account_invoice,"
            "account_dispute.group_account_dispute_manager",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        cls.letter = cls.env["account.dunning.letter"]._run_escalation(
            date=D("2026-02-20"),
            partners=cls._invoice(500.0, terms=cls.terms_30).partner_id,
        )
        cls.letter._send_now()
        cls.rows = cls.letter.line_ids

    def _call(self, model, method, *args, **kwargs):
        env = api.Environment(self.env.cr, self.user_b.id, {})
        return api.call_kw(env[model], method, list(args), kwargs)

    def test_every_company_model_has_a_company_rule(self):
        self.assertEqual(models_without_company_rule(self.env), [])

    def test_a_company_model_without_rule_is_found(self):
        self.env.ref(
            "account_dispute.account_dunning_letter_line_rule_company"
        ).active = False
        self.assertEqual(
            models_without_company_rule(self.env), ["account.dunning.letter.line"]
        )

    def test_other_company_reads_no_row_of_a_letter(self):
        self.assertEqual(self.letter.state, "sent")
        self.assertTrue(self.rows)
        Line = "account.dunning.letter.line"
        self.assertFalse(
            self._call(Line, "search_read", [], ["name", "amount", "move_id"])
        )
        self.assertFalse(
            self._call(Line, "search_read", [("letter_id", "=", self.letter.id)])
        )
        with self.assertRaises(AccessError):
            self._call(Line, "read", self.rows.ids, ["name", "amount"])

    def test_other_company_changes_no_row_of_a_letter(self):
        """Neither the rows of a sent letter nor those of a draft, which no
        state protects: the company rule refuses them."""
        draft = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-02-20"),
            partners=self._invoice(
                300.0, partner=self.partner_b, terms=self.terms_30
            ).partner_id,
        )
        Line = "account.dunning.letter.line"
        for letter in (self.letter, draft):
            rows = letter.line_ids
            amounts = rows.mapped("amount")
            with self.subTest(state=letter.state):
                self.assertTrue(rows)
                with self.assertRaises(AccessError):
                    self._call(Line, "write", rows.ids, {"amount": 0.0})
                with self.assertRaises(AccessError):
                    self._call(
                        Line,
                        "create",
                        {
                            "letter_id": letter.id,
                            "line_type": "penalty",
                            "name": "Penalty",
                            "amount": 999.0,
                        },
                    )
                with self.assertRaises(AccessError):
                    self._call(Line, "unlink", rows.ids)
                self.env.invalidate_all()
                self.assertEqual(letter.line_ids, rows)
                self.assertEqual(rows.mapped("amount"), amounts)
