# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from unittest.mock import MagicMock, patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.base.models.ir_mail_server import IrMailServer


class AccountDisputeCommon(AccountTestInvoicingCommon):
    """Customer invoices on a two-installment payment term, and a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An SMTP session that accepts every e-mail, as in Odoo's test mode:
        # pytest-odoo does not set ``odoo.modules.module.current_test``, so
        # Odoo would really connect to localhost:25 and the e-mail of every
        # letter sent would fail (the letter then waits in "E-mail Failed").
        # Tests of failures patch it again.
        cls.startClassPatcher(
            patch.object(
                IrMailServer,
                "connect",
                return_value=MagicMock(smtp_from=False, from_filter=False),
            )
        )
        cls.pay_terms_installments = cls.env["account.payment.term"].create(
            {
                "name": "30% at 30 days, 70% at 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 30.0, "nb_days": 30}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 70.0, "nb_days": 60}
                    ),
                ],
            }
        )
        cls.reason = cls.env.ref("account_dispute.reason_wrong_price")
        # Companies: professionals, who owe the penalties of art. L441-10.
        (cls.partner_a | cls.partner_b).is_company = True
        cls.partner_a.email = "compta@partner-a.example.com"
        cls.partner_a_contact = cls.env["res.partner"].create(
            {"name": "Accounts payable clerk", "parent_id": cls.partner_a.id}
        )

    @classmethod
    def _user(cls, login, groups, company):
        """A user of ``company`` only, in ``groups`` (comma-separated XML
        ids), whose password is its login."""
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _setup_cover(cls):
        """``cls.cover``: partner A covered for 10,000.00 from 2026-01-01 by
        the policy AC-0042 of the insurer Assurcrédit (90 days to declare a
        threatened loss)."""
        insurer = cls.env["res.partner"].create({"name": "Assurcrédit"})
        policy = cls.env["account.credit.insurance.policy"].create(
            {"name": "AC-0042", "insurer_id": insurer.id, "declaration_days": 90}
        )
        cls.cover = cls.env["account.credit.insurance.cover"].create(
            {
                "policy_id": policy.id,
                "partner_id": cls.partner_a.id,
                "amount_cover": 10000.0,
                "date_start": "2026-01-01",
            }
        )

    @classmethod
    def _set_rate(cls, kind, date_start, rate):
        """The table's ``kind`` rate (%) of the half-year that starts on
        ``date_start``, whether the addon's data ships it or not."""
        Rate = cls.env["account.late.payment.rate"]
        date_start = fields.Date.to_date(date_start)
        row = Rate.search([("kind", "=", kind), ("date_start", "=", date_start)])
        if row:
            row.rate = rate
            return row
        return Rate.create({"kind": kind, "date_start": date_start, "rate": rate})

    @classmethod
    def _setup_ladder(cls):
        """The ladder of the addon's data, copied for the test company."""
        cls.levels = cls._copy_ladder(cls.env.company)
        cls.level_1, cls.level_2, cls.level_3 = cls.levels
        cls.terms_30 = cls.env.ref("account.account_payment_term_30days")

    @classmethod
    def _copy_ladder(cls, company):
        """The ladder of the addon's data, copied for ``company``."""
        levels = cls.env["account.dunning.level"]
        for ref in ("dunning_level_1", "dunning_level_2", "dunning_level_3"):
            level = cls.env.ref(f"account_dispute.{ref}").sudo()
            levels |= level.copy({"company_id": company.id}).with_env(cls.env)
        return levels

    @classmethod
    def _invoice(cls, amount=1000.0, partner=None, terms=None, **kwargs):
        """A posted customer invoice of 2026-01-10, without taxes."""
        invoice = cls.init_invoice(
            "out_invoice",
            partner=partner or cls.partner_a,
            invoice_date=kwargs.pop("invoice_date", fields.Date.to_date("2026-01-10")),
            amounts=[amount],
            taxes=[],
            **kwargs,
        )
        invoice.invoice_payment_term_id = terms or cls.pay_terms_installments
        invoice.action_post()
        return invoice

    @classmethod
    def _dispute(cls, invoices, opened="2026-02-01", **vals):
        """An open dispute on these invoices, opened on ``opened``."""
        dispute = cls.env["account.dispute"].create(
            {
                "partner_id": invoices[:1].partner_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "reason_id": cls.reason.id,
                "date_opened": opened,
                **vals,
            }
        )
        dispute.action_open()
        return dispute

    @classmethod
    def _settle_by_credit_note(cls, dispute, amount, date):
        """Resolve ``dispute`` as founded by a posted credit note of
        ``amount`` (no tax) dated ``date``, not reconciled."""
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": dispute.partner_id.id,
                "invoice_date": date,
                "dispute_id": dispute.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Gesture", "price_unit": amount, "tax_ids": False}
                    )
                ],
            }
        )
        refund.action_post()
        dispute._resolve(
            "credit_note", date_resolved=fields.Date.to_date(date), validity="founded"
        )
        return refund

    @staticmethod
    def _due_dates(invoice):
        lines = invoice.line_ids.filtered(lambda x: x.display_type == "payment_term")
        return [str(d) for d in lines.sorted("date_maturity").mapped("date_maturity")]

    def _pay(self, invoice, amount, date="2026-01-20"):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": date})._create_payments()


class LatePaymentCommon(AccountDisputeCommon):
    """A ladder that reaches the formal notice at once, 12 % contractual
    penalties, the 40.00 indemnity; invoices of 2026-08-31 on 30 days, due on
    2026-09-30."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ladder()
        cls.env.company.write(
            {
                "late_payment_rate": 12.0,
                "recovery_indemnity": 40.0,
                "dunning_skip_levels": True,
            }
        )

    def _notice_for(self, invoices, date):
        """A formal notice prepared by hand on ``date`` for ``invoices``, as
        on that day."""
        with freeze_time(date):
            letter = self.env["account.dunning.letter"].create(
                {
                    "partner_id": invoices.commercial_partner_id.id,
                    "level_id": self.level_3.id,
                    "currency_id": invoices.currency_id.id,
                    "date": date,
                    "invoice_ids": [Command.set(invoices.ids)],
                }
            )
            letter._compute_claim()
        return letter

    def _inv(self, amount, partner=None, **kwargs):
        kwargs.setdefault("invoice_date", fields.Date.to_date("2026-08-31"))
        return self._invoice(amount, partner=partner, terms=self.terms_30, **kwargs)
