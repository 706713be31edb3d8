"""Figures of the published bank for the map and the charts, drawn server-side as SVG and HTML.

Every bar and every point links to the search page filtered by its value, so the charts are also
the bank's index. Nothing is fetched from another site.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse

from municipia.core import generations
from municipia.directory.models import Country, LocalGovernment
from municipia.knowledge.models import Experience, SdgGoal, Theme

MAP_WIDTH, MAP_HEIGHT = 1000, 500


@dataclass
class Bar:
    label: str
    count: int
    url: str
    sdg: int = 0  # the goal whose official colour the bar takes (a `sdg-N` class)
    share: int = 0  # of the longest bar, 0..100, a `pct-N` class (no inline style)


def search_url(**filters) -> str:
    return reverse("search:search") + "?" + urlencode({"type": "experience", **filters})


def _scaled(bars: list[Bar]) -> list[Bar]:
    peak = max((b.count for b in bars), default=0) or 1
    for bar in bars:
        bar.share = round(100 * bar.count / peak)
    return bars


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular projection onto the map's SVG coordinates."""
    return (
        round((longitude + 180) / 360 * MAP_WIDTH, 1),
        round((90 - latitude) / 180 * MAP_HEIGHT, 1),
    )


def experiences_per_network() -> dict[int, int]:
    """{network id: published experiences shared in it}, counted once per change of the bank."""

    def count() -> dict[int, int]:
        shared = Experience.networks.through.objects.filter(
            experience__status=Experience.Status.PUBLISHED
        )
        return dict(
            shared.order_by()
            .values("network_id")
            .annotate(n=Count("experience_id"))
            .values_list("network_id", "n")
        )

    return generations.cached("knowledge:experiences-per-network", count, scopes=["knowledge"])


def bank_overview() -> dict:
    published = Experience.objects.published()
    total = published.count()
    by_goal = dict(
        published.values_list("sdg_targets__goal")
        .annotate(n=Count("pk", distinct=True))
        .exclude(sdg_targets__goal=None)
        .values_list("sdg_targets__goal", "n")
    )
    goals = [
        Bar(
            f"{g.number}. {g.short_name}",
            by_goal.get(g.number, 0),
            search_url(sdg=g.number),
            g.number,
        )
        for g in SdgGoal.objects.all()
    ]
    by_theme = (
        Theme.objects.filter(experiences__status=Experience.Status.PUBLISHED)
        .annotate(n=Count("experiences", distinct=True))
        .select_related("network")
        .order_by("-n", "slug")[:20]
    )
    themes = [Bar(f"{t.name} ({t.network})", t.n, search_url(theme=t.pk)) for t in by_theme]
    by_country = dict(
        published.values_list("city__country")
        .annotate(n=Count("pk"))
        .values_list("city__country", "n")
    )
    countries = sorted(
        (
            Bar(c.name, by_country[c.pk], search_url(country=c.code))
            for c in Country.objects.filter(pk__in=list(by_country))
        ),
        key=lambda b: (-b.count, b.label),
    )
    by_year = (
        published.exclude(started_on=None)
        .annotate(year=ExtractYear("started_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    years = [Bar(str(year), n, search_url(year=year)) for year, n in by_year]
    by_city = dict(published.values_list("city").annotate(n=Count("pk")).values_list("city", "n"))
    points = []
    for city in (
        LocalGovernment.objects.filter(pk__in=list(by_city))
        .exclude(latitude=None)
        .exclude(longitude=None)
        .order_by("name")
    ):
        x, y = project(city.latitude, city.longitude)
        count = by_city[city.pk]
        points.append(
            {
                "name": city.name,
                "count": count,
                "x": x,
                "y": y,
                "radius": min(4 + 2 * count, 16),
                "url": search_url(city=city.slug),
            }
        )
    return {
        "total": total,
        "goals": _scaled(goals),
        "themes": _scaled(themes),
        "countries": _scaled(countries),
        "years": _scaled(years),
        "points": points,
        "map_width": MAP_WIDTH,
        "map_height": MAP_HEIGHT,
    }
