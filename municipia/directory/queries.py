"""Reads shared by the pages, the exports and the API: member lists and a network's figures."""

from collections import Counter, defaultdict
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import get_language

from municipia.core import generations
from municipia.directory.models import (
    Country,
    Membership,
    Network,
    normalise_name,
    places_named,
    region_name,
)
from municipia.directory.place_names import names_in

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


class IdPaginator(Paginator):
    """Pages of a long ordered list: the page's ids come from the index alone, then only those rows
    are read with their joins, so page 500 costs what page 1 does.

    `rows`: where to read the page's rows from by id, when the list's filters (a name search) would
    cost to apply a second time; by default the list itself.

    `all_ids`: read every matching id at once, in order, and count and page them here. For a
    search whose matches are scattered through the list's order (a name in any language): a
    database asked for one page would walk the whole index looking for them, and count them again.

    `count`: the number of rows when the caller already knows it (from figures kept in the cache),
    so that the list is not counted again.
    """

    def __init__(
        self, object_list, per_page, *args, rows=None, all_ids=False, count=None, **kwargs
    ):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows
        self.all_ids = list(object_list.values_list("pk", flat=True)) if all_ids else None
        self.known_count = count

    @cached_property
    def count(self):
        if self.all_ids is not None:
            return len(self.all_ids)
        if self.known_count is not None:
            return self.known_count
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.all_ids is not None:
            ids = self.all_ids[bottom:top]
        else:
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.model._default_manager.none()
        if ids:
            source = self.object_list if self.rows is None else self.rows
            rows = {row.pk: row for row in source.filter(pk__in=ids).order_by()}
            rows = [rows[pk] for pk in ids if pk in rows]
        return self._get_page(rows, number, self)


def member_country_q(lookup: str, value) -> Q:
    """Members whose country matches (`code`, `region`…), looked up first among the countries."""
    return Q(member_country__in=Country.objects.filter(**{lookup: value}).values("pk"))


def organisation_members_named(network: Network, text: str) -> list[int]:
    """Membership ids of the network's organisations whose name contains `text` (accents and case
    ignored). Organisations are a few of a network's members: their names come from the cache, so
    that a name search is the places' index alone, not an OR that reads every member's name."""
    wanted = normalise_name(text)
    if not wanted:
        return []
    return [
        pk for pk, name in organisation_member_names(network.pk) if wanted in normalise_name(name)
    ]


def organisation_member_names(network_id: int) -> list[tuple[int, str]]:
    """(membership id, name) of every organisation member of a network, whatever its status."""
    return generations.cached(
        f"directory:organisation-members:{network_id}",
        lambda: list(
            Membership.objects.filter(network_id=network_id, organisation__isnull=False)
            .order_by()
            .values_list("pk", "member_name")
        ),
        scopes=["directory"],
    )


def filter_members(
    network: Network,
    *,
    q: str = "",
    country: str = "",
    region: str = "",
    category: str = "",
    status: str = "",
) -> QuerySet[Membership]:
    memberships = network.memberships.all()
    if q:
        places = places_named(q)
        organisations = organisation_members_named(network, q)
        if places is None:
            memberships = memberships.filter(pk__in=organisations)
        elif organisations:
            memberships = memberships.filter(
                Q(local_government_id__in=places) | Q(pk__in=organisations)
            )
        else:
            memberships = memberships.filter(local_government_id__in=places)
    if country:
        memberships = memberships.filter(member_country_q("code", country.upper()))
    if region:
        in_region = Country.objects.filter(
            Q(region=region) | Q(sub_region=region) | Q(intermediate_region=region)
        )
        memberships = memberships.filter(member_country__in=in_region.values("pk"))
    if category:
        memberships = memberships.filter(category=category)
    if status:
        memberships = memberships.filter(status=status)
    return memberships


LIST_FIELDS = [
    "network_id",
    "category",
    "status",
    "joined_on",
    "left_on",
    "applied_on",
    "member_name",
    "local_government__name",
    "local_government__slug",
    "local_government__kind",
    "local_government__country__code",
    "local_government__country__names",
    "local_government__country__region",
    "local_government__country__sub_region",
    "local_government__country__intermediate_region",
    "organisation__name",
    "organisation__acronym",
    "organisation__kind",
    "organisation__country__code",
    "organisation__country__names",
    "organisation__country__region",
    "organisation__country__sub_region",
    "organisation__country__intermediate_region",
]


def member_rows(network: Network, **filters) -> QuerySet[Membership]:
    """A network's members with what a list or an export shows, ordered by name, in one query."""
    return (
        filter_members(network, **filters)
        .select_related("local_government__country", "organisation__country")
        .only(*LIST_FIELDS)
        .order_by("member_name", "pk")
    )


def export_rows(memberships):
    # Read once: a streamed export runs after the request, where each place's name would read the
    # generations again.
    names = names_in()
    for m in memberships.iterator(chunk_size=2000):
        country = m.member.country
        place = m.local_government
        yield [
            (names.get(place.pk) or place.name) if place else str(m.member),
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


def status_counts(network: Network) -> dict[str, int]:
    """A network's memberships per status, whatever the status (the staff's filters), counted once
    per change of the directory."""
    return generations.cached(
        f"directory:status-counts:{network.pk}",
        lambda: dict(
            network.memberships.order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        ),
        scopes=["directory"],
    )


def network_figures(network: Network, *, status: str = Membership.Status.ACTIVE) -> dict:
    """Members per country and per region, counted once per change of the directory: the network
    page and every filtered member list show them."""
    return generations.cached(
        f"directory:figures:{network.pk}:{status}:{get_language()}",
        lambda: count_members(network, status=status),
        scopes=["directory"],
    )


def member_counts() -> dict[int, dict[str, int]]:
    """{network id: {"members": active members, "countries": their countries}}, counted once per
    change of the directory (one grouped read of the memberships' index)."""

    def count() -> dict[int, dict[str, int]]:
        rows = (
            Membership.objects.active()
            .order_by()
            .values("network_id")
            .annotate(members=Count("pk"), countries=Count("member_country", distinct=True))
        )
        return {
            row["network_id"]: {"members": row["members"], "countries": row["countries"]}
            for row in rows
        }

    return generations.cached("directory:member-counts", count, scopes=["directory"])


def site_figures() -> dict[str, int]:
    """Published networks, and the distinct local governments among their active members and
    those governments' countries, counted once per change of the directory."""

    def count() -> dict[str, int]:
        active = Membership.objects.public()
        return {
            "networks": Network.objects.published().filter(parent__isnull=True).count(),
            "local_governments": active.exclude(local_government=None)
            .values("local_government")
            .distinct()
            .count(),
            "countries": active.exclude(local_government=None)
            .exclude(member_country=None)
            .values("member_country")
            .distinct()
            .count(),
        }

    return generations.cached("directory:site-figures", count, scopes=["directory"])


def with_member_counts(networks) -> list[Network]:
    """`networks` with `member_count` and `country_count` from the cached counts, no aggregate."""
    counts = member_counts()
    networks = list(networks)
    for network in networks:
        figures = counts.get(network.pk, {})
        network.member_count = figures.get("members", 0)
        network.country_count = figures.get("countries", 0)
    return networks


def count_members(network: Network, *, status: str = Membership.Status.ACTIVE) -> dict:
    """Members per country and per region (UN M49), in two queries whatever the network's size."""
    per_country = dict(
        network.memberships.filter(status=status)
        .order_by()
        .values("member_country_id")
        .annotate(n=Count("pk"))
        .values_list("member_country_id", "n")
    )
    countries = Country.objects.in_bulk([pk for pk in per_country if pk is not None])
    by_country = sorted(
        ((countries[pk], n) for pk, n in per_country.items() if pk in countries),
        key=lambda item: (-item[1], normalise_name(item[0].name)),
    )
    regions, areas = Counter(), defaultdict(Counter)
    for country, n in by_country:
        regions[country.region] += n
        areas[country.region][country.area] += n
    by_region = [
        (
            code,
            region_name(code),
            n,
            [(area, region_name(area), m) for area, m in areas[code].most_common() if area != code],
        )
        for code, n in regions.most_common()
        if code
    ]
    return {
        "total": sum(per_country.values()),
        "by_country": by_country,
        "by_region": by_region,
        "by_sub_region": [area for *_region, sub in by_region for area in sub],
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
