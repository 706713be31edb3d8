"""Reads shared by the pages, the exports and the API: member lists and a network's figures."""

from collections import Counter

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from municipia.directory.models import (
    Country,
    LocalGovernment,
    Membership,
    Network,
    region_name,
)

MEMBER_HEADERS = [
    "member",
    "kind",
    "country",
    "region",
    "category",
    "status",
    "joined_on",
    "left_on",
]


def member_country_q(lookup: str, value) -> Q:
    return Q(**{f"local_government__country__{lookup}": value}) | Q(
        **{f"organisation__country__{lookup}": value}
    )


def filter_members(
    memberships: QuerySet[Membership],
    *,
    q: str = "",
    country: str = "",
    region: str = "",
    category: str = "",
    status: str = "",
) -> QuerySet[Membership]:
    if q:
        memberships = memberships.filter(
            Q(local_government__in=LocalGovernment.objects.search(q).values("pk"))
            | Q(organisation__name__icontains=q)
            | Q(organisation__acronym__iexact=q)
        )
    if country:
        memberships = memberships.filter(member_country_q("code", country.upper()))
    if region:
        memberships = memberships.filter(
            member_country_q("region", region)
            | member_country_q("sub_region", region)
            | member_country_q("intermediate_region", region)
        )
    if category:
        memberships = memberships.filter(category=category)
    if status:
        memberships = memberships.filter(status=status)
    return memberships


def member_rows(network: Network, **filters) -> QuerySet[Membership]:
    """A network's members with what a list shows, ordered by name, in one query."""
    return (
        filter_members(network.memberships.all(), **filters)
        .select_related("local_government__country", "organisation__country")
        .annotate(sort_name=Coalesce("local_government__name", "organisation__name"))
        .order_by("sort_name", "pk")
    )


def export_rows(memberships):
    for m in memberships.iterator(chunk_size=2000):
        country = m.member.country
        yield [
            str(m.member),
            m.local_government.get_kind_display()
            if m.local_government
            else m.organisation.get_kind_display(),
            country.code if country else "",
            region_name(country.area) if country else "",
            m.get_category_display(),
            m.get_status_display(),
            m.joined_on,
            m.left_on,
        ]


def network_figures(network: Network, *, status: str = Membership.Status.ACTIVE) -> dict:
    """Members per country and per region (UN M49), in two queries whatever the network's size."""
    per_country = dict(
        network.memberships.filter(status=status)
        .annotate(country_id=Coalesce("local_government__country_id", "organisation__country_id"))
        .values("country_id")
        .annotate(n=Count("pk"))
        .values_list("country_id", "n")
    )
    countries = Country.objects.in_bulk([pk for pk in per_country if pk is not None])
    by_country = sorted(
        ((countries[pk], n) for pk, n in per_country.items() if pk in countries),
        key=lambda item: (-item[1], item[0].name),
    )
    regions, sub_regions = Counter(), Counter()
    for country, n in by_country:
        regions[country.region] += n
        sub_regions[country.area] += n
    return {
        "total": sum(per_country.values()),
        "by_country": by_country,
        "by_region": [(code, region_name(code), n) for code, n in regions.most_common() if code],
        "by_sub_region": [
            (code, region_name(code), n) for code, n in sub_regions.most_common() if code
        ],
    }


def map_points(network: Network) -> list[list]:
    """[latitude, longitude, name, slug] of every active member city that has coordinates."""
    return [
        [round(lat, 4), round(lon, 4), name, slug]
        for lat, lon, name, slug in network.memberships.filter(
            status=Membership.Status.ACTIVE,
            local_government__latitude__isnull=False,
            local_government__longitude__isnull=False,
        ).values_list(
            F("local_government__latitude"),
            F("local_government__longitude"),
            F("local_government__name"),
            F("local_government__slug"),
        )
    ]
