# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re
from collections import defaultdict

from odoo import Command, api, fields, models, tools
from odoo.tools import format_amount

from ..common.states import UNPAID_PAYMENT_STATES

# Invoice numbers as Odoo writes them: INV/2026/00012, FAC/2026/03/0004...
INVOICE_NUMBER_RE = re.compile(r"[A-Za-z][\w-]*(?:/[\w-]+)+")
# What a sender's text may cost the mail gateway. INVOICE_NUMBER_RE backtracks
# with the square of the length of a run of word characters (20,000 letters:
# about 10 s), so it only reads runs of at most INVOICE_NUMBER_MAX characters,
# found in one pass by INVOICE_RUN_RE (one character class, nothing to
# backtrack), in the first INVOICE_SCAN_CHARS characters of the text.
INVOICE_RUN_RE = re.compile(r"[\w/-]+")
INVOICE_NUMBER_MAX = 64
INVOICE_SCAN_CHARS = 100_000
# An e-mail naming more invoices than this is flagged for review: a customer
# contests an invoice or a few, not a whole statement.
EMAIL_INVOICES_MAX = 5
# An amount contested is read only in a sentence that names one invoice, says
# it contests, and states one amount next to the invoice's currency: at most
# AMOUNT_SENTENCE_MAX characters (longer ones are not read), cut on "!", "?",
# ";", a new line or a "." that no digit follows (1.500,00 stays whole).
SENTENCE_END_RE = re.compile(r"[!?;\n]|\.(?!\d)")
AMOUNT_SENTENCE_MAX = 300
CONTEST_WORDS_RE = re.compile(r"contest|disput|litig|r[ée]clam|withh[eo]ld", re.I)
# 150,00 / 1 500,00 / 1.500,00 / 1,500.00 / 150: digits, thousands groups of
# three, two decimals at most; never inside a longer number or a reference.
AMOUNT_RE = re.compile(
    r"(?<![\w.,/])(\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})+|\d{1,9})"
    r"(?:[.,](\d{1,2}))?(?![\d/]|[.,]\d)"
)
SPACES = " \u00a0\u202f"


class AccountDispute(models.Model):
    """What happens when a customer writes in: the mail gateway (who may
    write, which invoices an e-mail may name, what flags it for review) and
    the portal's contest. Both leave a draft dispute for its owner to review.

    What the mail alias and the portal trust, and what they don't: README,
    "What the mail alias and the portal trust".
    """

    _inherit = "account.dispute"

    to_review = fields.Boolean(
        copy=False,
        tracking=True,
        help="Received from an unknown sender, or without an invoice found: check "
        "the customer and the invoices before opening it.",
    )
    review_reason = fields.Char(
        string="Why To Review",
        copy=False,
        readonly=True,
        help="What the mail gateway found suspicious in the e-mail.",
    )
    subject = fields.Char(
        copy=False,
        help="The subject of the e-mail that raised the dispute. The reference "
        "always comes from the sequence.",
    )
    amount_not_stated = fields.Boolean(
        copy=False,
        readonly=True,
        help="The customer's e-mail did not state the amount contested on each "
        "invoice: the whole amount due is held until someone sets the amount "
        "contested. Cleared as soon as an amount is changed.",
    )
    email_from = fields.Char(
        string="Sender",
        copy=False,
        readonly=True,
        help="The address the e-mail came from. An unknown sender gets no contact "
        "and no answer until someone sets the customer.",
    )

    def _get_amounts_not_stated_before_write(self, vals):
        """What ``write`` reads before writing ``vals``, for
        ``_clear_amount_not_stated``: {dispute: {invoice: amount contested}}
        of the disputes whose e-mail did not state the amount, in the
        invoices' currency. Empty when ``vals`` change no amount, set the
        flag themselves, or are the lines' own sum (``dispute_lines_sync``).
        """
        if (
            self.env.context.get("dispute_lines_sync")
            or "amount_not_stated" in vals
            or not {"amount_disputed", "line_ids"} & vals.keys()
        ):
            return {}
        return {
            dispute: {line.move_id: line.amount_disputed for line in dispute.line_ids}
            for dispute in self.filtered("amount_not_stated")
        }

    def _clear_amount_not_stated(self, amounts_before):
        """An amount changed by hand states what the e-mail did not: the
        dispute no longer warns that the whole amount due is held. Called by
        ``write`` once ``vals`` are written.

        :param amounts_before: ``_get_amounts_not_stated_before_write(vals)``.
        """
        if not amounts_before:
            return
        self.filtered(
            lambda d: (
                d in amounts_before and d._amounts_changed_since(amounts_before[d])
            )
        ).amount_not_stated = False

    def _amounts_changed_since(self, before):
        """Whether an invoice is contested for another amount than in
        ``before`` ({invoice: amount}), or an invoice added for another
        amount than what is left to pay on it."""
        self.ensure_one()
        return any(
            line.currency_id.compare_amounts(
                line.amount_disputed,
                before.get(line.move_id, line.move_id.amount_residual),
            )
            for line in self.line_ids
        )

    # ------------------------------------------------------------------
    # MAIL GATEWAY
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A complaint by e-mail: a draft dispute on the invoices the message
        names, for the customer of a known sender, acknowledged at once.

        What a sender may not do (README, "What the mail alias and the portal
        trust"): name the reference (it comes from the sequence; the subject
        is kept in ``subject``), link a paid or cancelled invoice or another
        customer's, get a contact created or an answer sent to an address
        nobody checked. An unknown sender, too many invoices or an invoice that
        cannot be linked flag the dispute for review (``review_reason``).

        The amount contested on an invoice is what the e-mail states for it
        unambiguously (``_find_amounts_in_text``), at most what is left to
        pay on it; otherwise the whole of it, and ``amount_not_stated`` warns
        the owner until someone sets it.
        """
        values = dict(custom_values or {})
        company = self.env["res.company"].browse(
            values.get("company_id") or self.env.company.id
        )
        contact = self._find_sender_partner(msg_dict, company)
        partner = contact.commercial_partner_id
        subject = msg_dict.get("subject") or ""
        body = tools.html2plaintext(msg_dict.get("body") or "")
        text = f"{subject} {body}"
        numbers = self._invoice_numbers_in_text(text)
        invoices = self._find_invoices_in_text(text, company, partner)
        # The subject's words do not run into the body's first sentence.
        stated = self._find_amounts_in_text(f"{subject}\n{body}", invoices)
        reasons = [values.pop("review_reason", None)]
        reasons += self._get_email_review_reasons(
            msg_dict, company, contact, numbers, invoices
        )
        reasons = [reason for reason in reasons if reason]
        values.update(
            {
                # Odoo would name the record after the subject.
                "name": "/",
                "subject": subject,
                "email_from": msg_dict.get("email_from"),
                "company_id": company.id,
                "partner_id": partner.id,
                "contact_id": contact.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "amount_disputed": stated.get(move, move.amount_residual),
                        }
                    )
                    for move in invoices
                ],
                "amount_not_stated": not invoices
                or any(move not in stated for move in invoices),
                "channel": "email",
                "description": msg_dict.get("body"),
                "to_review": bool(reasons),
                "review_reason": " ".join(reasons) or False,
            }
        )
        dispute = super().message_new(msg_dict, custom_values=values)
        dispute._ensure_owner()
        dispute._schedule_review()
        dispute.filtered("contact_id")._acknowledge_receipt()
        return dispute

    @api.model
    def _get_email_review_reasons(self, msg_dict, company, contact, numbers, invoices):
        """Why an e-mail's dispute must be reviewed before anyone trusts it:
        sentences for the owner, empty when nothing is suspicious.
        ``numbers`` are the invoice numbers the text names, ``invoices`` the
        ones linked."""
        _ = self.env._
        reasons = []
        if not contact:
            reasons.append(
                _(
                    "Unknown sender %(email)s: set the customer once you know who "
                    "wrote.",
                    email=msg_dict.get("email_from") or "",
                )
            )
        elif not invoices:
            reasons.append(_("No invoice of the customer found in the e-mail."))
        if len(numbers) > EMAIL_INVOICES_MAX:
            reasons.append(
                _(
                    "The e-mail names %(count)s invoices, more than %(max)s.",
                    count=len(numbers),
                    max=EMAIL_INVOICES_MAX,
                )
            )
        named = self.env["account.move"].search(
            [("name", "in", list(numbers)), ("company_id", "=", company.id)]
        )
        left = named - invoices
        if left:
            reasons.append(
                _(
                    "Named but not linked (paid, cancelled or another customer's): "
                    "%(invoices)s.",
                    invoices=", ".join(left.mapped("name")),
                )
            )
        return reasons

    @api.model
    def _route_reply(self, msg_dict, route):
        """The mail gateway's ``route`` (model, thread id, custom values, user
        id, alias) for ``msg_dict``: a reply into a dispute is posted there
        only if its author may write in it; otherwise it goes to a new
        dispute of the same company, flagged for review."""
        model, thread_id, custom_values, user_id, alias = route
        if model != self._name or not thread_id:
            return route
        dispute = self.sudo().browse(thread_id).exists()
        if not dispute:
            return route
        author = self.env["res.partner"].sudo().browse(msg_dict.get("author_id"))
        if dispute._accepts_email_from(author):
            return route
        values = {
            **(custom_values or {}),
            "company_id": dispute.company_id.id,
            "review_reason": self.env._(
                "Sent as a reply to dispute %(dispute)s by someone who is not "
                "one of its customer's contacts.",
                dispute=dispute.name,
            ),
        }
        msg_dict.pop("parent_id", None)
        return model, False, values, user_id, alias

    def _accepts_email_from(self, author):
        """Whether ``author`` (a partner, maybe empty) may post into this
        dispute by e-mail: a contact of its customer, or an internal user."""
        self.ensure_one()
        if not author:
            return False
        if author.user_ids.filtered(lambda u: not u.share):
            return True
        return bool(self.partner_id and author.commercial_partner_id == self.partner_id)

    @api.model
    def _find_sender_partner(self, msg_dict, company):
        """The sender's contact (a contact of the customer, or the customer
        itself), or an empty recordset for an unknown sender: no contact is
        created from an address anyone can forge."""
        email = tools.email_normalize(msg_dict.get("email_from") or "")
        if not email:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [
                ("email_normalized", "=", email),
                ("company_id", "in", (company.id, False)),
            ],
            order="is_company desc, id",
            limit=1,
        )

    @api.model
    def _find_invoices_in_text(self, text, company, partner):
        """The customer's open invoices whose numbers appear in the text: a
        paid, reversed or cancelled invoice is never linked."""
        words = self._invoice_numbers_in_text(text)
        if not words or not partner:
            return self.env["account.move"]
        return self.env["account.move"].search(
            [
                ("name", "in", list(words)),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", UNPAID_PAYMENT_STATES),
                ("company_id", "=", company.id),
                ("commercial_partner_id", "=", partner.id),
            ]
        )

    @api.model
    def _find_amounts_in_text(self, text, invoices):
        """{invoice: amount} the text states as contested, in each invoice's
        currency, at most what is left to pay on it: "we contest 150,00 € on
        FAC/2026/00012".

        A sender's text is read only where it cannot be misread: a sentence
        (see ``SENTENCE_END_RE``) of at most ``AMOUNT_SENTENCE_MAX``
        characters that names the invoice and no other, says it contests
        (``CONTEST_WORDS_RE``) and holds exactly one amount written next to
        the invoice's currency (symbol, code or name). An invoice named in a
        sentence with an amount that fails any of these, or in two such
        sentences with different amounts, gets none: the owner sets it.
        Linear in the text, like ``_invoice_numbers_in_text``.
        """
        by_name = {move.name: move for move in invoices}
        found = defaultdict(set)
        for sentence in SENTENCE_END_RE.split((text or "")[:INVOICE_SCAN_CHARS]):
            named = {
                by_name[number]
                for number in self._invoice_numbers_in_text(sentence)
                if number in by_name
            }
            if not named:
                continue
            if len(sentence) > AMOUNT_SENTENCE_MAX:
                amounts = [None]
            else:
                amounts = self._amounts_in_sentence(sentence, next(iter(named)))
            readable = (
                len(amounts) == 1
                and len(named) == 1
                and bool(CONTEST_WORDS_RE.search(sentence))
            )
            for move in named if amounts else ():
                found[move].add(amounts[0] if readable else None)
        return {
            move: move.currency_id.round(min(amount, move.amount_residual))
            for move, amounts in found.items()
            for amount in amounts
            if len(amounts) == 1 and amount
        }

    @api.model
    def _amounts_in_sentence(self, sentence, invoice):
        """The amounts of ``sentence`` written next to the currency of
        ``invoice`` (before or after it), as floats."""
        currency = invoice.currency_id
        markers = [re.escape(currency.symbol), rf"{re.escape(currency.name)}(?!\w)"]
        if currency.currency_unit_label:
            label = re.escape(currency.currency_unit_label.lower().rstrip("s"))
            markers.append(rf"{label}s?(?!\w)")
        marker = "|".join(markers)
        after = re.compile(rf"[{SPACES}]?(?:{marker})", re.I)
        before = re.compile(rf"(?<!\w)(?:{marker})[{SPACES}]?$", re.I)
        amounts = []
        for match in AMOUNT_RE.finditer(sentence):
            if not (
                after.match(sentence, match.end())
                or before.search(sentence, max(match.start() - 16, 0), match.start())
            ):
                continue
            units = re.sub(r"\D", "", match[1])
            amounts.append(float(f"{units}.{match[2] or 0}"))
        return amounts

    @api.model
    def _invoice_numbers_in_text(self, text):
        """The words of ``text`` shaped like invoice numbers, as a set.

        Linear in the text, whatever a sender writes: only the first
        ``INVOICE_SCAN_CHARS`` characters are read, cut in runs of word
        characters, "-" and "/" (a number never spans two runs); a run
        longer than ``INVOICE_NUMBER_MAX`` characters or without "/" holds no
        number (Odoo's sequences write INV/2026/00012), nor does one the
        bound cuts (INV/2026/0001 of INV/2026/00012): one more character is
        read to tell.
        """
        runs = INVOICE_RUN_RE.finditer((text or "")[: INVOICE_SCAN_CHARS + 1])
        return {
            number
            for run in runs
            if run.end() <= INVOICE_SCAN_CHARS
            and run.end() - run.start() <= INVOICE_NUMBER_MAX
            and "/" in run[0]
            for number in INVOICE_NUMBER_RE.findall(run[0])
        }

    # ------------------------------------------------------------------
    # PORTAL AND BOTH CHANNELS
    # ------------------------------------------------------------------

    @api.model
    def _create_from_portal(self, invoice, reason, amount, message, attachment, author):
        """A draft dispute contested by the customer on the portal: the
        ``amount`` contested (in the invoice's currency, at most what is left
        to pay, checked by the controller) leaves the dunning at once, the
        rest of the invoice stays due on its dates; the owner gets an
        activity and ``author`` (the contact who contested) the
        acknowledgement. ``attachment`` is (name, content) or None."""
        dispute = self.create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "contact_id": author.id,
                "company_id": invoice.company_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "reason_id": reason.id,
                "amount_disputed": amount,
                "channel": "portal",
                "description": message,
            }
        )
        # Odoo's rule for what comes from outside: HTML, SVG and XML files are
        # stored as text, never served as pages.
        dispute.with_context(attachments_mime_plainxml=True).message_post(
            body=message,
            author_id=author.id,
            attachments=[attachment] if attachment else [],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        dispute._ensure_owner()
        dispute._schedule_review()
        dispute._acknowledge_receipt()
        return dispute

    def _schedule_review(self):
        """Ask the owner to review what the customer contested: open the
        dispute, or cancel it as unfounded. The activity is done when the
        dispute is opened or cancelled."""
        activity_type = self.env.ref("account_dispute.mail_activity_type_contest")
        for dispute in self:
            # The customer's request runs in the customer's language; the
            # activity is read by the owner, in the owner's.
            owner_env = self.with_context(lang=dispute.user_id.lang).env
            if dispute.channel == "portal":
                summary = owner_env._(
                    "Contested on the portal for %(amount)s: open the dispute",
                    amount=format_amount(
                        owner_env, dispute.amount_disputed, dispute.currency_id
                    ),
                )
            else:
                summary = owner_env._(
                    "Contested by e-mail: open the dispute or cancel it as unfounded"
                )
                if dispute.amount_not_stated:
                    summary = owner_env._(
                        "Contested by e-mail, amount not stated: set the amount "
                        "contested on each invoice, then open the dispute or "
                        "cancel it as unfounded"
                    )
            dispute.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=dispute.user_id.id,
                summary=summary,
            )

    def _ensure_owner(self):
        """A complaint from outside always has someone to handle it: with no
        reason owner, salesperson or dispute manager, the administrator."""
        orphans = self.filtered(lambda d: not d.user_id)
        if orphans:
            orphans.user_id = self.env.ref("base.user_admin")

    def _acknowledge_receipt(self):
        """Answer the customer at once with the dispute's reference: to the
        contact who wrote or contested, copied to the invoicing address."""
        template = self.env.ref("account_dispute.mail_template_dispute_acknowledgement")
        for dispute in self:
            dispute.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
