# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# The dates the addon accepts, on every model that inherits the mixin below.
# Python's dates end in year 9999 and Odoo writes year 1 as "1-01-01", which
# PostgreSQL reads as 2001: a deadline, a period or a DSO computed from such a
# date overflows or lies. The range holds any real record, and every date
# the addon computes from one (deadlines, limitation, periods) stays a date.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
# The most days a setting may add to a date (a level's delay, days to pay or
# to settle): ten years, twice the limitation of art. L110-4.
DAYS_MAX = 3650


def check_day_count(record, fname, minimum=0, maximum=DAYS_MAX):
    """Refuse a number of days ``record[fname]`` that a date cannot be moved
    by: below ``minimum`` or above ``maximum`` (both included).

    :raise ValidationError: with the field's label, the record's name and the
        bounds, in the user's language.
    """
    days = record[fname]
    if minimum <= days <= maximum:
        return
    env = record.env
    raise ValidationError(
        env._(
            "“%(field)s” of %(record)s must be from %(min)s to %(max)s days, not "
            "%(days)s.",
            field=record._fields[fname]._description_string(env),
            record=record.display_name,
            min=minimum,
            max=maximum,
            days=days,
        )
    )


class AccountDisputeDateRangeMixin(models.AbstractModel):
    """Dates within ``DATE_MIN`` .. ``DATE_MAX`` on every stored date of the
    model, checked before a create or a write reaches a computation (a
    constraint alone comes too late for the deadlines computed from them), by
    the constraint, and before an onchange computes anything from a date just
    typed. Every model of the addon with a stored date inherits it
    (``tests/test_input_guards.py`` checks it from the registry)."""

    _name = "account.dispute.date.range.mixin"
    _description = "Dates Within the Accepted Range"

    @api.model
    def _get_date_range_fields(self):
        """The names of the dates checked: every stored date or datetime of
        the model but Odoo's own create and write dates."""
        return [
            name
            for name, field in self._fields.items()
            if field.type in ("date", "datetime")
            and field.store
            and name not in models.LOG_ACCESS_COLUMNS
        ]

    @api.constrains(lambda self: self._get_date_range_fields())
    def _check_date_range(self):
        """:raise ValidationError: a date before ``DATE_MIN`` or after
        ``DATE_MAX``."""
        fnames = self._get_date_range_fields()
        for record in self:
            for fname in fnames:
                record._check_date_in_range(fname, record[fname])

    @api.model
    def _check_date_in_range(self, fname, value):
        """Refuse ``value`` (a date, a datetime, their string, or empty) for
        the field ``fname`` when it is not a date from ``DATE_MIN`` to
        ``DATE_MAX``: the one rule of the accepted range.

        :return: the value as a date (``None`` when empty).
        :raise ValidationError: a value out of the range or not a date, with
            the field's label and the range, in the user's language.
        """
        if not value:
            return None
        field = self._fields[fname]
        label = field._description_string(self.env)
        try:
            if field.type == "datetime":
                day = fields.Datetime.to_datetime(value).date()
            else:
                day = fields.Date.to_date(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._(
                    "“%(value)s” is not a date for “%(field)s”: give a date such "
                    "as %(example)s.",
                    value=value,
                    field=label,
                    example=format_date(self.env, DATE_MAX),
                )
            ) from error
        if not DATE_MIN <= day <= DATE_MAX:
            raise ValidationError(
                self.env._(
                    "The date %(date)s is out of range for “%(field)s”: give a "
                    "date from %(min)s to %(max)s.",
                    date=day.isoformat(),
                    field=label,
                    min=format_date(self.env, DATE_MIN),
                    max=format_date(self.env, DATE_MAX),
                )
            )
        return day

    def _check_date_range_values(self, vals):
        """Check the dates of ``vals`` (a create's or a write's values)
        before anything is computed from them."""
        for fname in self._get_date_range_fields():
            if fname in vals:
                self._check_date_in_range(fname, vals[fname])

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_date_range_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_date_range_values(vals)
        return super().write(vals)

    def onchange(self, values, field_names, fields_spec):
        """A date just typed is checked before the form computes a deadline
        or a figure from it."""
        checked = set(self._get_date_range_fields()).intersection(field_names or ())
        self._check_date_range_values({fname: values.get(fname) for fname in checked})
        return super().onchange(values, field_names, fields_spec)
