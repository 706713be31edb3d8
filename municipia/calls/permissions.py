"""Who may see and do what in calls, asked alike by pages, the API and the admin.

Applicants act for a local government (its city officers) or an organisation (its representatives);
staff are those who manage the call's network; jurors hold the juror role in the network and an
active seat on the call's jury, and see only the applications assigned to them.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.permissions import (
    can_edit_local_government,
    can_manage_network,
    is_juror,
    is_superuser,
    local_government_ids_with_role,
)
from municipia.calls.models import (
    Application,
    ApplicationFile,
    Assignment,
    Call,
    OrganisationRepresentative,
)
from municipia.directory.models import LocalGovernment, Organisation


def can_view_call(user, call: Call) -> bool:
    return call.status != Call.Status.DRAFT or can_manage_network(user, call.network)


def can_manage_call(user, call: Call) -> bool:
    return can_manage_network(user, call.network)


def can_act_for(user, *, local_government=None, organisation=None) -> bool:
    """May `user` apply on behalf of this local government or organisation?"""
    if local_government is not None:
        return can_edit_local_government(user, local_government)
    if organisation is not None:
        return is_superuser(user) or (
            user.is_authenticated
            and OrganisationRepresentative.objects.filter(
                user=user, organisation=organisation
            ).exists()
        )
    return False


def applicants_for(user, call: Call) -> list:
    """The local governments and organisations `user` may apply for in `call`."""
    if not user.is_authenticated:
        return []
    found = []
    if call.applicants != Call.Applicants.ORGANISATIONS:
        ids = local_government_ids_with_role(user, "city_officer")
        found += list(LocalGovernment.objects.filter(pk__in=ids).order_by("name"))
    if call.applicants != Call.Applicants.LOCAL_GOVERNMENTS:
        found += list(
            Organisation.objects.filter(representatives__user=user).order_by("name").distinct()
        )
    return found


def can_edit_application(user, application: Application) -> bool:
    return can_act_for(
        user,
        local_government=application.local_government,
        organisation=application.organisation,
    )


def can_view_application(user, application: Application) -> bool:
    """Its applicant and the call's staff; jurors see it only through their assignment."""
    return can_edit_application(user, application) or can_manage_call(user, application.call)


def can_view_assignment(user, assignment: Assignment) -> bool:
    """The assigned juror, while the seat and the assignment stand (never after recusal)."""
    juror = assignment.juror
    return (
        user.is_authenticated
        and juror.user_id == user.pk
        and juror.is_active
        and assignment.status == Assignment.Status.ACTIVE
        and is_juror(user, assignment.application.call.network)
        and assignment.application.call.status in (Call.Status.REVIEW, Call.Status.CLOSED)
    )


def can_review(user, assignment: Assignment) -> bool:
    """Scores are given only while the call is in review."""
    return (
        can_view_assignment(user, assignment)
        and assignment.application.call.status == Call.Status.REVIEW
    )


def can_download_file(user, attachment: ApplicationFile) -> tuple[bool, bool]:
    """(may download, must be anonymised): applicant and staff get the file as sent; an assigned
    juror gets it only when its question is shown to the jury, anonymised in a blind call."""
    application = attachment.application
    if can_view_application(user, application):
        return True, False
    if attachment.field_id is not None and not attachment.field.visible_to_jury:
        return False, False
    assignments = Assignment.objects.filter(
        application=application, juror__user=user
    ).select_related("juror", "application__call__network")
    if any(can_view_assignment(user, assignment) for assignment in assignments):
        return True, application.call.blind_review
    return False, False


# Guarded fetchers: 404 for what the user may not know exists, 403 for what they may see but not do.


def get_call_for_view(user, slug: str) -> Call:
    call = get_object_or_404(Call.objects.select_related("network"), slug=slug)
    if not can_view_call(user, call):
        raise Http404
    return call


def get_call_for_management(user, slug: str) -> Call:
    call = get_call_for_view(user, slug)
    if not can_manage_call(user, call):
        raise PermissionDenied
    return call


def get_application_for_applicant(user, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "call__network", "local_government", "organisation", "created_by"
        ),
        pk=pk,
    )
    if not can_view_application(user, application):
        raise Http404
    return application


def get_application_for_editing(user, pk: int) -> Application:
    application = get_application_for_applicant(user, pk)
    if not can_edit_application(user, application):
        raise PermissionDenied
    return application


def get_application_for_management(user, pk: int) -> Application:
    application = get_application_for_applicant(user, pk)
    if not can_manage_call(user, application.call):
        raise PermissionDenied
    return application


def get_assignment_for_review(user, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("juror", "application__call__network"), pk=pk
    )
    if assignment.juror.user_id != user.pk:
        raise Http404
    if not can_view_assignment(user, assignment):
        raise PermissionDenied
    return assignment
