from rest_framework import serializers

from municipia.directory.models import (
    Country,
    LocalGovernment,
    Membership,
    Network,
    Organisation,
    Person,
    Position,
)
from municipia.directory.permissions import can_view_contact_details


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region_name = serializers.CharField(read_only=True)
    sub_region_name = serializers.CharField(read_only=True)

    class Meta:
        model = Country
        fields = [
            "code",
            "alpha3",
            "numeric",
            "name",
            "names",
            "region",
            "region_name",
            "sub_region",
            "sub_region_name",
            "intermediate_region",
            "languages",
        ]


class LocalGovernmentSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = LocalGovernment
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "country",
            "parent",
            "geonames_id",
            "admin1",
            "admin2",
            "is_district",
            "population",
            "latitude",
            "longitude",
            "timezone",
            "official_languages",
            "website",
        ]


class LocalGovernmentDetailSerializer(LocalGovernmentSerializer):
    other_names = serializers.SerializerMethodField()

    class Meta(LocalGovernmentSerializer.Meta):
        fields = [*LocalGovernmentSerializer.Meta.fields, "description", "other_names"]

    def get_other_names(self, place) -> list[dict]:
        return [
            {"name": name.name, "language": name.language}
            for name in place.names.order_by("name")
            if name.name != place.name
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "acronym", "kind", "country", "website", "description"]


class PositionSerializer(serializers.ModelSerializer):
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Position
        fields = [
            "kind",
            "label",
            "local_government",
            "organisation",
            "network",
            "started_on",
            "ended_on",
        ]


class PersonSerializer(serializers.ModelSerializer):
    """Contact details are null unless the person agreed to show them (see `can_view_contact_details`)."""

    country = serializers.SlugRelatedField(slug_field="code", read_only=True)
    expertise = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    positions = PositionSerializer(source="current_positions", many=True, read_only=True)
    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "slug",
            "full_name",
            "country",
            "languages",
            "expertise",
            "positions",
            "email",
            "phone",
        ]

    def _contact_visible(self, person) -> bool:
        return can_view_contact_details(
            self.context["request"].user, person, consented=person.shows_contact
        )

    def get_email(self, person) -> str | None:
        return person.email or None if self._contact_visible(person) else None

    def get_phone(self, person) -> str | None:
        return person.phone or None if self._contact_visible(person) else None


class NetworkSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Network
        fields = [
            "slug",
            "name",
            "acronym",
            "kind",
            "parent",
            "working_languages",
            "regions",
            "founded",
            "website",
            "description",
            "has_expert_community",
            "is_published",
            "member_count",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    """What the network's staff alone see (applications, reasons, notes) is left out for others."""

    STAFF_FIELDS = ("applied_on", "application_message", "status_reason", "notes")

    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    member_name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "network",
            "local_government",
            "organisation",
            "member_name",
            "country",
            "category",
            "status",
            "joined_on",
            "left_on",
            "applied_on",
            "application_message",
            "status_reason",
            "notes",
        ]

    def get_member_name(self, membership) -> str:
        return str(membership.member)

    def get_country(self, membership) -> str | None:
        country = membership.member.country
        return country.code if country else None

    def to_representation(self, membership):
        data = super().to_representation(membership)
        managed = self.context.get("managed_network_ids", set())
        if membership.network_id not in managed:
            for name in self.STAFF_FIELDS:
                data.pop(name, None)
        return data


class MembershipApplicationSerializer(serializers.Serializer):
    network = serializers.SlugRelatedField(slug_field="slug", queryset=Network.objects.published())
    local_government = serializers.SlugRelatedField(
        slug_field="slug", queryset=LocalGovernment.objects.all()
    )
    category = serializers.ChoiceField(choices=Membership.Category.choices, default="full")
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class MembershipDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
