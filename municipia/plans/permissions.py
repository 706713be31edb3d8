"""Who may read, edit, comment on and moderate plans.

A plan is edited by its owner's staff: the network's secretariat for a network's plan, the city's
officers for a local government's plan. Anyone reads a published plan or one in consultation;
registered people comment while the consultation is open. Drafts stay with the owner's staff.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    can_edit_local_government,
    can_manage_network,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
)
from municipia.core import generations
from municipia.directory.models import LocalGovernment, Network
from municipia.plans.models import (
    Activity,
    ConsultationComment,
    Indicator,
    Objective,
    Plan,
    ProgressUpdate,
    Section,
)


def can_edit_plan(user, plan: Plan) -> bool:
    if plan.network_id:
        return can_manage_network(user, plan.network)
    return can_edit_local_government(user, plan.local_government)


def can_view_plan(user, plan: Plan) -> bool:
    return plan.is_public or can_edit_plan(user, plan)


def can_create_plan(user, *, network=None, local_government=None) -> bool:
    if network is not None:
        return can_manage_network(user, network)
    if local_government is not None:
        return can_edit_local_government(user, local_government)
    return False


def can_comment(user, plan: Plan) -> bool:
    """Registered people comment while the consultation is open, and never after it closes."""
    return bool(user.is_authenticated and user.is_active and plan.is_consultation_open)


def can_moderate(user, plan: Plan) -> bool:
    return can_edit_plan(user, plan)


def can_see_comment_text(user, comment: ConsultationComment) -> bool:
    """A hidden comment keeps its text, for the plan's moderators only."""
    return not comment.is_hidden or can_moderate(user, comment.plan)


def owners_for(user) -> tuple[list[Network], list[LocalGovernment]]:
    """The networks and local governments for which `user` may write plans."""
    if is_superuser(user):
        return list(Network.objects.order_by("name")), list(
            LocalGovernment.objects.order_by("name")
        )
    networks = Network.objects.filter(
        pk__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    ).order_by("name")
    cities = LocalGovernment.objects.filter(
        pk__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    ).order_by("name")
    return list(networks), list(cities)


def can_create_any_plan(user) -> bool:
    """Whether `user` writes plans for some network or local government (no query: roles only)."""
    return is_superuser(user) or bool(
        network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        or local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    )


def editable_plans(user):
    if is_superuser(user):
        return Plan.objects.all()
    return Plan.objects.filter(
        Q(network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
        | Q(local_government_id__in=local_government_ids_with_role(user, Role.Kind.CITY_OFFICER))
    )


_PLAN_RELATED = ("network", "local_government")


def plan_by_slug(slug: str) -> Plan:
    """The plan with its owner, or 404. Kept in the cache until the plans' or the directory's
    tables are written: a plan's pages start with it, for logged-in readers as for the public."""

    def build() -> Plan | None:
        return Plan.objects.select_related(*_PLAN_RELATED).filter(slug=slug).first()

    plan = generations.cached(f"plan:{slug}", build, scopes=["plans", "directory"])
    if plan is None:
        raise Http404
    return plan


def get_plan_for_view(user, slug: str) -> Plan:
    """The plan, or 404 when it is a draft that `user` may not see (its existence stays private)."""
    plan = plan_by_slug(slug)
    if not can_view_plan(user, plan):
        raise Http404
    return plan


def get_plan_for_edit(user, slug: str) -> Plan:
    plan = get_plan_for_view(user, slug)
    if not can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def _guard(user, obj, plan: Plan):
    if not can_view_plan(user, plan):
        raise Http404
    if not can_edit_plan(user, plan):
        raise PermissionDenied
    return obj


def get_section_for_edit(user, pk: int) -> Section:
    section = get_object_or_404(
        Section.objects.select_related("plan__network", "plan__local_government"), pk=pk
    )
    return _guard(user, section, section.plan)


def get_objective_for_edit(user, pk: int) -> Objective:
    objective = get_object_or_404(
        Objective.objects.select_related("plan__network", "plan__local_government"), pk=pk
    )
    return _guard(user, objective, objective.plan)


def get_activity_for_edit(user, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related(
            "objective__plan__network", "objective__plan__local_government"
        ),
        pk=pk,
    )
    return _guard(user, activity, activity.objective.plan)


def get_indicator_for_edit(user, pk: int) -> Indicator:
    indicator = get_object_or_404(
        Indicator.objects.select_related("plan__network", "plan__local_government"), pk=pk
    )
    return _guard(user, indicator, indicator.plan)


def get_update_for_edit(user, pk: int) -> ProgressUpdate:
    update = get_object_or_404(
        ProgressUpdate.objects.select_related(
            "activity__objective__plan__network", "activity__objective__plan__local_government"
        ),
        pk=pk,
    )
    return _guard(user, update, update.activity.objective.plan)


def get_comment_for_moderation(user, pk: int) -> ConsultationComment:
    comment = get_object_or_404(
        ConsultationComment.objects.select_related(
            "plan__network", "plan__local_government", "objective"
        ),
        pk=pk,
    )
    return _guard(user, comment, comment.plan)


def get_comment_for_support(user, pk: int) -> ConsultationComment:
    comment = get_object_or_404(
        ConsultationComment.objects.select_related(
            "plan__network", "plan__local_government", "objective"
        ),
        pk=pk,
    )
    if not can_view_plan(user, comment.plan):
        raise Http404
    return comment
