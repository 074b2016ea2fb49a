# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import datetime
import io
import numbers

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

# What a workbook is served as: Odoo guesses a type from the first 1024
# bytes, where an .xlsx reads as a mere zip (and logs that it failed).
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxBook:
    """An xlsxwriter workbook in constant memory, with the formats the exports
    share: rows must be written top to bottom.

    Every text is written as a text cell: a customer's name, an e-mail's
    subject or a reference that starts with "=", "+", "-" or "@" stays the
    text it is, never a live formula or link. xlsxwriter's ``write()`` turns a
    string starting with "=" into a formula and one that looks like a URL
    into a link; the workbook is opened with both options off, and the rows
    are written by type (``write_row``).
    """

    def __init__(self):
        self.stream = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self.stream,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        add = self.workbook.add_format
        self.formats = {
            "header": add(
                {"bold": True, "bottom": 1, "bg_color": "#EEEEEE", "text_wrap": True}
            ),
            "date": add({"num_format": "dd/mm/yyyy"}),
            "total": add({"bold": True, "top": 1}),
            # French typography: a no-break space before the sign, 12,15 %.
            "percent": add({"num_format": '0.00"\N{NO-BREAK SPACE}"%'}),
            "title": add({"bold": True, "font_size": 14}),
        }

    def close(self):
        self.workbook.close()
        return self.stream.getvalue()

    def money(self, currency, total=False):
        """One number format per currency: amounts stay numbers."""
        key = ("money", currency.id, total)
        if key not in self.formats:
            digits = "0" * currency.decimal_places
            number = "#,##0" + (f".{digits}" if digits else "")
            symbol = f'"{currency.symbol}"'
            pattern = (
                f"{number} {symbol}"
                if currency.position == "after"
                else f"{symbol} {number}"
            )
            options = {"num_format": pattern}
            if total:
                options.update({"bold": True, "top": 1})
            self.formats[key] = self.workbook.add_format(options)
        return self.formats[key]

    def add_table(self, name, headers, widths):
        """A sheet with a frozen header row."""
        sheet = self.workbook.add_worksheet(name)
        for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, self.formats["header"])
        sheet.freeze_panes(1, 0)
        return sheet

    def write_row(self, sheet, row, values):
        """Values are plain, or (value, format) pairs: a text is written as a
        text cell, a number as a number, a date as a date; None or False
        leaves the cell blank."""
        for col, value in enumerate(values):
            fmt = None
            if isinstance(value, tuple):
                value, fmt = value
            if value is None or value is False:
                sheet.write_blank(row, col, None, fmt)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(row, col, value, fmt or self.formats["date"])
            elif isinstance(value, numbers.Number):
                sheet.write_number(row, col, value, fmt)
            else:
                sheet.write_string(row, col, value, fmt)

    def write_totals(self, sheet, row, totals, currency_col, label):
        """One total row per currency: SUMIF formulas that keep their value.

        ``totals`` maps a currency to {column: amount}.
        """
        last = row - 1
        for currency, sums in totals.items():
            sheet.write_string(row, 0, label, self.formats["total"])
            for col, value in sums.items():
                formula = (
                    f"=SUMIF({xl_rowcol_to_cell(1, currency_col)}:"
                    f"{xl_rowcol_to_cell(last, currency_col)},"
                    f'"{currency.name}",'
                    f"{xl_rowcol_to_cell(1, col)}:{xl_rowcol_to_cell(last, col)})"
                )
                sheet.write_formula(
                    row,
                    col,
                    formula,
                    self.money(currency, total=True),
                    currency.round(value),
                )
            sheet.write_string(row, currency_col, currency.name, self.formats["total"])
            row += 1
        return row
