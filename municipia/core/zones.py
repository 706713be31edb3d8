"""Date-times that belong to a place: typed and shown on that place's wall clock.

A call's deadline (and, next, an event's start) is set in a named time zone and must read the same to
everyone, whatever zone the server runs in or the reader has chosen. Django's `date` and `time`
filters convert an aware value to the active zone first, so a value converted beforehand is converted
back; everything here formats the value itself, in the zone it is given:

- `ZonedDateTimeField` reads a date and time typed on the zone's wall clock;
- `in_zone`, `format_in_zone` and `isoformat_in_zone` give it back for Python code (e-mails,
  exports, the API);
- the `{% zoned value zone "format" %}` tag (library `zones`) does the same in templates.
"""

import datetime
import functools
import zoneinfo

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

Zone = str | datetime.tzinfo

WIDGET_FORMAT = "%Y-%m-%dT%H:%M:%S"


@functools.cache
def available_zones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk: read it once per process.
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def zone_choices() -> tuple[tuple[str, str], ...]:
    return tuple((name, name) for name in sorted(available_zones()))


def validate_time_zone(value: str) -> None:
    if value not in available_zones():
        raise forms.ValidationError(
            _("%(value)s is not a known time zone."), code="invalid", params={"value": value}
        )


def get_zone(zone: Zone | None) -> datetime.tzinfo:
    """The zone named `zone` (or `zone` itself); UTC for an empty or unknown name."""
    if isinstance(zone, datetime.tzinfo):
        return zone
    try:
        return zoneinfo.ZoneInfo(zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def in_zone(value: datetime.datetime | None, zone: Zone | None) -> datetime.datetime | None:
    """An aware `value` as the same instant on the wall clock of `zone`."""
    if value is None:
        return None
    return value.astimezone(get_zone(zone))


def format_in_zone(
    value: datetime.datetime | None, zone: Zone | None, fmt: str = "DATETIME_FORMAT"
) -> str:
    """`value` on the wall clock of `zone`, in `fmt` (a `date` filter format or a format's name),
    in the active language. The active time zone plays no part."""
    if value is None:
        return ""
    # dateformat uses the value's own tzinfo: no conversion to the active zone happens here.
    return formats.date_format(in_zone(value, zone), fmt)


def isoformat_in_zone(
    value: datetime.datetime | None, zone: Zone | None, sep: str = "T"
) -> str | None:
    """ISO 8601 with the zone's offset at that instant, e.g. 2027-03-31T23:59:59+02:00."""
    if value is None:
        return None
    return in_zone(value, zone).isoformat(sep=sep)


def is_ambiguous_or_imaginary(value: datetime.datetime, zone: Zone) -> bool:
    """A wall-clock time the clocks skip (spring) or show twice (autumn) in `zone`."""
    tz = get_zone(zone)
    naive = value.replace(tzinfo=None)
    return (
        naive.replace(tzinfo=tz, fold=0).utcoffset() != naive.replace(tzinfo=tz, fold=1).utcoffset()
    )


def make_aware_in(value: datetime.datetime | None, zone: Zone) -> datetime.datetime | None:
    """A naive wall-clock `value` as an aware datetime of `zone`; an aware one as it is.

    A time the clocks skip or show twice is refused rather than guessed."""
    if value is None or timezone.is_aware(value):
        return value
    if is_ambiguous_or_imaginary(value, zone):
        raise forms.ValidationError(
            _(
                "%(when)s does not exist or happens twice in %(zone)s, because the clocks change "
                "then. Choose another time."
            ),
            code="ambiguous_time",
            params={"when": value.strftime("%Y-%m-%d %H:%M:%S"), "zone": str(zone)},
        )
    return value.replace(tzinfo=get_zone(zone))


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed on the wall clock of a named zone (`datetime-local`), not the reader's.

    Give the zone when it is known (`zone=`, or set `field.zone` in the form's `__init__`): the
    field then cleans to an aware datetime of that zone and shows an aware initial value on its
    clock. When the zone comes from another field of the same form, leave it unset: the field
    cleans to a naive value and the form's `clean` passes it to `make_aware_in` with that zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 1}, format=WIDGET_FORMAT)
    input_formats = [WIDGET_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]

    def __init__(self, *, zone: Zone | None = None, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def to_python(self, value):
        # Parsed naive: Django's own field would read it on the active zone's clock.
        if isinstance(value, datetime.datetime):
            return value
        if value in self.empty_values:
            return None
        for fmt in self.input_formats:
            try:
                return datetime.datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def clean(self, value):
        value = super().clean(value)
        return make_aware_in(value, self.zone) if self.zone else value

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value) and self.zone:
                value = in_zone(value, self.zone)
            return value.strftime(WIDGET_FORMAT)
        return value
