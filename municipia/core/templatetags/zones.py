"""Date-times on the wall clock of a named zone, whatever zone is active.

    {% load zones %}
    {% zoned call.closes_at call.time_zone "j F Y, H:i:s" %} ({{ call.time_zone }})
    {% zoned application.submitted_at call.time_zone "DATETIME_FORMAT" as when %}

The tag formats the value itself and hands the template text, so Django's `date` filter (which
converts an aware datetime back to the active zone) never sees it. Do not pipe its result into
`date`. The format is a `date` filter format or a format's name, in the active language.
"""

from django import template

from municipia.core.zones import format_in_zone

register = template.Library()


@register.simple_tag
def zoned(value, zone, fmt="DATETIME_FORMAT"):
    """`value` (an aware datetime) on the clock of `zone` (a zone name); empty for no value."""
    return format_in_zone(value, zone, fmt)
