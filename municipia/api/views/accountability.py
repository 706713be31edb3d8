"""The books through the API: budget against actuals, manual entries and audits for the network's
staff (and superusers); the transparency page for anyone, as published. The same services and
permission checks as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from municipia.accountability import services, transparency
from municipia.accountability.ledger import year_accounts
from municipia.accountability.models import Account, Audit, ManualEntry
from municipia.accountability.permissions import (
    get_network_for_accounts,
    get_published_section,
    get_transparency_page,
)
from municipia.api.schema import ErrorSerializer
from municipia.api.serializers.accountability import (
    AuditSerializer,
    BudgetVersionInputSerializer,
    ManualEntrySerializer,
    TransparencyPageSerializer,
    TransparencySectionSerializer,
    YearAccountsSerializer,
)
from municipia.events.governance.models import Decision


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


def _network(request, slug):
    try:
        return get_network_for_accounts(request.user, slug)
    except DjangoPermissionDenied:
        raise PermissionDenied from None


def _year(value) -> int:
    if not 1990 <= int(value) <= 2200:
        raise NotFound
    return int(value)


class YearAccountsView(APIView):
    """A year's budget against its actuals, by account and month, with the projection."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={
            200: YearAccountsSerializer,
            404: _error("No such network, or it has no accounting currency yet."),
        }
    )
    def get(self, request, network, year):
        network = _network(request, network)
        accounts = year_accounts(network, _year(year))
        if accounts is None:
            raise NotFound
        return Response(YearAccountsSerializer(accounts).data)


class BudgetVersionView(APIView):
    """Approve or revise a year's budget with the decision that adopted it (a new version)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=BudgetVersionInputSerializer,
        responses={201: YearAccountsSerializer, 404: _error("No such network.")},
    )
    def post(self, request, network, year):
        network = _network(request, network)
        year = _year(year)
        data = BudgetVersionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        decision = Decision.objects.filter(pk=values["decision"]).first()
        accounts = {a.code: a for a in Account.objects.filter(network=network)}
        amounts = {}
        for line in values["lines"]:
            if line["account"] not in accounts:
                raise serializers.ValidationError(
                    {
                        "lines": [
                            _("No account “%(code)s” in this network.") % {"code": line["account"]}
                        ]
                    }
                )
            amounts[accounts[line["account"]]] = line["amount"]
        try:
            services.approve_budget(
                network,
                year,
                amounts=amounts,
                decision=decision,
                approved_on=values.get("approved_on"),
                note=values.get("note", ""),
                by=request.user,
            )
        except services.AccountabilityError as refused:
            raise serializers.ValidationError({"non_field_errors": [str(refused)]}) from refused
        return Response(
            YearAccountsSerializer(year_accounts(network, year)).data,
            status=status.HTTP_201_CREATED,
        )


class ManualEntryListView(APIView):
    """The network's manual entries, newest first."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Only entries of this year.")],
        responses={
            200: ManualEntrySerializer(many=True),
            404: _error("No such network."),
        },
    )
    def get(self, request, network):
        network = _network(request, network)
        rows = ManualEntry.objects.filter(network=network).select_related("account")
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise serializers.ValidationError({"year": [_("A year is a number.")]})
            rows = rows.filter(booked_on__year=int(year))
        return Response(ManualEntrySerializer(rows, many=True).data)


class AuditListView(APIView):
    """The network's audit engagements with their opinions and findings."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: AuditSerializer(many=True), 404: _error("No such network.")})
    def get(self, request, network):
        network = _network(request, network)
        rows = Audit.objects.filter(network=network).prefetch_related("findings")
        return Response(AuditSerializer(rows, many=True).data)


def _public_year(request):
    year = request.query_params.get("year")
    if not year:
        return None
    if not year.isdigit():
        raise serializers.ValidationError({"year": [_("A year is a number.")]})
    return _year(year)


class TransparencyPageView(APIView):
    """What a network publishes on its transparency page: every published section."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="transparency_page",
        parameters=[OpenApiParameter("year", int, description="Only what belongs to this year.")],
        responses={
            200: TransparencyPageSerializer,
            404: _error("No such network, or it publishes nothing."),
        },
    )
    def get(self, request, network):
        try:
            page = get_transparency_page(network)
        except Http404:
            raise NotFound from None
        year = _public_year(request)
        return Response(
            TransparencyPageSerializer(
                {
                    "network": page.network.slug,
                    "year": year,
                    "introduction": transparency.introduction(page),
                    "sections": transparency.published_tables(page, year=year, request=request),
                    "changes": transparency.change_history(page, year=year),
                }
            ).data
        )


class TransparencySectionView(APIView):
    """One published section of a network's transparency page."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="transparency_section",
        parameters=[OpenApiParameter("year", int, description="Only what belongs to this year.")],
        responses={
            200: TransparencySectionSerializer,
            404: _error("No such network or section, or the section is not published."),
        },
    )
    def get(self, request, network, section):
        try:
            page = get_published_section(network, section)
        except Http404:
            raise NotFound from None
        year = _public_year(request)
        table = transparency.section_table(page, section, year=year, request=request)
        return Response(TransparencySectionSerializer(table).data)
