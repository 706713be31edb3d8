"""What the suggestions know about cities, read with a few queries whatever the data, and only what
the asker may see: published experiences, public projects and activities of public plans (through
search), agreements and
projects visible to them, memberships visible to them (another network's non-public ones never count).
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.db.models import Exists, ExpressionWrapper, F, FloatField, OuterRef, Q
from django.db.models.functions import Abs
from django.utils.translation import get_language

from municipia.cooperation.agreements.models import Agreement, AgreementParty
from municipia.cooperation.models import Partner, Project
from municipia.directory.models import Country, LocalGovernment, Membership, Mentoring
from municipia.finance.standing import good_standing_pairs
from municipia.knowledge.models import Experience
from municipia.matching.weights import ACTIVITIES_PER_PLAN, EVIDENCE_SHOWN, NEAR_POOL, SEARCH_DEPTH
from municipia.plans.documents import public_activities_of
from municipia.plans.models import Activity, GeographicPriority, Plan
from municipia.search import registry
from municipia.search import services as search
from municipia.search.text import clean_query

MAX_NEED_LENGTH = 500  # a longer need is cut here: search reads its start
NEAR_REACH = (4.0, 24.0)  # degrees around a city the nearest members are looked for in, then all


@lru_cache(maxsize=64)
def _language_names(language: str) -> dict:
    try:
        return dict(Locale.parse(language).languages)
    except (UnknownLocaleError, ValueError):
        return dict(Locale("en").languages)


def language_name(code: str) -> str:
    language = (get_language() or "en").split("-")[0]
    return _language_names(language).get(code) or _language_names("en").get(code, code)


def country_languages() -> dict[int, set[str]]:
    return {pk: set(langs or []) for pk, langs in Country.objects.values_list("pk", "languages")}


def languages_of(city: LocalGovernment, by_country: dict[int, set[str]]) -> set[str]:
    """A city's languages: its own official ones, else its country's."""
    own = {code.split("-")[0] for code in city.official_languages or []}
    return own or {code.split("-")[0] for code in by_country.get(city.country_id, set())}


# --- What they have done ----------------------------------------------------------------------


@dataclass
class Work:
    """Experiences, projects and plan activities found near the need, per city: their ranks in
    search, how many of each kind (model name) were found, and the hits of the first few, whose
    objects `evidence` loads for the cities that are shown."""

    ranks: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    hits: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    kinds: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    asked: bool = False  # whether there was anything to look for

    def add(self, city_id: int, rank: int, hit, kind: str) -> None:
        self.ranks[city_id].append(rank)
        self.kinds[city_id][kind] += 1
        if len(self.hits[city_id]) < EVIDENCE_SHOWN:
            self.hits[city_id].append(hit)

    def evidence(self, city_ids: Iterable[int] | None = None) -> dict[int, list]:
        """The objects found for `city_ids` (every city by default), best first: one load."""
        cities = self.hits if city_ids is None else {pk: self.hits.get(pk, []) for pk in city_ids}
        loaded = {
            result.hit.key: result.obj
            for result in search.results_for(hit for hits in cities.values() for hit in hits)
        }
        found = {
            pk: [loaded[h.key] for h in hits if h.key in loaded] for pk, hits in cities.items()
        }
        return {pk: items for pk, items in found.items() if items}


def search_filters(theme=None, sdg=None) -> dict[str, list[str]]:
    filters = {"type": ["experience", "project", "activity"]}
    if theme is not None:
        filters["theme"] = [str(theme.pk)]
    if sdg is not None:
        filters["sdg"] = [str(sdg.pk)]
    return filters


def prepare_need(need: str, *, project=None) -> None:
    """Start embedding the need in a second thread (the costliest part of its search), so that
    the caller reads the ties meanwhile and `found_work`'s search joins it."""
    need = (need or "")[:MAX_NEED_LENGTH]
    if project is None and clean_query(need):
        search.prepare(need)


def found_work(city, *, user, theme=None, sdg=None, project=None, need: str = "") -> Work:
    """Published experiences, public projects and activities of public plans near the need: an
    open project's texts, the words of the need, a theme or an SDG, else the city's own latest
    published experiences (or, without any, activities of its public plans). A plan activity is
    the work of the local government whose plan it is."""
    filters = search_filters(theme, sdg)
    need = (need or "")[:MAX_NEED_LENGTH]
    hits = []
    work = Work(asked=True)
    if project is not None:
        hits = search.related_hits(project, user=user, limit=SEARCH_DEPTH, facets=filters)
    elif clean_query(need) or theme is not None or sdg is not None:
        hits = search.best_hits(
            need if clean_query(need) else "",
            user=user,
            filters=filters,
            depth=SEARCH_DEPTH,
            otherwise=EVIDENCE_SHOWN,
        )
    else:
        own = list(Experience.objects.published().filter(city=city).order_by("-published_at")[:2])
        if not own and city is not None:
            plans = Plan.objects.public().filter(local_government=city)
            own = list(
                Activity.objects.filter(objective__plan__in=plans)
                .exclude(status=Activity.Status.DROPPED)
                .order_by("-objective__plan__starts_on", "objective__position", "position")[:2]
            )
        seen = set()
        for item in own:
            for hit in search.related_hits(
                item, user=user, limit=SEARCH_DEPTH // 2, facets=filters
            ):
                if hit.key not in seen:
                    seen.add(hit.key)
                    hits.append(hit)
        work.asked = bool(own)
    owners = owners_of(hit.key for hit in hits)
    per_plan = Counter()
    for rank, hit in enumerate(hits):
        if hit.key not in owners:  # no longer to be shown
            continue
        kind, cities, plan = owners[hit.key]
        if plan is not None:
            per_plan[plan] += 1
            # A plan of hundreds of activities would otherwise fill the work of its city alone.
            if per_plan[plan] > ACTIVITIES_PER_PLAN:
                continue
        for city_id in cities:
            work.add(city_id, rank, hit, kind)
    return work


def owners_of(keys: Iterable[str]) -> dict[str, tuple[str, list[int], int | None]]:
    """For each search key of a published experience, a public project or an activity of a
    public plan: its kind (model name), the local governments whose work it is (the experience's
    city, the project's partners, the plan's owner), and the activity's plan (else None). Keys
    of objects that may no longer be shown are left out. A query per kind, without loading the
    objects."""
    wanted = defaultdict(list)
    for key in keys:
        label, pk = registry.split_key(key)
        wanted[label].append(pk)
    found = {}
    if pks := wanted.get("knowledge.experience"):
        for pk, city in (
            Experience.objects.published()
            .filter(pk__in=pks, city__isnull=False)
            .order_by()
            .values_list("pk", "city_id")
        ):
            found[f"knowledge.experience:{pk}"] = ("experience", [city], None)
    if pks := wanted.get("cooperation.project"):
        partners = defaultdict(list)
        for pk, city in (
            Partner.objects.filter(
                project__in=Project.objects.public().filter(pk__in=pks).values("pk"),
                local_government__isnull=False,
            )
            .order_by()
            .values_list("project_id", "local_government_id")
        ):
            partners[pk].append(city)
        for pk, cities in partners.items():
            found[f"cooperation.project:{pk}"] = ("project", cities, None)
    if pks := wanted.get("plans.activity"):
        for pk, plan, city in public_activities_of(pks).values_list(
            "pk", "objective__plan_id", "objective__plan__local_government_id"
        ):
            # A network's plan has no city: its activities are no city's work.
            found[f"plans.activity:{pk}"] = ("activity", [city] if city else [], plan)
    return found


# --- Ties -------------------------------------------------------------------------------------


def partner_map(city_ids: Iterable[int], *, user) -> dict[int, dict[int, set[str]]]:
    """For each of `city_ids`, its partners and how they are tied ("agreement", "project",
    "mentoring"): agreements in force and active projects the user may see, open mentorings in
    memberships the user may see. Three queries."""
    city_ids = list(city_ids)
    ties: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    if not city_ids:
        return ties
    # The agreements and projects are found from the cities' side (their parties and partners):
    # from the other side, SQLite walked every agreement in force for each city.
    agreements = Agreement.objects.visible_to(user).filter(
        status__in=Agreement.ACTIVE,
        pk__in=AgreementParty.objects.filter(local_government_id__in=city_ids).values(
            "agreement_id"
        ),
    )
    _pairs(
        ties,
        AgreementParty.objects.filter(
            agreement__in=agreements.values("pk"), local_government__isnull=False
        )
        .order_by()
        .values_list("agreement_id", "local_government_id"),
        "agreement",
        city_ids,
    )
    projects = Project.objects.visible_to(user).filter(
        status__in=Project.ACTIVE,
        pk__in=Partner.objects.filter(local_government_id__in=city_ids).values("project_id"),
    )
    _pairs(
        ties,
        Partner.objects.filter(project__in=projects.values("pk"), local_government__isnull=False)
        .order_by()
        .values_list("project_id", "local_government_id"),
        "project",
        city_ids,
    )
    visible = Membership.objects.visible_to(user).values("pk")
    for mentee, mentor in (
        Mentoring.objects.open()
        .filter(mentee__in=visible, mentor__in=visible)
        .filter(
            Q(mentee__local_government_id__in=city_ids)
            | Q(mentor__local_government_id__in=city_ids)
        )
        .values_list("mentee__local_government_id", "mentor__local_government_id")
    ):
        if mentee and mentor:
            ties[mentee][mentor].add("mentoring")
            ties[mentor][mentee].add("mentoring")
    return ties


def _pairs(ties, rows, kind: str, city_ids) -> None:
    wanted = set(city_ids)
    groups = defaultdict(set)
    for group, city in rows:
        groups[group].add(city)
    for cities in groups.values():
        for a in cities & wanted:
            for b in cities - {a}:
                ties[a][b].add(kind)


def theme_partner_ids(city, theme, *, user) -> set[int]:
    """Cities already sharing a project on `theme` with `city` (or one of its sub-themes)."""
    projects = Project.objects.visible_to(user).filter(
        Q(themes=theme) | Q(themes__parent=theme), partners__local_government=city
    )
    return set(
        Partner.objects.filter(project__in=projects.values("pk"), local_government__isnull=False)
        .exclude(local_government=city)
        .values_list("local_government_id", flat=True)
    )


def memberships_of(city_ids: Iterable[int], *, user) -> dict[int, dict[int, object]]:
    """Active memberships the user may see: city -> {network id: network}. One query."""
    found: dict[int, dict[int, object]] = defaultdict(dict)
    for membership in (
        Membership.objects.visible_to(user)
        .active()
        .filter(local_government_id__in=list(city_ids))
        .select_related("network")
    ):
        found[membership.local_government_id][membership.network_id] = membership.network
    return found


def shared_networks(city_ids: Iterable[int], networks: dict, *, user) -> dict[int, list]:
    """For each of `city_ids`, those of `networks` ({id: network}) it is an active member of, as
    the user may see: one query of two columns, whatever the networks' size."""
    found: dict[int, list] = defaultdict(list)
    if not networks:
        return found
    for city_id, network_id in (
        Membership.objects.visible_to(user)
        .active()
        .filter(local_government_id__in=list(city_ids), network_id__in=list(networks))
        .order_by()
        .values_list("local_government_id", "network_id")
    ):
        found[city_id].append(networks[network_id])
    return found


def nearest_members(city, network_ids, languages_by_country, own_languages, *, user) -> list[int]:
    """Fellow members of the city's networks nearest to it, half of them in countries sharing one
    of its languages: a pool of candidates bounded whatever the size of the network."""
    if not network_ids or city.latitude is None or city.longitude is None:
        return []
    coslat = math.cos(math.radians(city.latitude))
    member = Exists(
        Membership.objects.visible_to(user)
        .active()
        .filter(network_id__in=network_ids, local_government_id=OuterRef("pk"))
    )
    members = (
        LocalGovernment.objects.filter(member, latitude__isnull=False, longitude__isnull=False)
        .exclude(pk=city.pk)
        .annotate(
            far=ExpressionWrapper(
                Abs(F("latitude") - city.latitude) + Abs(F("longitude") - city.longitude) * coslat,
                output_field=FloatField(),
            )
        )
        .order_by("far")
    )
    speaking = [pk for pk, langs in languages_by_country.items() if langs & own_languages]
    half = NEAR_POOL // 2
    near = _nearest(members, city, half)
    near += _nearest(members.filter(country_id__in=speaking), city, half)
    return list(dict.fromkeys(near))


def _nearest(members, city, count: int) -> list[int]:
    """The first `count` of `members` (ordered by `far`, in degrees), looked for within a few
    degrees of latitude first (the places' position index reads that band only), then wider:
    when `count` are found within `far` <= reach, no member further away can be among them."""
    for reach in NEAR_REACH:
        found = list(
            members.filter(
                latitude__range=(city.latitude - reach, city.latitude + reach), far__lte=reach
            ).values_list("pk", flat=True)[:count]
        )
        if len(found) == count:
            return found
    return list(members.values_list("pk", flat=True)[:count])


# --- Fit --------------------------------------------------------------------------------------


def priority_areas(city, *, user) -> tuple[set[int], set[str]]:
    """Countries and world regions the city's plans (those the user may see) name as priorities."""
    countries, regions = set(), set()
    plans = Plan.objects.visible_to(user).filter(local_government=city).values("pk")
    for country_id, region in GeographicPriority.objects.filter(plan__in=plans).values_list(
        "country_id", "region"
    ):
        if country_id:
            countries.add(country_id)
        if region:
            regions.add(region)
    return countries, regions


def in_areas(city, countries: set[int], regions: set[str]) -> bool:
    if city.country_id in countries:
        return True
    country = city.country
    return bool(regions & {country.region, country.sub_region, country.intermediate_region})


def in_good_standing(networks, city_ids) -> set[int]:
    """Those of `city_ids` in good standing in one of `networks`."""
    return {city for city, _network in good_standing_pairs([n.pk for n in networks], city_ids)}
