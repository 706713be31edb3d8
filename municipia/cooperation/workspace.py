"""What cooperation puts on "my work": project reports waiting for the secretariat's review, and for
a partner city's officers the running projects they report on (with reports sent back to them)."""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.cooperation.missions.permissions import manages_missions
from municipia.cooperation.models import Project, ProjectReport, ProjectTranslation
from municipia.core import workspace

SHOWN = 8  # projects listed in a section; the project list holds the rest

workspace.link(
    workspace.STAFF,
    "cooperation:project-list",
    gettext_lazy("Cooperation projects"),
    when=works_for_a_secretariat,
    order=40,
)
# Missions: in the staff's menu for the secretariat, in the officers' menu for the other officers.
workspace.link(
    workspace.STAFF,
    "cooperation:mission-list",
    gettext_lazy("Missions"),
    when=works_for_a_secretariat,
    order=45,
)
workspace.link(
    workspace.OFFICER,
    "cooperation:mission-list",
    gettext_lazy("Missions"),
    when=lambda user: manages_missions(user) and not works_for_a_secretariat(user),
    order=45,
)


def _projects(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "translations", queryset=ProjectTranslation.objects.only("project", "language", "title")
        )
    )


@workspace.section(role=workspace.STAFF, order=70)
def reports_to_review(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    projects = Project.objects.all()
    if not is_superuser(user):
        projects = projects.filter(
            network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        )
    projects = _projects(
        projects.annotate(
            waiting=Count("reports", filter=Q(reports__status=ProjectReport.Status.SUBMITTED))
        )
        .filter(waiting__gt=0)
        .order_by("-waiting", "code")[:SHOWN]
    )
    entries = [
        workspace.Entry(project.title, project.get_absolute_url(), project.waiting)
        for project in projects
    ]
    return workspace.Section(
        title=_("Project reports to review"),
        entries=entries,
        empty=_("No project report waits for a review."),
        more_url=reverse("cooperation:project-list"),
        more_label=_("All cooperation projects"),
    )


@workspace.section(role=workspace.OFFICER, order=60)
def projects_to_report_on(request):
    ids = local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER)
    if not ids:
        return None
    projects = _projects(
        Project.objects.filter(partners__local_government_id__in=ids, status__in=Project.ACTIVE)
        .annotate(
            returned=Count(
                "reports",
                filter=Q(reports__status=ProjectReport.Status.RETURNED),
                distinct=True,
            )
        )
        .distinct()
        .order_by("-returned", "code")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            project.title,
            reverse("cooperation:report-create", args=[project.slug]),
            project.returned or None,
            detail=_("a report was sent back to you") if project.returned else "",
            tone="danger" if project.returned else "",
        )
        for project in projects
    ]
    if not entries:
        return None
    return workspace.Section(title=_("Your cooperation projects"), entries=entries)


from municipia.cooperation.opportunities import workspace as _opportunities  # noqa: E402, F401
