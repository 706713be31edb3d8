from django.conf import settings
from rest_framework import serializers

from municipia.communications.models import (
    Campaign,
    CampaignActivity,
    CampaignMaterial,
    CampaignTranslation,
    ExhibitionStop,
    NewsPost,
    NewsTranslation,
    Subscription,
)
from municipia.directory.models import LocalGovernment, Network


class NewsTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = NewsTranslation
        fields = ["language", "origin", "title", "summary", "body"]


class NewsPostSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    translations = NewsTranslationSerializer(many=True, read_only=True)
    public_from = serializers.DateTimeField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()

    class Meta:
        model = NewsPost
        fields = [
            "id",
            "network",
            "category",
            "original_language",
            "status",
            "published_at",
            "embargo_until",
            "public_from",
            "image_url",
            "image_alt",
            "url",
            "translations",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, post) -> str:
        return self._absolute(post.get_absolute_url())

    def get_image_url(self, post) -> str | None:
        if not post.image:
            return None
        from django.urls import reverse

        return self._absolute(
            reverse("communications:post-image", args=[post.network.slug, post.pk])
        )


class CampaignTranslationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignTranslation
        fields = ["language", "name", "slogan", "body", "declaration"]


class CampaignMaterialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CampaignMaterial
        fields = ["id", "kind", "language", "title", "content_type", "size", "url"]

    def get_url(self, material) -> str:
        request = self.context.get("request")
        url = material.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class ExhibitionStopSerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ExhibitionStop
        fields = ["venue", "city", "opens_on", "closes_on"]


class CampaignSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    translations = CampaignTranslationSerializer(many=True, read_only=True)
    materials = CampaignMaterialSerializer(many=True, read_only=True)
    exhibition_stops = ExhibitionStopSerializer(many=True, read_only=True)
    declaration_consultation = serializers.SlugRelatedField(
        source="declaration_draft", slug_field="slug", read_only=True
    )

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "network",
            "original_language",
            "starts_on",
            "ends_on",
            "is_published",
            "declaration_consultation",
            "declaration_published_at",
            "translations",
            "materials",
            "exhibition_stops",
        ]


class CampaignActivitySerializer(serializers.ModelSerializer):
    city = serializers.SlugRelatedField(slug_field="slug", queryset=LocalGovernment.objects.all())
    country = serializers.CharField(source="city.country.code", read_only=True)
    latitude = serializers.FloatField(source="city.latitude", read_only=True, allow_null=True)
    longitude = serializers.FloatField(source="city.longitude", read_only=True, allow_null=True)

    class Meta:
        model = CampaignActivity
        fields = [
            "id",
            "city",
            "country",
            "latitude",
            "longitude",
            "title",
            "description",
            "happens_on",
            "venue",
            "link",
        ]
        read_only_fields = ["id"]


class SubscriptionSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="slug", queryset=Network.objects.published())
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    status = serializers.CharField(source="subscriber.status", read_only=True)
    email = serializers.EmailField(source="subscriber.email", read_only=True)

    class Meta:
        model = Subscription
        fields = ["id", "network", "language", "email", "status"]
        read_only_fields = ["id"]
