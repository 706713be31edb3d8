import django_filters
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from municipia.api.caching import ConditionalReadMixin
from municipia.api.pagination import PageNumberPagination
from municipia.api.serializers.directory import (
    CountrySerializer,
    LocalGovernmentDetailSerializer,
    LocalGovernmentSerializer,
    MembershipApplicationSerializer,
    MembershipDecisionSerializer,
    MembershipSerializer,
    NetworkSerializer,
    OrganisationSerializer,
    PersonSerializer,
)
from municipia.directory import services
from municipia.directory.models import (
    Country,
    LocalGovernment,
    Membership,
    Network,
    Organisation,
    Person,
)
from municipia.directory.queries import IdPaginator, member_country_q, with_member_counts


class LongListPagination(PageNumberPagination):
    """Deep pages of long lists cost what the first does (see `IdPaginator`)."""

    django_paginator_class = IdPaginator


class CountryFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="UN M49 region code")

    class Meta:
        model = Country
        fields = ["region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(region=value) | Q(sub_region=value) | Q(intermediate_region=value))


class CountryViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "code"
    search_fields = ["code", "alpha3", "names"]
    ordering_fields = ["code"]


class LocalGovernmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Name in any language (prefix)")
    country = django_filters.CharFilter(field_name="country__code", lookup_expr="iexact")
    population_min = django_filters.NumberFilter(field_name="population", lookup_expr="gte")
    population_max = django_filters.NumberFilter(field_name="population", lookup_expr="lte")
    network = django_filters.CharFilter(method="filter_network", label="Active members of (slug)")

    class Meta:
        model = LocalGovernment
        fields = ["kind", "q", "country", "population_min", "population_max", "network"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_network(self, queryset, name, value):
        # The network is read first: as a nested subquery it would make SQLite scan every membership.
        network = Network.objects.visible_to(self.request.user).filter(slug=value).first()
        if network is None:
            return queryset.none()
        members = Membership.objects.filter(network=network, status=Membership.Status.ACTIVE)
        return queryset.filter(pk__in=members.values("local_government_id"))


class LocalGovernmentViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    """Places; `?q=` finds a name in any language or script (Ginebra, Genf, Женева)."""

    queryset = LocalGovernment.objects.select_related("country", "parent").order_by(
        "-population", "-pk"
    )
    filterset_class = LocalGovernmentFilter
    pagination_class = LongListPagination
    lookup_field = "slug"
    search_fields = []
    ordering_fields = ["name", "population"]

    def get_serializer_class(self):
        return (
            LocalGovernmentDetailSerializer
            if self.action == "retrieve"
            else LocalGovernmentSerializer
        )


class OrganisationViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Organisation.objects.select_related("country").order_by("name")
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    search_fields = ["name", "acronym"]
    ordering_fields = ["name"]


class PersonFilter(django_filters.FilterSet):
    expert_in = django_filters.CharFilter(
        method="filter_expert_in", label="Listed experts of (slug)"
    )
    expertise = django_filters.CharFilter(field_name="expertise__slug")

    class Meta:
        model = Person
        fields = ["expert_in", "expertise"]

    def filter_expert_in(self, queryset, name, value):
        network = Network.objects.visible_to(self.request.user).filter(slug=value).first()
        return queryset.experts_of(network) if network else queryset.none()


class PersonViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    """People in public office and listed experts; e-mail and telephone only with their consent."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_field = "slug"
    search_fields = ["full_name"]
    ordering_fields = ["full_name"]

    def get_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .with_contact_consent()
            .with_current_positions()
            .select_related("country")
            .prefetch_related("expertise")
            .order_by("full_name", "pk")
        )


class NetworkViewSet(ConditionalReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = NetworkSerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    search_fields = ["name", "acronym"]
    ordering_fields = ["name", "founded"]

    def get_queryset(self):
        return (
            Network.objects.visible_to(self.request.user).select_related("parent").order_by("name")
        )

    # Member counts come from the directory's cached figures, not an aggregate per request.
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_member_counts(page)

    def get_object(self):
        return with_member_counts([super().get_object()])[0]


class MembershipFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")
    country = django_filters.CharFilter(method="filter_country")

    class Meta:
        model = Membership
        fields = ["network", "status", "category", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(member_country_q("code", value.upper()))


class MembershipViewSet(
    ConditionalReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Memberships: anyone sees active members of published networks; a network's staff see all of
    theirs (applicants included) and a city's officers see their city's. `POST` applies for a city;
    the staff decide with the `approve`, `refuse`, `suspend`, `reinstate` and `end` actions."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    pagination_class = LongListPagination
    ordering_fields = ["joined_on", "pk"]

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        return (
            Membership.objects.visible_to(self.request.user)
            .select_related("network", "local_government__country", "organisation__country")
            .order_by("network_id", "pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["managed_network_ids"] = set(
            Network.objects.managed_by(self.request.user).values_list("pk", flat=True)
        )
        return context

    @extend_schema(request=MembershipApplicationSerializer, responses={201: MembershipSerializer})
    def create(self, request, *args, **kwargs):
        data = MembershipApplicationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = services.apply_for_membership(
                data.validated_data["network"],
                data.validated_data["local_government"],
                by=request.user,
                category=data.validated_data["category"],
                message=data.validated_data["message"],
            )
        except services.DirectoryError as error:
            raise serializers.ValidationError({"detail": str(error)}) from error
        body = self.get_serializer(membership).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _decide(self, request, decision):
        membership = self.get_object()
        data = MembershipDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = decision(membership, by=request.user, reason=data.validated_data["reason"])
        except services.DirectoryError as error:
            raise serializers.ValidationError({"detail": str(error)}) from error
        return Response(self.get_serializer(membership).data)

    @extend_schema(request=MembershipDecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, services.approve_membership)

    @extend_schema(request=MembershipDecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, services.refuse_membership)

    @extend_schema(request=MembershipDecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._decide(request, services.suspend_membership)

    @extend_schema(request=MembershipDecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._decide(request, services.reinstate_membership)

    @extend_schema(request=MembershipDecisionSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._decide(request, services.end_membership)
