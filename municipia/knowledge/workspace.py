"""What the experience bank puts on "my work": experiences to review, drafts and returned ones."""

from django.db.models import Count, Q
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
from municipia.core import workspace
from municipia.knowledge.models import Experience


def _writes_experiences(user) -> bool:
    return bool(local_government_ids_with_role(user, Role.Kind.CITY_OFFICER))


workspace.link(
    workspace.STAFF,
    "knowledge:workspace",
    gettext_lazy("Experiences to review"),
    query="status=submitted",
    when=works_for_a_secretariat,
    order=40,
)
workspace.link(
    workspace.OFFICER,
    "knowledge:workspace",
    gettext_lazy("Your experiences"),
    when=_writes_experiences,
    order=20,
)


@workspace.section(role=workspace.STAFF, order=10)
def experiences_to_review(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    submitted = Experience.objects.filter(status=Experience.Status.SUBMITTED)
    if not is_superuser(user):
        staff_of = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        submitted = submitted.filter(networks__in=staff_of)
    count = submitted.values("pk").distinct().count()
    url = reverse("knowledge:workspace") + "?status=submitted"
    return workspace.Section(
        title=_("Experiences to review"),
        entries=[workspace.Entry(_("Submitted for review"), url, count)] if count else [],
        empty=_("No experience waits for a review."),
    )


@workspace.section(role=workspace.OFFICER, order=20)
def experiences_to_write(request):
    cities = local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER)
    if not cities:
        return None
    counts = Experience.objects.filter(city__in=cities).aggregate(
        draft=Count("pk", filter=Q(status=Experience.Status.DRAFT)),
        returned=Count("pk", filter=Q(status=Experience.Status.RETURNED)),
        submitted=Count("pk", filter=Q(status=Experience.Status.SUBMITTED)),
    )
    base = reverse("knowledge:workspace")
    entries = []
    if counts["returned"]:
        entries.append(
            workspace.Entry(
                _("Returned with comments"),
                f"{base}?status=returned",
                counts["returned"],
                tone="danger",
            )
        )
    if counts["draft"]:
        entries.append(workspace.Entry(_("Your drafts"), f"{base}?status=draft", counts["draft"]))
    if counts["submitted"]:
        entries.append(
            workspace.Entry(
                _("Waiting for the network's review"),
                f"{base}?status=submitted",
                counts["submitted"],
            )
        )
    return workspace.Section(
        title=_("Experiences"),
        entries=entries,
        empty=_("No draft and nothing returned."),
        more_url=reverse("knowledge:experience-create"),
        more_label=_("Share a new experience"),
    )
