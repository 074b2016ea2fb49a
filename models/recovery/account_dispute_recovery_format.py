# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
import unicodedata

from odoo import fields, models
from odoo.tools.misc import format_amount, format_date

# The twelve commercial courts renamed "tribunal des activités économiques"
# from 2025-01-01 to 2028-12-31 (arrêté du 5 juillet 2024): their seats.
TAE_SEATS = {
    "auxerre",
    "avignon",
    "le havre",
    "le mans",
    "limoges",
    "lyon",
    "marseille",
    "nancy",
    "nanterre",
    "paris",
    "saint brieuc",
    "versailles",
}
# Bas-Rhin, Haut-Rhin and Moselle have no commercial court: the commercial
# chamber of the tribunal judiciaire hears commercial cases.
ALSACE_MOSELLE_DEPARTMENTS = ("57", "67", "68")
LEGAL_FORMS = {"SASU", "SAS", "SARL", "EURL", "SA", "SNC", "SCI", "SCOP", "SELARL"}


def _ascii(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _normalize_city(city):
    """ "Saint-Brieuc " -> "saint brieuc"."""
    return " ".join(_ascii(city).lower().replace("-", " ").split())


class AccountDisputeRecovery(models.Model):
    """What the recovery file's documents print: the parties' identification,
    the proposed court, and the sentences holding a figure, built whole so
    that a translator can order their words."""

    _inherit = "account.dispute.recovery"

    # ------------------------------------------------------------------
    # THE PARTIES
    # ------------------------------------------------------------------

    def _get_proposed_court_name(self):
        """The court of the debtor's registered office (Code of civil
        procedure, art. 1406), by the city of its address: "Tribunal de
        commerce de Nantes" for a professional; the tribunal des activités
        économiques in its twelve seats; the commercial chamber of the
        tribunal judiciaire in Alsace-Moselle; the tribunal judiciaire for a
        private person. Empty without a city. The user checks the court
        whose area covers the city."""
        self.ensure_one()
        partner = self.partner_id
        city = (partner.city or "").strip()
        if not city:
            return False
        of_city = self._french_of(city)
        if self.debtor_type == "consumer":
            return f"Tribunal judiciaire {of_city}"
        zip_code = (partner.zip or "").strip()
        if (
            partner.country_id.code in (False, "FR")
            and zip_code[:2] in ALSACE_MOSELLE_DEPARTMENTS
        ):
            return f"Tribunal judiciaire {of_city} (chambre commerciale)"
        if _normalize_city(city) in TAE_SEATS:
            return f"Tribunal des activités économiques {of_city}"
        return f"Tribunal de commerce {of_city}"

    @staticmethod
    def _french_of(city):
        """ "de Nantes", "d'Avignon", "du Havre", "de La Rochelle"... (the
        court's name is French whatever the user's language)."""
        for article, contracted in (("Le ", "du "), ("Les ", "des ")):
            if city.startswith(article):
                return contracted + city[len(article) :]
        if _ascii(city[:1]).lower() in tuple("aeiouyh"):
            return f"d'{city}"
        return f"de {city}"

    @staticmethod
    def _guess_legal_form(name):
        """The legal form written in a company's name ("Atelier Dubois SARL"
        -> "SARL"), else False."""
        for word in re.findall(r"[A-Za-z]+", (name or "").replace(".", "")):
            if word in LEGAL_FORMS:
                return word
        return False

    def _get_siren(self, partner):
        """The SIREN (9 digits, "732 829 320") of a French company: from its
        company registry, else from its French VAT number (FR + key + SIREN);
        False when neither gives one."""
        digits = re.sub(r"\D", "", partner.company_registry or "")
        if len(digits) >= 9:
            siren = digits[:9]
        else:
            vat = re.sub(r"\s", "", partner.vat or "").upper()
            if not (vat.startswith("FR") and len(vat) == 13 and vat[4:].isdigit()):
                return False
            siren = vat[4:]
        return f"{siren[:3]} {siren[3:6]} {siren[6:]}"

    def _get_party_lines(self, partner, legal_form=False):
        """The identification of a party, one line each: its legal form, its
        SIREN, its registration, its VAT number."""
        lines = []
        _ = self.env._
        if legal_form:
            lines.append(_("Legal form: %(form)s", form=legal_form))
        siren = self._get_siren(partner)
        if siren:
            lines.append(_("SIREN: %(siren)s", siren=siren))
        if partner.company_registry and not re.fullmatch(
            r"[\d\s]+", partner.company_registry
        ):
            lines.append(
                _("Registration: %(registry)s", registry=partner.company_registry)
            )
        if partner.vat:
            lines.append(_("VAT number: %(vat)s", vat=partner.vat))
        return lines

    def _get_signatory(self):
        """Who signs: the formal notice's signatory."""
        self.ensure_one()
        return self.letter_id._get_signatory()

    # ------------------------------------------------------------------
    # FORMATTING
    # ------------------------------------------------------------------

    def _format_amount(self, amount, currency=None):
        return format_amount(self.env, amount, currency or self.currency_id)

    def _format_date_in_full(self, date):
        return format_date(self.env, date, date_format="long")

    def _format_rate(self, rate):
        return self.letter_id._format_rate(rate)

    def _get_place_and_date(self):
        """ "Lyon, le 20 décembre 2026": the company's city and today."""
        self.ensure_one()
        return self.company_id._get_letter_place_and_date(
            fields.Date.context_today(self)
        )

    # ------------------------------------------------------------------
    # SENTENCES
    # ------------------------------------------------------------------

    def _get_basis_sentence(self):
        """The basis of the claim (Code of civil procedure, art. 1407): the
        invoices of goods or services delivered and accepted, the terms of
        sale, the formal notice left unpaid."""
        self.ensure_one()
        notice = self.letter_id
        args = {
            "invoices": ", ".join(
                self.invoice_ids.sorted("invoice_date").mapped("name")
            ),
            "date": self._format_date_in_full(notice.date),
            "deadline": self._format_date_in_full(notice.date_deadline),
        }
        _ = self.env._
        if self.terms_file:
            sentence = _(
                "The claim arises from the sale of goods or services delivered to "
                "the debtor and invoiced under invoices %(invoices)s, payable under "
                "the creditor's terms of sale. The debtor was put on formal notice "
                "to pay by a letter of %(date)s, giving it until %(deadline)s; it "
                "has not paid.",
                **args,
            )
        else:
            sentence = _(
                "The claim arises from the sale of goods or services delivered to "
                "the debtor and invoiced under invoices %(invoices)s, payable on "
                "the due dates they state. The debtor was put on formal notice to "
                "pay by a letter of %(date)s, giving it until %(deadline)s; it has "
                "not paid.",
                **args,
            )
        if notice.registered_mail_ref and self.date_notice_received:
            return (
                sentence
                + " "
                + _(
                    "The formal notice was sent by registered letter with "
                    "acknowledgement of receipt No. %(ref)s, received on %(received)s.",
                    ref=notice.registered_mail_ref,
                    received=self._format_date_in_full(self.date_notice_received),
                )
            )
        if notice.registered_mail_ref:
            return (
                sentence
                + " "
                + _(
                    "The formal notice was sent by registered letter with "
                    "acknowledgement of receipt No. %(ref)s.",
                    ref=notice.registered_mail_ref,
                )
            )
        if self.date_notice_received:
            return (
                sentence
                + " "
                + _(
                    "The debtor received the formal notice on %(received)s.",
                    received=self._format_date_in_full(self.date_notice_received),
                )
            )
        return sentence

    def _get_figures_title(self):
        self.ensure_one()
        return self.env._(
            "Amount of the claim as of %(date)s",
            date=self._format_date_in_full(self.date),
        )

    def _get_instruction_sentence(self):
        """What the letter of instruction asks for."""
        self.ensure_one()
        args = {
            "customer": self.partner_id.display_name,
            "amount": self._format_amount(self.amount_total),
            "date": self._format_date_in_full(self.date),
        }
        if self.recovery_kind == "small_claims":
            return self.env._(
                "We instruct you to implement the simplified procedure for the "
                "recovery of small claims (Code des procédures civiles d'exécution, "
                "art. L125-1 and R125-1) against %(customer)s, for the sum of "
                "%(amount)s as of %(date)s, detailed below.",
                **args,
            )
        return self.env._(
            "We instruct you to recover from %(customer)s the sum of %(amount)s as "
            "of %(date)s, detailed below, which remains unpaid despite our formal "
            "notice.",
            **args,
        )
