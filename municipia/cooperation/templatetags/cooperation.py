from django import template
from django.db.models import Prefetch

from municipia.cooperation.models import Partner, Project

register = template.Library()

LIMIT = 10


def _projects(user, **filters):
    return list(
        Project.objects.visible_to(user)
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


@register.simple_tag
def city_projects(user, local_government):
    """The projects a city takes part in that `user` may see (the latest ten)."""
    return _projects(user, partners__local_government=local_government)


@register.simple_tag
def network_projects(user, network):
    return _projects(user, network=network)
