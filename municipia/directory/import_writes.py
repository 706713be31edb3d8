"""Writing a previewed member list: the rows in order, in batches, each batch committed together
with the checkpoint that says it is written.

A worker that dies mid-batch leaves that batch unwritten (its transaction rolls back) and every
earlier batch whole; the task's redelivery (or "run again" after an error) starts after the
checkpoint, so nothing is written twice and nothing half. Each batch costs a fixed number of
queries whatever its size, except one per existing member whose status the file changes.

Existing members are updated only where the file gives a value that differs (category, status,
date of joining); an empty cell leaves the field as it is. Importing the same file again therefore
changes nothing.
"""

import datetime
import secrets

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from municipia.core.jobs import JobError, set_progress
from municipia.core.log import log_action
from municipia.core.models import ActivityLog
from municipia.directory import services  # the module: services imports tasks, which import this
from municipia.directory.gazetteer import refresh_statistics
from municipia.directory.imports import missing_key
from municipia.directory.models import (
    Country,
    LocalGovernment,
    LocalGovernmentName,
    MemberField,
    MemberImport,
    MemberImportRow,
    Membership,
    MembershipStatusChange,
    normalise_name,
)
from municipia.directory.permissions import can_manage_members

BATCH = 1000
Outcome = MemberImportRow.Outcome
Choice = MemberImportRow.Choice
Written = MemberImportRow.Written
COUNTS = ("created", "updated", "unchanged", "places_created", "left_out", "undecided")


def row_action(row: MemberImportRow, create_missing: bool) -> str:
    """What writing does with a row: "member" (of its place), "create" (the place, then the
    member), "undecided" (a choice nobody made) or "" (left out)."""
    if row.outcome == Outcome.READY:
        return "member"
    if row.outcome == Outcome.CHOOSE:
        if row.choice == Choice.PLACE and row.local_government_id:
            return "member"
        if row.choice == Choice.CREATE:
            return "create"
        return "" if row.choice == Choice.SKIP else "undecided"
    wanted = row.choice == Choice.CREATE or (row.choice == Choice.NONE and create_missing)
    return "create" if row.outcome == Outcome.MISSING and wanted else ""


def write_member_import(member_import: MemberImport, *, by, job=None) -> dict:
    """Write the members of a previewed file, resuming after the last committed batch; return the
    counts (members added, updated, unchanged; places created; rows left out)."""
    network = member_import.network
    if not can_manage_members(by, network):
        raise JobError(_("You no longer manage the members of this network."))
    if "ready" not in member_import.summary:
        raise JobError(_("This file has not been checked yet; nothing was written."))
    rows = member_import.rows.order_by("line")
    total = rows.count()
    done_rows = rows.filter(line__lte=member_import.written_through)
    done = done_rows.count()
    seen = set(
        done_rows.filter(
            written__in=[Written.CREATED, Written.UPDATED, Written.UNCHANGED]
        ).values_list("local_government_id", flat=True)
    )
    made = {
        missing_key(row): row.local_government_id
        for row in done_rows.filter(local_government__isnull=False)
        if row_action(row, member_import.create_missing) == "create"
    }
    counts = {name: member_import.result.get(name, 0) for name in COUNTS}
    countries = {country.code: country for country in Country.objects.all()}
    if job is not None:
        set_progress(job, done, total)
    while batch := list(rows.filter(line__gt=member_import.written_through)[:BATCH]):
        with transaction.atomic():
            _write_batch(member_import, batch, by, seen, made, countries, counts)
            member_import.written_through = batch[-1].line
            member_import.result = counts
            member_import.save(update_fields=["written_through", "result", "updated_at"])
        done += len(batch)
        if job is not None:
            set_progress(job, done, total)
    log_action(network, "directory.members.imported", user=by, data=counts)
    if total >= 1000:
        refresh_statistics()
    return counts


def _write_batch(member_import, batch, by, seen, made, countries, counts) -> None:
    network = member_import.network
    actions = {row.line: row_action(row, member_import.create_missing) for row in batch}
    to_make = []
    for row in batch:
        if actions[row.line] != "create":
            continue
        key = missing_key(row)
        if key in made:  # the same place, made for an earlier row of the file
            row.local_government_id = made[key]
        else:
            to_make.append(row)
    for row, place in zip(to_make, _create_places(to_make, countries, by), strict=True):
        row.local_government_id = made[missing_key(row)] = place.pk
        counts["places_created"] += 1
    places_made = [row for row in batch if actions[row.line] == "create"]

    ids = {row.local_government_id for row in batch if actions[row.line] in ("member", "create")}
    places = LocalGovernment.objects.only("id", "name", "country_id").in_bulk(ids)
    members = {
        m.local_government_id: m
        for m in Membership.objects.filter(network=network, local_government_id__in=ids)
    }
    new, updated, status_changes = [], [], []
    for row in batch:
        action = actions[row.line]
        place = places.get(row.local_government_id)
        if action not in ("member", "create") or place is None or place.pk in seen:
            row.written = Written.LEFT_OUT
            counts["undecided" if action == "undecided" else "left_out"] += 1
            continue
        seen.add(place.pk)
        values = row.values
        membership = members.get(place.pk)
        if membership is None:
            new.append(
                Membership(
                    network=network,
                    local_government=place,
                    member_name=place.name[:250],
                    member_country_id=place.country_id,
                    category=values.get("category") or Membership.Category.FULL,
                    status=values.get("status") or Membership.Status.ACTIVE,
                    joined_on=_date(values.get("joined_on")),
                )
            )
            row.written = Written.CREATED
            counts["created"] += 1
            continue
        changed = _update_fields(membership, values)
        if changed:
            updated.append(membership)
        status = values.get("status")
        moves = bool(status and status != membership.status and membership.can_become(status))
        if moves:
            status_changes.append((membership, status))
        row.written = Written.UPDATED if changed or moves else Written.UNCHANGED
        counts["updated" if row.written == Written.UPDATED else "unchanged"] += 1

    _add_members(new, by)
    if updated:
        bulk_update_with_history(
            updated, Membership, ["category", "joined_on", "updated_at"], default_user=by
        )
    for membership, status in status_changes:  # rare: one service call each, with its log
        services.change_membership_status(
            membership,
            status,
            by=by,
            reason=_("Recorded by the network staff."),
            check_permission=False,
        )
    _record_rows(batch, places_made)


def _record_rows(batch: list[MemberImportRow], places_made: list[MemberImportRow]) -> None:
    """What became of each row: one UPDATE per outcome (a CASE over a thousand rows costs more),
    and the place made for the rows that had none."""
    by_outcome: dict[str, list[int]] = {}
    for row in batch:
        by_outcome.setdefault(row.written, []).append(row.pk)
    for written, pks in by_outcome.items():
        MemberImportRow.objects.filter(pk__in=pks).update(written=written)
    if places_made:
        MemberImportRow.objects.bulk_update(places_made, ["local_government"], batch_size=500)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _update_fields(membership: Membership, values: dict) -> list[str]:
    changed = []
    category = values.get("category")
    if category and membership.category != category:
        membership.category = category
        changed.append("category")
    joined_on = _date(values.get("joined_on"))
    if joined_on and membership.joined_on != joined_on:
        membership.joined_on = joined_on
        changed.append("joined_on")
    if changed:
        membership.updated_at = timezone.now()
    return changed


def _add_members(new: list[Membership], by) -> None:
    if not new:
        return
    created = bulk_create_with_history(new, Membership, default_user=by)
    MembershipStatusChange.objects.bulk_create(
        MembershipStatusChange(
            membership=membership, from_status="", to_status=membership.status, changed_by=by
        )
        for membership in created
    )
    content_type = ContentType.objects.get_for_model(Membership)
    ActivityLog.objects.bulk_create(
        ActivityLog(
            content_type=content_type,
            object_id=str(membership.pk),
            action="directory.membership.added",
            user=by,
            data={"status": membership.status, "imported": True},
        )
        for membership in created
    )


def _create_places(rows: list[MemberImportRow], countries: dict, by) -> list[LocalGovernment]:
    """Places made from the file's data, flagged for review, with unique slugs, in bulk."""
    if not rows:
        return []
    bases = [slugify(f"{row.name}-{row.country_code}")[:200] or "place" for row in rows]
    taken = set(LocalGovernment.objects.filter(slug__in=bases).values_list("slug", flat=True))
    places = []
    for row, base in zip(rows, bases, strict=True):
        slug = base if base not in taken else f"{base}-{secrets.token_hex(3)}"
        taken.add(slug)
        country = countries[row.country_code]
        values = row.values
        places.append(
            LocalGovernment(
                name=row.name,
                slug=slug,
                country=country,
                kind=LocalGovernment.Kind.MUNICIPALITY,
                population=values.get("population"),
                latitude=values.get("latitude"),
                longitude=values.get("longitude"),
                admin1=values.get(MemberField.REGION, "")[:200],
                admin2=values.get(MemberField.PROVINCE, "")[:200],
                official_languages=list(country.languages),
                needs_review=True,
            )
        )
    places = bulk_create_with_history(places, LocalGovernment, default_user=by)
    LocalGovernmentName.objects.bulk_create(
        LocalGovernmentName(
            local_government=place, name=place.name, normalised=normalise_name(place.name)
        )
        for place in places
    )
    content_type = ContentType.objects.get_for_model(LocalGovernment)
    ActivityLog.objects.bulk_create(
        ActivityLog(
            content_type=content_type,
            object_id=str(place.pk),
            action="directory.local_government.created",
            user=by,
            data={"kind": place.kind, "from_import": True},
        )
        for place in places
    )
    return places
