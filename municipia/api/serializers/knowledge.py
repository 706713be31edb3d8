from django.conf import settings
from rest_framework import serializers

from municipia.directory.models import LocalGovernment, Network
from municipia.knowledge.models import (
    Attachment,
    Experience,
    ExperienceTranslation,
    Publication,
    PublicationTranslation,
    SdgTarget,
    Theme,
)


class ExperienceTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExperienceTranslation
        fields = ["language", "origin", "title", "summary", "body", "results"]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "url", "created_at"]

    def get_url(self, attachment) -> str:
        request = self.context.get("request")
        url = attachment.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class ExperienceSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="city.country.code", read_only=True)
    partner_cities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    networks = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    themes = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    translations = ExperienceTranslationSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Experience
        fields = [
            "id",
            "status",
            "city",
            "country",
            "partner_cities",
            "networks",
            "original_language",
            "translations",
            "themes",
            "sdg_targets",
            "started_on",
            "ended_on",
            "budget",
            "currency",
            "funders",
            "contacts",
            "links",
            "attachments",
            "review_comment",
            "published_at",
        ]


class ExperienceWriteSerializer(serializers.Serializer):
    """Input of create and update; the service checks permissions and consistency."""

    city = serializers.SlugRelatedField(slug_field="slug", queryset=LocalGovernment.objects.all())
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=2000)
    body = serializers.CharField(max_length=60000)
    results = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    networks = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Network.objects.filter(is_published=True)
    )
    themes = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Theme.objects.all(), required=False, default=list
    )
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=SdgTarget.objects.all(), required=False, default=list
    )
    partner_cities = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        queryset=LocalGovernment.objects.all(),
        required=False,
        default=list,
    )
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", required=False, allow_blank=True, default="")
    funders = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    contacts = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    links = serializers.ListField(
        child=serializers.URLField(max_length=500), max_length=20, required=False, default=list
    )


class TranslationWriteSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    origin = serializers.ChoiceField(choices=["human", "machine"], default="human")
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=2000)
    body = serializers.CharField(max_length=60000)
    results = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)


class PublicationTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationTranslation
        fields = ["language", "title", "summary"]


class PublicationSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    translations = PublicationTranslationSerializer(many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "network",
            "kind",
            "year",
            "original_language",
            "translations",
            "sdg_targets",
            "link",
        ]
