"""Staff pages: memberships and their decisions, mentoring, places made by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core import pagecache
from municipia.core.exports import FORMATS, export_response
from municipia.directory import queries
from municipia.directory.forms import (
    LocalGovernmentCreateForm,
    MembershipDecisionForm,
    MentoringForm,
)
from municipia.directory.models import Membership, Mentoring
from municipia.directory.permissions import (
    can_create_local_government,
    get_membership_for_staff,
    get_mentoring_for_staff,
    get_network_for_staff,
    networks_for_members,
)
from municipia.directory.services import (
    DirectoryError,
    approve_membership,
    create_local_government,
    end_membership,
    end_mentoring,
    pair_mentor,
    refuse_membership,
    reinstate_membership,
    suspend_membership,
)

PAGE_SIZE = 50
DECISIONS = {
    "approve": approve_membership,
    "refuse": refuse_membership,
    "suspend": suspend_membership,
    "reinstate": reinstate_membership,
    "end": end_membership,
}
# Which decision buttons a membership in each status shows.
ACTIONS_BY_STATUS = {
    Membership.Status.APPLICANT: ["approve", "refuse"],
    Membership.Status.ACTIVE: ["suspend", "end"],
    Membership.Status.SUSPENDED: ["reinstate", "end"],
    Membership.Status.LEFT: ["approve"],
    Membership.Status.REFUSED: [],
}


@login_required
def membership_manage_index(request):
    """The secretariat's way in: straight to the memberships of their one network, or a choice."""
    networks = list(networks_for_members(request.user))
    if len(networks) == 1:
        return redirect("directory:membership-manage-list", networks[0].slug)
    return render(request, "directory/manage/membership_index.html", {"networks": networks})


@login_required
def membership_manage_list(request, slug):
    network = get_network_for_staff(request.user, slug)
    status = request.GET.get("status", "")
    if status not in Membership.Status.values:
        status = ""
    filters = {"status": status, "q": request.GET.get("q", "").strip()[:100]}
    memberships = queries.member_rows(network, **filters)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            queries.export_rows(memberships),
            headers=[
                _("Member"),
                _("Kind"),
                _("Country"),
                _("Region"),
                _("Category"),
                _("Status"),
                _("Joined on"),
                _("Left on"),
            ],
            filename=f"{network.slug}-memberships",
            fmt=fmt,
        )

    def body() -> str:
        counts = queries.status_counts(network)
        # Without a name search the list's length is among the counts: it is not counted again.
        known = (
            None if filters["q"] else (counts.get(status, 0) if status else sum(counts.values()))
        )
        page = queries.IdPaginator(memberships, PAGE_SIZE, count=known).get_page(
            request.GET.get("page")
        )
        context = {
            "page": page,
            "status": status,
            "q": filters["q"],
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in Membership.Status.choices
            ],
        }
        return render_to_string("directory/manage/partials/membership_rows.html", context, request)

    # The same for every member of the secretariat (after the access check above), and made only
    # of what the public generations follow (memberships, places, countries): kept under them.
    content = pagecache.fragment(request, f"membership-rows:{network.pk}", body)
    return render(
        request,
        "directory/manage/membership_list.html",
        {"network": network, "body": content},
    )


@login_required
def membership_manage(request, pk):
    membership = get_membership_for_staff(request.user, pk)
    return render(
        request,
        "directory/manage/membership_detail.html",
        {
            "membership": membership,
            "changes": membership.status_changes.select_related("changed_by"),
            "actions": [
                (action, label)
                for action, label in MembershipDecisionForm.ACTIONS
                if action in ACTIONS_BY_STATUS.get(membership.status, [])
            ],
            "mentorings": Mentoring.objects.filter(mentee=membership).select_related(
                "mentor__local_government"
            ),
        },
    )


@login_required
@require_POST
def membership_decide(request, pk):
    membership = get_membership_for_staff(request.user, pk)
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a decision."))
        return redirect(membership)
    action = form.cleaned_data["action"]
    try:
        DECISIONS[action](membership, by=request.user, reason=form.cleaned_data["reason"])
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The decision has been recorded and the member informed."))
    return redirect(membership)


@login_required
def mentoring_list(request, slug):
    network = get_network_for_staff(request.user, slug)
    form = MentoringForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair_mentor(
                data["mentee"],
                data["mentor"],
                by=request.user,
                started_on=data["started_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
            )
        except DirectoryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The mentor has been paired with the new member."))
            return redirect("directory:mentoring-list", slug=network.slug)
    mentorings = network.mentorings.select_related(
        "mentee__local_government__country",
        "mentor__local_government__country",
        "mentee__organisation",
        "mentor__organisation",
    ).order_by("ended_on", "-started_on")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        rows = (
            [m.mentee.member, m.mentor.member, m.started_on, m.ends_on, m.ended_on, m.notes]
            for m in mentorings
        )
        return export_response(
            rows,
            headers=[
                _("New member"),
                _("Mentor city"),
                _("From"),
                _("Planned until"),
                _("Ended on"),
                _("Notes"),
            ],
            filename=f"{network.slug}-mentoring",
            fmt=fmt,
        )
    return render(
        request,
        "directory/manage/mentoring_list.html",
        {"network": network, "form": form, "mentorings": mentorings},
    )


@login_required
@require_POST
def mentoring_end(request, pk):
    mentoring = get_mentoring_for_staff(request.user, pk)
    try:
        end_mentoring(mentoring, by=request.user)
    except DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The mentoring has ended."))
    return redirect("directory:mentoring-list", slug=mentoring.network.slug)


@login_required
def local_government_create(request):
    if not can_create_local_government(request.user):
        raise PermissionDenied
    form = LocalGovernmentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = create_local_government(
                by=request.user,
                name=data["name"],
                country=data["country"],
                kind=data["kind"],
                parent=data["parent"],
                population=data["population"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                other_names=data["other_names"],
            )
        except DirectoryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The place has been added to the directory."))
            return redirect(place)
    return render(
        request,
        "directory/manage/local_government_create.html",
        {"form": form, "cancel_url": reverse("directory:local-government-list")},
    )
