"""Cooperation through the API: projects, partners and indicators as their pages show them (public
projects, plus those one's role lets one see); funds, income and commitments for the network's
staff only."""

import django_filters
from django.db.models import Prefetch
from rest_framework import permissions, viewsets

from municipia.api.serializers.cooperation import (
    CommitmentSerializer,
    FundSerializer,
    IncomeSerializer,
    PartnerSerializer,
    ProjectIndicatorSerializer,
    ProjectSerializer,
)
from municipia.cooperation.models import (
    Commitment,
    Fund,
    Income,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
)


class ProjectFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")
    country = django_filters.CharFilter(field_name="countries__code", distinct=True)
    sdg = django_filters.NumberFilter(field_name="sdg_targets__goal", distinct=True)
    priority = django_filters.BooleanFilter(
        method="filter_priority",
        label="Only projects in the geographic priority areas of their network's or partner "
        "cities' plans (true), or only those outside them (false).",
    )

    class Meta:
        model = Project
        fields = ["network", "status", "country", "sdg", "priority"]

    def filter_priority(self, queryset, name, value):
        in_priority = Project.objects.in_priority_areas().values("pk")
        if value:
            return queryset.filter(pk__in=in_priority)
        return queryset.exclude(pk__in=in_priority)


class FundViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FundSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Fund.objects.visible_to(self.request.user).select_related("network").order_by("pk")


class FundIncomeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IncomeSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["fund", "year", "kind", "currency"]

    def get_queryset(self):
        return Income.objects.visible_to(self.request.user).select_related("source").order_by("pk")


class FundCommitmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommitmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["fund", "year", "currency"]

    def get_queryset(self):
        return (
            Commitment.objects.visible_to(self.request.user)
            .select_related("project")
            .order_by("pk")
        )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Project.objects.visible_to(self.request.user)
            .select_related("network")
            .prefetch_related(
                "translations",
                "countries",
                "sdg_targets",
                Prefetch(
                    "partners",
                    Partner.objects.select_related("project", "local_government", "organisation"),
                ),
            )
            .order_by("pk")
        )


class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PartnerSerializer
    filterset_fields = ["role"]

    def get_queryset(self):
        return (
            Partner.objects.filter(project__in=Project.objects.visible_to(self.request.user))
            .select_related("project", "local_government", "organisation")
            .order_by("pk")
        )


class ProjectIndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectIndicatorSerializer

    def get_queryset(self):
        return (
            ProjectIndicator.objects.filter(
                project__in=Project.objects.visible_to(self.request.user)
            )
            .select_related("project")
            .prefetch_related(
                Prefetch("values", ProjectIndicatorValue.objects.order_by("measured_on"))
            )
            .order_by("pk")
        )
