"""Funding opportunities in the API: read as their page shows them, written by the network's staff
(the service checks the values; its refusal is the answer's `detail`)."""

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from municipia.api.fields import ZonedDateTimeField
from municipia.cooperation.opportunities.models import (
    ApplicantKind,
    Opportunity,
    OpportunityTranslation,
)
from municipia.core.zones import available_zones, make_aware_in
from municipia.directory.models import Country, Network, Organisation
from municipia.knowledge.models import SdgTarget, Theme


class OpportunityTextSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpportunityTranslation
        fields = ["language", "title", "summary"]


class OpportunitySerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    funder = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    title = serializers.SerializerMethodField()
    deadline = ZonedDateTimeField(zone="time_zone")
    status = serializers.SerializerMethodField()
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    texts = OpportunityTextSerializer(source="translations", many=True, read_only=True)
    page = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "slug",
            "network",
            "funder",
            "funder_name",
            "programme",
            "title",
            "original_language",
            "texts",
            "deadline",
            "time_zone",
            "status",
            "applicant_kinds",
            "regions",
            "countries",
            "themes",
            "sdg_targets",
            "cofinancing_rate",
            "currency",
            "amount_min",
            "amount_max",
            "url",
            "is_published",
            "page",
        ]

    def get_title(self, opportunity) -> str:
        return opportunity.title

    def get_status(self, opportunity) -> str:
        return "open" if opportunity.is_open else "closed"

    def get_page(self, opportunity) -> str:
        request = self.context.get("request")
        path = opportunity.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class OpportunityWriteSerializer(serializers.Serializer):
    """Input of create and update. `deadline` is ISO 8601: with an offset, or without one on the
    wall clock of `time_zone`."""

    network = serializers.SlugRelatedField(slug_field="slug", queryset=Network.objects.all())
    funder = serializers.SlugRelatedField(slug_field="slug", queryset=Organisation.objects.all())
    programme = serializers.CharField(max_length=250)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=20000)
    deadline = serializers.CharField(max_length=40)
    time_zone = serializers.CharField(max_length=64, default="UTC")
    applicant_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ApplicantKind.choices), required=False, default=list
    )
    regions = serializers.ListField(
        child=serializers.RegexField(r"^\d{3}$"), max_length=30, required=False, default=list
    )
    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.all(), required=False, default=list
    )
    themes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Theme.objects.all(), required=False, default=list
    )
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=SdgTarget.objects.all(), required=False, default=list
    )
    cofinancing_rate = serializers.DecimalField(
        max_digits=7, decimal_places=2, required=False, allow_null=True, default=None
    )
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    amount_min = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    amount_max = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    is_published = serializers.BooleanField(required=False, default=True)

    def validate(self, data):
        if "time_zone" in data and data["time_zone"] not in available_zones():
            raise serializers.ValidationError(
                {
                    "time_zone": _("%(value)s is not a known time zone.")
                    % {"value": data["time_zone"]}
                }
            )
        if "deadline" in data:
            value = parse_datetime(data["deadline"])
            if value is None:
                raise serializers.ValidationError(
                    {"deadline": _("Give the deadline as a date and a time in a time zone.")}
                )
            zone = data.get("time_zone") or getattr(self.instance, "time_zone", "UTC")
            try:
                data["deadline"] = make_aware_in(value, zone)
            except Exception as error:  # a time the clocks skip or show twice
                raise serializers.ValidationError({"deadline": error.messages}) from error
        return data
