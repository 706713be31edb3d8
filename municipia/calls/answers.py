"""Answers to a call's application form: kept as typed in drafts, checked in full on submission.

Answers live in `Application.answers` as {field id: text}. A draft keeps whatever the applicant
typed, so nothing is lost while they work; `problems` says what is wrong or missing, and submission
refuses while it says anything.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from municipia.calls.models import Application, FormField

MAX_ANSWER_CHARS = 50_000


def word_count(text: str) -> int:
    return len(text.split())


def normalise(field: FormField, value) -> str:
    """What a draft keeps for `field`: the text as typed, stripped and bounded."""
    if value is None:
        return ""
    return str(value).strip()[:MAX_ANSWER_CHARS]


def answer_problem(field: FormField, value: str, language: str) -> str | None:
    """Why `value` is not a valid answer to `field` in `language`, or None. Blank is not checked."""
    if not value:
        return None
    kind = field.kind
    if kind == FormField.Kind.TEXT:
        limit = field.word_limit(language)
        words = word_count(value)
        if limit and words > limit:
            return _("%(words)s words; the limit is %(limit)s.") % {"words": words, "limit": limit}
    elif kind == FormField.Kind.CHOICE:
        if value not in {option for option, _label in field.choice_options()}:
            return _("Choose one of the options.")
    elif kind in (FormField.Kind.NUMBER, FormField.Kind.MONEY):
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            return _("Enter a number.")
        if not number.is_finite():
            return _("Enter a number.")
        if kind == FormField.Kind.MONEY and number.as_tuple().exponent < -2:
            return _("Enter an amount with at most two decimals.")
        if field.min_value is not None and number < field.min_value:
            return _("Enter at least %(min)s.") % {"min": number_format(field.min_value)}
        if field.max_value is not None and number > field.max_value:
            return _("Enter at most %(max)s.") % {"max": number_format(field.max_value)}
    elif kind == FormField.Kind.DATE:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    elif kind == FormField.Kind.EXPERIENCE:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            return _("Enter the address (URL) of the experience.")
    return None


def problems(application: Application, fields=None, files=None) -> dict[str, str]:
    """Every field that is missing or invalid, as {field id: message}; empty when complete."""
    fields = list(application.call.fields.all()) if fields is None else fields
    if files is None:
        files = list(application.files.all())
    with_files = {f.field_id for f in files}
    found = {}
    for field in fields:
        if field.kind == FormField.Kind.FILE:
            if field.required and field.pk not in with_files:
                found[field.key] = _("Attach a file.")
            continue
        value = application.answers.get(field.key, "")
        if not value:
            if field.required:
                found[field.key] = _("This answer is required.")
            continue
        if problem := answer_problem(field, value, application.language):
            found[field.key] = problem
    return found
