"""Funding opportunities through the API: everyone reads the published ones (open and closed,
`status` filter), a network's staff also their unpublished ones, and write their network's."""

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from municipia.accounts.permissions import can_manage_network
from municipia.api.permissions import ReadOnlyOrNetworkStaff
from municipia.api.serializers.cooperation_opportunities import (
    OpportunitySerializer,
    OpportunityWriteSerializer,
)
from municipia.cooperation.opportunities import services
from municipia.cooperation.opportunities.models import Opportunity
from municipia.cooperation.services import CooperationError
from municipia.knowledge.models import SdgTarget

WRITABLE = (*services.FIELDS, *services.RELATIONS)


class OpportunityFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")
    funder = django_filters.CharFilter(field_name="funder__slug")
    theme = django_filters.NumberFilter(field_name="themes", distinct=True)
    sdg = django_filters.NumberFilter(field_name="sdg_targets__goal", distinct=True)
    country = django_filters.CharFilter(field_name="countries__code", distinct=True)
    status = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("closed", "closed")], method="filter_status"
    )
    deadline_before = django_filters.IsoDateTimeFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = Opportunity
        fields = ["network", "funder", "theme", "sdg", "country", "status", "deadline_before"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        return (
            queryset.filter(deadline__gt=now)
            if value == "open"
            else queryset.filter(deadline__lte=now)
        )


def _refuse(error: CooperationError):
    raise serializers.ValidationError({"detail": str(error)}) from error


class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OpportunitySerializer
    permission_classes = [ReadOnlyOrNetworkStaff]
    filterset_class = OpportunityFilter
    lookup_field = "slug"

    def get_queryset(self):
        return (
            Opportunity.objects.visible_to(self.request.user)
            .select_related("network", "funder")
            .prefetch_related(
                "translations",
                "countries",
                "themes",
                Prefetch("sdg_targets", SdgTarget.objects.only("pk", "code")),
            )
            .order_by("deadline", "pk")
        )

    def _respond(self, opportunity, code=status.HTTP_200_OK):
        opportunity = self.get_queryset().get(pk=opportunity.pk)
        data = OpportunitySerializer(opportunity, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @extend_schema(request=OpportunityWriteSerializer, responses={201: OpportunitySerializer})
    def create(self, request, *args, **kwargs):
        data = OpportunityWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        network = values.pop("network")
        if not can_manage_network(request.user, network):
            self.permission_denied(request)
        try:
            opportunity = services.create_opportunity(network, by=request.user, **values)
        except CooperationError as error:
            _refuse(error)
        return self._respond(opportunity, status.HTTP_201_CREATED)

    @extend_schema(request=OpportunityWriteSerializer, responses=OpportunitySerializer)
    def update(self, request, *args, **kwargs):
        opportunity = self.get_object()  # the object permission: the network's staff
        data = OpportunityWriteSerializer(
            opportunity, data=request.data, partial=kwargs.get("partial", False)
        )
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k in request.data}
        values.pop("network", None)  # an opportunity stays with its network
        values.pop("language", None)  # the original text keeps its language
        text = {k: values.pop(k) for k in ("title", "summary") if k in values}
        try:
            services.update_opportunity(
                opportunity,
                by=request.user,
                **text,
                **{k: v for k, v in values.items() if k in WRITABLE},
            )
        except CooperationError as error:
            _refuse(error)
        return self._respond(opportunity)

    @extend_schema(request=OpportunityWriteSerializer, responses=OpportunitySerializer)
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        opportunity = self.get_object()
        services.delete_opportunity(opportunity, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
