"""Agreements in the API: what is read (parties, signatories, what it covers) and what is written
(the same, parties and people named by their slugs)."""

from django.conf import settings
from rest_framework import serializers

from municipia.cooperation.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
)


class AgreementPartySerializer(serializers.ModelSerializer):
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.SerializerMethodField()
    country = serializers.SerializerMethodField()

    class Meta:
        model = AgreementParty
        fields = ["local_government", "organisation", "name", "country"]

    def get_name(self, party) -> str:
        return str(party.party)

    def get_country(self, party) -> str | None:
        return party.country.code if party.country else None


class AgreementSignatorySerializer(serializers.ModelSerializer):
    person = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = AgreementSignatory
        fields = ["person", "name", "capacity"]


class AgreementSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parties = AgreementPartySerializer(many=True, read_only=True)
    signatories = AgreementSignatorySerializer(many=True, read_only=True)
    projects = serializers.SerializerMethodField()
    activities = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "slug",
            "network",
            "kind",
            "title",
            "summary",
            "language",
            "status",
            "signed_on",
            "starts_on",
            "ends_on",
            "duration_months",
            "renewal",
            "renewal_months",
            "is_public",
            "parties",
            "signatories",
            "projects",
            "activities",
        ]

    def get_projects(self, agreement) -> list[str]:
        """The slugs of the covered projects the reader may see."""
        return [p.slug for p in getattr(agreement, "visible_projects", [])]

    def get_activities(self, agreement) -> list[int]:
        """The ids of the covered plan activities the reader may see."""
        return [a.pk for a in getattr(agreement, "visible_activities", [])]


class PartyInputSerializer(serializers.Serializer):
    local_government = serializers.SlugField(required=False)
    organisation = serializers.SlugField(required=False)

    def validate(self, data):
        if bool(data.get("local_government")) == bool(data.get("organisation")):
            raise serializers.ValidationError(
                "Give either a local government or an organisation, by its slug."
            )
        return data


class SignatoryInputSerializer(serializers.Serializer):
    person = serializers.SlugField()
    capacity = serializers.CharField(max_length=200, required=False, allow_blank=True)


class AgreementWriteSerializer(serializers.Serializer):
    network = serializers.SlugField(help_text="The recording network's slug (on creation only).")
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[Agreement.Status.DRAFT, Agreement.Status.IN_FORCE],
        required=False,
        help_text="On creation only; later through the status action.",
    )
    signed_on = serializers.DateField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    duration_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1200
    )
    renewal = serializers.ChoiceField(choices=Agreement.Renewal.choices, required=False)
    renewal_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1200
    )
    is_public = serializers.BooleanField(required=False)
    parties = PartyInputSerializer(many=True)
    signatories = SignatoryInputSerializer(many=True, required=False)
    projects = serializers.ListField(child=serializers.SlugField(), required=False)
    activities = serializers.ListField(child=serializers.IntegerField(), required=False)


class AgreementStatusInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Agreement.Status.choices)
    ends_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
