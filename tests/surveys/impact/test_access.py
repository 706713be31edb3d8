"""Every page and endpoint of impact evaluation, asked by every role: a city's officers fill their
own self-assessment, an assessor only what is assigned, the network's view stays with the network,
staff manage rounds; the public sees a published experience's profile once it has enough
assessments."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.surveys.impact import services
from municipia.surveys.impact.models import Methodology
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import PublishedExperienceFactory
from tests.surveys.impact.conftest import submitted
from tests.surveys.test_access import _login  # signed in, second factor passed

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "public",
    "member_officer",
    "other_officer",
    "staff",
    "other_staff",
    "superuser",
    "assessor",
    "expert",
]
OK, LOGIN, HIDDEN, REFUSED = 200, 302, 404, 403


@pytest.fixture
def people(network, other_network, city_officer, network_staff, superuser, assessor):
    elsewhere = PublishedExperienceFactory(network=other_network)
    return {
        "anonymous": None,
        "public": UserFactory(),
        "member_officer": city_officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=elsewhere.city
        ).user,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
        "assessor": assessor,
        "expert": RoleFactory(kind=Role.Kind.EXPERT, network=None).user,
    }


@pytest.fixture
def evaluated(baseline, experience, city_officer, assessor, network_staff):
    services.assign(baseline, experience, assessor, by=network_staff)
    own = submitted(baseline, experience, "self", city_officer)
    external = services.start_assessment(baseline, experience, "external", by=assessor)
    methodology = Methodology.objects.create(
        experience=experience, language="en", title="Survey", description="Before and after."
    )
    methodology.document.save("m.pdf", ContentFile(b"%PDF-1.4"), save=True)
    methodology.document_name, methodology.content_type = "m.pdf", "application/pdf"
    methodology.save()
    return own, external, methodology


def _pages(baseline, experience, own, external, methodology):
    rubric = baseline.rubric
    return {
        "home": reverse("surveys:impact-home"),
        "self-assessment": reverse("surveys:impact-assessment", args=[own.pk]),
        "external-assessment": reverse("surveys:impact-assessment", args=[external.pk]),
        "network-view": reverse("surveys:impact-rubric", args=[rubric.pk]),
        "methodology-add": reverse("surveys:impact-methodology-add", args=[experience.pk]),
        "methodology-document": reverse(
            "surveys:impact-methodology-document", args=[methodology.pk]
        ),
        "experience": experience.get_absolute_url(),
        "api-rubrics": "/api/v1/impact-rubrics/",
        "api-rubric": f"/api/v1/impact-rubrics/{rubric.pk}/",
        "api-rounds": "/api/v1/impact-rounds/",
        "api-assessments": "/api/v1/impact-assessments/",
        "api-self-assessment": f"/api/v1/impact-assessments/{own.pk}/",
        "api-profile": f"/api/v1/impact-profiles/{experience.pk}/",
    }


def only(*roles, anonymous=LOGIN, others=HIDDEN):
    return {role: OK if role in roles else others for role in ROLES} | {"anonymous": anonymous}


EXPECTED = {
    "home": only(*ROLES[1:]),
    "self-assessment": only("member_officer", "superuser"),
    "external-assessment": only("assessor", "superuser"),
    "network-view": only("member_officer", "staff", "superuser"),
    "methodology-add": only("member_officer", "superuser"),
    "methodology-document": dict.fromkeys(ROLES, OK),
    "experience": dict.fromkeys(ROLES, OK),
    "api-rubrics": only(*ROLES[1:], anonymous=REFUSED),
    "api-rubric": only("member_officer", "staff", "superuser", anonymous=REFUSED),
    "api-rounds": only(*ROLES[1:], anonymous=REFUSED),
    "api-assessments": only(*ROLES[1:], anonymous=REFUSED),
    "api-self-assessment": only("member_officer", "superuser", anonymous=REFUSED),
    "api-profile": dict.fromkeys(ROLES, OK),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, people, baseline, experience, evaluated, role, settings):
    settings.MUNICIPIA_IMPACT_MIN_ASSESSMENTS = 1
    pages = _pages(baseline, experience, *evaluated)
    client = _login(client, people[role])
    got = {name: client.get(url).status_code for name, url in pages.items()}
    assert got == {name: codes[role] for name, codes in EXPECTED.items()}
    page = client.get(pages["experience"]).content.decode()
    assert "Educational impact" in page
    assert "<svg" in page


@pytest.mark.parametrize("role", ROLES)
def test_below_the_threshold_only_the_city_and_the_staff_see_the_profile(
    client, people, baseline, experience, evaluated, role
):
    client = _login(client, people[role])
    seen = client.get(f"/api/v1/impact-profiles/{experience.pk}/").status_code
    assert seen == (OK if role in ("member_officer", "staff", "superuser") else HIDDEN)
    page = client.get(experience.get_absolute_url()).content.decode()
    assert ('class="plan-chart"' in page) == (seen == OK)


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_action_for_every_role(client, people, baseline, experience, role):
    rubric = baseline.rubric
    peer = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
    ).user
    actions = {
        "open-round": {"name": "Follow-up", "phase": "follow_up"},
        "assign": {"round": baseline.pk, "experience": experience.pk, "email": peer.email},
        "close-round": {"round": baseline.pk},
    }
    client = _login(client, people[role])
    got = {}
    for action, data in actions.items():
        url = reverse("surveys:impact-rubric-action", args=[rubric.pk, action])
        response = client.post(url, data)
        got[action] = (
            ("login" if "/login/" in response["Location"] else "done")
            if response.status_code == 302
            else response.status_code
        )
    wanted = {"staff": "done", "superuser": "done", "anonymous": "login"}.get(role, HIDDEN)
    assert got == dict.fromkeys(actions, wanted)
    managed = role in ("staff", "superuser")
    assert rubric.rounds.count() == (2 if managed else 1)
    assert baseline.assignments.filter(assessor=peer).exists() == managed
