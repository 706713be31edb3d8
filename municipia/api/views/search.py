from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.serializers.search import (
    SearchPageSerializer,
    SearchQuerySerializer,
    SuggestionInputSerializer,
    SuggestionSerializer,
)
from municipia.core import pagecache
from municipia.knowledge.models import SdgTarget
from municipia.search import services
from municipia.search.suggest import suggest_goals, targets_of

FACET_PARAMETERS = [
    OpenApiParameter(name, str, many=True, description=f"filter on the {name} facet")
    for name in services.FACETS
]


class SearchView(APIView):
    """Search published experiences, publications, public projects, funding opportunities, news
    and activities of public plans in any language, with the page's facets (`kind` of a result:
    experience, publication, project, opportunity, newspost or activity)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[SearchQuerySerializer, *FACET_PARAMETERS],
        responses={200: SearchPageSerializer},
    )
    def get(self, request):
        # Anonymous JSON answers are kept like public pages (the same query asked again, a link).
        key = None
        if isinstance(request.accepted_renderer, JSONRenderer) and pagecache.serves_from_cache(
            request._request
        ):
            variant = f"{request.accepted_renderer.format}:{request.accepted_media_type}"
            key = pagecache.page_key(request._request, variant=variant)
            entry = pagecache.kept(key)
            if entry is not None:
                return pagecache.from_entry(entry, request._request)
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        # e5's embedding of the query, most of a search's time, starts before anything else.
        services.prepare(params.validated_data["q"])
        page = services.search(
            params.validated_data["q"],
            user=request.user,
            filters=services.parse_filters(request.query_params),
            page=params.validated_data["page"],
            per_page=params.validated_data["page_size"],
            cut=params.validated_data.get("cut"),
            brief=True,  # a result here is its title, snippet and address
        )
        response = Response(SearchPageSerializer(page, context={"request": request}).data)
        if key is not None:
            response.add_post_render_callback(
                lambda rendered: pagecache.keep(request._request, rendered, key)
            )
        return response


class SdgSuggestionView(APIView):
    """SDG targets that fit a text, ranked, with a confidence (for people who write experiences)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=SuggestionInputSerializer, responses={200: SuggestionSerializer(many=True)}
    )
    def post(self, request):
        data = SuggestionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        goals = suggest_goals(data.validated_data["text"], limit=3, language=get_language())
        reasons = {g.goal: g for g in goals}
        suggestions = targets_of(goals, data.validated_data["limit"])
        targets = SdgTarget.objects.select_related("goal").in_bulk(
            [s.code for s in suggestions], field_name="code"
        )
        return Response(
            [
                {
                    "code": s.code,
                    "goal": targets[s.code].goal_id,
                    "colour": targets[s.code].goal.colour,
                    "title": targets[s.code].title,
                    "confidence": round(s.confidence, 3),
                    "score": round(s.score, 4),
                    "keywords": list(reasons[s.goal].keywords),
                    "description": reasons[s.goal].description,
                }
                for s in suggestions
                if s.code in targets
            ]
        )
