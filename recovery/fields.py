"""Form fields shared by every app: dates with a plausible range, and free text that PostgreSQL can store.

One mechanism for every date a person types (security issue, point 12): a date field knows its earliest and
latest day, says at the field when a date is outside them (never a 500 further down, when a year-9999 date
reaches ``timedelta`` arithmetic or the database), and renders ``<input type="date" min=… max=…>`` so the
browser's picker offers only plausible days. A latest day given as a ``timedelta`` is relative to the
program's today: ``NOT_IN_FUTURE`` (a zero delta) is "today at the latest". "Today" is the form's ``today``
attribute (the clients, peers and supervision forms take it), else its program's, else the server's.

Models use the ``FIELD_CLASSES``-style presets through ``Meta.field_classes``; plain forms declare them.

Free text has a ceiling too: every text field of every form (a ``TextField`` of a model form, a plain
``CharField``, a hidden field) without a ``max_length`` of its own gets one, ``LONG_TEXT_LIMIT`` for a
``<textarea>`` and ``SHORT_TEXT_LIMIT`` for a one-line input. The limit is applied where every form already
passes, Django's ``BaseForm`` (``limit_free_text_in_every_form``, installed once by ``RecoveryConfig.ready``),
so no form has to remember it and a new form is covered the day it is written. A longer text is a field error
that gives the count, and the form shows the typed text again. The database columns stay unbounded.
"""

from __future__ import annotations

import datetime
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.forms import BaseForm
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The earliest and latest plausible days, by kind of date. The database holds the same floors
# (CheckConstraints) where a row could otherwise carry an impossible year.
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
EARLIEST_SERVICE_DATE = datetime.date(1990, 1, 1)  # before any peer recovery program kept its records here
EARLIEST_STAFF_DATE = datetime.date(1950, 1, 1)  # hire dates, credentials: careers are long
LATEST_RECORD_DATE = datetime.date(2100, 12, 31)  # a credential's or consent's expiry, an audit filter
EARLIEST_DUE_DATE = datetime.date(2000, 1, 1)
NOT_IN_FUTURE = datetime.timedelta(0)
PLANNING_WINDOW = datetime.timedelta(days=5 * 366)  # due and review dates: at most about five years ahead

# The English messages (tests compare them); the fields give them translated.
DATE_IN_FUTURE = gettext_noop("This date is in the future.")
DATE_TOO_EARLY = gettext_noop("Check the year: the date cannot be before {earliest}.")
DATE_TOO_LATE = gettext_noop("Check the year: the date cannot be after {latest}.")
BIRTH_DATE_IN_FUTURE = gettext_noop("The date of birth cannot be in the future.")
BIRTH_DATE_TOO_EARLY = gettext_noop("Check the year: the date of birth is before 1900.")


def _day(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


class DateInput(forms.DateInput):
    """``<input type="date">`` with the ISO value the browser expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _BoundDateField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        earliest, latest = self.field.bounds()
        return {"min": earliest.isoformat(), "max": latest.isoformat(), **attrs}


def form_today(form) -> datetime.date:
    """The day "today" means for ``form``: its own ``today``, its program's, else the server's."""
    today = getattr(form, "today", None)
    if today is not None:
        return today
    program = getattr(form, "program", None)
    if program is not None and hasattr(program, "today"):
        return program.today()
    return timezone.localdate()


class BoundedDateField(forms.DateField):
    """A date between ``earliest`` and ``latest`` (a date, or a ``timedelta`` from the form's today)."""

    widget = DateInput
    bound_field_class = _BoundDateField
    earliest: datetime.date = EARLIEST_SERVICE_DATE
    latest: datetime.date | datetime.timedelta = NOT_IN_FUTURE
    default_error_messages = {"future": _(DATE_IN_FUTURE), "too_early": _(DATE_TOO_EARLY), "too_late": _(DATE_TOO_LATE)}

    def __init__(self, *, earliest: datetime.date | None = None,
                 latest: datetime.date | datetime.timedelta | None = None, **kwargs):
        if earliest is not None:
            self.earliest = earliest
        if latest is not None:
            self.latest = latest
        self.form = None
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        self.form = form  # each form instance has its own copy of the field: "today" is that form's
        return super().get_bound_field(form, field_name)

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        latest = self.latest
        if isinstance(latest, datetime.timedelta):
            latest = form_today(self.form) + latest
        return self.earliest, latest

    def validate(self, value) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        if value < earliest:
            raise ValidationError(self.error_messages["too_early"].format(earliest=_day(earliest)), code="too_early")
        if value > latest:
            key = "future" if self.latest == NOT_IN_FUTURE else "too_late"
            raise ValidationError(self.error_messages[key].format(latest=_day(latest)), code=key)


class PastDateField(BoundedDateField):
    """When something happened in the program: a session, an intake, a signature. Not in the future."""


class BirthDateField(BoundedDateField):
    earliest = EARLIEST_BIRTH_DATE
    default_error_messages = {"future": _(BIRTH_DATE_IN_FUTURE), "too_early": _(BIRTH_DATE_TOO_EARLY)}


class StaffDateField(BoundedDateField):
    """A day of a staff member's career (hired, trained, a credential ended): not in the future."""

    earliest = EARLIEST_STAFF_DATE


class CredentialDateField(BoundedDateField):
    """A credential's issue or expiry date, as the issuing body printed it."""

    earliest = EARLIEST_STAFF_DATE
    latest = LATEST_RECORD_DATE


class RecordDateField(BoundedDateField):
    """Any day from the program's era to the end of the century: a consent's expiry, a report filter's day
    (out-of-range years are a field error, never a date overflow further on)."""

    latest = LATEST_RECORD_DATE


class PlanDateField(BoundedDateField):
    """A plan's dates: past ones, or a review planned within the next few years."""

    latest = PLANNING_WINDOW


class DueDateField(BoundedDateField):
    """A due date of a follow-up or an action: not before 2000, at most about five years ahead."""

    earliest = EARLIEST_DUE_DATE
    latest = PLANNING_WINDOW


# --- Free text -------------------------------------------------------------------------------------

SHORT_TEXT_LIMIT = 200  # a one-line input: a name, a reason, a code, a hidden key
LONG_TEXT_LIMIT = 10_000  # a <textarea>: a note's narrative is a page or two, not a book
TEXT_TOO_LONG = gettext_noop("Keep this under {limit:,} characters (it has {length:,}).")


class TextLengthValidator:
    """At most ``limit`` characters, said with the count. Only texts: a field that cleans to a UUID, a list
    or a parsed JSON value is left to its own checks."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value) -> None:
        if isinstance(value, str) and len(value) > self.limit:
            raise ValidationError(gettext(TEXT_TOO_LONG).format(limit=self.limit, length=len(value)), code="max_length")

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLengthValidator) and other.limit == self.limit


def text_limit(field: forms.Field) -> int:
    return LONG_TEXT_LIMIT if isinstance(field.widget, forms.Textarea) else SHORT_TEXT_LIMIT


def limit_free_text(form: BaseForm) -> None:
    """Give each of ``form``'s own text fields (a per-instance copy) a length limit, unless it has one."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or field.max_length is not None:
            continue
        field.max_length = limit = text_limit(field)
        field.validators.append(TextLengthValidator(limit))
        if not field.widget.is_hidden:  # as Django's own widget_attrs: no maxlength on <input type="hidden">
            field.widget.attrs.setdefault("maxlength", str(limit))


def limit_free_text_in_every_form() -> None:
    """Apply ``limit_free_text`` to every form: after ``__init__`` (so the page's inputs carry ``maxlength``)
    and again before validation (fields a form adds in its own ``__init__``, after Django's, are covered too)."""
    if getattr(BaseForm, "_free_text_limited", False):
        return
    original_init, original_full_clean = BaseForm.__init__, BaseForm.full_clean

    @functools.wraps(original_init)
    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        limit_free_text(self)

    @functools.wraps(original_full_clean)
    def full_clean(self):
        limit_free_text(self)
        original_full_clean(self)

    BaseForm.__init__, BaseForm.full_clean, BaseForm._free_text_limited = __init__, full_clean, True
