"""The projects shown in the directory's page sections: public projects only (the same for every
reader, so the list is kept in the cache until a project or the directory changes)."""

from django import template
from django.db.models import Prefetch
from django.utils.translation import get_language

from municipia.cooperation.models import Partner, Project
from municipia.core import generations

register = template.Library()

LIMIT = 10


def _items(**filters) -> list[dict]:
    projects = (
        Project.objects.public()
        .filter(**filters)
        .distinct()
        .select_related("network")
        .prefetch_related(
            "translations",
            Prefetch(
                "partners",
                Partner.objects.filter(role=Partner.Role.LEAD).select_related(
                    "local_government", "organisation"
                ),
                to_attr="leads",
            ),
        )
        .order_by("-starts_on", "code")[:LIMIT]
    )
    return [
        {
            "url": p.get_absolute_url(),
            "title": p.title,
            "code": p.code,
            "status": str(p.get_status_display()),
            "network": str(p.network),
            "lead": str(p.leads[0].party) if p.leads else "",
            "starts": p.starts_on.year if p.starts_on else None,
            "ends": p.ends_on.year if p.ends_on else None,
        }
        for p in projects
    ]


def _cached(name: str, **filters) -> list[dict]:
    return generations.cached(
        f"cooperation:{name}:{get_language()}",
        lambda: _items(**filters),
        scopes=["cooperation", "directory"],
    )


@register.simple_tag
def city_projects(local_government):
    """The public projects a city takes part in (the latest ten)."""
    return _cached(
        f"city-projects:{local_government.pk}", partners__local_government=local_government
    )


@register.simple_tag
def network_projects(network):
    return _cached(f"network-projects:{network.pk}", network=network)
