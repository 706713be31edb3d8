"""The calls API: calls (public, drafts for their staff), applications (own, or staff) and
reviews (the requesting juror's own). Writes go through the same services as the pages."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.caching import ConditionalReadMixin
from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.calls import (
    ApplicationAnswersSerializer,
    ApplicationDraftSerializer,
    ApplicationSerializer,
    ApplicationStartSerializer,
    CallSerializer,
    ReviewSerializer,
    ScoresInputSerializer,
)
from municipia.calls.models import Application, Assignment, Call, Score
from municipia.calls.permissions import can_view_assignment
from municipia.calls.services import CallError
from municipia.calls.services.applications import (
    save_answers,
    start_application,
    submit_application,
    withdraw_application,
)
from municipia.calls.services.reviews import record_review
from municipia.directory.models import LocalGovernment, Organisation


def _refuse(error: CallError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class CallViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "status"]
    search_fields = ["slug"]
    ordering_fields = ["closes_at", "opens_at"]

    def get_queryset(self):
        return (
            Call.objects.visible_to(self.request.user)
            .select_related("network")
            .prefetch_related("form__fields", "criteria", "countries")
            .order_by("-closes_at")
        )

    def next_change(self):
        return Call.objects.next_opening_or_closing()


class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Applications of the requesting user's members, and those of the calls they staff."""

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "call__slug"]
    ordering_fields = ["code", "submitted_at"]

    def get_queryset(self):
        return (
            Application.objects.visible_to(self.request.user)
            .select_related("call", "local_government", "organisation")
            .order_by("call", "code")
        )

    @extend_schema(
        request=ApplicationStartSerializer,
        responses={
            201: ApplicationSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such call or member."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = ApplicationStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = (
            Call.objects.visible_to(request.user).filter(slug=data.validated_data["call"]).first()
        )
        if call is None:
            raise Http404
        member = {}
        if slug := data.validated_data.get("local_government"):
            member["local_government"] = get_object_or_404(LocalGovernment, slug=slug)
        else:
            member["organisation"] = get_object_or_404(
                Organisation, slug=data.validated_data["organisation"]
            )
        try:
            application = start_application(
                call,
                by=request.user,
                language=data.validated_data["language"],
                title=data.validated_data["title"],
                **member,
            )
        except CallError as error:
            _refuse(error)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplicationAnswersSerializer, responses=ApplicationDraftSerializer)
    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        data = ApplicationAnswersSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            found = save_answers(application, by=request.user, **data.validated_data)
        except CallError as error:
            _refuse(error)
        return Response({**self.get_serializer(application).data, "problems": found})

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return super().update(request, *args, **kwargs)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        try:
            submit_application(application, by=request.user)
        except CallError as error:
            _refuse(error)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        try:
            withdraw_application(application, by=request.user)
        except CallError as error:
            _refuse(error)
        return Response(self.get_serializer(application).data)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """The requesting juror's assignments and reviews; `scores` records them."""

    serializer_class = ReviewSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            Assignment.objects.for_user(self.request.user)
            .active()
            .filter(juror__is_active=True, application__call__status__in=["review", "closed"])
            .select_related("application__call__network", "juror", "review")
            .prefetch_related(
                "application__call__form__fields",
                Prefetch("review__scores", queryset=Score.objects.order_by("criterion_id")),
            )
            .order_by("pk")
        )

    def get_object(self):
        assignment = super().get_object()
        if not can_view_assignment(self.request.user, assignment):
            raise Http404
        return assignment

    @extend_schema(request=ScoresInputSerializer)
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        assignment = self.get_object()
        data = ScoresInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record_review(assignment, by=request.user, **data.validated_data)
        except CallError as error:
            _refuse(error)
        assignment = self.get_queryset().get(pk=assignment.pk)
        return Response(self.get_serializer(assignment).data)
