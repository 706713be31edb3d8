"""Who may see and do what in cooperation, asked alike by pages, the API and the admin.

A fund's finances (and a project's money) are for the network's staff and superusers only. A
project is seen by everyone once it is public and approved; before that by its network's staff and
the officers of its partner cities, who also report on it. Officers of other cities and other
networks' staff see only what the public sees.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.permissions import (
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
)
from municipia.cooperation.models import Fund, IatiImport, Partner, Project, ProjectReport
from municipia.directory.models import Network


def can_manage_fund(user, fund: Fund) -> bool:
    return can_manage_network(user, fund.network)


def can_manage_project(user, project: Project) -> bool:
    return can_manage_network(user, project.network)


def is_partner_officer(user, project: Project) -> bool:
    """Is `user` an officer of one of the project's partner cities? (partners prefetched or one
    query)."""
    if not user.is_authenticated:
        return False
    cities = local_government_ids_with_role(user, "city_officer")
    return bool(cities) and any(p.local_government_id in cities for p in project.partners.all())


def can_view_project(user, project: Project) -> bool:
    if project.is_public and project.status != Project.Status.PROPOSED:
        return True
    return can_manage_project(user, project) or is_partner_officer(user, project)


def can_report_on_project(user, project: Project) -> bool:
    return (
        is_superuser(user) or can_manage_project(user, project) or is_partner_officer(user, project)
    )


def get_fund_for_finances(user, network_slug: str, slug: str) -> Fund:
    fund = get_object_or_404(
        Fund.objects.select_related("network"), network__slug=network_slug, slug=slug
    )
    if not can_manage_fund(user, fund):
        raise PermissionDenied
    return fund


def get_network_for_cooperation(user, slug: str) -> Network:
    """A network whose cooperation settings `user` may change (its staff, superusers)."""
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_network(user, network):
        raise PermissionDenied
    return network


def _project(slug: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related("network", "fund").prefetch_related(
            "translations",
            Prefetch(
                "partners",
                Partner.objects.select_related(
                    "local_government__country", "organisation__country"
                ),
            ),
        ),
        slug=slug,
    )


def get_project_for_view(user, slug: str) -> Project:
    """The project, or 404 for those who may not know it exists."""
    project = _project(slug)
    if not can_view_project(user, project):
        raise Http404
    return project


def get_project_for_management(user, slug: str) -> Project:
    project = get_project_for_view(user, slug)
    if not can_manage_project(user, project):
        raise PermissionDenied
    return project


def get_project_for_reporting(user, slug: str) -> Project:
    project = get_project_for_view(user, slug)
    if not can_report_on_project(user, project):
        raise PermissionDenied
    return project


def get_report_for_view(user, project: Project, pk: int) -> ProjectReport:
    if not can_report_on_project(user, project):
        raise PermissionDenied
    return get_object_or_404(
        ProjectReport.objects.select_related("submitted_by", "reviewed_by").prefetch_related(
            "documents"
        ),
        project=project,
        pk=pk,
    )


def get_network_for_project_staff(user, slug: str):
    """A network whose projects `user` manages (its staff, superusers), else 404 or 403."""
    network = get_object_or_404(Network, slug=slug)
    if not can_manage_network(user, network):
        raise PermissionDenied
    return network


def get_iati_import_for_owner(user, pk: int):
    """An IATI import, for the person who uploaded it while they still manage the network (others
    get a 404: an import is not theirs to know about)."""
    found = IatiImport.objects.select_related("network", "fund").filter(pk=pk).first()
    if found is None or not (found.owner_id == user.pk or is_superuser(user)):
        raise Http404
    if not can_manage_network(user, found.network):
        raise PermissionDenied
    return found
