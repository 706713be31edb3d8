"""Missions through the API: public missions for everyone, with them the missions of the cities
one is an officer of and of the networks one staffs; costs only where they are public or for those
who manage the mission (read-only: missions are recorded on the site's pages)."""

import django_filters
from rest_framework import viewsets

from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.api.serializers.cooperation_missions import MissionSerializer
from municipia.cooperation.missions.models import Mission


class MissionFilter(django_filters.FilterSet):
    local_government = django_filters.CharFilter(field_name="local_government__slug")
    network = django_filters.CharFilter(field_name="network__slug")
    country = django_filters.CharFilter(
        field_name="destinations__country__code", distinct=True, label="country (ISO 3166 code)"
    )

    class Meta:
        model = Mission
        fields = ["direction", "year", "local_government", "network", "country"]


class MissionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MissionSerializer
    filterset_class = MissionFilter

    def get_queryset(self):
        return (
            Mission.objects.visible_to(self.request.user)
            .select_related("local_government", "network")
            .prefetch_related(
                "destinations",
                "projects",
                "delegation__person",
                "meetings__organisation",
                "meetings__local_government",
                "costs",
            )
            .order_by("-starts_at", "pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        everything = is_superuser(user)
        cities = local_government_ids_with_role(user, "city_officer")
        networks = network_ids_with_role(user, "network_staff")
        context["can_manage"] = lambda mission: (
            everything
            or (
                mission.local_government_id in cities
                if mission.local_government_id
                else mission.network_id in networks
            )
        )
        return context
