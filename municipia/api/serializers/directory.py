from rest_framework import serializers

from municipia.directory.models import Country, LocalGovernment, Network


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Country
        fields = ["code", "name", "names"]


class LocalGovernmentSerializer(serializers.ModelSerializer):
    country = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LocalGovernment
        fields = ["id", "slug", "name", "kind", "country", "population", "latitude", "longitude"]


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
            "founded",
            "website",
            "description",
            "member_count",
        ]
