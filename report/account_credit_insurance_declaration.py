# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The declaration of a threatened loss (déclaration de menace de sinistre)
to a credit insurer: its figures, shared by the PDF and the XLSX. The addon
prepares the file; the user sends it to the insurer."""

from odoo import api, fields, models

from .xlsx_book import XlsxBook


class ReportCreditInsuranceDeclaration(models.AbstractModel):
    _name = "report.account_dispute.report_credit_insurance_declaration"
    _description = "Credit Insurance Declaration"

    @api.model
    def _get_report_values(self, docids, data=None):
        invoices = self.env["account.move"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "account.move",
            "docs": invoices,
            "declarations": self._get_declarations(invoices),
        }

    @api.model
    def _get_declarations(self, invoices):
        """One declaration per customer and cover of ``invoices`` (insured
        customer invoices): a dict with ``company``, ``partner`` (the
        commercial entity), ``cover``, ``policy``, ``date`` (of the
        declaration), ``lang`` and ``currency`` (the company's),
        ``invoices``, ``letters`` (sent, with their registered-letter
        numbers and dates of receipt), ``disputes``, ``payments`` and
        ``credit_notes`` (dicts:
        ``date``, ``invoice``, ``reference``, ``amount`` in the invoice's
        currency, ``currency``; a credit note reduces the debt, it is no
        payment), ``payment_plans`` (see ``_get_payment_plans``),
        ``amount_due`` and ``amount_disputed`` (in the company's currency):
        what is left to pay apart for the part disputes hold, which insurers
        exclude until the dispute is settled; ``company_lines`` (the insured
        company's registration, SIRET and VAT number) and ``signatory``
        (name, title) who signs it."""
        declarations = []
        date = self.env.context.get(
            "credit_insurance_date"
        ) or fields.Date.context_today(self)
        groups = invoices.grouped(
            lambda m: (m.commercial_partner_id, m.insurance_cover_id)
        )
        letters = self.env["account.dunning.letter"].search(
            [("invoice_ids", "in", invoices.ids), ("state", "=", "sent")],
            order="date, id",
        )
        for (partner, cover), group in groups.items():
            group = group.sorted(lambda m: (m.invoice_date, m.name))
            company = group.company_id[:1]
            disputed = sum(group._get_insurance_amount_disputed().values())
            declarations.append(
                {
                    "company": company,
                    "date": date,
                    "partner": partner,
                    "cover": cover,
                    "policy": cover.policy_id,
                    "lang": company.partner_id.lang or self.env.lang,
                    "currency": company.currency_id,
                    "invoices": group,
                    "letters": letters.filtered(
                        lambda letter, group=group: letter.invoice_ids & group
                    ),
                    "disputes": group.dispute_ids.sorted(
                        lambda d: (d.date_opened or d.create_date.date(), d.id)
                    ),
                    **self._get_settlements(group),
                    "payment_plans": self._get_payment_plans(group, cover.policy_id),
                    "company_lines": company._get_letterhead_lines(),
                    "signatory": self._get_signatory(company),
                    "amount_due": company.currency_id.round(
                        sum(group.mapped("amount_residual_signed")) - disputed
                    ),
                    "amount_disputed": disputed,
                }
            )
        return declarations

    @api.model
    def _get_settlements(self, invoices):
        """What was paid, and apart what was credited, on ``invoices``, by
        date: {"payments": [...], "credit_notes": [...]}. A credit note
        lowers the debt the insurer covers; it is not a payment by the
        customer."""
        result = {"payments": [], "credit_notes": []}
        for invoice in invoices:
            partials, __ = invoice._get_reconciled_invoices_partials()
            for __, amount, line in partials:
                kind = (
                    "credit_notes"
                    if line.move_id.move_type == "out_refund"
                    else "payments"
                )
                result[kind].append(
                    {
                        "date": line.date,
                        "invoice": invoice,
                        "reference": line.move_id.name,
                        "amount": amount,
                        "currency": invoice.currency_id,
                    }
                )
        for items in result.values():
            items.sort(key=lambda p: (p["date"], p["reference"]))
        return result

    @api.model
    def _get_payment_plans(self, invoices, policy):
        """The payment plans agreed on ``invoices`` (not cancelled), and how
        far each extends a due date: dicts with ``plan``, ``invoices`` (of
        the declaration), ``date_end`` (its last installment), ``extension``
        (days from the earliest original due date of its invoices to its last
        installment, 0 if none later), ``max_extension`` (the policy's days)
        and ``excess`` (days beyond it, which the insurer must agree to)."""
        plans = []
        for plan in invoices.payment_plan_ids.filtered(
            lambda p: p.state != "cancelled"
        ).sorted(lambda p: (p.line_ids[:1].date or fields.Date.today(), p.id)):
            planned = plan.invoice_ids & invoices
            date_end = max(plan.line_ids.mapped("date"), default=False)
            bases = [d for d in planned.mapped("date_due_contractual") if d]
            extension = (
                max((date_end - min(bases)).days, 0) if date_end and bases else 0
            )
            plans.append(
                {
                    "plan": plan,
                    "invoices": planned,
                    "date_end": date_end,
                    "extension": extension,
                    "max_extension": policy.max_extension_days,
                    "excess": max(extension - policy.max_extension_days, 0),
                }
            )
        return plans

    @api.model
    def _get_signatory(self, company):
        """Who signs the declaration for the insured company: (name, title),
        the company's signatory of letters (Settings), else the user who
        prepares it with their job position."""
        if company.dunning_signatory_name:
            return company.dunning_signatory_name, company.dunning_signatory_title or ""
        return self.env.user.name, self.env.user.partner_id.function or ""

    # ------------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------------

    @api.model
    def _get_xlsx(self, declaration):
        """The declaration as a workbook (bytes), in the company's language:
        a summary sheet, then the invoices, the letters, the disputes and the
        payments. Every text is a text cell (``XlsxBook.write_row``)."""
        self = self.with_context(lang=declaration["lang"])
        _ = self.env._
        book = XlsxBook()
        self._write_summary(book, declaration)
        sheet = book.add_table(
            _("Invoices"),
            [
                _("Invoice"),
                _("Invoice Date"),
                _("Original Due Date"),
                _("Current Due Date"),
                _("Declare By"),
                _("Total"),
                _("Amount Due"),
                _("Currency"),
                _("Amount Disputed"),
            ],
            [18, 12, 12, 12, 12, 14, 14, 8, 10],
        )
        for row, invoice in enumerate(declaration["invoices"], start=1):
            invoice_money = book.money(invoice.currency_id)
            book.write_row(
                sheet,
                row,
                [
                    invoice.name,
                    invoice.invoice_date,
                    invoice.insurance_date_due_base,
                    invoice.invoice_date_due,
                    invoice.insurance_declaration_date_due,
                    (invoice.amount_total, invoice_money),
                    (invoice.amount_residual_uncontested, invoice_money),
                    invoice.currency_id.name,
                    (invoice.amount_contested, invoice_money),
                ],
            )
        sheet = book.add_table(
            _("Letters"),
            [
                _("Letter"),
                _("Date"),
                _("Level"),
                _("Registered Letter Number"),
                _("Received On"),
            ],
            [18, 12, 30, 24, 12],
        )
        for row, letter in enumerate(declaration["letters"], start=1):
            book.write_row(
                sheet,
                row,
                [
                    letter.name,
                    letter.date,
                    letter.level_id.name,
                    letter.registered_mail_ref or None,
                    letter.date_received or None,
                ],
            )
        sheet = book.add_table(
            _("Disputes"),
            [_("Dispute"), _("Opened On"), _("Reason"), _("Status"), _("Resolved On")],
            [16, 12, 30, 14, 12],
        )
        states = dict(
            self.env["account.dispute"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for row, dispute in enumerate(declaration["disputes"], start=1):
            book.write_row(
                sheet,
                row,
                [
                    dispute.name,
                    dispute.date_opened,
                    dispute.reason_id.name,
                    states.get(dispute.state),
                    dispute.date_resolved,
                ],
            )
        for key, title in (
            ("payments", _("Payments")),
            ("credit_notes", _("Credit Notes")),
        ):
            sheet = book.add_table(
                title,
                [_("Date"), _("Invoice"), _("Reference"), _("Amount"), _("Currency")],
                [12, 18, 20, 14, 8],
            )
            for row, payment in enumerate(declaration[key], start=1):
                book.write_row(
                    sheet,
                    row,
                    [
                        payment["date"],
                        payment["invoice"].name,
                        payment["reference"],
                        (payment["amount"], book.money(payment["currency"])),
                        payment["currency"].name,
                    ],
                )
        self._write_payment_plans(book, declaration)
        return book.close()

    @api.model
    def _write_payment_plans(self, book, declaration):
        """The sheet of the payment plans: one row per installment, with how
        far the plan extends the original due date."""
        _ = self.env._
        sheet = book.add_table(
            _("Payment Plans"),
            [
                _("Payment Plan"),
                _("Invoices"),
                _("Installment Date"),
                _("Amount"),
                _("Currency"),
                _("Extension (days)"),
                _("Maximum Extension (days)"),
            ],
            [16, 30, 12, 14, 8, 12, 12],
        )
        row = 0
        for item in declaration["payment_plans"]:
            plan = item["plan"]
            for installment in plan.line_ids:
                row += 1
                book.write_row(
                    sheet,
                    row,
                    [
                        plan.name,
                        ", ".join(item["invoices"].mapped("name")),
                        installment.date,
                        (installment.amount, book.money(plan.currency_id)),
                        plan.currency_id.name,
                        item["extension"],
                        item["max_extension"],
                    ],
                )

    @api.model
    def _write_summary(self, book, declaration):
        """The first sheet: who declares, the customer, the policy and cover."""
        _ = self.env._
        partner = declaration["partner"]
        cover = declaration["cover"]
        policy = declaration["policy"]
        currency = declaration["currency"]
        sheet = book.add_table(
            _("Declaration"), [_("Threatened Loss Declaration"), ""], [30, 50]
        )
        company = declaration["company"]
        rows = [
            (_("Company"), company.name),
            (_("Insurer"), policy.insurer_id.name),
            (_("Policy Number"), policy.name),
            (_("Customer"), partner.name),
            (_("Address"), self._one_line_address(partner)),
            (_("VAT"), partner.vat),
            (_("Company ID"), partner.company_registry),
            (_("Agreed Cover"), (cover.amount_cover, book.money(cover.currency_id))),
            (_("Cover Start"), cover.date_start),
            (_("Cover End"), cover.date_end),
            (_("Amount Due"), (declaration["amount_due"], book.money(currency))),
            (
                _("Amount Disputed"),
                (declaration["amount_disputed"], book.money(currency)),
            ),
            (_("Documents Required"), policy.documents_required),
            (
                _("Insured Company's Address"),
                self._one_line_address(company.partner_id),
            ),
            (
                _("Insured Company's Identification"),
                ", ".join(declaration["company_lines"]),
            ),
            (_("Date"), declaration["date"]),
            (_("Signed By"), " — ".join(p for p in declaration["signatory"] if p)),
        ]
        for row, (label, value) in enumerate(rows, start=1):
            book.write_row(sheet, row, [label, value or None])

    @api.model
    def _one_line_address(self, partner):
        """A postal address on one line: street, zip and city, country."""
        return ", ".join(
            part
            for part in (
                partner.street,
                partner.street2,
                " ".join(p for p in (partner.zip, partner.city) if p),
                partner.country_id.name,
            )
            if part
        )
