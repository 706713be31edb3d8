from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from municipia.api.fields import ZonedDateTimeField
from municipia.cooperation.missions.models import DelegationMember, Meeting, Mission, MissionCost


class MissionCostSerializer(serializers.ModelSerializer):
    class Meta:
        model = MissionCost
        fields = [
            "category",
            "description",
            "currency",
            "amount",
            "exchange_rate",
            "amount_converted",
        ]


class DelegationMemberSerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = DelegationMember
        fields = ["person", "name", "role"]


class MeetingSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Meeting
        fields = ["held_on", "with_whom", "organisation", "local_government", "notes"]


class MissionSerializer(serializers.ModelSerializer):
    """A mission as its page shows it: `costs` and `cost_total` are null unless the costs are
    public or the reader manages the mission."""

    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    destinations = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    projects = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    starts_at = ZonedDateTimeField(zone="time_zone")
    ends_at = ZonedDateTimeField(zone="time_zone")
    delegation = DelegationMemberSerializer(many=True, read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    costs = serializers.SerializerMethodField()
    cost_total = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id",
            "direction",
            "local_government",
            "network",
            "title",
            "purpose",
            "destinations",
            "time_zone",
            "starts_at",
            "ends_at",
            "year",
            "delegation",
            "meetings",
            "outcomes",
            "projects",
            "is_public",
            "costs_public",
            "currency",
            "costs",
            "cost_total",
        ]

    def _shows_costs(self, mission) -> bool:
        return mission.shows_costs or self.context["can_manage"](mission)

    @extend_schema_field(MissionCostSerializer(many=True, allow_null=True))
    def get_costs(self, mission):
        if not self._shows_costs(mission):
            return None
        return MissionCostSerializer(mission.costs.all(), many=True).data

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True))
    def get_cost_total(self, mission) -> Decimal | None:
        if not self._shows_costs(mission):
            return None
        total = sum((c.amount_converted for c in mission.costs.all()), Decimal("0.00"))
        return f"{total:.2f}"
