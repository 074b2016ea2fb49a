# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from freezegun import freeze_time

from odoo import api, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import AccountDisputeCommon

D = fields.Date.to_date

# The addon's fields of the invoice that the customer's own contest shows it
# on the portal; every other field the addon adds to the invoice, its lines,
# the customer or the company is internal.
PORTAL_FIELDS = {
    "account.move": {
        "dispute_ids",
        "dispute_id",
        "dispute_count",
        "is_disputed",
        "dispute_line_ids",
        "amount_contested",
        "amount_residual_uncontested",
        "is_contested",
        "dispute_contest_note",
        "payment_plan_ids",
    },
}


def addon_fields(env, model):
    """The fields the addon adds to ``model`` (not those it redefines)."""
    return sorted(
        name
        for name, field in env[model]._fields.items()
        if field._module == "account_dispute" and set(field._modules) == {field._module}
    )


class ConfidentialityCommon(AccountDisputeCommon, HttpCase):
    def _call(self, user, model, method, *args, **kwargs):
        env = api.Environment(self.env.cr, user.id, {})
        return api.call_kw(env[model], method, list(args), kwargs)

    def _get(self, user, url):
        self.authenticate(user.login, user.login)
        return self.url_open(url, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestDeclarationConfidential(ConfidentialityCommon):
    """A threatened-loss declaration stays on the cover: the company's
    Customer Disputes users read it; company B, which invoices the same
    customer, and an employee without accounting rights do not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        company_a = cls.env.company
        company_b = cls.setup_other_company()["company"]
        cls.billing_a = cls._user(
            "cf_billing_a", "account.group_account_invoice", company_a
        )
        cls.billing_b = cls._user(
            "cf_billing_b", "account.group_account_invoice", company_b
        )
        cls.employee = cls._user(
            "cf_employee", "base.group_user,base.group_partner_manager", company_a
        )
        cls._setup_cover()
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)

    def _declare(self):
        with freeze_time("2026-04-25"):
            self._call(
                self.billing_a,
                "res.partner",
                "action_credit_insurance_declare",
                self.partner_a.ids,
            )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self.cover._name), ("res_id", "=", self.cover.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped("mimetype")),
            [
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ],
        )
        return attachments

    def test_declaration_is_kept_on_the_cover_not_the_customer(self):
        attachments = self._declare()
        self.assertEqual(self.cover.date_declared, D("2026-04-25"))
        self.assertEqual(self.cover.message_ids[:1].attachment_ids, attachments)
        self.assertEqual(
            self.cover.message_ids[:1].author_id, self.billing_a.partner_id
        )
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)]
            )
        )
        self.assertNotIn("AC-0042", " ".join(self.partner_a.message_ids.mapped("body")))
        self.assertIn("AC-0042", self.invoice.message_ids[:1].body)

    def test_only_the_company_dispute_users_read_the_declaration(self):
        xlsx = self._declare().filtered(lambda a: a.name.endswith(".xlsx"))
        url = f"/web/content/{xlsx.id}?download=true"
        response = self._get(self.billing_a, url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        for user in (self.billing_b, self.employee):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._call(user, "ir.attachment", "read", xlsx.ids, ["datas"])
                self.assertFalse(
                    self._call(
                        user,
                        "ir.attachment",
                        "search_read",
                        [("res_model", "=", self.cover._name)],
                        ["name"],
                    )
                )
                self.assertNotEqual(self._get(user, url).status_code, 200)

    def test_dunning_notes_stay_off_the_customer(self):
        with freeze_time("2026-02-20"):
            letter = self.env["account.dunning.letter"]._run_escalation(
                date=D("2026-02-20"), partners=self.partner_a
            )
            self._call(self.billing_a, letter._name, "action_send", letter.ids)
        self.assertEqual(letter.state, "sent")
        notes = self._call(
            self.billing_b,
            "mail.message",
            "search_read",
            [("model", "=", "res.partner"), ("res_id", "=", self.partner_a.id)],
            ["body"],
        )
        self.assertNotIn(letter.name, " ".join(note["body"] for note in notes))
        self.assertIn(letter.name, self.invoice.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestPortalFields(ConfidentialityCommon):
    """The customer reads its invoices and its company on the portal and
    through the API, but none of the internal fields the addon adds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.portal = cls._user("cf_portal", "base.group_portal", cls.env.company)
        cls.portal.partner_id.parent_id = cls.partner_a
        cls.invoice = cls._invoice(1000.0, terms=cls.terms_30)
        cls.invoice.dunning_excluded = True
        cls.partner_a.dunning_excluded = True

    def test_portal_reads_no_internal_field(self):
        records = (
            self.invoice,
            self.invoice.line_ids[:1],
            self.portal.partner_id,
            self.partner_a,
            self.env.company,
        )
        checked = set()
        for record in records:
            allowed = PORTAL_FIELDS.get(record._name, set())
            # The record itself is the customer's: Odoo lets it read it.
            self._call(self.portal, record._name, "read", record.ids, ["display_name"])
            for name in addon_fields(self.env, record._name):
                if name in allowed:
                    continue
                checked.add(f"{record._name}.{name}")
                with self.subTest(model=record._name, field=name):
                    with self.assertRaises(AccessError):
                        self._call(
                            self.portal, record._name, "read", record.ids, [name]
                        )
        self.assertLessEqual(
            {
                "account.move.insurance_declared_date",
                "account.move.date_limitation",
                "account.move.limitation_status",
                "account.move.dunning_excluded",
                "account.move.late_charge_waived",
                "res.partner.dunning_excluded",
                "res.partner.late_charge_waived",
                "res.company.late_payment_rate",
                "res.company.dispute_manager_id",
            },
            checked,
        )

    def test_portal_invoice_pages_render(self):
        with freeze_time("2026-02-20"):
            self.partner_a.dunning_excluded = False
            self.invoice.dunning_excluded = False
            letter = self.env["account.dunning.letter"]._run_escalation(
                date=D("2026-02-20"), partners=self.partner_a
            )
            letter._send_now()
        self.assertTrue(self.invoice.dunning_level_id)
        for url in ("/my/home", "/my/invoices", f"/my/invoices/{self.invoice.id}"):
            with self.subTest(url=url):
                response = self._get(self.portal, url)
                self.assertEqual(response.status_code, 200)
                if "/my/invoices" in url:
                    self.assertIn(self.invoice.name, response.text)
