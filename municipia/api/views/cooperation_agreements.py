"""Agreements through the API: read as their pages show them (public agreements in force, plus
those one's role lets one see); written by the recording network's staff and the officers of a
party city, through the same services as the pages (the same checks, the same refusals)."""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.serializers.cooperation_agreements import (
    AgreementSerializer,
    AgreementStatusInputSerializer,
    AgreementWriteSerializer,
)
from municipia.cooperation.agreements import services
from municipia.cooperation.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
)
from municipia.cooperation.agreements.permissions import author_networks, can_manage_agreement
from municipia.cooperation.models import Project
from municipia.cooperation.services import CooperationError
from municipia.directory.models import LocalGovernment, Organisation, Person
from municipia.plans.models import Activity, Plan


class AgreementFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")
    country = django_filters.CharFilter(method="filter_country")
    # Bounded like the list page's form: an absurd year is a 400, not a date the database refuses.
    year = django_filters.NumberFilter(
        field_name="signed_on__year", min_value=1900, max_value=2200, decimal_places=0
    )

    class Meta:
        model = Agreement
        fields = ["kind", "status", "network", "country", "year"]

    def filter_country(self, queryset, name, value):
        code = (value or "").upper()
        parties = AgreementParty.objects.filter(local_government__country__code=code).values(
            "agreement_id"
        )
        organisations = AgreementParty.objects.filter(organisation__country__code=code).values(
            "agreement_id"
        )
        return queryset.filter(pk__in=parties) | queryset.filter(pk__in=organisations)


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except CooperationError as error:
        raise serializers.ValidationError({"detail": str(error)}) from error


def _by_slug(model, slugs, field: str, queryset=None):
    slugs = list(dict.fromkeys(slugs))
    found = {o.slug: o for o in (queryset or model.objects).filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise serializers.ValidationError({field: f"not found: {', '.join(missing)}"})
    return found


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    lookup_field = "slug"
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self):
        user = self.request.user
        return (
            Agreement.objects.visible_to(user)
            .select_related("network")
            .prefetch_related(
                Prefetch(
                    "parties",
                    AgreementParty.objects.select_related(
                        "local_government__country", "organisation__country"
                    ),
                ),
                Prefetch("signatories", AgreementSignatory.objects.select_related("person")),
                Prefetch(
                    "projects",
                    Project.objects.visible_to(user).only("id", "slug"),
                    to_attr="visible_projects",
                ),
                Prefetch(
                    "activities",
                    Activity.objects.filter(objective__plan__in=Plan.objects.visible_to(user)),
                    to_attr="visible_activities",
                ),
            )
            .order_by("-signed_on", "reference")
        )

    def _inputs(self, data: dict) -> dict:
        """The parties, signatories, projects and activities named in `data`, found."""
        user = self.request.user
        found = {}
        if "parties" in data:
            cities = _by_slug(
                LocalGovernment,
                [p["local_government"] for p in data["parties"] if p.get("local_government")],
                "parties",
            )
            organisations = _by_slug(
                Organisation,
                [p["organisation"] for p in data["parties"] if p.get("organisation")],
                "parties",
            )
            found["parties"] = [
                cities[p["local_government"]]
                if p.get("local_government")
                else organisations[p["organisation"]]
                for p in data["parties"]
            ]
        if "signatories" in data:
            people = _by_slug(
                Person,
                [s["person"] for s in data["signatories"]],
                "signatories",
                Person.objects.visible_to(user),
            )
            found["signatories"] = [
                (people[s["person"]], s.get("capacity", ""), None) for s in data["signatories"]
            ]
        if "projects" in data:
            projects = _by_slug(
                Project, data["projects"], "projects", Project.objects.visible_to(user)
            )
            found["projects"] = list(projects.values())
        if "activities" in data:
            activities = list(
                Activity.objects.filter(
                    pk__in=data["activities"], objective__plan__in=Plan.objects.visible_to(user)
                )
            )
            if len(activities) != len(set(data["activities"])):
                raise serializers.ValidationError({"activities": "not found"})
            found["activities"] = activities
        return found

    def _values(self, data: dict, agreement: Agreement | None = None) -> dict:
        values = {}
        for field in services.FIELDS:
            if field in data:
                values[field] = data[field] if data[field] is not None else None
            elif agreement is not None:
                values[field] = getattr(agreement, field)
        for field in ("summary", "language"):
            values[field] = values.get(field) or ""
        return values

    def _read(self, agreement: Agreement, code=status.HTTP_200_OK) -> Response:
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(AgreementSerializer(agreement).data, status=code)

    @extend_schema(request=AgreementWriteSerializer, responses={201: AgreementSerializer})
    def create(self, request):
        data = AgreementWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        network = author_networks(request.user).filter(slug=data["network"]).first()
        if network is None:
            raise PermissionDenied
        inputs = self._inputs(data)
        agreement = _call(
            services.save_agreement,
            network,
            by=request.user,
            values=self._values(data),
            parties=inputs["parties"],
            signatories=inputs.get("signatories", ()),
            projects=inputs.get("projects"),
            activities=inputs.get("activities"),
            status=data.get("status") or Agreement.Status.DRAFT,
        )
        return self._read(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=AgreementWriteSerializer, responses=AgreementSerializer)
    def partial_update(self, request, slug=None):
        agreement = self.get_object()
        if not can_manage_agreement(request.user, agreement):
            raise PermissionDenied
        data = AgreementWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        data = data.validated_data
        inputs = self._inputs(data)
        parties = inputs.get("parties") or [p.party for p in agreement.parties.all()]
        signatories = inputs.get("signatories")
        if signatories is None:
            signatories = [
                (s.person, s.capacity, s.party.party if s.party else None)
                for s in agreement.signatories.all()
            ]
        agreement = _call(
            services.save_agreement,
            agreement.network,
            by=request.user,
            values=self._values(data, agreement),
            parties=parties,
            signatories=signatories,
            projects=inputs.get("projects"),
            activities=inputs.get("activities"),
            agreement=agreement,
        )
        return self._read(agreement)

    @extend_schema(request=AgreementStatusInputSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, slug=None):
        agreement = self.get_object()
        if not can_manage_agreement(request.user, agreement):
            raise PermissionDenied
        data = AgreementStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = _call(
            services.change_agreement_status, agreement, by=request.user, **data.validated_data
        )
        return self._read(agreement)
