"""What questionnaires put on "my work": the secretariat's way to its questionnaires, and impact
evaluation for staff, city officers (self-assessments) and experts (assigned assessments)."""

from django.utils.translation import gettext_lazy

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_expert,
    local_government_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core import workspace

workspace.link(
    workspace.STAFF,
    "surveys:questionnaire-list",
    gettext_lazy("Questionnaires"),
    when=works_for_a_secretariat,
    order=55,
)

workspace.link(
    workspace.STAFF,
    "surveys:impact-home",
    gettext_lazy("Impact evaluation"),
    when=works_for_a_secretariat,
    order=56,
)


def _officer(user) -> bool:
    return bool(local_government_ids_with_role(user, Role.Kind.CITY_OFFICER))


workspace.link(
    workspace.OFFICER,
    "surveys:impact-home",
    gettext_lazy("Impact evaluation"),
    when=_officer,
    order=56,
)
workspace.link(
    workspace.EXPERT, "surveys:impact-home", gettext_lazy("Impact evaluation"), when=is_expert
)
