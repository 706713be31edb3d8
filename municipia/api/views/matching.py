"""Partner, mentor and expert suggestions with their reasons, and a network's graph figures.
Each checks who asks exactly as the pages do (matching/permissions.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.matching import (
    ExpertQuerySerializer,
    ExpertSuggestionSerializer,
    GraphFiguresSerializer,
    MentorQuerySerializer,
    MentorSuggestionSerializer,
    PartnerAnswerSerializer,
    PartnerQuerySerializer,
)
from municipia.cooperation.models import Project
from municipia.directory.models import Expertise
from municipia.directory.permissions import get_network_for_view
from municipia.knowledge.models import SdgGoal, Theme
from municipia.matching import graph
from municipia.matching.experts import find_experts
from municipia.matching.mentors import suggest_mentors
from municipia.matching.partners import suggest_partners
from municipia.matching.permissions import (
    get_city_for_suggestions,
    get_mentee_for_pairing,
    get_network_for_graph,
)


def _not_found(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


def _one(queryset, pk, field: str, message: str):
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise serializers.ValidationError({field: [message]})
    return found


class PartnerSuggestionView(APIView):
    """Local governments a city could work with, best first, each with its reasons and the
    experiences, projects and plan activities behind them (officers: their city; staff: their
    members' cities)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[PartnerQuerySerializer],
        responses={200: PartnerAnswerSerializer, 404: _not_found("No such city for you.")},
    )
    def get(self, request):
        params = PartnerQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        city = get_city_for_suggestions(request.user, data["city"])
        theme = _one(
            Theme.objects.filter(network__memberships__local_government=city).distinct(),
            data.get("theme"),
            "theme",
            _("No such theme in this city's networks."),
        )
        sdg = _one(SdgGoal.objects.all(), data.get("sdg"), "sdg", _("No such goal."))
        project = _one(
            Project.objects.visible_to(request.user),
            data.get("project"),
            "project",
            _("No such project."),
        )
        answer = suggest_partners(
            city, user=request.user, theme=theme, sdg=sdg, project=project, need=data["need"]
        )
        return Response(PartnerAnswerSerializer(answer, context={"request": request}).data)


class MentorSuggestionView(APIView):
    """Member cities that could mentor a new member (the network's staff)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[MentorQuerySerializer],
        responses={
            200: MentorSuggestionSerializer(many=True),
            404: _not_found("No such membership for you."),
        },
    )
    def get(self, request):
        params = MentorQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        mentee = get_mentee_for_pairing(request.user, params.validated_data["membership"])
        return Response(MentorSuggestionSerializer(suggest_mentors(mentee), many=True).data)


class ExpertSuggestionView(APIView):
    """People of a network's community of experts who consented, ranked for a question."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[ExpertQuerySerializer],
        responses={
            200: ExpertSuggestionSerializer(many=True),
            404: _not_found("No such network."),
        },
    )
    def get(self, request):
        params = ExpertQuerySerializer(
            data={
                **request.query_params.dict(),
                "expertise": request.query_params.getlist("expertise"),
                "language": request.query_params.getlist("language"),
            }
        )
        params.is_valid(raise_exception=True)
        data = params.validated_data
        network = get_network_for_view(request.user, data["network"])
        found = find_experts(
            network,
            user=request.user,
            query=data["q"],
            expertise=list(Expertise.objects.filter(slug__in=data["expertise"])),
            languages=data["language"],
        )
        return Response(
            ExpertSuggestionSerializer(found, many=True, context={"request": request}).data
        )


class GraphFiguresView(APIView):
    """The figures of a network's graph of cooperation (its staff)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            200: GraphFiguresSerializer,
            404: _not_found("No such network for you."),
        }
    )
    def get(self, request, slug):
        network = get_network_for_graph(request.user, slug)
        return Response(GraphFiguresSerializer(graph.network_figures(network)).data)
