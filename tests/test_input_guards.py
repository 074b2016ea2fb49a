# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Bad input gets a message, never a server error (issue 25, point 6): what
a billing user or a disputes manager sends through JSON-RPC (``call_kw``)."""

import base64

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, fields, models
from odoo.api import call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.common.account_dispute_date_range_mixin import DATE_MAX, DATE_MIN
from ..models.common.ir_attachment import safe_file_name
from .common import LatePaymentCommon
from .test_intake import _raw_email
from .test_recovery_file import _blank_pdf

D = fields.Date.to_date
MIXIN = "account.dispute.date.range.mixin"
OUT_OF_RANGE = ("0001-01-01", "9999-12-31")
# A file name that reads "invoiceexe.pdf" but is "invoicefdp.exe", with every
# kind of control the sanitizer removes.
RLO_NAME = "invoice\u202efdp.exe"
CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\x00\x1b\x7f"


@tagged("post_install", "-at_install")
class TestInputGuards(LatePaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.billing = new_test_user(
            cls.env,
            login="ig_billing",
            groups="account.group_account_invoice",
            company_id=company.id,
        )
        cls.manager = new_test_user(
            cls.env,
            login="ig_manager",
            groups="account.group_account_invoice,"
            "account_dispute.group_account_dispute_manager",
            company_id=company.id,
        )
        cls.invoice = cls._invoice(
            1200.0, terms=cls.terms_30, invoice_date=D("2026-08-31")
        )
        cls.dispute = cls._dispute(cls.invoice, opened="2026-10-05")

    def _rpc(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` as the web client calls it for ``user``."""
        return call_kw(self.env(user=user)[model], method, list(args), kwargs)

    def _assert_out_of_range(self, user, model, method, *args):
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self._rpc(user, model, method, *args)

    # Dates ----------------------------------------------------------------

    def test_every_dated_model_of_the_addon_checks_its_dates(self):
        """Derived from the registry: a new model of the addon with a stored
        date fails here until it inherits the mixin."""
        checked = []
        for name, Model in self.env.registry.items():
            if (
                Model._original_module != "account_dispute"
                or Model._abstract
                or not Model._auto
            ):
                continue
            dated = [
                fname
                for fname, field in Model._fields.items()
                if field.type in ("date", "datetime")
                and field.store
                and fname not in models.LOG_ACCESS_COLUMNS
            ]
            if dated:
                checked.append(name)
                with self.subTest(model=name):
                    # By name: a test that loads fake models rebuilds the
                    # registry's classes, not the names of their bases.
                    bases = {getattr(cls, "_name", None) for cls in Model.__mro__}
                    self.assertIn(MIXIN, bases, dated)
        for name in (
            "account.dispute",
            "account.dispute.recovery",
            "account.dunning.letter",
            "account.dunning.run",
            "account.dispute.export.wizard",
            "account.dispute.dashboard",
        ):
            self.assertIn(name, checked)

    def test_dispute_dates_out_of_range(self):
        vals = {
            "partner_id": self.partner_a.id,
            "invoice_ids": [Command.set(self.invoice.ids)],
            "reason_id": self.reason.id,
        }
        spec = {"date_opened": {}, "date_deadline": {}, "reason_id": {}}
        for date in OUT_OF_RANGE:
            with self.subTest(date=date):
                self._assert_out_of_range(
                    self.billing,
                    "account.dispute",
                    "create",
                    {**vals, "date_opened": date},
                )
                for fname in ("date_opened", "date_deadline"):
                    self._assert_out_of_range(
                        self.billing,
                        "account.dispute",
                        "write",
                        self.dispute.ids,
                        {fname: date},
                    )
                # The form computes the deadline from the date typed.
                self._assert_out_of_range(
                    self.billing,
                    "account.dispute",
                    "onchange",
                    [],
                    {**vals, "date_opened": date},
                    ["date_opened"],
                    spec,
                )
        self.assertEqual(self.dispute.date_opened, D("2026-10-05"))
        # The bounds themselves are dates.
        self._rpc(
            self.billing,
            "account.dispute",
            "write",
            self.dispute.ids,
            {"date_deadline": fields.Date.to_string(DATE_MAX)},
        )
        self.assertEqual(self.dispute.date_deadline, DATE_MAX)

    def test_letter_run_and_recovery_dates_out_of_range(self):
        letter_vals = {
            "partner_id": self.partner_b.id,
            "level_id": self.level_3.id,
            "currency_id": self.invoice.currency_id.id,
        }
        for date in OUT_OF_RANGE:
            with self.subTest(date=date):
                self._assert_out_of_range(
                    self.billing,
                    "account.dunning.letter",
                    "create",
                    {**letter_vals, "date": date},
                )
                self._assert_out_of_range(
                    self.billing, "account.dunning.run.wizard", "create", {"date": date}
                )
        recovery = self._recovery(self._sent_notice())
        for date in OUT_OF_RANGE:
            for fname in ("date", "date_notice_received"):
                with self.subTest(date=date, field=fname):
                    self._assert_out_of_range(
                        self.billing,
                        "account.dispute.recovery",
                        "write",
                        recovery.ids,
                        {fname: date},
                    )
        self.assertEqual(recovery.date, D("2026-12-09"))

    def test_export_dates_out_of_range(self):
        for export_type in ("register", "dunning", "payment_delays"):
            wizard_id = self._rpc(
                self.billing,
                "account.dispute.export.wizard",
                "create",
                {"export_type": export_type},
            )
            for date in OUT_OF_RANGE:
                for fname in (
                    "date_from",
                    "date_to",
                    "date_closing",
                    "date_limitation_to",
                ):
                    with self.subTest(type=export_type, date=date, field=fname):
                        self._assert_out_of_range(
                            self.billing,
                            "account.dispute.export.wizard",
                            "write",
                            [wizard_id],
                            {fname: date},
                        )
            # From the first accepted day: a workbook, no overflow.
            self._rpc(
                self.billing,
                "account.dispute.export.wizard",
                "write",
                [wizard_id],
                {"date_from": fields.Date.to_string(DATE_MIN)},
            )
            action = self._rpc(
                self.billing,
                "account.dispute.export.wizard",
                "action_export",
                [wizard_id],
            )
            self.assertEqual(action["type"], "ir.actions.act_url")

    def test_kpis_dates_out_of_range_and_missing(self):
        Dashboard = "account.dispute.dashboard"
        spec = {
            "company_id": {},
            "date_from": {},
            "date_to": {},
            "dso": {},
            "resolve_days_avg": {},
            "dispute_rate_display": {},
        }
        for date in OUT_OF_RANGE:
            with self.subTest(date=date):
                self._assert_out_of_range(
                    self.billing, Dashboard, "create", {"date_from": date}
                )
                self._assert_out_of_range(
                    self.billing,
                    Dashboard,
                    "onchange",
                    [],
                    {"company_id": self.env.company.id, "date_to": date},
                    ["date_to"],
                    spec,
                )
        # A form still being filled in: no figure, no error.
        for values in (
            {"company_id": self.env.company.id, "date_from": False},
            {"company_id": False, "date_from": "2026-01-01"},
            {"date_from": False, "date_to": False},
            {"date_from": "2026-12-01", "date_to": "2026-01-01"},
        ):
            with self.subTest(values=values):
                result = self._rpc(
                    self.billing,
                    Dashboard,
                    "onchange",
                    [],
                    {"date_to": "2026-12-01", **values},
                    list(values),
                    spec,
                )
                self.assertEqual(result["value"].get("dso", 0.0), 0.0)
        # The widest period computes finite figures.
        dashboard_id = self._rpc(
            self.billing,
            Dashboard,
            "create",
            {
                "date_from": fields.Date.to_string(DATE_MIN),
                "date_to": "2026-12-01",
            },
        )
        [figures] = self._rpc(
            self.billing, Dashboard, "read", [dashboard_id], ["dso", "open_count"]
        )
        self.assertGreaterEqual(figures["dso"], 0.0)
        self.assertEqual(figures["open_count"], 1)

    # Days of a level or a reason ---------------------------------------

    def test_level_and_reason_days_are_bounded(self):
        vals = {"name": "Reminder", "delay_days": 10}
        for bad in (
            {"delay_days": -366},
            {"delay_days": 3651},
            {"delay_days": 2**31 - 1},
            {"deadline_days": 3651},
        ):
            with self.subTest(vals=bad), self.assertRaises(ValidationError):
                self._rpc(
                    self.manager, "account.dunning.level", "create", {**vals, **bad}
                )
        # A preventive reminder before the due date stays possible.
        level_id = self._rpc(
            self.manager,
            "account.dunning.level",
            "create",
            {**vals, "delay_days": -3, "deadline_days": 3650},
        )
        with self.assertRaisesRegex(ValidationError, "Days After Due Date"):
            self._rpc(
                self.manager,
                "account.dunning.level",
                "write",
                [level_id],
                {"delay_days": 10**9},
            )
        with self.assertRaisesRegex(ValidationError, "Days to Settle"):
            self._rpc(
                self.manager,
                "account.dispute.reason",
                "write",
                self.reason.ids,
                {"sla_days": 10**6},
            )

    # Custom searches ---------------------------------------------------

    def test_custom_searches_refuse_a_wrong_operand(self):
        policy = self.env["account.credit.insurance.policy"].create(
            {
                "name": "AC-1",
                "insurer_id": self.partner_b.id,
                "declaration_days": 90,
                "max_extension_days": 30,
                "alert_days": 10,
                "documents_required": "Invoices and formal notice",
            }
        )
        cover = self.env["account.credit.insurance.cover"].create(
            {
                "policy_id": policy.id,
                "partner_id": self.partner_a.id,
                "amount_cover": 10000.0,
                "date_start": "2026-01-01",
            }
        )
        for model, domain in (
            ("account.move", [("limitation_status", "in", 5)]),
            ("account.move", [("limitation_status", "in", "barred")]),
            ("account.move", [("limitation_status", "=", 5)]),
            ("res.partner", [("credit_insurance_amount_left", "<", "abc")]),
            ("res.partner", [("credit_insurance_amount_left", "<", [1])]),
            ("res.partner", [("credit_insurance_cover_id", "=", "abc")]),
            ("res.partner", [("credit_insurance_cover_id", "in", 5)]),
            ("res.partner", [("credit_insurance_cover_id", "in", [1, "x"])]),
        ):
            with self.subTest(domain=domain), self.assertRaises(UserError):
                self._rpc(self.billing, model, "search", domain)
        # The operands the search views send still work.
        self.assertIn(
            self.invoice.id,
            self._rpc(
                self.billing,
                "account.move",
                "search",
                [("limitation_status", "in", ["running", "soon"])],
            ),
        )
        self.assertIn(
            self.partner_a.id,
            self._rpc(
                self.billing,
                "res.partner",
                "search",
                [("credit_insurance_amount_left", ">", 0)],
            ),
        )
        self.assertIn(
            self.partner_a.id,
            self._rpc(
                self.billing,
                "res.partner",
                "search",
                [("credit_insurance_cover_id", "in", cover.ids)],
            ),
        )

    # Waiver reason -----------------------------------------------------

    def test_waiver_needs_a_reason(self):
        paid = self._inv(1200.0)
        self._pay(paid, 1200.0, date="2026-11-09")
        for reason in ("", "   ", "\n\t "):
            with self.subTest(reason=reason), self.assertRaises(ValidationError):
                self._rpc(
                    self.manager,
                    "account.late.charge.waiver.wizard",
                    "create",
                    {"move_ids": [Command.set(paid.ids)], "reason": reason},
                )
        wizard_id = self._rpc(
            self.manager,
            "account.late.charge.waiver.wizard",
            "create",
            {"move_ids": [Command.set(paid.ids)], "reason": "A loyal customer"},
        )
        self._rpc(
            self.manager,
            "account.late.charge.waiver.wizard",
            "action_confirm",
            [wizard_id],
        )
        self.assertEqual(paid.late_charge_state, "waived")

    # File names --------------------------------------------------------

    def test_safe_file_name(self):
        self.assertEqual(safe_file_name(RLO_NAME), "invoicefdp.exe")
        self.assertEqual(safe_file_name(f"a{CONTROLS}b.pdf"), "ab.pdf")
        self.assertEqual(safe_file_name("\u202e"), "file")
        self.assertEqual(safe_file_name("Facture 12 ؟ é.pdf"), "Facture 12 ؟ é.pdf")
        self.assertFalse(safe_file_name(False))

    def test_attachments_of_the_addon_get_a_safe_name(self):
        # Attached in the chatter (created, then renamed) by a billing user.
        attachment_id = self._rpc(
            self.billing,
            "ir.attachment",
            "create",
            {
                "name": RLO_NAME,
                "raw": b"MZ",
                "res_model": "account.dispute",
                "res_id": self.dispute.id,
            },
        )
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, "invoicefdp.exe")
        self._rpc(
            self.billing,
            "ir.attachment",
            "write",
            [attachment_id],
            {"name": f"note{CONTROLS}.pdf"},
        )
        self.assertEqual(attachment.name, "note.pdf")
        # Odoo's other records keep what they are given.
        other = self.env["ir.attachment"].create(
            {"name": RLO_NAME, "raw": b"MZ", "res_model": "res.partner"}
        )
        self.assertEqual(other.name, RLO_NAME)

    def test_email_attachment_gets_a_safe_name(self):
        company = self.env.company
        company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "guards.example.com"}
        )
        company.dispute_alias_name = "litiges"
        raw = _raw_email(
            self.partner_a.email,
            "litiges@guards.example.com",
            "Litige",
            f"Nous contestons la facture {self.invoice.name}.",
            "<rlo-1@partner-a.example.com>",
            attach=(RLO_NAME, b"MZ"),
        )
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            dispute_id = (
                self.env["mail.thread"]
                .with_user(SUPERUSER_ID)
                .message_process(None, raw)
            )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "account.dispute"), ("res_id", "=", dispute_id)]
        )
        self.assertIn("invoicefdp.exe", attachments.mapped("name"))
        self.assertNotIn(RLO_NAME, attachments.mapped("name"))

    def test_export_file_name_is_safe(self):
        label = self.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "account.dispute.export.wizard"),
                ("field_id.name", "=", "export_type"),
                ("value", "=", "register"),
            ]
        )
        label.name = "Dispute\u202e register"
        wizard_id = self._rpc(
            self.billing,
            "account.dispute.export.wizard",
            "create",
            {"export_type": "register", "date_closing": "2026-12-01"},
        )
        self._rpc(
            self.billing, "account.dispute.export.wizard", "action_export", [wizard_id]
        )
        wizard = self.env["account.dispute.export.wizard"].browse(wizard_id)
        self.assertEqual(wizard.file_name, "Dispute register 2026-12-01.xlsx")

    # The proof bundle --------------------------------------------------

    def _sent_notice(self, **context):
        """The formal notice of 2026-11-09 on a new invoice of partner B."""
        self._inv(1000.0, partner=self.partner_b)
        notice = self.env["account.dunning.letter"]._run_escalation(
            date=D("2026-11-09"), partners=self.partner_b
        )
        with freeze_time("2026-11-09"):
            notice.with_context(**context).action_send()
        return notice

    def _recovery(self, notice, dispute=None):
        """The recovery file of ``notice``, prepared on 2026-12-09."""
        with freeze_time("2026-12-09"):
            return self.env["account.dispute.recovery"]._create_from_notice(
                notice, "injunction", dispute=dispute
            )

    def _recovery_with_document(self, name, content, **context):
        """A recovery file whose dispute holds the PDF ``name`` (bytes
        ``content``)."""
        notice = self._sent_notice(**context)
        dispute = self._dispute(notice.invoice_ids, opened="2026-11-20")
        self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": "application/pdf",
                "res_model": "account.dispute",
                "res_id": dispute.id,
            }
        )
        return self._recovery(notice, dispute=dispute)

    def test_broken_pdf_in_the_bundle_is_named(self):
        recovery = self._recovery_with_document(
            "Delivery note.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n"
        )
        with self.assertRaisesRegex(UserError, "“Delivery note.pdf” is not a readable"):
            self._rpc(
                self.billing,
                "account.dispute.recovery",
                "action_build_proof_bundle",
                recovery.ids,
            )
        self.assertFalse(recovery.bundle_attachment_id)

    def test_bundle_gets_a_safe_name(self):
        # Real PDFs: the notice's, kept when it was sent, and the invoice's.
        recovery = self._recovery_with_document(
            "Delivery note.pdf", _blank_pdf(1), force_report_rendering=True
        )
        recovery.name = f"RECO\u202e{recovery.name}"
        recovery.terms_file = base64.b64encode(_blank_pdf(1))
        self._rpc(
            self.billing,
            "account.dispute.recovery",
            "action_build_proof_bundle",
            recovery.ids,
            context={"force_report_rendering": True},
        )
        name = recovery.bundle_attachment_id.name
        self.assertTrue(name.startswith("RECO"), name)
        self.assertEqual(name, safe_file_name(name))
