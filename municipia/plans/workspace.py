"""What plans put on "my work": overdue activities and consultation comments waiting for the
plan's editors (the network's secretariat for a network's plan, the city's officers for a city's)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core import workspace
from municipia.plans.models import Activity, ConsultationComment, Plan


def _edited_plans(user, *, network: bool):
    """Plans `user` edits, those of networks (network=True) or of local governments."""
    plans = Plan.objects.all()
    if network:
        plans = plans.filter(network__isnull=False)
        if not is_superuser(user):
            plans = plans.filter(
                network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
            )
    else:
        plans = plans.filter(
            local_government_id__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
        )
    return plans


def _plan_entries(plans_with_counts, url_name: str, *, tone: str = "") -> list[workspace.Entry]:
    return [
        workspace.Entry(
            plan.display_title, reverse(url_name, args=[plan.slug]), plan.waiting, tone=tone
        )
        for plan in plans_with_counts
    ]


def _overdue(plans):
    overdue = Activity.objects.overdue(timezone.localdate()).values("pk")
    return (
        plans.annotate(
            waiting=Count("objectives__activities", filter=Q(objectives__activities__in=overdue))
        )
        .filter(waiting__gt=0)
        .order_by("title")
    )


def _to_moderate(plans):
    pending = Q(
        comments__is_hidden=False,
        comments__answer=ConsultationComment.Answer.PENDING,
    )
    return (
        plans.filter(status=Plan.Status.CONSULTATION)
        .annotate(waiting=Count("comments", filter=pending))
        .filter(waiting__gt=0)
        .order_by("title")
    )


@workspace.section(role=workspace.STAFF, order=40)
def overdue_activities(request):
    if not works_for_a_secretariat(request.user):
        return None
    plans = _overdue(_edited_plans(request.user, network=True))
    return workspace.Section(
        title=_("Overdue plan activities"),
        entries=_plan_entries(plans, "plans:plan-dashboard", tone="danger"),
        empty=_("No activity of your plans is overdue."),
    )


@workspace.section(role=workspace.STAFF, order=60)
def comments_to_moderate(request):
    if not works_for_a_secretariat(request.user):
        return None
    plans = _to_moderate(_edited_plans(request.user, network=True))
    return workspace.Section(
        title=_("Consultation comments to answer or moderate"),
        entries=_plan_entries(plans, "plans:plan-consultation"),
        empty=_("No consultation comment waits for you."),
    )


@workspace.section(role=workspace.OFFICER, order=50)
def city_plans(request):
    """A city's own plans, shown only when something waits (most cities keep no plan here)."""
    if not local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER):
        return None
    plans = _edited_plans(request.user, network=False)
    entries = _plan_entries(_overdue(plans), "plans:plan-dashboard", tone="danger")
    for entry in entries:
        entry.detail = _("Overdue activities")
    comments = _plan_entries(_to_moderate(plans), "plans:plan-consultation")
    for entry in comments:
        entry.detail = _("Consultation comments waiting for an answer")
    if not entries and not comments:
        return None
    return workspace.Section(title=_("Your plans"), entries=entries + comments)
