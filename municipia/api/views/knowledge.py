from django.db.models import F
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from municipia.api.caching import CachedRowsListMixin, ConditionalReadMixin
from municipia.api.serializers.knowledge import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    ExperienceSerializer,
    ExperienceWriteSerializer,
    PublicationSerializer,
    ReturnSerializer,
    TranslationWriteSerializer,
)
from municipia.knowledge import services
from municipia.knowledge.models import Experience, Publication
from municipia.knowledge.permissions import can_edit_experience, can_review_experience

TEXT_FIELDS = ("title", "summary", "body", "results")
FACT_FIELDS = ("started_on", "ended_on", "budget", "currency", "funders", "contacts", "links")


def _refuse(error: services.ExperienceError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class ExperienceViewSet(
    ConditionalReadMixin,
    CachedRowsListMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Published experiences for everyone; drafts for their city's officers and reviewers."""

    serializer_class = ExperienceSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "original_language"]
    ordering_fields = ["published_at", "started_on"]
    # A row shows the experience, its texts and files (knowledge) and places and networks by slug.
    row_scopes = ("knowledge", "directory")

    def keeps_row(self, experience) -> bool:
        return experience.status == Experience.Status.PUBLISHED

    def get_queryset(self):
        return (
            Experience.objects.visible_to(self.request.user)
            .select_related("city__country")
            .prefetch_related(
                "translations", "partner_cities", "networks", "themes", "sdg_targets", "attachments"
            )
            # PostgreSQL puts NULLs first in a descending order, SQLite last: drafts (no date of
            # publication) come after the published on both.
            .order_by(F("published_at").desc(nulls_last=True), "-pk")
        )

    def _respond(self, experience, code=status.HTTP_200_OK):
        experience = self.get_queryset().get(pk=experience.pk)
        context = self.get_serializer_context()
        return Response(ExperienceSerializer(experience, context=context).data, status=code)

    @extend_schema(request=ExperienceWriteSerializer, responses={201: ExperienceSerializer})
    def create(self, request, *args, **kwargs):
        data = ExperienceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            experience = services.create_experience(
                city=values["city"],
                by=request.user,
                language=values["language"],
                text={name: values[name] for name in TEXT_FIELDS},
                networks=values["networks"],
                themes=values["themes"],
                sdg_targets=values["sdg_targets"],
                partner_cities=values["partner_cities"],
                **{name: values[name] for name in FACT_FIELDS},
            )
        except services.ExperienceError as error:
            _refuse(error)
        return self._respond(experience, status.HTTP_201_CREATED)

    @extend_schema(request=ExperienceWriteSerializer, responses=ExperienceSerializer)
    def update(self, request, *args, **kwargs):
        experience = self.get_object()
        if not can_edit_experience(request.user, experience):
            self.permission_denied(request)
        data = ExperienceWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        values = data.validated_data
        text = None
        if any(name in request.data for name in TEXT_FIELDS):
            current = experience.text(experience.original_language)
            text = {
                name: values.get(name, getattr(current, name, "") if current else "")
                for name in TEXT_FIELDS
            }
        relations = {
            name: values[name]
            for name in ("networks", "themes", "sdg_targets", "partner_cities")
            if name in request.data
        }
        facts = {name: values[name] for name in FACT_FIELDS if name in request.data}
        try:
            services.update_experience(experience, by=request.user, text=text, **relations, **facts)
        except services.ExperienceError as error:
            _refuse(error)
        return self._respond(experience)

    @extend_schema(request=ExperienceWriteSerializer, responses=ExperienceSerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        experience = self.get_object()
        if not can_edit_experience(request.user, experience):
            self.permission_denied(request)
        try:
            services.delete_experience(experience, by=request.user)
        except services.ExperienceError as error:
            _refuse(error)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=ExperienceSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        experience = self.get_object()
        if not can_edit_experience(request.user, experience):
            self.permission_denied(request)
        try:
            services.submit_experience(experience, by=request.user)
        except services.ExperienceError as error:
            _refuse(error)
        return self._respond(experience)

    @extend_schema(request=None, responses=ExperienceSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        experience = self.get_object()
        if not can_review_experience(request.user, experience):
            self.permission_denied(request)
        try:
            services.publish_experience(experience, by=request.user)
        except services.ExperienceError as error:
            _refuse(error)
        return self._respond(experience)

    @extend_schema(request=ReturnSerializer, responses=ExperienceSerializer)
    @action(detail=True, methods=["post"], url_path="return", serializer_class=ReturnSerializer)
    def return_to_authors(self, request, pk=None):
        experience = self.get_object()
        if not can_review_experience(request.user, experience):
            self.permission_denied(request)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.return_experience(
                experience, by=request.user, comment=data.validated_data["comment"]
            )
        except services.ExperienceError as error:
            _refuse(error)
        return Response(ExperienceSerializer(experience, context={"request": request}).data)

    @extend_schema(request=TranslationWriteSerializer, responses={201: ExperienceSerializer})
    @action(detail=True, methods=["post"], serializer_class=TranslationWriteSerializer)
    def translations(self, request, pk=None):
        experience = self.get_object()
        if not can_edit_experience(request.user, experience):
            self.permission_denied(request)
        data = TranslationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            services.add_translation(
                experience,
                by=request.user,
                language=values["language"],
                origin=values["origin"],
                text={name: values[name] for name in TEXT_FIELDS},
            )
        except services.ExperienceError as error:
            _refuse(error)
        return self._respond(experience, status.HTTP_201_CREATED)

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], serializer_class=AttachmentUploadSerializer)
    def attachments(self, request, pk=None):
        experience = self.get_object()
        if not can_edit_experience(request.user, experience):
            self.permission_denied(request)
        data = AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attachment = services.add_attachment(
                experience, data.validated_data["file"], by=request.user
            )
        except services.ExperienceError as error:
            _refuse(error)
        return Response(
            AttachmentSerializer(attachment, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class PublicationViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicationSerializer
    filterset_fields = ["kind", "year"]

    def get_queryset(self):
        return (
            Publication.objects.visible_to(self.request.user)
            .select_related("network")
            .prefetch_related("translations", "sdg_targets")
            .order_by("-year", "pk")
        )
