"""Serializer fields shared by the API's domains."""

from rest_framework import serializers
from rest_framework.fields import get_attribute

from municipia.core.zones import isoformat_in_zone


class ZonedDateTimeField(serializers.DateTimeField):
    """A read-only date-time in ISO 8601 with the offset of the zone it belongs to (a call's, an
    event's), not the server's or the reader's: 2027-03-31T23:59:59+02:00. `zone` is the dotted
    path, from the object, to the zone's name ("time_zone", "call.time_zone"); serializers also
    give that name as a `time_zone` field."""

    def __init__(self, *, zone: str, **kwargs):
        self.zone_path = zone.split(".")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        if value is None:
            return None
        return isoformat_in_zone(value, get_attribute(instance, self.zone_path))

    def to_representation(self, value):
        return value
