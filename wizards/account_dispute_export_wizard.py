# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import base64
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.tools import split_every

from ..models.common.ir_attachment import safe_file_name
from ..models.common.states import ISSUED_STATES, UNPAID_PAYMENT_STATES
from ..models.dispute.account_dispute import ACTIVE_STATES
from ..report.xlsx_book import XLSX_MIMETYPE, XlsxBook


class AccountDisputeExportWizard(models.TransientModel):
    """Spreadsheets for auditors and credit insurers, and the D441-6 table.

    The workbooks are written by xlsxwriter in constant memory, the records
    read by chunks: a register of 100,000 rows fits on a small server.
    """

    _name = "account.dispute.export.wizard"
    _inherit = ["account.dispute.date.range.mixin"]
    _description = "Dispute Exports"
    _export_chunk = 1000

    export_type = fields.Selection(
        selection=[
            ("register", "Dispute register"),
            ("dunning", "Dunning status"),
            ("payment_delays", "Payment delays (art. D441-6)"),
        ],
        required=True,
        default="register",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(help="Disputes opened on or after this date.")
    date_to = fields.Date(help="Disputes opened on or before this date.")
    state_filter = fields.Selection(
        selection=[
            ("active", "Active"),
            ("resolved", "Resolved"),
            ("cancelled", "Cancelled"),
            ("draft", "Draft"),
        ],
        string="Status",
        help="Leave empty for every dispute.",
    )
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    user_id = fields.Many2one(comodel_name="res.users", string="Owner")
    dispute_ids = fields.Many2many(
        comodel_name="account.dispute",
        string="Disputes",
        help="Only these disputes; leave empty to use the filters.",
    )
    date_closing = fields.Date(
        string="As Of",
        required=True,
        default=fields.Date.context_today,
        help="Closing date of the payment delays table; the date invoices are "
        "late at in the dunning status.",
    )
    date_limitation_to = fields.Date(
        string="Time-Barred By",
        help="Dunning status: only the invoices whose last day to be claimed in "
        "court (limitation, art. L110-4) falls on or before this date.",
    )
    payment_delays_basis = fields.Selection(
        selection=[
            ("unpaid", "Invoices unpaid at the closing date"),
            ("paid_late", "Invoices paid late during the fiscal year"),
        ],
        string="Table",
        required=True,
        default="unpaid",
        help="The payment delays table of the management report shows the "
        "invoices unpaid at the closing date whose term has passed, or instead "
        "the invoices paid late during the fiscal year (French Commercial Code, "
        "art. D441-6 I and II). Each installment is late from its own due date; "
        "the amount a customer contests goes to the invoices excluded (B), the "
        "rest of the invoice stays in the lateness brackets (A): an invoice "
        "counts in each column and section where it has an amount.",
    )
    file_data = fields.Binary(string="File", readonly=True, attachment=False)
    file_name = fields.Char(readonly=True)

    @api.constrains("company_id")
    def _check_company_allowed(self):
        """Refuse an export of a company the user does not work in now.

        :raise AccessError: see ``res.company._check_dispute_figures_allowed``.
        """
        self.company_id._check_dispute_figures_allowed()

    @api.model
    def default_get(self, fields_list):
        """Selected disputes from the list's action come as active_ids."""
        res = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.dispute" and context.get(
            "active_ids"
        ):
            res["dispute_ids"] = [fields.Command.set(context["active_ids"])]
        return res

    def action_export(self):
        """Write the workbook and download it.

        :raise AccessError: when the wizard's company is not among the user's
            current companies, ``env.companies``: the payment delays are read
            in SQL, past the record rules, and every export reads only those
            companies (``res.company._check_dispute_figures_allowed``).
        """
        self.ensure_one()
        self.company_id._check_dispute_figures_allowed()
        writer = {
            "register": self._write_register,
            "dunning": self._write_dunning_status,
            "payment_delays": self._write_payment_delays,
        }[self.export_type]
        book = XlsxBook()
        writer(book)
        content = book.close()
        labels = dict(self._fields["export_type"]._description_selection(self.env))
        name = labels[self.export_type].split(" (")[0]
        self.write(
            {
                "file_data": base64.b64encode(content),
                "file_name": safe_file_name(
                    f"{name} {fields.Date.to_string(self.date_closing)}.xlsx"
                ),
            }
        )
        query = urlencode({"download": "true", "mimetype": XLSX_MIMETYPE})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file_data/"
            f"{self.file_name}?{query}",
            "target": "self",
        }

    def action_print_payment_delays(self):
        self.ensure_one()
        return self.env.ref(
            "account_dispute.report_payment_delays_action"
        ).report_action(self)

    def _selection_labels(self, model, field):
        return dict(self.env[model]._fields[field]._description_selection(self.env))

    # ------------------------------------------------------------------
    # DISPUTE REGISTER
    # ------------------------------------------------------------------

    def _get_register_domain(self):
        if self.dispute_ids:
            return [("id", "in", self.dispute_ids.ids)]
        domain = [("company_id", "=", self.company_id.id)]
        if self.date_from:
            domain.append(("date_opened", ">=", self.date_from))
        if self.date_to:
            domain.append(("date_opened", "<=", self.date_to))
        if self.state_filter == "active":
            domain.append(("state", "in", ACTIVE_STATES))
        elif self.state_filter:
            domain.append(("state", "=", self.state_filter))
        if self.partner_id:
            domain.append(("partner_id", "=", self.partner_id.commercial_partner_id.id))
        if self.user_id:
            domain.append(("user_id", "=", self.user_id.id))
        return domain

    def _write_register(self, book):
        """One row per dispute and invoice; the dispute's amounts on its first."""
        headers = [
            self.env._("Dispute"),
            self.env._("Customer"),
            self.env._("Opened On"),
            self.env._("Status"),
            self.env._("Reason"),
            self.env._("Fault"),
            self.env._("Owner"),
            self.env._("Deadline"),
            self.env._("Resolved On"),
            self.env._("Resolution"),
            self.env._("Amount Disputed"),
            self.env._("Amount Credited"),
            self.env._("Invoice"),
            self.env._("Invoice Date"),
            self.env._("Due Date"),
            self.env._("Invoice Total"),
            self.env._("Amount Due"),
            self.env._("Amount Contested"),
            self.env._("Amount Due Uncontested"),
            self.env._("Currency"),
        ]
        sheet = book.add_table(
            self.env._("Disputes"),
            headers,
            [16, 30, 11, 12, 24, 12, 20, 11, 11, 16, 14, 14, 18, 11, 11, *[14] * 4, 8],
        )
        Dispute = self.env["account.dispute"]
        states = self._selection_labels("account.dispute", "state")
        faults = self._selection_labels("account.dispute", "fault")
        resolutions = self._selection_labels("account.dispute", "resolution")
        totals = {}
        row = 1
        ids = Dispute._search(self._get_register_domain(), order="date_opened, id")
        for chunk in split_every(self._export_chunk, list(ids)):
            for dispute in Dispute.browse(chunk):
                money = book.money(dispute.currency_id)
                sums = totals.setdefault(dispute.currency_id, {})
                contested = {x.move_id: x.amount_disputed for x in dispute.line_ids}
                for index, invoice in enumerate(dispute.invoice_ids or [None]):
                    first = index == 0
                    values = [
                        dispute.name,
                        dispute.partner_id.display_name,
                        dispute.date_opened,
                        states.get(dispute.state),
                        dispute.reason_id.name,
                        faults.get(dispute.fault),
                        dispute.user_id.name,
                        dispute.date_deadline,
                        dispute.date_resolved,
                        resolutions.get(dispute.resolution),
                        (dispute.amount_disputed if first else None, money),
                        (dispute.amount_credited if first else None, money),
                    ]
                    if invoice:
                        values += [
                            invoice.name,
                            invoice.invoice_date,
                            invoice.invoice_date_due_original
                            or invoice.invoice_date_due,
                            (invoice.amount_total, money),
                            (invoice.amount_residual, money),
                            (contested.get(invoice, 0.0), money),
                            (invoice.amount_residual_uncontested, money),
                        ]
                    values += [None] * (len(headers) - 1 - len(values))
                    values.append(dispute.currency_id.name)
                    book.write_row(sheet, row, values)
                    row += 1
                    for col, amount in (
                        (10, dispute.amount_disputed if first else 0.0),
                        (11, dispute.amount_credited if first else 0.0),
                        (15, invoice.amount_total if invoice else 0.0),
                        (16, invoice.amount_residual if invoice else 0.0),
                        (17, contested.get(invoice, 0.0)),
                        (18, invoice.amount_residual_uncontested if invoice else 0.0),
                    ):
                        sums[col] = sums.get(col, 0.0) + amount
            self.env.invalidate_all()
        book.write_totals(sheet, row, totals, 19, self.env._("Total"))

    # ------------------------------------------------------------------
    # DUNNING STATUS
    # ------------------------------------------------------------------

    def _write_dunning_status(self, book):
        """Every invoice with an installment past due at the date: its level,
        last letter, why it is not reminded when it is not, and the last day
        it can be claimed in court (``account.move.date_limitation``).

        The due date is that of its oldest part due by the date that no
        dispute holds, and the days late count from it
        (``account.move._get_amount_due_on``, its due parts): an invoice
        contested in part is late for the rest. An invoice whose disputes hold
        all that is due is suspended, not late: it has no days late. The
        amount contested and the amount due uncontested are in its currency.
        """
        headers = [
            self.env._("Customer"),
            self.env._("Invoice"),
            self.env._("Invoice Date"),
            self.env._("Due Date"),
            self.env._("Days Late"),
            self.env._("Amount Due"),
            self.env._("Dunning Level"),
            self.env._("Last Reminder"),
            self.env._("Last Letter"),
            self.env._("Suspended"),
            self.env._("Why"),
            self.env._("Amount Contested"),
            self.env._("Amount Due Uncontested"),
            self.env._("Time-Barred After"),
            self.env._("Currency"),
        ]
        sheet = book.add_table(
            self.env._("Dunning"),
            headers,
            [30, 18, 11, 11, 9, 14, 22, 11, 16, 10, 40, 14, 14, 11, 8],
        )
        Move = self.env["account.move"]
        closing = self.date_closing
        domain = [
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", UNPAID_PAYMENT_STATES),
            (
                "line_ids",
                "any",
                [
                    ("display_type", "=", "payment_term"),
                    ("date_maturity", "<", closing),
                    ("reconciled", "=", False),
                ],
            ),
        ]
        if self.date_limitation_to:
            domain.append(("date_limitation", "<=", self.date_limitation_to))
        ids = Move._search(domain, order="invoice_date_due, id")
        totals = {}
        row = 1
        for chunk in split_every(self._export_chunk, list(ids)):
            invoices = Move.browse(chunk)
            due = invoices._get_amount_due_on(closing)
            for invoice in invoices:
                why = invoice._dunning_suspension_reasons()
                letter = invoice.dunning_letter_ids.filtered(
                    lambda x: x.state in ISSUED_STATES
                ).sorted(lambda x: (x.date, x.id))[-1:]
                money = book.money(invoice.currency_id)
                date_due = due[invoice][1]
                book.write_row(
                    sheet,
                    row,
                    [
                        invoice.commercial_partner_id.display_name,
                        invoice.name,
                        invoice.invoice_date,
                        date_due or self._get_oldest_date_due(invoice),
                        (closing - date_due).days if date_due else None,
                        (invoice.amount_residual, money),
                        invoice.dunning_level_id.name,
                        invoice.dunning_date,
                        letter.name,
                        self.env._("Yes") if why else self.env._("No"),
                        "; ".join(why),
                        (invoice.amount_contested, money),
                        (invoice.amount_residual_uncontested, money),
                        invoice.date_limitation,
                        invoice.currency_id.name,
                    ],
                )
                row += 1
                sums = totals.setdefault(invoice.currency_id, {})
                for col, amount in (
                    (5, invoice.amount_residual),
                    (11, invoice.amount_contested),
                    (12, invoice.amount_residual_uncontested),
                ):
                    sums[col] = sums.get(col, 0.0) + amount
            self.env.invalidate_all()
        book.write_totals(sheet, row, totals, 14, self.env._("Total"))

    @staticmethod
    def _get_oldest_date_due(invoice):
        """The oldest due date of the invoice's unpaid installments, the
        original one while a dispute suspends it."""
        return min(
            (
                line.date_maturity_original or line.date_maturity
                for line in invoice._dispute_term_lines()
                if not line.reconciled
            ),
            default=invoice.invoice_date_due,
        )

    # ------------------------------------------------------------------
    # PAYMENT DELAYS (art. D441-6)
    # ------------------------------------------------------------------

    def _get_payment_delays(self):
        return self.env[
            "report.account_dispute.report_payment_delays"
        ]._get_payment_delays(
            self.company_id, self.date_closing, self.payment_delays_basis
        )

    def _write_payment_delays(self, book):
        """The table of the management report, laid out as the model of the
        order of 20 March 2017: the invoices received, then issued, side by
        side. Every text is written as a string, never as a formula."""
        table = self._get_payment_delays()
        width = len(table["labels"]["columns"])
        add = book.workbook.add_format
        formats = {
            "money": book.money(table["currency"]),
            "wrap": add({"text_wrap": True, "valign": "top"}),
            "section": add({"bold": True, "text_wrap": True, "bg_color": "#EEEEEE"}),
            "centered": add({"bold": True, "text_wrap": True, "align": "center"}),
            "blank": add({"bg_color": "#BBBBBB"}),
        }
        sheet = book.workbook.add_worksheet(self.env._("D441-6"))
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, 2 * width, 14)
        row = self._write_delays_heading(book, sheet, table, formats)
        row = self._write_delays_section_a(book, sheet, row + 1, table, formats)
        row = self._write_delays_sections_b_c(sheet, row, table, formats)
        for offset, note in enumerate(table["labels"]["notes"], start=1):
            sheet.write_string(row + offset, 0, note)

    def _write_delays_heading(self, book, sheet, table, formats):
        """Title, company, dates and the bases of the shares; the next row."""
        labels = table["labels"]
        sheet.write_string(0, 0, table["title"], book.formats["title"])
        sheet.write_string(1, 0, labels["company"])
        sheet.write_string(1, 1, table["company"].name)
        sheet.write_string(2, 0, labels["date_closing"])
        sheet.write_datetime(2, 1, table["date_closing"], book.formats["date"])
        sheet.write_string(3, 0, labels["date_from"])
        sheet.write_datetime(3, 1, table["date_from"], book.formats["date"])
        row = 4
        for half in table["halves"]:
            sheet.write_string(row, 0, half["base_label"])
            sheet.write_number(row, 1, half["base"], formats["money"])
            row += 1
        return row

    @staticmethod
    def _write_delays_span(sheet, row, index, width, value, fmt):
        """A string or a number across the columns of half ``index``."""
        first = 1 + index * width
        sheet.merge_range(row, first, row, first + width - 1, "", fmt)
        if isinstance(value, str):
            sheet.write_string(row, first, value, fmt)
        else:
            sheet.write_number(row, first, value, fmt)

    def _write_delays_section_a(self, book, sheet, row, table, formats):
        """The halves' titles, the columns and section (A); the next row."""
        labels = table["labels"]
        halves = table["halves"]
        width = len(labels["columns"])
        header = book.formats["header"]
        sheet.write_blank(row, 0, None, header)
        for index, half in enumerate(halves):
            self._write_delays_span(
                sheet, row, index, width, half["title"], formats["centered"]
            )
        sheet.set_row(row, 45)
        row += 1
        sheet.write_blank(row, 0, None, header)
        for index in range(len(halves)):
            for col, label in enumerate(labels["columns"]):
                sheet.write_string(row, 1 + index * width + col, label, header)
        sheet.set_row(row, 30)
        sheet.write_string(row + 1, 0, labels["section_a"], formats["section"])
        row += 2
        lines = [
            (labels["count"], "count", None),
            (labels["amount"], "amount", "money"),
        ]
        # one row of shares per half, blank (grey) under the other half
        lines += [(half["share_label"], "share", half["key"]) for half in halves]
        for label, key, fmt in lines:
            sheet.write_string(row, 0, label, formats["wrap"])
            for index, half in enumerate(halves):
                for col, column in enumerate(half["columns"]):
                    cell = (row, 1 + index * width + col)
                    if key != "share":
                        sheet.write_number(*cell, column[key], formats.get(fmt))
                    elif fmt == half["key"]:
                        sheet.write_number(
                            *cell, column["share"] / 100.0, book.formats["percent"]
                        )
                    else:
                        sheet.write_blank(*cell, None, formats["blank"])
            row += 1
        return row

    def _write_delays_sections_b_c(self, sheet, row, table, formats):
        """Sections (B), the invoices excluded, and (C), the payment terms
        used; the last row written."""
        labels = table["labels"]
        halves = table["halves"]
        width = len(labels["columns"])
        sheet.write_string(row, 0, labels["section_b"], formats["section"])
        for key, label, fmt in (
            ("count", labels["excluded_count"], None),
            ("amount", labels["excluded_amount"], formats["money"]),
        ):
            row += 1
            sheet.write_string(row, 0, label, formats["wrap"])
            for index, half in enumerate(halves):
                self._write_delays_span(
                    sheet, row, index, width, half["excluded"][key], fmt
                )
        sheet.write_string(row + 1, 0, labels["section_c"], formats["section"])
        row += 2
        sheet.write_string(row, 0, labels["terms"], formats["wrap"])
        for index, half in enumerate(halves):
            terms = half["terms"]
            self._write_delays_span(
                sheet,
                row,
                index,
                width,
                f"{terms['contractual']}\n{terms['legal']}",
                formats["wrap"],
            )
        sheet.set_row(row, 45)
        return row + 1
