"""Every page and endpoint of questionnaires, asked by every role: results never reach another
network's staff, individual answers only the owners of a non-anonymous questionnaire."""

import pytest
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.surveys import services
from municipia.surveys.models import Invitation
from tests.factories.accounts import RoleFactory, UserFactory
from tests.surveys.conftest import good_answers

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "officer", "juror", "staff", "other_staff", "superuser"]
OK, LOGIN, HIDDEN, REFUSED = 200, 302, 404, 403


@pytest.fixture
def people(network, other_network, city_officer, juror, network_staff, superuser):
    return {
        "anonymous": None,
        "participant": UserFactory(),
        "officer": city_officer,
        "juror": juror,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
    }


def _login(client, user):
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


def _pages(q, token):
    field = q.fields_by_name["rating"].pk
    results = reverse("surveys:questionnaire-results", args=[q.pk])
    return {
        "list": reverse("surveys:questionnaire-list"),
        "create": reverse("surveys:questionnaire-create"),
        "detail": reverse("surveys:questionnaire-detail", args=[q.pk]),
        "settings": reverse("surveys:questionnaire-edit", args=[q.pk]),
        "question": reverse("surveys:question-edit", args=[q.pk, field]),
        "results": results,
        "results-xlsx": results + "?format=xlsx",
        "indicators": reverse("surveys:questionnaire-feeds", args=[q.pk]),
        "raw-csv": results + "?format=csv&raw=1",
        "answer": reverse("surveys:answer", args=[token]),
        "public": reverse("surveys:answer-public", args=[q.public_key]),
        "api-list": "/api/v1/questionnaires/",
        "api-detail": f"/api/v1/questionnaires/{q.pk}/",
        "api-results": f"/api/v1/questionnaires/{q.pk}/results/",
        "api-answer": f"/api/v1/questionnaire-answers/{token}/",
    }


STAFF = {
    "anonymous": LOGIN,
    "participant": HIDDEN,
    "officer": HIDDEN,
    "juror": HIDDEN,
    "staff": OK,
    "other_staff": HIDDEN,
    "superuser": OK,
}
API_STAFF = {**STAFF, "anonymous": REFUSED}
EVERYONE = dict.fromkeys(ROLES, OK)


def _expected(anonymous):
    # Staff of another network have their own list and may create theirs: never this one.
    own_pages = {**STAFF, "other_staff": OK}
    return {
        "list": own_pages,
        "create": own_pages,
        "detail": STAFF,
        "settings": STAFF,
        "question": STAFF,
        "results": STAFF,
        "results-xlsx": STAFF,
        "indicators": STAFF,
        "raw-csv": {**STAFF, "superuser": HIDDEN}
        if not anonymous
        else {**STAFF, "staff": HIDDEN, "superuser": HIDDEN},
        "answer": EVERYONE,
        "public": EVERYONE,
        "api-list": {**dict.fromkeys(ROLES, OK), "anonymous": REFUSED},
        "api-detail": API_STAFF,
        "api-results": API_STAFF,
        "api-answer": EVERYONE,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_every_page_for_every_role(client, people, questionnaire, role, anonymous, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    questionnaire.anonymous = anonymous
    questionnaire.save()
    services.submit_response(
        questionnaire, answers=good_answers(questionnaire), language="en", via="public"
    )
    services.invite(questionnaire, [(None, "ana@example.org", "Ana", "es")])
    token = services.personal_token(Invitation.objects.get())
    client = _login(client, people[role])
    got = {}
    for name, url in _pages(questionnaire, token).items():
        response = client.get(url)
        got[name] = response.status_code
        if name == "list" and role == "other_staff":
            assert "After the congress" not in response.content.decode()
    expected = _expected(anonymous)
    assert got == {name: codes[role] for name, codes in expected.items()}


def test_other_networks_staff_see_none_of_its_questionnaires_in_the_api(
    client, people, questionnaire
):
    _login(client, people["other_staff"])
    assert client.get("/api/v1/questionnaires/").json()["count"] == 0


DONE, TO_LOGIN = "done", "login"


@pytest.mark.parametrize("role", ROLES)
def test_every_action_for_every_role(client, people, questionnaire, role):
    """What changes a questionnaire: only its network's staff and superusers get it done."""
    field = questionnaire.fields_by_name["text"].pk
    pk = questionnaire.pk
    actions = {
        "close": reverse("surveys:questionnaire-action", args=[pk, "close"]),
        "copy": reverse("surveys:questionnaire-action", args=[pk, "copy"]),
        "invite": reverse("surveys:questionnaire-invite", args=[pk]),
        "delete-question": reverse("surveys:question-delete", args=[pk, field]),
    }
    client = _login(client, people[role])
    got = {}
    for name, url in actions.items():
        response = client.post(url, {"people": "ana@example.org, Ana, ca"})
        if response.status_code == 302:
            got[name] = TO_LOGIN if "/login/" in response["Location"] else DONE
        else:
            got[name] = response.status_code
    expected = {"staff": DONE, "superuser": DONE, "anonymous": TO_LOGIN}.get(role, HIDDEN)
    assert got == dict.fromkeys(actions, expected)
    api = {
        "send": client.post(f"/api/v1/questionnaires/{pk}/send/").status_code,
        "invite": client.post(
            f"/api/v1/questionnaires/{pk}/invite/",
            {"people": [{"email": "bo@example.org"}]},
            content_type="application/json",
        ).status_code,
    }
    wanted = {"staff": (OK, 201), "superuser": (OK, 201), "anonymous": (REFUSED, REFUSED)}
    send, invite = wanted.get(role, (HIDDEN, HIDDEN))
    assert api == {"send": send, "invite": invite}
