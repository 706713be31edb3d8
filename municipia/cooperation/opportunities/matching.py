"""Which members' work an opportunity suits, and for which cities it is open.

`compute_matches` asks search for the published experiences and public projects nearest to the
opportunity in meaning (`search.services.related_results`, across languages, decisions 0010-0014),
keeps those owned by a member city of the opportunity's network that may apply (`is_eligible`: its
kind, its country or world region), and stores them as `OpportunityMatch` rows, best first. Pages,
the officer's workspace and the digest read the stored rows: a few queries whatever the data.
"""

from dataclasses import dataclass

from django.db import transaction

from municipia.cooperation.models import Partner
from municipia.cooperation.opportunities.models import Opportunity, OpportunityMatch
from municipia.directory.models import LocalGovernment, Membership
from municipia.search.services import related_results

DEPTH = 60  # items asked of search for one opportunity
KEPT = 30  # matches stored for one opportunity


def member_ids(network) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(network=network, local_government__isnull=False)
        .values_list("local_government_id", flat=True)
    )


@dataclass(frozen=True)
class Eligibility:
    """Why a city may apply to an opportunity (or not): each part is True when it is satisfied."""

    member: bool
    kind: bool
    place: bool

    def __bool__(self):
        return self.member and self.kind and self.place


def eligibility(opportunity: Opportunity, city: LocalGovernment, members: set[int]) -> Eligibility:
    """`city` (its country loaded) against the opportunity's rules (its countries prefetched)."""
    kinds = opportunity.applicant_kinds
    countries = {c.pk for c in opportunity.countries.all()}
    regions = set(opportunity.regions)
    country = city.country if city.country_id else None
    in_place = not countries and not regions
    if country is not None and not in_place:
        in_place = country.pk in countries or bool(
            regions & {country.region, country.sub_region, country.intermediate_region}
        )
    return Eligibility(
        member=city.pk in members,
        kind=not kinds or city.kind in kinds,
        place=in_place,
    )


def _owners(results) -> dict[tuple[str, int], list[int]]:
    """The cities behind each found item: an experience's city, a project's partner cities."""
    owners: dict[tuple[str, int], list[int]] = {}
    projects = []
    for result in results:
        if result.kind == "experience":
            owners[("experience", result.obj.pk)] = [result.obj.city_id]
        elif result.kind == "project":
            projects.append(result.obj.pk)
    for project_id, city_id in Partner.objects.filter(
        project_id__in=projects, local_government__isnull=False
    ).values_list("project_id", "local_government_id"):
        owners.setdefault(("project", project_id), []).append(city_id)
    return owners


@transaction.atomic
def compute_matches(opportunity: Opportunity) -> int:
    """Store the opportunity's matches again; how many there are now."""
    OpportunityMatch.objects.filter(opportunity=opportunity).delete()
    if not opportunity.is_open:
        return 0
    filters = {"type": ["experience", "project"]}
    codes = [c.code for c in opportunity.countries.all()]
    if codes and not opportunity.regions:
        filters["country"] = codes
    results = related_results(opportunity, limit=DEPTH, facets=filters)
    owners = _owners(results)
    members = member_ids(opportunity.network)
    cities = LocalGovernment.objects.select_related("country").in_bulk(
        {city for ids in owners.values() for city in ids}
    )
    rows = []
    for result in results:
        for city_id in owners.get((result.kind, result.obj.pk), []):
            city = cities.get(city_id)
            if city is None or not eligibility(opportunity, city, members):
                continue
            rows.append(
                OpportunityMatch(
                    opportunity=opportunity,
                    local_government=city,
                    experience=result.obj if result.kind == "experience" else None,
                    project=result.obj if result.kind == "project" else None,
                    rank=len(rows) + 1,
                    score=round(result.hit.score, 4),
                )
            )
            if len(rows) >= KEPT:
                break
        if len(rows) >= KEPT:
            break
    OpportunityMatch.objects.bulk_create(rows)
    return len(rows)


def eligible_cities(opportunity: Opportunity, city_ids) -> list[LocalGovernment]:
    """Those of `city_ids` that may apply to the opportunity."""
    members = member_ids(opportunity.network)
    cities = LocalGovernment.objects.select_related("country").filter(pk__in=city_ids)
    return [city for city in cities if eligibility(opportunity, city, members)]
