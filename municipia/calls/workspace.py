"""What calls put on "my work": applications that still lack reviewers (secretariat), calls a
city's officers can apply to and their applications, and a juror's assignments with the deadlines."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.calls.models import Application, Assignment, Call
from municipia.core import pagecache, workspace
from municipia.core.i18n import translated
from municipia.directory.models import Membership


def _applies(user) -> bool:
    return bool(local_government_ids_with_role(user, Role.Kind.CITY_OFFICER))


def _judges(user) -> bool:
    return bool(network_ids_with_role(user, Role.Kind.JUROR))


workspace.link(
    workspace.STAFF,
    "calls:manage-list",
    gettext_lazy("Calls and juries"),
    when=works_for_a_secretariat,
    order=30,
)
workspace.link(
    workspace.OFFICER, "calls:application-list", gettext_lazy("Your applications"), when=_applies
)
workspace.link(workspace.JUROR, "calls:review-list", gettext_lazy("Your reviews"), when=_judges)


@workspace.section(role=workspace.STAFF, order=30)
def applications_without_reviewers(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    reviewed = Assignment.objects.active().filter(application=OuterRef("pk"))
    waiting = Application.objects.submitted().filter(
        ~Exists(reviewed), call__status__in=[Call.Status.OPEN, Call.Status.REVIEW]
    )
    if not is_superuser(user):
        waiting = waiting.filter(
            call__network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        )
    rows = (
        waiting.order_by()
        .values("call__slug", "call__title", "call__closes_at", "call__time_zone")
        .annotate(count=Count("pk"))
        .order_by("call__closes_at")
    )
    entries = [
        workspace.Entry(
            translated(row["call__title"]),
            reverse("calls:manage-call", args=[row["call__slug"]]),
            row["count"],
            detail=_("Applications close"),
            when=row["call__closes_at"],
            zone=row["call__time_zone"],
        )
        for row in rows
    ]
    return workspace.Section(
        title=_("Applications without reviewers"),
        entries=entries,
        empty=_("Every submitted application has its reviewers."),
        more_url=reverse("calls:manage-list"),
        more_label=_("All calls"),
    )


@workspace.section(role=workspace.OFFICER, order=40)
def calls_to_apply_to(request):
    cities = local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER)
    if not cities:
        return None
    now = timezone.now()
    pagecache.changes_at(request, Call.objects.next_opening_or_closing())
    networks = Membership.objects.filter(
        local_government_id__in=cities, status=Membership.Status.ACTIVE
    ).values("network_id")
    applied = Application.objects.active().filter(
        call=OuterRef("pk"), local_government_id__in=cities
    )
    calls = (
        Call.objects.filter(
            status=Call.Status.OPEN,
            opens_at__lte=now,
            closes_at__gte=now,
            network_id__in=networks,
        )
        .exclude(applicants=Call.Applicants.ORGANISATIONS)
        .annotate(applied=Exists(applied))
        .select_related("network")
        .order_by("closes_at")
    )
    drafts = Application.objects.owned_by(request.user).filter(
        status__in=[Application.Status.DRAFT, Application.Status.RETURNED]
    )
    entries = [
        workspace.Entry(
            call.title_text,
            call.get_absolute_url(),
            detail=(
                _("%(network)s · your application is started") % {"network": call.network}
                if call.applied
                else str(call.network)
            ),
            when=call.closes_at,
            zone=call.time_zone,
        )
        for call in calls
    ]
    draft_count = drafts.count()
    if draft_count:
        entries.append(
            workspace.Entry(
                _("Applications not yet submitted"),
                reverse("calls:application-list"),
                draft_count,
                tone="danger",
            )
        )
    return workspace.Section(
        title=_("Calls you can apply to"),
        entries=entries,
        empty=_("No call of your networks is open now."),
        more_url=reverse("calls:application-list"),
        more_label=_("Your applications"),
    )


@workspace.section(role=workspace.JUROR, order=10)
def jury_assignments(request):
    user = request.user
    networks = network_ids_with_role(user, Role.Kind.JUROR)
    if not networks:
        return None
    rows = (
        Assignment.objects.for_user(user)
        .active()
        .filter(
            juror__is_active=True,
            application__call__status__in=[Call.Status.REVIEW, Call.Status.CLOSED],
            application__call__network_id__in=networks,
        )
        .order_by()
        .values(
            "application__call__slug",
            "application__call__title",
            "application__call__status",
            "application__call__closes_at",
            "application__call__time_zone",
        )
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(review__status="submitted")),
        )
        .order_by("application__call__closes_at")
    )
    url = reverse("calls:review-list")
    entries = []
    for row in rows:
        to_do = row["total"] - row["done"]
        in_review = row["application__call__status"] == Call.Status.REVIEW
        entries.append(
            workspace.Entry(
                translated(row["application__call__title"]),
                url,
                to_do if in_review else row["done"],
                detail=(
                    _("%(done)s of %(total)s reviews submitted; applications closed")
                    % {"done": row["done"], "total": row["total"]}
                    if in_review
                    else _("The review is over.")
                ),
                when=row["application__call__closes_at"] if in_review else None,
                zone=row["application__call__time_zone"],
                tone=("danger" if to_do else "success") if in_review else "",
            )
        )
    return workspace.Section(
        title=_("Your jury assignments"),
        entries=entries,
        empty=_("No application is assigned to you."),
        more_url=url,
        more_label=_("Your reviews"),
    )
