from rest_framework import serializers

from municipia.cooperation.models import (
    Commitment,
    Fund,
    Income,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
)


class FundSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "network", "slug", "name", "currency", "established", "description"]


class IncomeSerializer(serializers.ModelSerializer):
    source = serializers.StringRelatedField()

    class Meta:
        model = Income
        fields = [
            "id",
            "fund",
            "source",
            "kind",
            "year",
            "received_on",
            "currency",
            "amount",
            "exchange_rate",
            "amount_converted",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "fund",
            "project",
            "year",
            "committed_on",
            "currency",
            "amount",
            "exchange_rate",
            "amount_converted",
        ]


class PartnerSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    local_government = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ["id", "project", "local_government", "organisation", "name", "role"]

    def get_name(self, partner) -> str:
        return str(partner.party)


class ProjectSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "slug",
            "network",
            "status",
            "original_language",
            "title",
            "summary",
            "starts_on",
            "ends_on",
            "countries",
            "sdg_targets",
            "partners",
        ]

    def get_title(self, project) -> dict[str, str]:
        return {t.language: t.title for t in project.translations.all()}

    def get_summary(self, project) -> dict[str, str]:
        return {t.language: t.summary for t in project.translations.all()}


class ProjectIndicatorValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectIndicatorValue
        fields = ["measured_on", "value", "note"]


class ProjectIndicatorSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    values = ProjectIndicatorValueSerializer(many=True, read_only=True)

    class Meta:
        model = ProjectIndicator
        fields = ["id", "project", "name", "unit", "baseline", "target", "target_on", "values"]
