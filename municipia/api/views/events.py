"""Events through the API: events and sessions as their pages show them; registrations (one's
own, one's city's delegation, and for those who run an event all of its); registering, cancelling
and checking in through the same services as the pages."""

import django_filters
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.events import (
    AttendanceSerializer,
    CertificateSerializer,
    CheckInSerializer,
    EventSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    SessionSerializer,
)
from municipia.directory.models import LocalGovernment
from municipia.events.certificates import certificate_code, issue_certificate
from municipia.events.models import Event, Registration, Session, Speaker
from municipia.events.permissions import (
    can_manage_event,
    can_manage_registration,
    member_city_ids,
)
from municipia.events.services import (
    AnswersRefused,
    EventError,
    cancel_registration,
    check_in,
    register,
)
from municipia.knowledge.models import Experience


def _refuse(error: EventError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class EventFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")
    language = django_filters.CharFilter(method="filter_language")

    class Meta:
        model = Event
        fields = ["network", "kind", "status", "language"]

    def filter_language(self, queryset, name, value):
        return queryset.filter(working_languages__icontains=f'"{value}"')


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .select_related("network", "local_government", "host_city")
            .prefetch_related("translations")
            .order_by("starts_at", "pk")
        )

    def get_serializer_context(self):
        user = self.request.user
        allowed = set()
        if user.is_authenticated:
            allowed = set(
                Registration.objects.filter(
                    user=user, status=Registration.Status.CONFIRMED
                ).values_list("event_id", flat=True)
            ) | set(Event.objects.managed_by(user).values_list("pk", flat=True))
        return {**super().get_serializer_context(), "online_event_ids": allowed}


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SessionSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        sessions = Session.objects.filter(event__in=Event.objects.visible_to(self.request.user))
        if slug := self.request.query_params.get("event"):
            sessions = sessions.filter(event__slug=slug)
        return (
            sessions.select_related("event", "room", "host_city")
            .prefetch_related(
                Prefetch("speakers", Speaker.objects.select_related("person")),
                # Only published experiences: a draft's existence is its city's to tell.
                Prefetch("experiences", Experience.objects.published().only("pk")),
            )
            .order_by("starts_at", "pk")
        )


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """One's own registrations, one's city's delegation, and all of an event one runs."""

    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status", "category"]

    def get_queryset(self):
        registrations = Registration.objects.visible_to(self.request.user)
        if slug := self.request.query_params.get("event"):
            registrations = registrations.filter(event__slug=slug)
        return registrations.select_related("event", "local_government", "invoice").order_by(
            "event", "full_name", "pk"
        )

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={
            201: RegistrationSerializer,
            404: OpenApiResponse(
                ErrorSerializer, description="No such event or city for this user."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        user = request.user
        event = Event.objects.visible_to(user).filter(slug=data["event"]).first()
        if event is None:
            raise Http404
        city = None
        if slug := data.get("local_government"):
            city = get_object_or_404(LocalGovernment, slug=slug)
            if city.pk not in member_city_ids(user, event):
                raise serializers.ValidationError(
                    {
                        "local_government": _(
                            "You may register people only for a member city you are an officer of."
                        )
                    }
                )
        delegate = bool(data.get("full_name"))
        if delegate and city is None:
            raise serializers.ValidationError(
                {"local_government": _("Say which of your cities the delegate comes for.")}
            )
        if data["category"] in (
            Registration.Category.SPEAKER,
            Registration.Category.STAFF,
        ) and not (can_manage_event(user, event)):
            raise serializers.ValidationError(
                {"category": _("Only the organisers register speakers and staff.")}
            )
        try:
            registration = register(
                event,
                by=user,
                user=None if delegate else user,
                full_name=data["full_name"] if delegate else user.get_full_name(),
                email=data["email"] if delegate else user.email,
                language=data.get("language") or user.language,
                category=data["category"],
                local_government=city,
                answers=data.get("answers"),
            )
        except AnswersRefused as refused:
            raise serializers.ValidationError({"answers": refused.problems}) from refused
        except EventError as error:
            _refuse(error)
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = self.get_object()
        if not can_manage_registration(request.user, registration):
            raise Http404
        try:
            registration = cancel_registration(registration, by=request.user)
        except EventError as error:
            _refuse(error)
        return Response(self.get_serializer(registration).data)

    @extend_schema(
        request=None,
        responses={
            201: CertificateSerializer,
            400: OpenApiResponse(ErrorSerializer, description="No recorded attendance."),
        },
    )
    @action(detail=True, methods=["post"])
    def certificate(self, request, pk=None):
        """Issue the participant's certificate of attendance (those who run the event; once)."""
        registration = self.get_object()
        if not can_manage_event(request.user, registration.event):
            raise Http404
        try:
            certificate = issue_certificate(registration, by=request.user)
        except EventError as error:
            _refuse(error)
        code = certificate_code(certificate)
        return Response(
            CertificateSerializer(
                {
                    "registration": registration.pk,
                    "hours": certificate.hours,
                    "language": certificate.language,
                    "issued_at": certificate.issued_at,
                    "code": code.shown,
                    "verify_url": code.public_url(),
                    "pdf_url": reverse("events:certificate-download", args=[registration.pk]),
                }
            ).data,
            status=status.HTTP_201_CREATED,
        )


class CheckInView(APIView):
    """Check a participant in by the code on their badge, at the door or at a session."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=CheckInSerializer,
        responses={
            201: OpenApiResponse(AttendanceSerializer, description="Checked in now."),
            200: OpenApiResponse(AttendanceSerializer, description="Already checked in."),
            404: OpenApiResponse(
                ErrorSerializer, description="No such badge at an event this user runs."
            ),
        },
    )
    def post(self, request):
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = (
            Registration.objects.select_related(
                "event__network", "event__local_government", "local_government"
            )
            .filter(token=data.validated_data["token"])
            .first()
        )
        if registration is None or not can_manage_event(request.user, registration.event):
            raise Http404
        session = None
        if pk := data.validated_data.get("session"):
            session = get_object_or_404(Session, pk=pk, event=registration.event)
        try:
            _attendance, new = check_in(registration, by=request.user, session=session)
        except EventError as error:
            _refuse(error)
        registration.refresh_from_db(fields=["checked_in_at"])
        return Response(
            AttendanceSerializer(
                {
                    "registration": registration,
                    "session": session.pk if session else None,
                    "new": new,
                }
            ).data,
            status=status.HTTP_201_CREATED if new else status.HTTP_200_OK,
        )
