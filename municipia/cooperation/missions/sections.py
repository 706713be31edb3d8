"""A local government's international action page: what it shows, built from sections.

The page is made of sections that apps declare on their AppConfig, as the directory's hub pages
are (decision 0003, `directory.sections.page_sections`), under the attribute
`international_action_sections`:

    class AgreementsConfig(AppConfig):
        international_action_sections = [("agreements/sections/international.html", _("Agreements"))]

Each section's template gets `local_government`, `page` (the `ActionPage` below, whose figures are
read once per request however many sections use them), `request` and `user`; it fetches whatever
else it needs itself, shows only what its owner made public, and renders nothing when it has
nothing to show. Cooperation's own sections (the summary per year, networks and dues, projects,
missions) read `page`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import OuterRef, Prefetch, Subquery, Sum

from municipia.cooperation.missions.models import Mission, MissionCost
from municipia.cooperation.missions.services import page_settings
from municipia.cooperation.models import Partner, Project
from municipia.directory.models import LocalGovernment, Membership
from municipia.directory.sections import page_sections
from municipia.finance.models import Invoice

INTERNATIONAL = "international_action_sections"


def international_sections() -> list[dict]:
    return page_sections(INTERNATIONAL)


def _add(totals: dict, currency: str, amount: Decimal) -> None:
    totals[currency] = totals.get(currency, Decimal(0)) + amount


@dataclass
class Year:
    year: int
    dues: dict = field(default_factory=dict)
    projects: int = 0
    missions: int = 0
    mission_costs: dict = field(default_factory=dict)


class ActionPage:
    """The public figures of one local government's international action (a few queries, however
    many networks, projects and missions it has)."""

    def __init__(self, local_government: LocalGovernment):
        self.local_government = local_government
        self.settings = page_settings(local_government)

    @cached_property
    def memberships(self) -> list[Membership]:
        return list(
            Membership.objects.filter(
                local_government=self.local_government,
                network__is_published=True,
                status__in=[
                    Membership.Status.ACTIVE,
                    Membership.Status.SUSPENDED,
                    Membership.Status.LEFT,
                ],
            )
            .select_related("network")
            .order_by("network__name")
        )

    @cached_property
    def dues(self) -> dict[int, list[dict]]:
        """Dues paid per network: {network id: [{year, currency, paid}, ...]} (newest first), when
        the officers chose to show them."""
        if not self.settings.show_dues:
            return {}
        rows = (
            Invoice.objects.filter(
                membership__local_government=self.local_government,
                network_id__in=[m.network_id for m in self.memberships],
                kind=Invoice.Kind.DUES,
                amount_paid__gt=0,
            )
            .exclude(status=Invoice.Status.CANCELLED)
            .order_by()
            .values("network_id", "year", "currency")
            .annotate(paid=Sum("amount_paid"))
            .order_by("network_id", "-year", "currency")
        )
        paid = defaultdict(list)
        for row in rows:
            paid[row["network_id"]].append(row)
        return dict(paid)

    @cached_property
    def networks(self) -> list[dict]:
        return [
            {"membership": m, "dues": self.dues.get(m.network_id, [])} for m in self.memberships
        ]

    @cached_property
    def projects(self) -> list[Project]:
        role = Partner.objects.filter(
            project=OuterRef("pk"), local_government=self.local_government
        ).values("role")[:1]
        projects = (
            Project.objects.public()
            .filter(partners__local_government=self.local_government)
            .annotate(city_role=Subquery(role))
            .select_related("network")
            .prefetch_related("translations")
            .order_by("-starts_on", "code")
        )
        roles = dict(Partner.Role.choices)
        result = list(projects)
        for project in result:
            project.city_role_label = roles.get(project.city_role, "")
        return result

    @cached_property
    def missions(self) -> list[Mission]:
        """Public missions, with their costs only where those are public too."""
        missions = list(
            Mission.objects.public()
            .filter(local_government=self.local_government)
            .prefetch_related(
                "destinations__country",
                Prefetch(
                    "costs",
                    MissionCost.objects.filter(mission__costs_public=True),
                    to_attr="public_costs",
                ),
            )
            .order_by("-starts_at", "pk")
        )
        for mission in missions:
            mission.cost_total = (
                sum((c.amount_converted for c in mission.public_costs), Decimal(0))
                if mission.costs_public
                else None
            )
        return missions

    @cached_property
    def missions_by_year(self) -> list[tuple[int, list[Mission]]]:
        years = defaultdict(list)
        for mission in self.missions:
            years[mission.year].append(mission)
        return sorted(years.items(), reverse=True)

    @cached_property
    def years(self) -> list[Year]:
        """The summary per year, newest first: dues paid, projects started, missions and their
        public costs (each amount in its own currency)."""
        years: dict[int, Year] = {}

        def year(number: int) -> Year:
            return years.setdefault(number, Year(number))

        for rows in self.dues.values():
            for row in rows:
                _add(year(row["year"]).dues, row["currency"], row["paid"])
        for project in self.projects:
            if project.starts_on:
                year(project.starts_on.year).projects += 1
        for mission in self.missions:
            entry = year(mission.year)
            entry.missions += 1
            if mission.cost_total is not None:
                _add(entry.mission_costs, mission.currency, mission.cost_total)
        return sorted(years.values(), key=lambda y: y.year, reverse=True)

    @cached_property
    def totals(self) -> dict:
        dues: dict = {}
        costs: dict = {}
        for entry in self.years:
            for currency, amount in entry.dues.items():
                _add(dues, currency, amount)
            for currency, amount in entry.mission_costs.items():
                _add(costs, currency, amount)
        return {
            "networks": sum(1 for m in self.memberships if m.status == Membership.Status.ACTIVE),
            "projects": len(self.projects),
            "missions": len(self.missions),
            "dues": sorted(dues.items()),
            "mission_costs": sorted(costs.items()),
        }

    @property
    def is_empty(self) -> bool:
        return not (self.memberships or self.projects or self.missions)
