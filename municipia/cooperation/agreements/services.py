"""Business actions on agreements: record or edit one with its parties and signatories, move its
status, add documents, end or renew those whose period is over, and remind of coming ends.

Every function is one transaction that checks, then writes: a refusal (`CooperationError`, a
translated sentence) leaves the database as it was.
"""

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.accounts.permissions import (
    can_manage_network,
    local_government_ids_with_role,
)
from municipia.cooperation.agreements import notifications
from municipia.cooperation.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementImport,
    AgreementParty,
    AgreementReminder,
    AgreementSignatory,
    AgreementStatusChange,
)
from municipia.cooperation.services import CooperationError, check_documents, save_documents
from municipia.core.jobs import create_job, queue_job
from municipia.core.log import log_action
from municipia.directory.models import LocalGovernment, Organisation

FIELDS = (
    "kind",
    "title",
    "summary",
    "language",
    "signed_on",
    "starts_on",
    "ends_on",
    "duration_months",
    "renewal",
    "renewal_months",
    "is_public",
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _unique(model, field: str, value: str) -> str:
    candidate, n = value, 2
    while model.objects.filter(**{field: candidate}).exists():
        candidate, n = f"{value}-{n}", n + 1
    return candidate


def _next_reference(network) -> str:
    prefix = (slugify(network.acronym) or network.slug).upper()[:20]
    count = Agreement.objects.filter(network=network).count() + 1
    return _unique(Agreement, "reference", f"{prefix}-A{count:04d}")


def _party_key(party) -> tuple[str, int]:
    return ("city" if isinstance(party, LocalGovernment) else "organisation", party.pk)


def check_parties(parties) -> list:
    """Two parties at least, each named once, each a local government or an organisation."""
    seen = set()
    for party in parties:
        if not isinstance(party, LocalGovernment | Organisation):
            raise CooperationError(_("A party is a local government or an organisation."))
        key = _party_key(party)
        if key in seen:
            raise CooperationError(
                _("%(party)s is named twice among the parties.") % {"party": party}
            )
        seen.add(key)
    if len(seen) < 2:
        raise CooperationError(_("An agreement binds two parties at least."))
    return list(parties)


def _check_values(values: dict) -> dict:
    values = {**values}
    values["title"] = (values.get("title") or "").strip()
    values["summary"] = (values.get("summary") or "").strip()
    if not values["title"]:
        raise CooperationError(_("An agreement needs a title."))
    if values.get("kind") not in Agreement.Kind.values:
        raise CooperationError(_("Choose the type of agreement."))
    values["renewal"] = values.get("renewal") or Agreement.Renewal.NONE
    if values["renewal"] not in Agreement.Renewal.values:
        raise CooperationError(_("Choose how the agreement is renewed."))
    start = values.get("starts_on") or values.get("signed_on")
    if not values.get("ends_on") and values.get("duration_months") and start:
        values["ends_on"] = add_months(start, values["duration_months"]) - datetime.timedelta(1)
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise CooperationError(_("The agreement ends before it starts."))
    signed_on = values.get("signed_on")
    if signed_on and ends_on and ends_on < signed_on:
        raise CooperationError(_("The agreement ends before it is signed."))
    if values["renewal"] == Agreement.Renewal.TACIT and not (
        values.get("renewal_months") or values.get("duration_months")
    ):
        raise CooperationError(_("Say for how many months a tacit renewal extends the agreement."))
    return values


def check_author(by, network, parties) -> None:
    """The network's staff record any agreement; a city's officer only one their city is party
    to."""
    if can_manage_network(by, network):
        return
    cities = local_government_ids_with_role(by, "city_officer")
    if not any(isinstance(p, LocalGovernment) and p.pk in cities for p in parties):
        raise CooperationError(_("Name your own local government among the parties."))


def _write_parties(agreement: Agreement, parties, signatories) -> None:
    agreement.parties.all().delete()  # signatories go with their parties
    agreement.signatories.all().delete()
    rows = {}
    for position, party in enumerate(parties):
        rows[_party_key(party)] = AgreementParty.objects.create(
            agreement=agreement,
            position=position,
            local_government=party if isinstance(party, LocalGovernment) else None,
            organisation=party if isinstance(party, Organisation) else None,
        )
    people = set()
    for person, capacity, party in signatories:
        if person.pk in people:
            raise CooperationError(
                _("%(person)s is named twice among the signatories.") % {"person": person}
            )
        people.add(person.pk)
        row = None
        if party is not None:
            row = rows.get(_party_key(party))
            if row is None:
                raise CooperationError(
                    _("%(person)s signs for %(party)s, which is not a party.")
                    % {"person": person, "party": party}
                )
        AgreementSignatory.objects.create(
            agreement=agreement, person=person, capacity=(capacity or "")[:200], party=row
        )


@transaction.atomic
def save_agreement(
    network,
    *,
    by,
    values: dict,
    parties,
    signatories=(),
    projects=None,
    activities=None,
    files=(),
    status: str = Agreement.Status.DRAFT,
    agreement: Agreement | None = None,
) -> Agreement:
    """Record a new agreement (or rewrite `agreement`) with its parties, signatories (person,
    capacity, party or None), the projects and plan activities it covers and its documents.

    Refused, writing nothing: an end before the start, a party named twice, fewer than two
    parties, a signatory for no party, a refused document, an author who is not entitled."""
    values = _check_values(values)
    parties = check_parties(parties)
    check_author(by, network, parties)
    checked = check_documents(files)
    if agreement is None:
        if status not in Agreement.Status.values:
            raise CooperationError(_("Choose the status of the agreement."))
        reference = values.pop("reference", "") or _next_reference(network)
        if Agreement.objects.filter(reference=reference).exists():
            raise CooperationError(
                _("Another agreement has the reference %(reference)s.") % {"reference": reference}
            )
        agreement = Agreement(
            network=network,
            reference=reference,
            slug=_unique(Agreement, "slug", slugify(f"{reference}-{values['title']}")[:100]),
            status=status,
            created_by=by,
        )
        created = True
    else:
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        created = False
    for field in FIELDS:
        if field in values:
            setattr(agreement, field, values[field])
    agreement.save()
    _write_parties(agreement, parties, signatories)
    if projects is not None:
        agreement.projects.set(projects)
    if activities is not None:
        agreement.activities.set(activities)
    save_documents(
        checked, lambda: AgreementDocument(agreement=agreement), prefix=agreement.pk, by=by
    )
    if created:
        AgreementStatusChange.objects.create(
            agreement=agreement,
            to_status=agreement.status,
            ends_on=agreement.ends_on,
            changed_by=by,
        )
    log_action(
        agreement,
        "cooperation.agreement.created" if created else "cooperation.agreement.changed",
        user=by,
    )
    return agreement


@transaction.atomic
def add_agreement_documents(agreement: Agreement, files, *, by) -> int:
    checked = check_documents(files)
    if not checked:
        raise CooperationError(_("Choose a document."))
    save_documents(
        checked, lambda: AgreementDocument(agreement=agreement), prefix=agreement.pk, by=by
    )
    log_action(agreement, "cooperation.agreement.documents", user=by, data={"count": len(checked)})
    return len(checked)


def _status_label(value: str) -> str:
    return str(Agreement.Status(value).label).lower() if value in Agreement.Status.values else value


@transaction.atomic
def change_agreement_status(
    agreement: Agreement, *, to: str, by=None, note: str = "", ends_on=None
) -> Agreement:
    """Move the agreement along draft → in force → expired, terminated or renewed, keeping each
    move. A renewal sets the new end: the date given, else the old end plus the renewal period."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to not in Agreement.TRANSITIONS.get(agreement.status, ()):
        raise CooperationError(
            _("An agreement that is %(current)s cannot become %(new)s.")
            % {"current": _status_label(agreement.status), "new": _status_label(to)}
        )
    if to == Agreement.Status.RENEWED:
        months = agreement.renewal_months or agreement.duration_months
        if ends_on is None and agreement.ends_on and months:
            ends_on = add_months(agreement.ends_on, months)
        if ends_on is None:
            raise CooperationError(_("Give the new end date of the renewed agreement."))
        if agreement.ends_on and ends_on <= agreement.ends_on:
            raise CooperationError(_("A renewal ends after the agreement's current end."))
        agreement.ends_on = ends_on
    previous = agreement.status
    agreement.status = to
    agreement.save(update_fields=["status", "ends_on", "updated_at"])
    AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status=previous,
        to_status=to,
        ends_on=agreement.ends_on,
        note=note,
        changed_by=by,
    )
    log_action(
        agreement, "cooperation.agreement.status", user=by, data={"from": previous, "to": to}
    )
    return agreement


def reminder_thresholds() -> list[int]:
    return sorted(settings.MUNICIPIA_AGREEMENT_REMINDER_DAYS)


def end_past_agreements(today: datetime.date | None = None) -> dict:
    """Agreements in force whose end has passed: renewed where the renewal is tacit, else
    expired. Returns the counts."""
    today = today or timezone.localdate()
    counts = {"renewed": 0, "expired": 0}
    past = Agreement.objects.filter(status__in=Agreement.ACTIVE, ends_on__lt=today)
    for agreement in past.order_by("pk"):
        tacit = agreement.renewal == Agreement.Renewal.TACIT
        to = Agreement.Status.RENEWED if tacit else Agreement.Status.EXPIRED
        note = _("Renewed tacitly at the end of its period.") if tacit else ""
        ends_on = None
        if tacit:
            # Several periods may have passed unnoticed: renew until the end is ahead.
            months = agreement.renewal_months or agreement.duration_months
            ends_on = agreement.ends_on
            while ends_on < today:
                ends_on = add_months(ends_on, months)
        change_agreement_status(agreement, to=to, note=note, ends_on=ends_on)
        counts[to] += 1
    return counts


def send_agreement_reminders(today: datetime.date | None = None) -> int:
    """Remind the network's staff and the party cities' officers of agreements whose end (or
    tacit renewal) comes within a threshold (90, 60, 30 days by default); return how many
    reminders were sent. One reminder per agreement, threshold and end date: running again sends
    none, and an agreement first seen at 40 days gets the 60-day reminder only."""
    today = today or timezone.localdate()
    thresholds = reminder_thresholds()
    if not thresholds:
        return 0
    due = (
        Agreement.objects.filter(
            status__in=Agreement.ACTIVE,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=thresholds[-1]),
        )
        .select_related("network")
        .prefetch_related(
            Prefetch(
                "parties",
                AgreementParty.objects.select_related("local_government", "organisation"),
            )
        )
        .order_by("ends_on", "pk")
    )
    sent = 0
    for agreement in due:
        days_left = (agreement.ends_on - today).days
        threshold = next(t for t in thresholds if days_left <= t)
        with transaction.atomic():
            reminder, created = AgreementReminder.objects.get_or_create(
                agreement=agreement, days_before=threshold, ends_on=agreement.ends_on
            )
            if not created:
                continue
            reminder.recipients = notifications.send_agreement_reminder(agreement, days_left)
            reminder.save(update_fields=["recipients"])
        sent += 1
    return sent


# --- Imports (the reading and matching: imports.py; run in the background by tasks.py) ----------

PREVIEW_JOB = "cooperation.agreement_import.preview"
WRITE_JOB = "cooperation.agreement_import.write"


def _queue_import(agreement_import, kind: str, by):
    from municipia.cooperation.agreements import tasks  # tasks import this module

    job = create_job(
        kind=kind,
        owner=by,
        subject=agreement_import,
        result_url=agreement_import.get_absolute_url(),
    )
    task = tasks.preview_agreement_import if kind == PREVIEW_JOB else tasks.write_agreement_import
    queue_job(job, task, import_id=agreement_import.pk)
    return job


@transaction.atomic
def start_agreement_import(network, *, by, filename: str, data: bytes) -> AgreementImport:
    """Keep an uploaded agreements file and queue its preview; nothing else is written until the
    person confirms."""
    if not can_manage_network(by, network):
        raise CooperationError(_("Only the network's staff import agreements."))
    agreement_import = AgreementImport.objects.create(
        network=network, owner=by, filename=filename[:255], data=data
    )
    _queue_import(agreement_import, PREVIEW_JOB, by)
    return agreement_import


@transaction.atomic
def set_agreement_import_columns(agreement_import, *, by, heading_row: int, columns: list[str]):
    """Record which row names the columns and which field each column holds, then check again."""
    if agreement_import.result.get("written"):
        raise CooperationError(_("This file is written already."))
    agreement_import.heading_row, agreement_import.columns = heading_row, columns
    agreement_import.save(update_fields=["heading_row", "columns", "updated_at"])
    return _queue_import(agreement_import, PREVIEW_JOB, by)


@transaction.atomic
def write_agreements(agreement_import, *, by):
    """Queue the writing of a previewed file (refused at once when it cannot be written)."""
    summary = agreement_import.summary
    if agreement_import.result.get("written"):
        raise CooperationError(_("This file is written already."))
    if "ready" not in summary:
        raise CooperationError(_("This file has not been checked yet; nothing was written."))
    if summary.get("invalid"):
        raise CooperationError(
            _("Nothing was written: some rows have problems. Correct the file and send it again.")
        )
    if summary.get("choose"):
        raise CooperationError(_("Nothing was written: choose the ambiguous parties first."))
    return _queue_import(agreement_import, WRITE_JOB, by)
