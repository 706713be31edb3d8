from django.db.models import Count, Q
from rest_framework import viewsets

from municipia.api.serializers.directory import (
    CountrySerializer,
    LocalGovernmentSerializer,
    NetworkSerializer,
)
from municipia.directory.models import Country, LocalGovernment, Membership, Network


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    lookup_field = "code"
    search_fields = ["code", "names"]
    ordering_fields = ["code"]


class LocalGovernmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = LocalGovernment.objects.select_related("country")
    serializer_class = LocalGovernmentSerializer
    lookup_field = "slug"
    filterset_fields = ["kind", "country__code"]
    search_fields = ["name"]
    ordering_fields = ["name", "population"]


class NetworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NetworkSerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    search_fields = ["name", "acronym"]
    ordering_fields = ["name", "founded"]

    def get_queryset(self):
        active = Q(memberships__status=Membership.Status.ACTIVE)
        return (
            Network.objects.filter(is_published=True)
            .select_related("parent")
            .annotate(member_count=Count("memberships", filter=active))
            .order_by("name")
        )
