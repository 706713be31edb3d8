"""The pages added for registration questions, certificates and the balance of speakers, asked by
every role (the roles and setting of test_access)."""

import pytest
from django.urls import reverse

from municipia.events.certificates import issue_certificate
from municipia.events.services import check_in, registration_form
from municipia.forms.models import FormField
from tests.events.test_access import (  # noqa: F401 (fixtures)
    LOGIN,
    NO,
    OK,
    ROLES,
    STAFF_ONLY,
    _client,
    people,
    setting,
)

pytestmark = pytest.mark.django_db
HIDDEN = 404


@pytest.fixture
def extras(setting):  # noqa: F811
    event = setting["event"]
    field = FormField.objects.create(
        definition=registration_form(event), kind=FormField.Kind.LINE, label={"en": "Org"}
    )
    check_in(setting["registration"], by=None)
    issue_certificate(setting["registration"], by=None)
    return {**setting, "field": field}


def _pages(s):
    slug = s["event"].slug
    network = s["event"].network.slug
    return {
        "questions": reverse("events:questions", args=[slug]),
        "question-add": reverse("events:question-add", args=[slug]),
        "question-edit": reverse("events:question-edit", args=[slug, s["field"].pk]),
        "certificates": reverse("events:certificates", args=[slug]),
        "balance": reverse("events:balance", args=[slug]),
        "balance-xlsx": reverse("events:balance", args=[slug]) + "?format=xlsx",
        "network-balance": reverse("events:network-balance", args=[network]),
        "network-balance-csv": reverse("events:network-balance", args=[network]) + "?format=csv",
        "certificate": reverse("events:certificate-download", args=[s["registration"].pk]),
        "event-create": reverse("events:event-create"),
        "event-edit": reverse("events:event-edit", args=[slug]),
        "manage": reverse("events:manage-programme", args=[slug]),
        "room-add": reverse("events:room-add", args=[slug]),
        "session-add": reverse("events:session-add", args=[slug]),
        "session-edit": reverse("events:session-edit", args=[slug, s["session"].pk]),
        "speaker-add": reverse("events:speaker-add", args=[slug, s["session"].pk]),
    }


EXPECTED = {
    **dict.fromkeys(
        (
            "questions",
            "question-add",
            "question-edit",
            "certificates",
            "balance",
            "balance-xlsx",
            "network-balance",
            "network-balance-csv",
            "event-edit",
            "manage",
            "room-add",
            "session-add",
            "session-edit",
            "speaker-add",
        ),
        STAFF_ONLY,
    ),
    # Any network's staff create events, for their own networks only.
    "event-create": {**STAFF_ONLY, "other_staff": OK},
    # The participant, their city's officer and those who run the event.
    "certificate": {
        "anonymous": LOGIN,
        "participant": OK,
        "member_officer": OK,
        "other_officer": HIDDEN,
        "staff": OK,
        "other_staff": HIDDEN,
        "superuser": OK,
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_every_new_page_for_every_role(client, people, extras, role):  # noqa: F811
    client = _client(client, people, role)
    got = {name: client.get(url).status_code for name, url in _pages(extras).items()}
    assert got == {name: codes[role] for name, codes in EXPECTED.items()}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_issue_certificates_and_delete_questions(client, people, extras, role):  # noqa: F811
    client = _client(client, people, role)
    slug = extras["event"].slug
    issue = client.post(reverse("events:certificates", args=[slug])).status_code
    delete = client.post(
        reverse("events:question-delete", args=[slug, extras["field"].pk])
    ).status_code
    api = client.post(
        reverse("api:event-registration-certificate", args=[extras["registration"].pk])
    ).status_code
    runs = role in ("staff", "superuser")
    assert issue == (302 if runs or role == "anonymous" else NO)
    assert delete == (302 if runs or role == "anonymous" else NO)
    assert api == (201 if runs else {"anonymous": 403, "participant": 404}.get(role, 404))
