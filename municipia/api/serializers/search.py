from rest_framework import serializers

from municipia.search.services import FACETS, MAX_CUT


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, trim_whitespace=False
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)
    cut = serializers.FloatField(
        required=False,
        min_value=-MAX_CUT,
        max_value=MAX_CUT,
        help_text="on a page after the first: the `cut` the first page answered, so that this "
        "page's results are judged relevant or less related by the same score",
    )


class SearchResultSerializer(serializers.Serializer):
    key = serializers.CharField(source="hit.key")
    kind = serializers.CharField()
    id = serializers.IntegerField(source="obj.pk")
    language = serializers.CharField(source="hit.language")
    title = serializers.CharField(source="text.title")
    snippet = serializers.CharField(source="hit.snippet")
    score = serializers.FloatField(source="hit.score")
    relevant = serializers.BooleanField(
        help_text="among the relevant results: the first results of the list, whose scores "
        "reach the cut; the others are less related (always false when browsing)"
    )
    url = serializers.SerializerMethodField()

    def get_url(self, result) -> str:
        request = self.context.get("request")
        url = result.obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url

    # The declared fields give the schema; a page's twenty results and their facets' values are
    # written directly (3 ms through each field's machinery, a tenth of that so).
    def to_representation(self, result):
        text = result.text
        return {
            "key": result.hit.key,
            "kind": result.kind,
            "id": result.obj.pk,
            "language": result.hit.language,
            "title": text.title if text else "",
            "snippet": result.hit.snippet,
            "score": result.hit.score,
            "relevant": result.relevant,
            "url": self.get_url(result),
        }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()

    def to_representation(self, facet):
        return {"value": facet.value, "label": str(facet.label), "count": facet.count}


# Every facet is always there, an empty list where no result has a value for it.
SearchFacetsSerializer = type(
    "SearchFacetsSerializer",
    (serializers.Serializer,),
    {name: FacetValueSerializer(many=True) for name in FACETS},
)


class SearchPageSerializer(serializers.Serializer):
    """One page of results, and the facets (values with their counts) of all the results."""

    query = serializers.CharField()
    total = serializers.IntegerField()
    relevant = serializers.IntegerField(
        source="relevant_total",
        allow_null=True,
        help_text="how many results of the whole list are relevant; null when browsing, and "
        "while the relevant results go on past this page",
    )
    less_related = serializers.IntegerField(
        allow_null=True, help_text="how many results of the whole list are less related"
    )
    cut = serializers.FloatField(
        allow_null=True,
        help_text="the score a result must reach to be relevant (from the first page's scores: "
        "their mean plus 0.9 standard deviations); give it back as `cut` when asking for a later "
        "page (null when browsing or when nothing is found)",
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = SearchResultSerializer(many=True)
    facets = SearchFacetsSerializer()


class SuggestionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    limit = serializers.IntegerField(min_value=1, max_value=20, default=5)


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    goal = serializers.IntegerField()
    colour = serializers.CharField()
    title = serializers.CharField()
    confidence = serializers.FloatField(help_text="how well the target's goal fits, 0 to 1")
    score = serializers.FloatField()
    keywords = serializers.ListField(
        child=serializers.CharField(), help_text="words of the text that point to the goal"
    )
    description = serializers.CharField(help_text="what the goal covers, closest to the text")
