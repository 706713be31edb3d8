"""Reads of funding opportunities that pages, exports, feeds and the workspace share: each a fixed
number of queries, whatever the number of opportunities."""

from django.db.models import Prefetch, Q

from municipia.cooperation.opportunities.models import Opportunity, OpportunityMatch
from municipia.core.zones import isoformat_in_zone
from municipia.directory.models import Membership
from municipia.knowledge.models import SdgTarget, Theme


def filtered_opportunities(user, data: dict | None, *, network=None, now=None):
    """The open opportunities `user` may see, filtered by the list's form."""
    opportunities = Opportunity.objects.visible_to(user).open(now)
    if network is not None:
        opportunities = opportunities.filter(network=network)
    data = data or {}
    if data.get("network"):
        opportunities = opportunities.filter(network=data["network"])
    if data.get("theme"):
        opportunities = opportunities.filter(themes=data["theme"])
    if data.get("sdg"):
        opportunities = opportunities.filter(sdg_targets__goal=data["sdg"])
    worldwide = Q(regions=[]) & Q(countries__isnull=True)
    if code := data.get("region"):
        opportunities = opportunities.filter(
            Q(regions__icontains=f'"{code}"')
            | Q(countries__region=code)
            | Q(countries__sub_region=code)
            | worldwide
        )
    if country := data.get("country"):
        in_region = Q()
        for code in {country.region, country.sub_region, country.intermediate_region} - {""}:
            in_region |= Q(regions__icontains=f'"{code}"')
        opportunities = opportunities.filter(Q(countries=country) | in_region | worldwide)
    if day := data.get("deadline_before"):
        opportunities = opportunities.filter(deadline__date__lte=day)
    return opportunities.distinct().order_by("deadline", "pk")


def list_prefetch(opportunities):
    return opportunities.select_related("network", "funder").prefetch_related(
        "translations",
        "countries",
        "themes",
        Prefetch("sdg_targets", SdgTarget.objects.select_related("goal")),
    )


def export_rows(opportunities, site_url: str):
    for o in list_prefetch(opportunities).iterator(chunk_size=500):
        yield [
            o.title,
            o.funder.name,
            o.programme,
            str(o.network),
            isoformat_in_zone(o.deadline, o.time_zone, sep=" "),
            o.time_zone,
            str(o.status_display),
            ", ".join(o.applicant_kind_names),
            ", ".join(o.regions),
            " ".join(sorted(c.code for c in o.countries.all())),
            ", ".join(t.name for t in o.themes.all()),
            " ".join(t.code for t in o.sdg_targets.all()),
            o.cofinancing_rate if o.cofinancing_rate is not None else "",
            o.currency,
            o.amount_min if o.amount_min is not None else "",
            o.amount_max if o.amount_max is not None else "",
            o.url,
            site_url + o.get_absolute_url(),
        ]


def followable_themes(city_ids):
    """The themes of the networks the cities are active members of."""
    networks = Membership.objects.active().filter(local_government_id__in=city_ids)
    return Theme.objects.filter(network_id__in=networks.values("network_id")).order_by(
        "network_id", "slug"
    )


def matches_for_cities(city_ids, now) -> list[tuple[Opportunity, list[OpportunityMatch]]]:
    """Open, published opportunities that match the cities' work, with the matching items, the
    nearest deadline first."""
    matches = (
        OpportunityMatch.objects.filter(
            local_government_id__in=city_ids,
            opportunity__is_published=True,
            opportunity__deadline__gt=now,
        )
        .select_related("opportunity__funder", "opportunity__network", "local_government")
        .prefetch_related(
            "opportunity__translations",
            "experience__translations",
            "project__translations",
        )
        .order_by("opportunity__deadline", "opportunity_id", "rank")
    )
    groups: dict[int, tuple[Opportunity, list]] = {}
    for match in matches:
        groups.setdefault(match.opportunity_id, (match.opportunity, []))[1].append(match)
    return list(groups.values())
