# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from stdnum.fr import siret as stdnum_siret

from odoo import models
from odoo.tools.misc import format_date

from ..common.wkhtmltopdf import wkhtmltopdf_prints_headers


class ResCompany(models.Model):
    """What the company's letters (reminders, formal notices, dispute
    acknowledgements and settlements) print about the company."""

    _inherit = "res.company"

    def _letterhead_in_body(self, report_type):
        """Whether a letter prints the company's letterhead in its body.

        A letter must say who writes it: in PDF, when wkhtmltopdf cannot print
        the layout's header (see ``wkhtmltopdf_prints_headers``), the letter
        prints the letterhead beside the customer's address instead. In HTML
        the layout's header shows.

        :param report_type: the rendering's ``report_type``, ``pdf`` or ``html``.
        """
        return report_type == "pdf" and not wkhtmltopdf_prints_headers()

    def _get_letter_margin_top(self, report_type):
        """The top margin of a letter's PDF, in mm, or None for the
        paperformat's.

        The paperformat keeps room at the top for the layout's header (52 mm
        on A4). When wkhtmltopdf cannot print that header, the letterhead is
        in the body (``_letterhead_in_body``) and the room stays blank: it
        pushed the signature and legal footer of a one-page settlement letter
        onto a second page. 12 mm then. The report's templates pass it to
        Odoo as ``data_report_margin_top`` (web.report_layout).
        """
        return 12 if self._letterhead_in_body(report_type) else None

    def _get_letterhead_lines(self):
        """The company's legal identification printed under its address: its
        registration (company registry, e.g. "732 829 320 R.C.S. Lyon"), its
        SIRET when the French localization records one ("732 829 320 00017"),
        its VAT number with the country's label ("TVA" in French)."""
        self.ensure_one()
        lines = []
        if self.company_registry:
            lines.append(self.company_registry)
        siret = self["siret"] if "siret" in self._fields else False
        if siret:
            if stdnum_siret.is_valid(siret):
                siret = stdnum_siret.format(siret)
            lines.append(self.env._("SIRET %(siret)s", siret=siret))
        if self.vat:
            lines.append(
                self.env._(
                    "%(label)s %(vat)s",
                    label=self.country_id.vat_label or self.env._("VAT"),
                    vat=self.vat,
                )
            )
        return lines

    def _get_letter_place_and_date(self, date):
        """Where and when a letter is written: "Lyon, le 20 décembre 2026".

        The company's city and the date in full in the context's language
        (babel's long format); the date alone when the company has no city.
        """
        self.ensure_one()
        date = format_date(self.env, date, date_format="long")
        if not self.city:
            return date
        return self.env._("%(city)s, %(date)s", city=self.city, date=date)
