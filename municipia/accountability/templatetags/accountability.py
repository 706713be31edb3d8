import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "/"))


@register.filter
def is_list(value) -> bool:
    return isinstance(value, list)


@register.filter
def iso_local(value):
    """An ISO date or date-time of the data rows, written as the page's language writes dates
    (the rows keep ISO for the CSV and JSON downloads); anything else unchanged."""
    if not isinstance(value, str) or len(value) < 10:
        return value
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) > 10 and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment.date(), "DATE_FORMAT")
