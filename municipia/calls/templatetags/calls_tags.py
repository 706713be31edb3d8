"""Template helpers for calls: dates in a named time zone, translated labels, answers shown."""

import zoneinfo

from django import template
from django.utils import timezone

from municipia.core.i18n import translated

register = template.Library()


@register.filter
def in_zone(value, zone_name):
    """`value` (an aware datetime) in the time zone `zone_name`; unchanged if the zone is unknown."""
    if value is None:
        return value
    try:
        return timezone.localtime(value, zoneinfo.ZoneInfo(zone_name or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return value


@register.filter
def label(values):
    """A {language: text} label in the active language."""
    return translated(values)


@register.filter
def answer(application, field):
    return application.answers.get(field.key, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(str(key), "") if mapping else ""
