"""Who may do what with impact evaluation, asked alike by pages, the API and the admin.

- The staff of a rubric's network (and superusers) manage its rubric, rounds and assignments.
- A city's officers self-assess their city's experiences, and nothing else.
- An external assessor fills only what staff assigned to them, never for their own city.
- The network's view (weakest criteria, best experiences) is for its staff and its members'
  officers; the public sees an experience's profile only once it is published and has enough
  assessments (`Rubric.public_threshold`).
"""

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
from municipia.directory.models import Membership
from municipia.surveys.impact.models import Assessment, Assignment, Rubric


def can_manage_rubric(user, rubric: Rubric) -> bool:
    return user.is_authenticated and can_manage_network(user, rubric.network)


def can_self_assess(user, experience) -> bool:
    return user.is_authenticated and can_edit_local_government(user, experience.city)


def is_own_city(user, experience) -> bool:
    """The assessor works for the experience's city: they may not judge it from outside."""
    return experience.city_id in local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)


def is_assigned(user, round_, experience) -> bool:
    return (
        user.is_authenticated
        and Assignment.objects.filter(round=round_, experience=experience, assessor=user).exists()
    )


def can_fill(user, assessment: Assessment) -> bool:
    if not user.is_authenticated:
        return False
    if is_superuser(user):
        return True
    if assessment.kind == Assessment.Kind.SELF:
        return can_self_assess(user, assessment.experience)
    return assessment.assessor_id == user.pk


def can_see_network_view(user, network) -> bool:
    """Staff of the network and officers of its active members: cities learn from each other."""
    if not user.is_authenticated:
        return False
    if can_manage_network(user, network):
        return True
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    return Membership.objects.filter(
        network=network, local_government_id__in=cities, status=Membership.Status.ACTIVE
    ).exists()


def visible_rubrics(user):
    """Rubrics of the networks one works for or whose member one's city is."""
    if is_superuser(user):
        return Rubric.objects.all()
    networks = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    member_of = Membership.objects.filter(
        local_government_id__in=cities, status=Membership.Status.ACTIVE
    ).values("network_id")
    return Rubric.objects.filter(network_id__in=networks) | Rubric.objects.filter(
        network_id__in=member_of
    )


def get_rubric_for_network_view(user, pk: int) -> Rubric:
    rubric = get_object_or_404(Rubric.objects.select_related("network"), pk=pk)
    if not can_see_network_view(user, rubric.network):
        raise Http404
    return rubric


def get_assessment_for_filling(user, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("round__rubric__network", "experience__city"), pk=pk
    )
    if not can_fill(user, assessment):
        raise Http404
    return assessment


def own_assessments(user):
    """What one may fill: self-assessments of one's cities and one's external assessments."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    if is_superuser(user):
        return Assessment.objects.all()
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    return Assessment.objects.filter(
        kind=Assessment.Kind.SELF, experience__city_id__in=cities
    ) | Assessment.objects.filter(kind=Assessment.Kind.EXTERNAL, assessor=user)
