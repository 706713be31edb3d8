"""Date-times of a named zone: read and shown on that zone's clock whatever zone is active.

Both zones change their clocks between the dates used here and today: Madrid goes to summer time
on 28 March 2027; São Paulo left summer time on 17 February 2019 and has kept -03:00 since."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from municipia.core.zones import (
    ZonedDateTimeField,
    format_in_zone,
    isoformat_in_zone,
    make_aware_in,
)

UTC = datetime.UTC

# (zone, the instant, its wall clock in that zone, the offset then)
DEADLINES = [
    pytest.param(
        "Europe/Madrid",
        datetime.datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC),
        "31 March 2027, 23:59:59",
        "+02:00",
        id="madrid-summer",
    ),
    pytest.param(
        "America/Sao_Paulo",
        datetime.datetime(2019, 2, 16, 1, 59, 59, tzinfo=UTC),
        "15 February 2019, 23:59:59",
        "-02:00",
        id="sao-paulo-summer",
    ),
]
ACTIVE = ["UTC", "Asia/Tokyo"]


def _render(text: str, **context) -> str:
    return Template("{% load zones %}" + text).render(Context(context))


@pytest.mark.parametrize("active", ACTIVE)
@pytest.mark.parametrize(("zone", "instant", "wall_clock", "offset"), DEADLINES)
def test_zoned_tag_shows_the_zones_clock_whatever_zone_is_active(
    active, zone, instant, wall_clock, offset
):
    with timezone.override(active), translation.override("en"):
        shown = _render('{% zoned when zone "j F Y, H:i:s" %}', when=instant, zone=zone)
        kept = _render(
            '{% zoned when zone "j F Y, H:i:s" as text %}[{{ text }}]', when=instant, zone=zone
        )

    assert shown == wall_clock
    assert kept == f"[{wall_clock}]"


def test_zoned_tag_writes_in_the_active_language_and_names_formats():
    instant = datetime.datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC)

    with timezone.override("Asia/Tokyo"), translation.override("fr"):
        shown = _render('{% zoned when "Europe/Madrid" "DATE_FORMAT" %}', when=instant)

    assert shown == "31 mars 2027"


def test_zoned_tag_shows_nothing_for_no_value_and_utc_for_an_unknown_zone():
    instant = datetime.datetime(2027, 3, 31, 21, 59, 59, tzinfo=UTC)

    assert _render('{% zoned when "Europe/Madrid" "H:i" %}', when=None) == ""
    assert format_in_zone(instant, "Mars/Olympus", "H:i:s") == "21:59:59"


@pytest.mark.parametrize(("zone", "instant", "wall_clock", "offset"), DEADLINES)
def test_isoformat_in_zone_states_the_offset_of_that_day(zone, instant, wall_clock, offset):
    with timezone.override("Asia/Tokyo"):
        text = isoformat_in_zone(instant, zone)

    assert text.endswith(offset)
    assert datetime.datetime.fromisoformat(text) == instant


@pytest.mark.parametrize("active", ACTIVE)
@pytest.mark.parametrize(("zone", "instant", "wall_clock", "offset"), DEADLINES)
def test_zoned_field_reads_the_zones_clock_and_shows_it_back(
    active, zone, instant, wall_clock, offset
):
    field = ZonedDateTimeField(zone=zone)
    text = datetime.datetime.strptime(wall_clock, "%d %B %Y, %H:%M:%S").isoformat()  # noqa: DTZ007

    with timezone.override(active):
        cleaned = field.clean(text)
        shown = field.prepare_value(instant)

    assert cleaned == instant
    assert shown == text


def test_zoned_field_without_a_zone_leaves_the_value_naive_for_the_form():
    cleaned = ZonedDateTimeField().clean("2027-03-31T23:59")

    assert timezone.is_naive(cleaned)
    assert make_aware_in(cleaned, "Europe/Madrid").isoformat() == "2027-03-31T23:59:00+02:00"


@pytest.mark.parametrize(
    ("zone", "typed"),
    [
        ("Europe/Madrid", "2027-03-28T02:30:00"),  # clocks go from 02:00 to 03:00
        ("Europe/Madrid", "2027-10-31T02:30:00"),  # 02:00 to 03:00 happens twice
        ("America/Sao_Paulo", "2018-11-04T00:30:00"),  # clocks went from 00:00 to 01:00
    ],
)
def test_zoned_field_refuses_a_time_the_clocks_skip_or_show_twice(zone, typed):
    with pytest.raises(forms.ValidationError) as refused:
        ZonedDateTimeField(zone=zone).clean(typed)

    assert refused.value.code == "ambiguous_time"
    assert zone in refused.value.messages[0]
