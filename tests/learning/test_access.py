"""Every page and endpoint of the classroom, asked by every role: who gets it, who is refused, and
what never reaches others (grades, submissions, certificates)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from municipia.accounts.models import Role
from municipia.directory.models import Membership
from municipia.learning.certificates import issue_certificate
from municipia.learning.models import CourseCertificate
from municipia.learning.services import mark_module_done, start_thread, submit_assignment
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory
from tests.factories.learning import LiveSessionFactory
from tests.learning.conftest import pdf_upload

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "public",
    "participant",
    "tutor",
    "other_tutor",
    "member_officer",
    "other_officer",
    "staff",
    "other_staff",
    "superuser",
]
OK, LOGIN, NO, HIDDEN = 200, 302, 403, 404


@pytest.fixture
def people(network, other_network, city, participant, tutor, other_tutor, network_staff, superuser):
    MembershipFactory(network=network, local_government=city, status=Membership.Status.ACTIVE)
    member_officer = RoleFactory(
        kind=Role.Kind.CITY_OFFICER, network=None, local_government=city
    ).user
    return {
        "anonymous": None,
        "public": UserFactory(),
        "participant": participant,
        "tutor": tutor,
        "other_tutor": other_tutor,
        "member_officer": member_officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
        ).user,
        "staff": network_staff,
        "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
        "superuser": superuser,
    }


@pytest.fixture
def setting(run, enrolment, modules, assignment, participant):
    submission = submit_assignment(enrolment, assignment, by=participant, uploaded=pdf_upload())
    thread = start_thread(run, by=participant, title="Hello", body="First message")
    session = LiveSessionFactory(run=run)
    return {"submission": submission, "thread": thread, "session": session}


@pytest.fixture
def certified(setting, enrolment, modules, network_staff):
    for module in modules:
        mark_module_done(enrolment, module, by=enrolment.user)
    return issue_certificate(enrolment, by=network_staff)


def _client(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
        session = client.session
        session["mfa_ok"] = True  # superusers log in with a second factor
        session.save()
    return client


def _pages(course, run, modules, setting, certificate):
    return {
        "catalogue": reverse("learning:catalogue"),
        "network-catalogue": reverse("learning:network-catalogue", args=[course.network.slug]),
        "course": reverse("learning:course-detail", args=[course.slug]),
        "mine": reverse("learning:my-learning"),
        "manage": reverse("learning:manage"),
        "course-create": reverse("learning:course-create"),
        "course-manage": reverse("learning:course-manage", args=[course.slug]),
        "run-create": reverse("learning:run-create", args=[course.slug]),
        "run-edit": reverse("learning:run-edit", args=[run.pk]),
        "material-create": reverse("learning:material-create", args=[modules[0].pk]),
        "assignment-create": reverse("learning:assignment-create", args=[modules[0].pk]),
        "enrolments": reverse("learning:enrolments", args=[run.pk]),
        "enrolments-csv": reverse("learning:enrolments", args=[run.pk]) + "?format=csv",
        "run": reverse("learning:run-detail", args=[run.pk]),
        "thread": reverse("learning:thread-detail", args=[run.pk, setting["thread"].pk]),
        "grading": reverse("learning:grading-queue", args=[run.pk]),
        "attendance": reverse("learning:attendance", args=[setting["session"].pk]),
        "submission": reverse("learning:submission-download", args=[setting["submission"].pk]),
        "certificate": reverse("learning:certificate-download", args=[certificate.pk]),
    }


def _only(allowed: dict, default: int, anonymous: int = LOGIN) -> dict:
    return {**dict.fromkeys(ROLES, default), "anonymous": anonymous, **allowed}


EVERYONE = dict.fromkeys(ROLES, OK)
SECRETARIAT = _only({"staff": OK, "other_staff": OK, "superuser": OK}, NO)
COURSE_STAFF = _only({"staff": OK, "superuser": OK}, NO)
FOLLOWERS = _only({"participant": OK, "tutor": OK, "staff": OK, "superuser": OK}, NO)
TEACHERS = _only({"tutor": OK, "staff": OK, "superuser": OK}, NO)
EXPECTED = {
    "catalogue": EVERYONE,
    "network-catalogue": EVERYONE,
    "course": EVERYONE,
    "mine": _only({}, OK),
    "manage": SECRETARIAT,
    "course-create": SECRETARIAT,
    "course-manage": COURSE_STAFF,
    "run-create": COURSE_STAFF,
    "run-edit": COURSE_STAFF,
    "material-create": COURSE_STAFF,
    "assignment-create": COURSE_STAFF,
    "enrolments": COURSE_STAFF,
    "enrolments-csv": COURSE_STAFF,
    "run": FOLLOWERS,
    "thread": FOLLOWERS,
    "grading": TEACHERS,
    "attendance": TEACHERS,
    "submission": _only({"participant": OK, "tutor": OK, "staff": OK, "superuser": OK}, HIDDEN),
    "certificate": _only({"participant": OK, "staff": OK, "superuser": OK}, HIDDEN),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_for_every_role(client, people, course, run, modules, setting, certified, role):
    client = _client(client, people, role)
    pages = _pages(course, run, modules, setting, certified)

    got = {name: client.get(url).status_code for name, url in pages.items()}

    assert got == {name: codes[role] for name, codes in EXPECTED.items()}


def test_a_draft_course_is_hidden_from_all_but_its_secretariat(client, people, course, run):
    course.is_published = False
    course.save()
    url = reverse("learning:course-detail", args=[course.slug])

    got = {role: _client(client, people, role).get(url).status_code for role in ROLES}

    assert got == {**dict.fromkeys(ROLES, HIDDEN), "staff": OK, "superuser": OK}


def _api(people, role):
    api = APIClient()
    if people[role] is not None:
        api.force_authenticate(people[role])
    return api


# How many rows of each list each role sees (None: refused), with one enrolment, its submission
# and its certificate in the run.
API_LISTS = {
    "api:learning-course-list": dict.fromkeys(ROLES, 1),
    "api:learning-run-list": dict.fromkeys(ROLES, 2),  # the run, and the other tutor's run
    "api:learning-enrolment-list": {
        **dict.fromkeys(ROLES, 0),
        "anonymous": None,
        "participant": 1,
        "staff": 1,
        "superuser": 1,
    },
    "api:learning-submission-list": {
        **dict.fromkeys(ROLES, 0),
        "anonymous": None,
        "participant": 1,
        "tutor": 1,
        "staff": 1,
        "superuser": 1,
    },
    "api:learning-certificate-list": {
        **dict.fromkeys(ROLES, 0),
        "anonymous": None,
        "participant": 1,
        "staff": 1,
        "superuser": 1,
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_every_list_of_the_api_for_every_role(people, setting, certified, role):
    api = _api(people, role)

    got = {}
    for name in API_LISTS:
        response = api.get(reverse(name))
        got[name] = response.json()["count"] if response.status_code == OK else None

    assert got == {name: counts[role] for name, counts in API_LISTS.items()}


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", NO),
        ("public", HIDDEN),
        ("participant", 400),
        ("tutor", 200),
        ("other_tutor", HIDDEN),
        ("member_officer", HIDDEN),
        ("other_officer", HIDDEN),
        ("staff", 200),
        ("other_staff", HIDDEN),
        ("superuser", 200),
    ],
)
def test_who_may_grade_through_the_api(people, setting, role, code):
    submission = setting["submission"]

    response = _api(people, role).post(
        reverse("api:learning-submission-grade", args=[submission.pk]),
        {"grade": "75.0", "feedback": "Good."},
        format="json",
    )

    assert response.status_code == code
    submission.refresh_from_db()
    assert (submission.grade is not None) is (code == 200)


@pytest.mark.parametrize(
    ("role", "code"),
    [
        ("anonymous", NO),
        ("public", HIDDEN),
        ("participant", HIDDEN),
        ("tutor", HIDDEN),
        ("other_tutor", HIDDEN),
        ("member_officer", HIDDEN),
        ("other_officer", HIDDEN),
        ("staff", 201),
        ("other_staff", HIDDEN),
        ("superuser", 201),
    ],
)
def test_who_may_issue_a_certificate_through_the_api(
    people, setting, enrolment, modules, role, code
):
    for module in modules:
        mark_module_done(enrolment, module, by=enrolment.user)

    response = _api(people, role).post(
        reverse("api:learning-certificate-list"), {"enrolment": enrolment.pk}, format="json"
    )

    assert response.status_code == code
    assert CourseCertificate.objects.filter(enrolment=enrolment).exists() is (code == 201)


@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_who_may_post_the_staff_forms(client, people, course, run, enrolment, role):
    client = _client(client, people, role)

    response = client.post(
        reverse("learning:course-translate", args=[course.slug]),
        {"language": "fr", "title": "Participation des jeunes", "description": "Un cours."},
    )

    assert response.status_code == LOGIN
    assert course.translations.filter(language="fr").exists()


@pytest.mark.parametrize("role", ["public", "participant", "tutor", "other_staff"])
def test_others_may_not_post_the_staff_forms(client, people, course, enrolment, role):
    client = _client(client, people, role)

    response = client.post(
        reverse("learning:course-translate", args=[course.slug]),
        {"language": "fr", "title": "Participation des jeunes", "description": "Un cours."},
    )
    decided = client.post(
        reverse("learning:enrolment-decide", args=[enrolment.pk]), {"approve": "0"}
    )

    assert (response.status_code, decided.status_code) == (NO, HIDDEN)
    assert not course.translations.filter(language="fr").exists()
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"
