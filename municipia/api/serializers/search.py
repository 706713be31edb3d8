from rest_framework import serializers


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, trim_whitespace=False
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class SearchResultSerializer(serializers.Serializer):
    key = serializers.CharField(source="hit.key")
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    language = serializers.CharField(source="hit.language")
    title = serializers.CharField(source="text.title")
    snippet = serializers.CharField(source="hit.snippet")
    score = serializers.FloatField(source="hit.score")
    url = serializers.SerializerMethodField()

    def get_url(self, result) -> str:
        request = self.context.get("request")
        url = result.obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SuggestionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5)


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    goal = serializers.IntegerField()
    colour = serializers.CharField()
    title = serializers.CharField()
    confidence = serializers.FloatField()
    score = serializers.FloatField()
