"""The jury: seats, declared conflicts, recusals, and the assignment of reviewers (automatic or by hand).

The same rules decide both: a juror never reviews an applicant from their own city or organisation,
nor one they declared a conflict with, nor (when the call says so) one from their own country, and
always reads the application's language.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import is_juror
from municipia.accounts.services import grant_role
from municipia.calls import assignment as solver
from municipia.calls.models import Application, Assignment, Call, Conflict, JuryMember, Review
from municipia.calls.permissions import can_manage_call
from municipia.calls.services import CallError
from municipia.core.log import log_action


def reason_label(reason: str) -> str:
    return {
        solver.LANGUAGE: _("does not read the application's language"),
        solver.CITY: _("is from the applicant's city"),
        solver.ORGANISATION: _("is from the applicant's organisation"),
        solver.COUNTRY: _("is from the applicant's country"),
        solver.DECLARED: _("declared a conflict of interest"),
    }[reason]


def _check_staff(call: Call, by) -> None:
    if not can_manage_call(by, call):
        raise CallError(_("Only the network's staff may do this."))


@transaction.atomic
def add_jury_member(
    call: Call,
    *,
    user,
    by,
    languages: list[str],
    country=None,
    local_government=None,
    organisation=None,
    expertise: str = "",
    is_chair: bool = False,
) -> JuryMember:
    """Seat `user` on the call's jury, granting the network's juror role if they lack it."""
    _check_staff(call, by)
    if call.status == Call.Status.CLOSED:
        raise CallError(_("The call is closed."))
    if local_government is not None and country is None:
        country = local_government.country
    if not is_juror(user, call.network):
        grant_role(user, Role.Kind.JUROR, by=by, network=call.network)
    member, created = JuryMember.objects.get_or_create(
        call=call,
        user=user,
        defaults={
            "languages": languages,
            "country": country,
            "local_government": local_government,
            "organisation": organisation,
            "expertise": expertise,
            "is_chair": is_chair,
        },
    )
    if not created:
        if member.is_active:
            raise CallError(_("%(user)s is already on this jury.") % {"user": user})
        member.is_active = True
        member.save(update_fields=["is_active", "updated_at"])
    log_action(member, "calls.jury.member_added", user=by)
    return member


@transaction.atomic
def remove_jury_member(member: JuryMember, *, by) -> JuryMember:
    """Take a juror off the jury; their unfinished assignments end, submitted reviews stay."""
    _check_staff(member.call, by)
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    unfinished = member.assignments.active().exclude(review__status=Review.Status.SUBMITTED)
    unfinished.update(status=Assignment.Status.RECUSED, recused_at=timezone.now())
    log_action(member, "calls.jury.member_removed", user=by)
    return member


def conflict_reasons(application: Application, member: JuryMember) -> list[str]:
    """Why `member` may not review `application` (the solver's reasons); empty when they may."""
    call = application.call
    applicant = solver.Candidate(
        language=application.language,
        country=application.applicant_country_id,
        city=application.local_government_id,
        organisation=application.organisation_id,
    )
    reviewer = _reviewer(member)
    declared = (
        member.conflicts.filter(application=application).exists()
        or (
            application.local_government_id is not None
            and member.conflicts.filter(local_government=application.local_government_id).exists()
        )
        or (
            application.organisation_id is not None
            and member.conflicts.filter(organisation=application.organisation_id).exists()
        )
    )
    counts = solver.explain(
        applicant, [reviewer], same_country=call.same_country_conflict, declared=int(declared)
    )
    return [reason for reason, count in counts.items() if count]


def _reviewer(member: JuryMember) -> solver.Reviewer:
    return solver.Reviewer(
        languages=frozenset(member.languages),
        country=member.country_id,
        city=member.local_government_id,
        organisation=member.organisation_id,
    )


@transaction.atomic
def declare_conflict(
    member: JuryMember,
    *,
    by,
    application: Application | None = None,
    local_government=None,
    organisation=None,
    reason: str = "",
) -> Conflict:
    """Record a conflict of interest; the juror's assignments it touches end at once (recusal)."""
    if by.pk != member.user_id and not can_manage_call(by, member.call):
        raise CallError(_("Only the juror or the network's staff may declare this conflict."))
    if application is None and local_government is None and organisation is None:
        raise CallError(_("Say with whom the conflict is."))
    if application is not None and application.call_id != member.call_id:
        raise CallError(_("This application is not in the juror's call."))
    conflict = Conflict.objects.create(
        jury_member=member,
        application=application,
        local_government=local_government,
        organisation=organisation,
        reason=(reason or "").strip()[:300],
        declared_by=by,
    )
    touched = member.assignments.active()
    if application is not None:
        touched = touched.filter(application=application)
    elif local_government is not None:
        touched = touched.filter(application__local_government=local_government)
    else:
        touched = touched.filter(application__organisation=organisation)
    touched.update(status=Assignment.Status.RECUSED, recused_at=timezone.now())
    log_action(conflict, "calls.jury.conflict_declared", user=by)
    return conflict


def recuse(assignment: Assignment, *, by, reason: str = "") -> Assignment:
    """The juror steps back from one application: a declared conflict, and the assignment ends."""
    if assignment.status != Assignment.Status.ACTIVE:
        raise CallError(_("This assignment has already ended."))
    declare_conflict(assignment.juror, by=by, application=assignment.application, reason=reason)
    assignment.refresh_from_db()
    return assignment


def _declared_masks(call: Call, applications, members) -> dict[int, int]:
    position = {member.pk: index for index, member in enumerate(members)}
    by_application, by_city, by_organisation = {}, {}, {}
    for conflict in Conflict.objects.filter(jury_member__call=call):
        bit = 1 << position[conflict.jury_member_id] if conflict.jury_member_id in position else 0
        for target, key in (
            (by_application, conflict.application_id),
            (by_city, conflict.local_government_id),
            (by_organisation, conflict.organisation_id),
        ):
            if key is not None:
                target[key] = target.get(key, 0) | bit
    return {
        index: by_application.get(application.pk, 0)
        | by_city.get(application.local_government_id, 0)
        | by_organisation.get(application.organisation_id, 0)
        for index, application in enumerate(applications)
    }


@transaction.atomic
def assign_reviewers(call: Call, *, by, now=None) -> dict:
    """Give every submitted application the call's number of reviewers, keeping what exists.

    Conflicts and languages are respected and loads balanced (see `calls.assignment`). Returns the
    report, also kept on the call: how many were assigned, and why any application is short.
    """
    _check_staff(call, by)
    if call.status != Call.Status.REVIEW:
        raise CallError(_("Reviewers are assigned once the call is in review."))
    call = Call.objects.select_for_update().get(pk=call.pk)
    applications = list(
        Application.objects.for_call(call)
        .submitted()
        .select_related("local_government", "organisation")
        .order_by("pk")
    )
    members = list(call.jury.filter(is_active=True).select_related("user").order_by("pk"))
    if not members:
        raise CallError(_("The jury has no members yet."))
    position = {member.pk: index for index, member in enumerate(members)}
    existing = Assignment.objects.filter(application__call=call).values_list(
        "application_id", "juror_id", "status"
    )
    taken: dict[int, int] = {}  # application → bitset of jurors already assigned or recused
    active: dict[int, int] = {}
    base_load = [0] * len(members)
    for application_id, juror_id, status in existing:
        if juror_id not in position:
            continue
        bit = 1 << position[juror_id]
        taken[application_id] = taken.get(application_id, 0) | bit
        if status == Assignment.Status.ACTIVE:
            active[application_id] = active.get(application_id, 0) + 1
            base_load[position[juror_id]] += 1

    candidates = [
        solver.Candidate(
            language=a.language,
            country=a.applicant_country_id,
            city=a.local_government_id,
            organisation=a.organisation_id,
        )
        for a in applications
    ]
    reviewers = [_reviewer(member) for member in members]
    declared = _declared_masks(call, applications, members)
    eligible = solver.eligibility(
        candidates, reviewers, same_country=call.same_country_conflict, declared=declared
    )
    eligible = [mask & ~taken.get(a.pk, 0) for mask, a in zip(eligible, applications, strict=True)]
    wanted = call.reviewers_per_application
    need = [max(0, wanted - active.get(a.pk, 0)) for a in applications]
    solution = solver.assign(
        eligible, need, len(members), base_load=base_load, max_load=call.max_load
    )

    Assignment.objects.bulk_create(
        Assignment(
            application=applications[index],
            juror=members[reviewer],
            method=Assignment.Method.AUTOMATIC,
            assigned_by=by,
        )
        for index, chosen in enumerate(solution.chosen)
        for reviewer in chosen
    )
    short = []
    for index, missing in sorted(solution.short.items()):
        application = applications[index]
        reasons = solver.explain(
            candidates[index],
            reviewers,
            same_country=call.same_country_conflict,
            declared=declared.get(index, 0),
        )
        short.append(
            {
                "application": application.pk,
                "code": application.code,
                "missing": missing,
                "possible": eligible[index].bit_count(),
                "excluded": {reason: count for reason, count in reasons.items() if count},
            }
        )
    report = {
        "at": (now or timezone.now()).isoformat(),
        "applications": len(applications),
        "jurors": len(members),
        "created": sum(len(chosen) for chosen in solution.chosen),
        "complete": len(applications) - len(short),
        "short": short,
        "loads": {str(member.pk): solution.loads[i] for i, member in enumerate(members)},
    }
    call.assignment_report = report
    call.save(update_fields=["assignment_report", "updated_at"])
    log_action(
        call,
        "calls.jury.assigned",
        user=by,
        data={"created": report["created"], "short": len(short)},
    )
    return report


@transaction.atomic
def add_assignment(application: Application, member: JuryMember, *, by) -> Assignment:
    """Assign a juror by hand, under the same rules as the automatic assignment."""
    call = application.call
    _check_staff(call, by)
    if call.status != Call.Status.REVIEW:
        raise CallError(_("Reviewers are assigned once the call is in review."))
    if member.call_id != call.pk or not member.is_active:
        raise CallError(_("This juror is not on the call's jury."))
    if application.status != Application.Status.SUBMITTED:
        raise CallError(_("Only submitted applications are reviewed."))
    # As `assign_reviewers` does: two assignments of one juror, or a juror's load, cannot change
    # under our feet between the checks below and the write.
    Call.objects.select_for_update().only("pk").get(pk=call.pk)
    previous = Assignment.objects.filter(application=application, juror=member).first()
    if previous is not None:
        if previous.status == Assignment.Status.RECUSED:
            raise CallError(_("This juror has recused themselves from this application."))
        raise CallError(_("This juror is already assigned to this application."))
    if reasons := conflict_reasons(application, member):
        raise CallError(
            _("%(juror)s may not review this application: %(reasons)s.")
            % {"juror": member, "reasons": "; ".join(reason_label(r) for r in reasons)}
        )
    if call.max_load is not None and member.assignments.active().count() >= call.max_load:
        raise CallError(
            _("%(juror)s already has %(n)s applications, the most this call allows.")
            % {"juror": member, "n": call.max_load}
        )
    assignment = Assignment.objects.create(
        application=application, juror=member, method=Assignment.Method.MANUAL, assigned_by=by
    )
    log_action(assignment, "calls.jury.assignment_added", user=by)
    return assignment


@transaction.atomic
def remove_assignment(assignment: Assignment, *, by) -> None:
    """Take an application back from a juror who has not submitted a review of it."""
    _check_staff(assignment.application.call, by)
    if Review.objects.filter(assignment=assignment, status=Review.Status.SUBMITTED).exists():
        raise CallError(_("This review is submitted; it cannot be taken back."))
    log_action(
        assignment.application,
        "calls.jury.assignment_removed",
        user=by,
        data={"juror": assignment.juror_id},
    )
    assignment.delete()
