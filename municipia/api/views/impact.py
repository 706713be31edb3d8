"""Impact evaluation through the API: rubrics and rounds of one's networks, one's own assessments
(start, score, submit), and the public profile of a published experience. The same services as
the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.impact import (
    ImpactAssessmentSerializer,
    ImpactProfileSerializer,
    ImpactRoundSerializer,
    ImpactRubricSerializer,
    ImpactScoresSerializer,
    ImpactStartAssessmentSerializer,
)
from municipia.knowledge.models import Experience
from municipia.surveys.impact import services
from municipia.surveys.impact.models import Criterion, Round, Score
from municipia.surveys.impact.permissions import own_assessments, visible_rubrics
from municipia.surveys.impact.profiles import profile
from municipia.surveys.impact.visibility import can_see_profile


def _refuse(error: services.ImpactError):
    detail = {"detail": str(error)}
    if isinstance(error, services.ScoresRefused):
        detail["scores"] = error.errors
    raise serializers.ValidationError(detail) from error


class RubricViewSet(viewsets.ReadOnlyModelViewSet):
    """Rubrics of the networks one works for or one's city is a member of, with their criteria."""

    serializer_class = ImpactRubricSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        ids = visible_rubrics(self.request.user).values("pk")
        return (
            visible_rubrics(self.request.user)
            .model.objects.filter(pk__in=ids)
            .select_related("network")
            .prefetch_related(Prefetch("criteria", Criterion.objects.prefetch_related("levels")))
            .order_by("network_id", "-number")
        )


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Rounds of those rubrics."""

    serializer_class = ImpactRoundSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        rubrics = visible_rubrics(self.request.user).values("pk")
        return Round.objects.filter(rubric__in=rubrics).order_by("-created_at")


class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """One's own assessments: a city officer's self-assessments, an assessor's external ones."""

    serializer_class = ImpactAssessmentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        ids = own_assessments(self.request.user).values("pk")
        return (
            own_assessments(self.request.user)
            .model.objects.filter(pk__in=ids)
            .prefetch_related(Prefetch("scores", Score.objects.select_related("criterion")))
            .order_by("-created_at")
        )

    @extend_schema(
        request=ImpactStartAssessmentSerializer,
        responses={
            201: ImpactAssessmentSerializer,
            404: OpenApiResponse(ErrorSerializer, description=_("No such round or experience.")),
        },
    )
    def create(self, request):
        """Start (or find again) one's draft for an experience in a round."""
        data = ImpactStartAssessmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = get_object_or_404(Round, pk=data.validated_data["round"])
        experience = get_object_or_404(Experience, pk=data.validated_data["experience"])
        try:
            assessment = services.start_assessment(
                round_, experience, data.validated_data["kind"], by=request.user
            )
        except services.ImpactError as error:
            _refuse(error)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ImpactScoresSerializer, responses={200: ImpactAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Keep the levels chosen; with `submit`, the assessment is complete and final."""
        assessment = self.get_object()
        data = ImpactScoresSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.save_assessment(
                assessment,
                data.validated_data["scores"],
                comment=data.validated_data.get("comment"),
                submit=data.validated_data["submit"],
                by=request.user,
            )
        except services.ImpactError as error:
            _refuse(error)
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)


class ProfileView(APIView):
    """The aggregated impact profile of an experience: public once it is published and has enough
    assessments; its city and its network's staff see it earlier."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            200: ImpactProfileSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description=_("No such experience, or its profile is not shown.")
            ),
        }
    )
    def get(self, request, pk):
        experience = get_object_or_404(Experience.objects.select_related("city"), pk=pk)
        found = profile(experience)
        if not can_see_profile(request.user, experience, found):
            raise Http404
        codes = {c.pk: c.code for c in found.criteria}
        return Response(
            ImpactProfileSerializer(
                {
                    "experience": experience.pk,
                    "rubric": found.rubric.pk,
                    "assessments": found.assessments,
                    "shown": True,
                    "series": [
                        {
                            "kind": s.kind,
                            "phase": s.phase,
                            "count": s.count,
                            "means": {codes[c]: m for c, m in s.means.items()},
                        }
                        for s in found.series
                    ],
                }
            ).data
        )
