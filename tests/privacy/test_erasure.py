"""Erasure leaves no trace of the person's name or e-mail address in any table, the search index
or the cache; what the records require stays, anonymised; what blocks it now is said."""

import gzip
import json
import os
import pickle

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, models

from municipia.calls.models import Call
from municipia.core.models import ActivityLog
from municipia.directory.models import Person, Position
from municipia.events.models import Registration
from municipia.finance.models import Invoice
from municipia.privacy import services
from municipia.privacy.erasure import preview_erasure
from municipia.privacy.models import DataExport, PrivacyRequest
from municipia.privacy.registry import ERASED, Subject
from municipia.search import services as search
from tests.factories.calls import JuryMemberFactory
from tests.factories.finance import InvoiceFactory
from tests.privacy.conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db


def _tables_mentioning(*needles) -> list[str]:
    """Every text column of every table, read back and searched, JSON included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            for value in model._base_manager.values_list(field.attname, flat=True):
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                if any(needle.lower() in (text or "").lower() for needle in needles):
                    found.append(f"{model._meta.label}.{field.name}")
    return sorted(set(found))


def _cache_mentions(*needles) -> bool:
    """Whether a cached value holds one of `needles`, kept pages decompressed."""
    raw = b"".join(cache._cache.values())
    for value in cache._cache.values():
        entry = pickle.loads(value)  # noqa: S301 - the cache this test filled
        if isinstance(entry, dict) and "gzip" in entry:
            raw += gzip.decompress(entry["gzip"])
    return any(needle.encode() in raw for needle in needles)


def _index_matches(word: str) -> int:
    """Entries the full-text index itself finds for `word` (FTS5 on SQLite, tsvector elsewhere)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s", [word]
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM search_entry_tsv WHERE tsv @@ plainto_tsquery('simple', %s)",
                [word],
            )
        return cursor.fetchone()[0]


def _found_by_search(word: str) -> bool:
    return any(
        word.lower() in f"{result.obj} {result.hit.snippet}".lower()
        for result in search.search(word).results
    )


def _erasure_request(user, staff_network=None):
    return services.submit_request(user, kind=PrivacyRequest.Kind.ERASURE, network=staff_network)


def test_erasure_leaves_no_mention_anywhere(
    zelda, network, network_staff, django_capture_on_commit_callbacks
):
    request = _erasure_request(zelda, network)
    files = [e.json_file.path for e in DataExport.objects.filter(user=zelda)]
    assert _tables_mentioning(NAME, EMAIL)  # the fixture put her everywhere
    # Her phone number is in her entry and in its history table only: no text sweep finds it, the
    # declaration of the entry has to reach the history rows too.
    assert _tables_mentioning(PHONE) == [
        "directory.HistoricalPerson.phone",
        "directory.Person.phone",
    ]
    assert _index_matches("Quirinus")
    assert _found_by_search("Quirinus")
    assert _cache_mentions(NAME)

    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_erasure(request, by=network_staff)

    assert _tables_mentioning(NAME, EMAIL, "Quirinus", PHONE) == []
    assert _index_matches("Quirinus") == 0
    assert not _found_by_search("Quirinus")
    assert not _cache_mentions(NAME, EMAIL, "Quirinus")
    assert not any(os.path.exists(path) for path in files)


def test_what_the_records_require_is_kept_anonymised(
    zelda, network, network_staff, django_capture_on_commit_callbacks
):
    person = zelda.person
    request = _erasure_request(zelda, network)
    with django_capture_on_commit_callbacks(execute=True):
        services.carry_out_erasure(request, by=network_staff)

    zelda.refresh_from_db()
    assert not zelda.is_active
    assert not zelda.has_usable_password()
    assert zelda.email.endswith("@erased.invalid")
    assert zelda.full_name == ""
    person.refresh_from_db()
    assert (person.full_name, person.email, person.phone, person.user) == (ERASED, "", "", None)
    assert not Position.objects.filter(person=person).exists()
    invoice = Invoice.objects.get(payer_name=ERASED)
    assert invoice.payer_email == ""
    assert invoice.amount
    registration = Registration.objects.get(invoice=invoice)
    assert registration.full_name == ERASED
    assert registration.user is None
    assert registration.history.filter(full_name=NAME).count() == 0
    assert Person.history.filter(full_name=NAME).count() == 0
    assert ActivityLog.objects.filter(user=zelda).count() == 0
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.DONE
    assert not DataExport.objects.filter(user=zelda).exists()


def test_a_juror_on_an_open_call_with_an_unpaid_invoice_is_told_what_waits(
    zelda, network, network_staff
):
    JuryMemberFactory(user=zelda, call__network=network, call__status=Call.Status.OPEN)
    InvoiceFactory(network=network, membership__network=network, payer_name=NAME, payer_email=EMAIL)
    preview = preview_erasure(Subject.for_user(zelda))

    assert not preview.can_erase_now
    assert len(preview.blockers) == 2
    assert any("Juror on the call" in reason for reason in preview.blockers)
    assert any("is not paid yet" in reason for reason in preview.blockers)
    actions = {item.label: item.action for item in preview.items}
    assert actions["directory.Position"] == "delete"
    assert actions["finance.Invoice"] == "keep"
    assert actions["calls.JuryMember"] == "keep"

    request = _erasure_request(zelda, network)
    with pytest.raises(services.PrivacyError, match="not paid yet"):
        services.carry_out_erasure(request, by=network_staff)
    zelda.refresh_from_db()
    assert zelda.full_name == NAME
    assert zelda.is_active


def test_staff_of_another_network_cannot_erase(zelda, network, other_network):
    from django.core.exceptions import PermissionDenied

    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory

    outsider = RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user
    request = _erasure_request(zelda, network)
    with pytest.raises(PermissionDenied):
        services.carry_out_erasure(request, by=outsider)
    zelda.refresh_from_db()
    assert zelda.full_name == NAME
