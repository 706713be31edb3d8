"""Dues through the API: seen only by the staff of the network they belong to (and superusers).

Lists are filtered by `visible_to(user)`, so other networks' dues are simply absent (404 on detail);
recording a payment calls the same service as the staff pages.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from municipia.api.serializers.finance import (
    ArrearsSerializer,
    FeeScheduleSerializer,
    InvoiceDetailSerializer,
    InvoiceSerializer,
    PaymentInputSerializer,
    PaymentSerializer,
)
from municipia.directory.models import Network
from municipia.finance.forms import ArrearsFilterForm
from municipia.finance.models import FeeSchedule, Invoice, Payment
from municipia.finance.permissions import can_manage_dues
from municipia.finance.reports import arrears
from municipia.finance.services import FinanceError, record_payment


class FeeScheduleFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")

    class Meta:
        model = FeeSchedule
        fields = ["network", "year", "currency"]


class InvoiceFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__slug")

    class Meta:
        model = Invoice
        fields = ["network", "year", "status", "currency", "membership"]


class PaymentFilter(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="invoice__network__slug")
    invoice = django_filters.NumberFilter(field_name="invoice_id")

    class Meta:
        model = Payment
        fields = ["network", "invoice", "currency", "method"]


class FeeScheduleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FeeScheduleSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = FeeScheduleFilter
    ordering_fields = ["year"]

    def get_queryset(self):
        return (
            FeeSchedule.objects.visible_to(self.request.user)
            .select_related("network")
            .prefetch_related("bands")
            .order_by("network__name", "-year")
        )


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = InvoiceFilter
    search_fields = [
        "number",
        "membership__local_government__name",
        "membership__organisation__name",
    ]
    ordering_fields = ["year", "number", "due_on", "amount"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return InvoiceDetailSerializer
        if self.action == "payments":
            return PaymentInputSerializer
        return InvoiceSerializer

    def get_queryset(self):
        invoices = (
            Invoice.objects.visible_to(self.request.user)
            .select_related("network", "membership__local_government", "membership__organisation")
            .order_by("network_id", "-year", "sequence")
        )
        if self.action == "retrieve":
            invoices = invoices.prefetch_related("payments", "waivers", "plans__instalments")
        return invoices

    @extend_schema(request=PaymentInputSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Record a payment on this invoice (partial, or in another currency with its rate)."""
        invoice = self.get_object()
        if not can_manage_dues(request.user, invoice.network):
            raise PermissionDenied
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment = record_payment(invoice, by=request.user, **data.validated_data)
        except FinanceError as error:
            raise serializers.ValidationError({"detail": str(error)}) from error
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PaymentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = PaymentFilter
    ordering_fields = ["received_on", "amount_credited"]

    def get_queryset(self):
        return (
            Payment.objects.visible_to(self.request.user)
            .select_related("invoice")
            .order_by("-received_on", "-pk")
        )


ARREARS_PARAMETERS = [
    OpenApiParameter("network", str, required=True, description="The network's slug."),
    OpenApiParameter("on", str, description="As on this date (YYYY-MM-DD); today by default."),
    OpenApiParameter("year", int),
    OpenApiParameter("bucket", str, enum=["1-30", "31-90", "91-180", "181-365", "365+"]),
    OpenApiParameter("country", str, description="ISO 3166 code of the member's country."),
    OpenApiParameter("currency", str),
    OpenApiParameter("q", str, description="Part of the member's name or the invoice number."),
    OpenApiParameter("affecting_standing", bool),
]


class ArrearsViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who owes what since when in one network: open invoices past their due date."""

    serializer_class = ArrearsSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []

    def _params(self):
        if not hasattr(self, "_parsed"):
            network = get_object_or_404(Network, slug=self.request.query_params.get("network", ""))
            if not can_manage_dues(self.request.user, network):
                raise PermissionDenied
            form = ArrearsFilterForm(self.request.query_params)
            if not form.is_valid():
                raise serializers.ValidationError(form.errors)
            self._parsed = (network, form.cleaned_data)
        return self._parsed

    def get_queryset(self):
        network, data = self._params()
        return arrears(
            network,
            on=data["on"] or timezone.localdate(),
            year=data["year"],
            bucket=data["bucket"],
            country=data["country"],
            currency=data["currency"],
            search=data["q"],
            affecting_standing=data["affecting_standing"],
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.request is not None and self.request.user.is_authenticated:
            _network, data = self._params()
            context["on"] = data["on"] or timezone.localdate()
        return context

    @extend_schema(parameters=ARREARS_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
