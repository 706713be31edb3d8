"""Business actions of the directory: places created by hand, city profiles, memberships and their
joining workflow, member imports, mentoring, and consent.

Every change goes through a function here, so pages, the API, the admin and imports behave alike:
each checks who acts, writes in one transaction, logs with `log_action`, and sends e-mail only after
the commit (through `core.background.enqueue`).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.accounts.models import User
from municipia.accounts.permissions import can_edit_local_government
from municipia.core.background import enqueue
from municipia.core.db import refuse_duplicates, save_with_unique_slug
from municipia.core.jobs import create_job, jobs_about, queue_job, requeue_job
from municipia.core.log import log_action
from municipia.core.models import Job
from municipia.directory import tasks
from municipia.directory.imports import remember_columns
from municipia.directory.models import (
    Consent,
    Country,
    LocalGovernment,
    MemberImport,
    MemberImportRow,
    Membership,
    MembershipStatusChange,
    Mentoring,
    Network,
    Organisation,
    Person,
)
from municipia.directory.permissions import (
    can_apply_for_membership,
    can_create_local_government,
    can_edit_person,
    can_manage_members,
)


class DirectoryError(Exception):
    """A user-facing reason why a directory action cannot happen."""


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    base = slugify(text)[:max_length] or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Places ---


@transaction.atomic
def create_local_government(
    *,
    by: User,
    name: str,
    country: Country,
    kind: str,
    parent: LocalGovernment | None = None,
    population: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    official_languages: list[str] | None = None,
    other_names: list[tuple[str, str]] | None = None,
) -> LocalGovernment:
    """Add a place the gazetteer lacks (a metropolitan area, a region), searchable by every name."""
    if not can_create_local_government(by):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise DirectoryError(_("Please give the place a name."))
    if parent is not None and parent.country_id != country.pk:
        raise DirectoryError(_("A place can only be part of a place in the same country."))
    place = LocalGovernment(
        name=name,
        kind=kind,
        country=country,
        parent=parent,
        population=population,
        latitude=latitude,
        longitude=longitude,
        official_languages=official_languages or list(country.languages),
    )
    save_with_unique_slug(place, lambda: unique_slug(LocalGovernment, f"{name}-{country.code}"))
    place.sync_names(tuple(other_names or ()))
    log_action(place, "directory.local_government.created", user=by, data={"kind": kind})
    return place


@transaction.atomic
def update_local_government_profile(
    local_government: LocalGovernment, *, by: User, **changes
) -> LocalGovernment:
    """What a city officer may change on their city's public profile."""
    if not can_edit_local_government(by, local_government):
        raise PermissionDenied
    allowed = {"website", "description", "official_languages", "population"}
    if unknown := set(changes) - allowed:
        raise ValueError(f"not a profile field: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(local_government, name, value)
    local_government.save(update_fields=[*changes, "updated_at"])
    log_action(
        local_government,
        "directory.local_government.profile_updated",
        user=by,
        data={"fields": sorted(changes)},
    )
    return local_government


# --- Memberships ---


def _record_change(membership: Membership, old: str, *, by, reason: str) -> MembershipStatusChange:
    change = MembershipStatusChange.objects.create(
        membership=membership,
        from_status=old,
        to_status=membership.status,
        reason=reason,
        changed_by=by if by is not None and by.is_authenticated else None,
    )
    log_action(
        membership,
        f"directory.membership.{membership.status}",
        user=by,
        data={"from": old, "reason": reason},
    )
    enqueue(tasks.send_membership_notice, change_id=change.pk)
    return change


@transaction.atomic
def apply_for_membership(
    network: Network,
    local_government: LocalGovernment,
    *,
    by: User,
    category: str = Membership.Category.FULL,
    message: str = "",
) -> Membership:
    """A city officer applies for their city; the network's staff are told by e-mail."""
    if not can_apply_for_membership(by, local_government):
        raise PermissionDenied
    if not network.is_published:
        raise DirectoryError(_("This network does not take applications."))
    membership = (
        Membership.objects.select_for_update()
        .filter(network=network, local_government=local_government)
        .first()
    )
    today = timezone.localdate()
    if membership is None:
        membership = Membership(network=network, local_government=local_government, status="")
    else:
        _check_can_apply(membership)
    old = membership.status
    membership.status = Membership.Status.APPLICANT
    membership.category = category
    membership.applied_on = today
    membership.applied_by = by
    membership.application_message = message
    membership.status_reason = ""
    # A concurrent application for the same city may have made the row since it was looked up.
    with refuse_duplicates(lambda: _refusal_for(network, local_government)):
        membership.save()
    _record_change(membership, old, by=by, reason=message)
    return membership


def _check_can_apply(membership: Membership) -> None:
    if membership.status == Membership.Status.APPLICANT:
        raise DirectoryError(
            _("%(city)s has already applied to %(network)s.")
            % {"city": membership.local_government, "network": membership.network}
        )
    if not membership.can_become(Membership.Status.APPLICANT):
        raise DirectoryError(
            _("%(city)s is already a member of %(network)s.")
            % {"city": membership.local_government, "network": membership.network}
        )


def _refusal_for(network: Network, local_government: LocalGovernment) -> DirectoryError:
    """What to tell an applicant who lost the race: the reason the winner's row now gives."""
    membership = (
        Membership.objects.filter(network=network, local_government=local_government)
        .select_related("network", "local_government")
        .first()
    )
    try:
        if membership is not None:
            _check_can_apply(membership)
    except DirectoryError as error:
        return error
    return DirectoryError(
        _("%(city)s has already applied to %(network)s.")
        % {"city": local_government, "network": network}
    )


REASON_REQUIRED = {Membership.Status.REFUSED, Membership.Status.SUSPENDED}


@transaction.atomic
def change_membership_status(
    membership: Membership,
    status: str,
    *,
    by: User | None,
    reason: str = "",
    on: datetime.date | None = None,
    check_permission: bool = True,
) -> Membership:
    """Move a membership along its life (see `Membership.TRANSITIONS`), log it and tell the city."""
    if check_permission and not can_manage_members(by, membership.network):
        raise PermissionDenied
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    reason = reason.strip()
    if not membership.can_become(status):
        raise DirectoryError(
            _("A membership that is “%(old)s” cannot become “%(new)s”.")
            % {"old": membership.get_status_display(), "new": Membership.Status(status).label}
        )
    if status in REASON_REQUIRED and not reason:
        raise DirectoryError(_("Please give a reason; the member will read it."))
    on = on or timezone.localdate()
    old = membership.status
    membership.status = status
    membership.status_reason = reason
    if status == Membership.Status.ACTIVE and old == Membership.Status.SUSPENDED:
        membership.joined_on = membership.joined_on or on
    elif status == Membership.Status.ACTIVE:
        membership.joined_on = on
        membership.left_on = None
    if status == Membership.Status.LEFT:
        membership.left_on = on
    membership.save()
    _record_change(membership, old, by=by, reason=reason)
    return membership


def approve_membership(
    membership: Membership, *, by: User, on=None, reason: str = ""
) -> Membership:
    return change_membership_status(
        membership, Membership.Status.ACTIVE, by=by, on=on, reason=reason
    )


def refuse_membership(membership: Membership, *, by: User, reason: str) -> Membership:
    return change_membership_status(membership, Membership.Status.REFUSED, by=by, reason=reason)


def suspend_membership(membership: Membership, *, by: User, reason: str) -> Membership:
    return change_membership_status(membership, Membership.Status.SUSPENDED, by=by, reason=reason)


def reinstate_membership(membership: Membership, *, by: User, reason: str = "") -> Membership:
    return change_membership_status(membership, Membership.Status.ACTIVE, by=by, reason=reason)


def end_membership(membership: Membership, *, by: User, on=None, reason: str = "") -> Membership:
    return change_membership_status(membership, Membership.Status.LEFT, by=by, on=on, reason=reason)


@transaction.atomic
def add_member(
    network: Network,
    *,
    by: User,
    local_government: LocalGovernment | None = None,
    organisation: Organisation | None = None,
    category: str = Membership.Category.FULL,
    status: str = Membership.Status.ACTIVE,
    joined_on: datetime.date | None = None,
    notify: bool = True,
) -> tuple[Membership, bool]:
    """Staff record a member directly (or update one); returns (membership, created)."""
    if not can_manage_members(by, network):
        raise PermissionDenied
    membership, created = Membership.objects.get_or_create(
        network=network,
        local_government=local_government,
        organisation=organisation,
        defaults={"category": category, "status": status, "joined_on": joined_on},
    )
    if created:
        change = MembershipStatusChange.objects.create(
            membership=membership, from_status="", to_status=status, changed_by=by
        )
        log_action(membership, "directory.membership.added", user=by, data={"status": status})
        if notify:
            enqueue(tasks.send_membership_notice, change_id=change.pk)
        return membership, True
    changed = []
    if membership.category != category:
        membership.category = category
        changed.append("category")
    if joined_on and membership.joined_on != joined_on:
        membership.joined_on = joined_on
        changed.append("joined_on")
    if changed:
        membership.save(update_fields=[*changed, "updated_at"])
        log_action(membership, "directory.membership.updated", user=by, data={"fields": changed})
    if membership.status != status:
        change_membership_status(
            membership, status, by=by, reason=_("Recorded by the network staff.")
        )
    return membership, False


# --- Mentoring ---


@transaction.atomic
def pair_mentor(
    mentee: Membership,
    mentor: Membership,
    *,
    by: User,
    started_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    notes: str = "",
) -> Mentoring:
    """Pair a new member with an active member city of the same network that accompanies it."""
    network = mentee.network
    if not can_manage_members(by, network):
        raise PermissionDenied
    if mentor.network_id != mentee.network_id:
        raise DirectoryError(_("The mentor must be a member of the same network."))
    if mentor.pk == mentee.pk:
        raise DirectoryError(_("A member cannot mentor itself."))
    if mentor.status != Membership.Status.ACTIVE:
        raise DirectoryError(_("The mentor must be an active member."))
    if mentee.status not in (Membership.Status.APPLICANT, Membership.Status.ACTIVE):
        raise DirectoryError(_("Only applicants and active members can be mentored."))
    started_on = started_on or timezone.localdate()
    if ends_on and ends_on < started_on:
        raise DirectoryError(_("The mentoring cannot end before it starts."))
    if Mentoring.objects.open().filter(mentee=mentee).exists():
        raise DirectoryError(_("This member already has a mentor."))
    with refuse_duplicates(DirectoryError(_("This member already has a mentor."))):
        mentoring = Mentoring.objects.create(
            network=network,
            mentee=mentee,
            mentor=mentor,
            started_on=started_on,
            ends_on=ends_on,
            notes=notes,
        )
    log_action(
        mentoring,
        "directory.mentoring.paired",
        user=by,
        data={"mentor": mentor.pk, "mentee": mentee.pk},
    )
    return mentoring


@transaction.atomic
def end_mentoring(mentoring: Mentoring, *, by: User, on: datetime.date | None = None) -> Mentoring:
    if not can_manage_members(by, mentoring.network):
        raise PermissionDenied
    if mentoring.ended_on is not None:
        raise DirectoryError(_("This mentoring has already ended."))
    on = on or timezone.localdate()
    if on < mentoring.started_on:
        raise DirectoryError(_("The mentoring cannot end before it starts."))
    mentoring.ended_on = on
    mentoring.save(update_fields=["ended_on", "updated_at"])
    log_action(mentoring, "directory.mentoring.ended", user=by)
    return mentoring


# --- People and consent ---


@transaction.atomic
def record_consent(
    person: Person,
    scope: str,
    *,
    by: User,
    statement: str,
    evidence: str,
    network: Network | None = None,
    given_at: datetime.datetime | None = None,
) -> Consent:
    """Record what the person agreed to be shown, how, and when (the person or staff record it)."""
    allowed = can_edit_person(by, person) or (
        network is not None and can_manage_members(by, network)
    )
    if not allowed:
        raise PermissionDenied
    if scope == Consent.Scope.EXPERT_DIRECTORY and network is None:
        raise DirectoryError(_("Say which network's community of experts lists the person."))
    if not statement.strip() or not evidence.strip():
        raise DirectoryError(_("Record the words agreed to and how the consent was given."))
    if scope != Consent.Scope.EXPERT_DIRECTORY:
        network = None
    already = DirectoryError(_("This consent is already recorded."))
    if person.consents.active().filter(scope=scope, network=network).exists():
        raise already
    with refuse_duplicates(already):
        consent = Consent.objects.create(
            person=person,
            scope=scope,
            network=network,
            statement=statement.strip(),
            evidence=evidence.strip(),
            given_at=given_at or timezone.now(),
            recorded_by=by,
        )
    log_action(consent, "directory.consent.given", user=by, data={"scope": scope})
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: User) -> Consent:
    """Withdrawal takes effect at once: the listing and the contact details disappear."""
    allowed = can_edit_person(by, consent.person) or (
        consent.network is not None and can_manage_members(by, consent.network)
    )
    if not allowed:
        raise PermissionDenied
    if consent.withdrawn_at is not None:
        raise DirectoryError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at", "updated_at"])
    log_action(consent, "directory.consent.withdrawn", user=by, data={"scope": consent.scope})
    return consent


# --- Member imports ---

PREVIEW_JOB = "directory.member_import.preview"
WRITE_JOB = "directory.member_import.write"
_TASKS = {PREVIEW_JOB: tasks.preview_member_import, WRITE_JOB: tasks.write_member_import}


def _check_import(member_import: MemberImport, by: User) -> None:
    if not can_manage_members(by, member_import.network):
        raise PermissionDenied
    if jobs_about(member_import, WRITE_JOB).exists():
        raise DirectoryError(_("This file is being written or was written already."))


def _queue(member_import: MemberImport, kind: str, by: User) -> Job:
    job = create_job(
        kind=kind,
        owner=by,
        subject=member_import,
        result_url=member_import.get_absolute_url(),
    )
    queue_job(job, _TASKS[kind], import_id=member_import.pk)
    return job


@transaction.atomic
def start_member_import(network: Network, *, by: User, filename: str, data: bytes) -> MemberImport:
    """Keep an uploaded member list and queue its preview (reading and matching every row) in the
    background; nothing else is written until the person confirms."""
    if not can_manage_members(by, network):
        raise PermissionDenied
    member_import = MemberImport.objects.create(
        network=network, owner=by, filename=filename[:255], data=data
    )
    _queue(member_import, PREVIEW_JOB, by)
    return member_import


@transaction.atomic
def set_import_columns(
    member_import: MemberImport, *, by: User, heading_row: int, columns: list[str]
) -> None:
    """Record which row names the columns and which field each column holds (remembered for the
    network's next files), then check the file again."""
    _check_import(member_import, by)
    same_heading = heading_row == member_import.heading_row
    member_import.heading_row, member_import.columns = heading_row, columns
    member_import.save(update_fields=["heading_row", "columns", "updated_at"])
    if same_heading:
        remember_columns(member_import)
    _queue(member_import, PREVIEW_JOB, by)


@transaction.atomic
def choose_import_rows(member_import: MemberImport, *, by: User, choices: dict[int, str]) -> int:
    """Record what to do with rows the preview could not settle: `choices` maps a row's id to a
    candidate's id, "create" (make the place from the file's data) or "skip"; returns how many."""
    _check_import(member_import, by)
    rows = list(
        member_import.rows.filter(
            pk__in=choices,
            outcome__in=[MemberImportRow.Outcome.CHOOSE, MemberImportRow.Outcome.MISSING],
        )
    )
    for row in rows:
        value = str(choices[row.pk])
        if value in (MemberImportRow.Choice.CREATE, MemberImportRow.Choice.SKIP):
            row.choice, row.local_government_id = value, None
        elif value.isdigit() and int(value) in {c["id"] for c in row.candidates}:
            row.choice, row.local_government_id = MemberImportRow.Choice.PLACE, int(value)
        else:
            raise DirectoryError(
                _("Row %(line)d: that is not one of its candidates.") % {"line": row.line}
            )
    MemberImportRow.objects.bulk_update(rows, ["choice", "local_government"])
    return len(rows)


@transaction.atomic
def start_member_write(member_import: MemberImport, *, by: User, create_missing: bool) -> Job:
    """Queue the writing of a checked file's members; places not found are created from the
    file's data (marked for review) when `create_missing`, else left out."""
    _check_import(member_import, by)
    if "ready" not in member_import.summary:
        raise DirectoryError(_("This file has not been checked yet; nothing was written."))
    member_import.create_missing = create_missing
    member_import.save(update_fields=["create_missing", "updated_at"])
    return _queue(member_import, WRITE_JOB, by)


@transaction.atomic
def retry_import_job(member_import: MemberImport, job: Job, *, by: User) -> None:
    """Run a failed preview or write again; a write resumes after its last committed batch."""
    if not can_manage_members(by, member_import.network):
        raise PermissionDenied
    if job.status != Job.Status.FAILED or job.kind not in _TASKS:
        raise DirectoryError(_("Only work that stopped on an error can be run again."))
    requeue_job(job, _TASKS[job.kind], import_id=member_import.pk)
