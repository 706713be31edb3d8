"""Personal data through the API: a person's own requests and copies of their data; the
secretariat's queue, its answers and erasure. The same services as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.serializers.privacy import (
    AnswerSerializer,
    ErasurePreviewSerializer,
    JobStartedSerializer,
    PrivacyRequestSerializer,
    StaffRequestSerializer,
)
from municipia.privacy import services
from municipia.privacy.models import DataExport, PrivacyRequest
from municipia.privacy.permissions import requests_for_staff


def _with_exports(queryset):
    return queryset.select_related("network").prefetch_related(
        Prefetch("exports", queryset=DataExport.objects.order_by("-created_at"))
    )


def _refuse(error: services.PrivacyError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class MyRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own requests about their personal data (access, rectification, erasure,
    objection), with their deadlines, answers and copies of their data."""

    serializer_class = PrivacyRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PrivacyRequest.objects.none()
        return _with_exports(PrivacyRequest.objects.filter(user=self.request.user))

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.submit_request(
                self.request.user,
                kind=data["kind"],
                details=data.get("details", ""),
                network=data.get("network"),
            )
        except services.PrivacyError as error:
            _refuse(error)


class MyExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={202: JobStartedSerializer})
    def post(self, request):
        """Start a copy of everything the platform holds about the caller (JSON and PDF); follow
        the job's progress, then download from the access request it is filed under."""
        job = services.start_export(request.user)
        return Response(
            {"job": job.pk, "progress_url": reverse("core:job-progress", args=[job.pk])},
            status=status.HTTP_202_ACCEPTED,
        )


class MyErasurePreviewView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ErasurePreviewSerializer})
    def get(self, request):
        """What erasing the caller's data would delete, anonymise or keep, why, and what stops it
        now."""
        return Response(services.erasure_preview(request.user).as_dict())


class StaffRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """The requests the caller's secretariat answers (all of them for a superuser), the earliest
    deadline first; `is_overdue` marks those past it."""

    serializer_class = StaffRequestSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PrivacyRequest.objects.none()
        found = _with_exports(requests_for_staff(self.request.user).select_related("user"))
        if self.request.query_params.get("status") == "open":
            found = found.pending()
        return found

    @extend_schema(
        request=AnswerSerializer,
        responses={200: StaffRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Record the answer the person reads, and whether the request was done or refused."""
        item = self.get_object()
        incoming = AnswerSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.answer_request(item, by=request.user, **incoming.validated_data)
        except services.PrivacyError as error:
            _refuse(error)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(responses={200: ErasurePreviewSerializer})
    @action(detail=True, url_path="erasure-preview")
    def erasure_preview(self, request, pk=None):
        """What erasing the requester's data would do, and what stops it now."""
        item = self.get_object()
        return Response(services.erasure_preview(item.user).as_dict())

    @extend_schema(request=None, responses={200: StaffRequestSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Carry out an open erasure request; refused with the reasons while something blocks it."""
        item = self.get_object()
        try:
            services.carry_out_erasure(item, by=request.user)
        except services.PrivacyError as error:
            _refuse(error)
        except DjangoPermissionDenied:
            raise NotFound from None
        return Response(self.get_serializer(self.get_object()).data)
