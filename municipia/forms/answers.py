"""Answers to a form: kept as typed in drafts, checked in full when the owner submits them.

Answers are {field key: text}. A draft keeps whatever was typed, so nothing is lost while people
work; `problems` says what is wrong or missing, and the owner refuses submission while it says
anything. A multiple choice keeps its chosen values one per line; yes or no keeps "yes" or "no";
an answer of one's own to a choice that offers "other" is kept as "other:" and the text; a matrix
keeps "item=point" and a ranking "option=rank", one per line. A question with a condition is asked
only when the earlier answer it names is one of its values; an answer to it otherwise is refused.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from municipia.forms.models import FormField

MAX_ANSWER_CHARS = 50_000
MAX_LINE_CHARS = 300
YES, NO = "yes", "no"
OTHER = "other:"


def word_count(text: str) -> int:
    return len(text.split())


def chosen_values(value: str) -> list[str]:
    """The values of a multiple choice answer."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def pairs(value: str) -> dict[str, str]:
    """The "key=value" lines of a matrix or a ranking answer, as a mapping."""
    found = {}
    for line in chosen_values(value):
        key, _sep, point = line.partition("=")
        found[key.strip()] = point.strip()
    return found


def is_other(value: str) -> bool:
    return value.startswith(OTHER)


def is_shown(field: FormField, answers: dict) -> bool:
    """Whether `field` is asked, given the answers so far: always, unless its condition names an
    earlier question whose answer holds none of the condition's values."""
    condition = field.condition or {}
    if not condition.get("field"):
        return True
    given = set(chosen_values(answers.get(str(condition["field"]), "")))
    return bool(given & {str(value) for value in condition.get("values", [])})


def normalise(field: FormField, value) -> str:
    """What a draft keeps for `field`: the text as typed, stripped and bounded."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "\n".join(str(item) for item in value)
    return str(value).strip()[:MAX_ANSWER_CHARS]


def _number_problem(field: FormField, value: str) -> str | None:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        return _("Enter a number.")
    if not number.is_finite():
        return _("Enter a number.")
    if field.kind == FormField.Kind.MONEY and number.as_tuple().exponent < -2:
        return _("Enter an amount with at most two decimals.")
    if field.min_value is not None and number < field.min_value:
        return _("Enter at least %(min)s.") % {"min": number_format(field.min_value)}
    if field.max_value is not None and number > field.max_value:
        return _("Enter at most %(max)s.") % {"max": number_format(field.max_value)}
    return None


def _url_problem(value: str, message: str) -> str | None:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return message
    return None


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
    elif kind == FormField.Kind.LINE:
        if len(value) > MAX_LINE_CHARS or "\n" in value:
            return _("Write one line of at most %(limit)s characters.") % {"limit": MAX_LINE_CHARS}
    elif kind == FormField.Kind.CHOICE:
        if field.allow_other and is_other(value):
            return None if value[len(OTHER) :].strip() else _("Write your other answer.")
        if value not in {option for option, _label in field.choice_options()}:
            return _("Choose one of the options.")
    elif kind == FormField.Kind.MULTIPLE:
        offered = {option for option, _label in field.choice_options()}
        chosen = chosen_values(value)
        others = [c for c in chosen if is_other(c)] if field.allow_other else []
        if not set(chosen) - set(others) <= offered:
            return _("Choose among the options.")
        if any(not other[len(OTHER) :].strip() for other in others):
            return _("Write your other answer.")
    elif kind in FormField.SCALE_KINDS:
        if value not in {point for point, _label in field.scale_points()}:
            return _("Choose a point of the scale.")
    elif kind == FormField.Kind.MATRIX:
        given = pairs(value)
        points = {point for point, _label in field.scale_points()}
        items = {item for item, _label in field.item_options()}
        if not set(given) <= items or not set(given.values()) <= points:
            return _("Choose a point of the scale for each item.")
    elif kind == FormField.Kind.RANKING:
        options = [option for option, _label in field.choice_options()]
        ranks = pairs(value)
        wanted = {str(rank) for rank in range(1, len(options) + 1)}
        if set(ranks) != set(options) or set(ranks.values()) != wanted:
            return _("Give each option a different rank from 1 to %(count)s.") % {
                "count": len(options)
            }
    elif kind == FormField.Kind.YES_NO:
        if value not in (YES, NO):
            return _("Answer yes or no.")
    elif kind in (FormField.Kind.NUMBER, FormField.Kind.MONEY):
        return _number_problem(field, value)
    elif kind == FormField.Kind.DATE:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    elif kind == FormField.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            return _("Enter an e-mail address.")
    elif kind == FormField.Kind.URL:
        return _url_problem(value, _("Enter a web address (URL)."))
    elif kind == FormField.Kind.EXPERIENCE:
        return _url_problem(value, _("Enter the address (URL) of the experience."))
    return None


def problems(fields, answers: dict, language: str, attached=frozenset()) -> dict[str, str]:
    """Every field that is missing or invalid, as {field key: message}; empty when complete.

    `attached` holds the ids of the file fields that have a file (files are the owner's records).
    """
    found = {}
    for field in fields:
        if not field.asks:
            continue
        if not is_shown(field, answers):
            if answers.get(field.key):
                found[field.key] = _("This question does not apply, given an earlier answer.")
            continue
        if field.kind == FormField.Kind.FILE:
            if field.required and field.pk not in attached:
                found[field.key] = _("Attach a file.")
            continue
        value = answers.get(field.key, "")
        if not value:
            if field.required:
                found[field.key] = _("This answer is required.")
            continue
        if problem := answer_problem(field, value, language):
            found[field.key] = problem
        elif (
            field.required
            and field.kind == FormField.Kind.MATRIX
            and len(pairs(value)) < len(field.items)
        ):
            found[field.key] = _("Rate every item.")
    return found


def shown_answer(field: FormField, value: str) -> str:
    """An answer as people read it: options by their label, yes or no in their language."""
    if not value:
        return ""
    if field.kind in FormField.CHOICE_KINDS:
        labels = dict(field.choice_options())
        return "\n".join(
            chosen[len(OTHER) :] if is_other(chosen) else labels.get(chosen, chosen)
            for chosen in chosen_values(value)
        )
    if field.kind in FormField.SCALE_KINDS:
        return dict(field.scale_points()).get(value, value)
    if field.kind == FormField.Kind.MATRIX:
        points, given = dict(field.scale_points()), pairs(value)
        return "\n".join(
            f"{label}: {points.get(given[item], given[item])}"
            for item, label in field.item_options()
            if item in given
        )
    if field.kind == FormField.Kind.RANKING:
        labels, ranks = dict(field.choice_options()), pairs(value)
        ordered = sorted(ranks, key=lambda option: ranks[option].zfill(4))
        return "\n".join(f"{ranks[o]}. {labels.get(o, o)}" for o in ordered)
    if field.kind == FormField.Kind.YES_NO:
        return {YES: _("Yes"), NO: _("No")}.get(value, value)
    return value
