"""Every role against every page and endpoint of a call in review.

The world: a blind call in review; one submitted application of a member city (with a file), with
an assigned juror, a juror of the same jury who is not assigned to it, and a juror who recused
themselves. Status codes: 302 = sent to log in (or redirected after an allowed POST), 403 =
known but not allowed, 404 = not theirs to know about.
"""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from municipia.accounts.models import Role
from municipia.calls.models import Application, ApplicationFile, Assignment
from tests.factories.accounts import RoleFactory, UserFactory
from tests.factories.calls import AssignmentFactory, JuryMemberFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "user",
    "applicant",
    "other_officer",
    "assigned_juror",
    "unassigned_juror",
    "recused_juror",
    "staff",
    "other_staff",
    "superuser",
]
STAFF = {"staff": 200, "superuser": 200}
OWNERS = {"applicant": 200, "staff": 200, "superuser": 200}


@pytest.fixture
def world(
    review_call,
    member_city,
    officer,
    other_officer,
    network_staff,
    other_network,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    application = Application.objects.create(
        call=review_call,
        code="ACCESS-1",
        local_government=member_city,
        created_by=officer,
        language="en",
        title="Gardens",
        status=Application.Status.SUBMITTED,
    )
    attachment = ApplicationFile(
        application=application,
        original_name="gardens.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=8,
        uploaded_by=officer,
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    assigned = AssignmentFactory(application=application)
    unassigned = JuryMemberFactory(call=review_call)
    recused = AssignmentFactory(application=application, status=Assignment.Status.RECUSED)
    return {
        "call": review_call,
        "application": application,
        "file": attachment,
        "assignment": assigned,
        "recused_assignment": recused,
        "users": {
            "anonymous": None,
            "user": UserFactory(),
            "applicant": officer,
            "other_officer": other_officer,
            "assigned_juror": assigned.juror.user,
            "unassigned_juror": unassigned.user,
            "recused_juror": recused.juror.user,
            "staff": network_staff,
            "other_staff": RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user,
            "superuser": UserFactory(is_staff=True, is_superuser=True),
        },
    }


def _everyone(code):
    return dict.fromkeys(ROLES, code)


def _only(allowed: dict, otherwise: int, anonymous: int = 302):
    return {**_everyone(otherwise), "anonymous": anonymous, **allowed}


def _call_page(view: str):
    return lambda w: reverse(view, args=[w["call"].slug])


# name → (method, url(world), data, expected status per role)
PAGES = {
    "call list": ("get", lambda w: reverse("calls:call-list"), None, _everyone(200)),
    "call detail": (
        "get",
        lambda w: reverse("calls:call-detail", args=[w["call"].slug]),
        None,
        _everyone(200),
    ),
    "unpublished results": (
        "get",
        lambda w: reverse("calls:call-results", args=[w["call"].slug]),
        None,
        _only(STAFF, 404, anonymous=404),
    ),
    "my applications": (
        "get",
        lambda w: reverse("calls:application-list"),
        None,
        _only({}, 200),
    ),
    "application page": (
        "get",
        lambda w: w["application"].get_absolute_url(),
        None,
        _only(OWNERS, 404),
    ),
    "autosave": (
        "post",
        lambda w: reverse("calls:application-autosave", args=[w["application"].pk]),
        {"title": "x"},
        _only({"applicant": 200, "staff": 403, "superuser": 200}, 404),
    ),
    "withdraw": (
        "post",
        lambda w: reverse("calls:application-withdraw", args=[w["application"].pk]),
        {},
        _only({"applicant": 302, "staff": 403, "superuser": 302}, 404),
    ),
    "file": (
        "get",
        lambda w: w["file"].get_absolute_url(),
        None,
        _only({**OWNERS, "assigned_juror": 200}, 404),
    ),
    "my reviews": ("get", lambda w: reverse("calls:review-list"), None, _only({}, 200)),
    "review page": (
        "get",
        lambda w: reverse("calls:review", args=[w["assignment"].pk]),
        None,
        _only({"assigned_juror": 200}, 404),
    ),
    "review after recusal": (
        "get",
        lambda w: reverse("calls:review", args=[w["recused_assignment"].pk]),
        None,
        _only({"recused_juror": 403}, 404),
    ),
    "scoring": (
        "post",
        lambda w: reverse("calls:review", args=[w["assignment"].pk]),
        {"comment": "x", "action": "save"},
        _only({"assigned_juror": 302}, 404),
    ),
    "manage list": ("get", lambda w: reverse("calls:manage-list"), None, _only({}, 200)),
    "new call": (
        "get",
        lambda w: reverse("calls:call-create"),
        None,
        _only({**STAFF, "other_staff": 200}, 403),
    ),
    **{
        name: (
            "get",
            _call_page(view),
            None,
            _only(STAFF, 403),
        )
        for name, view in [
            ("manage call", "calls:manage-call"),
            ("edit call", "calls:call-edit"),
            ("jury", "calls:manage-jury"),
            ("ranking", "calls:ranking"),
        ]
    },
    "manage application": (
        "get",
        lambda w: reverse("calls:manage-application", args=[w["call"].slug, w["application"].pk]),
        None,
        _only({**STAFF, "applicant": 403}, 404),
    ),
    "decide": (
        "get",
        lambda w: reverse("calls:decide", args=[w["call"].slug, w["application"].pk]),
        None,
        _only({**STAFF, "applicant": 403}, 404),
    ),
    "export": (
        "get",
        lambda w: reverse("calls:export", args=[w["call"].slug, "scores", "xlsx"]),
        None,
        _only(STAFF, 403),
    ),
    "assign": (
        "post",
        lambda w: reverse("calls:assign", args=[w["call"].slug]),
        {},
        _only({"staff": 302, "superuser": 302}, 403),
    ),
    "add juror": (
        "post",
        lambda w: reverse("calls:manage-jury", args=[w["call"].slug]),
        {},
        _only(STAFF, 403),
    ),
    # API
    "api calls": ("get", lambda w: "/api/v1/calls/", None, _everyone(200)),
    "api call": ("get", lambda w: f"/api/v1/calls/{w['call'].slug}/", None, _everyone(200)),
    "api applications": ("get", lambda w: "/api/v1/applications/", None, _only({}, 200, 403)),
    "api application": (
        "get",
        lambda w: f"/api/v1/applications/{w['application'].pk}/",
        None,
        _only(OWNERS, 404, 403),
    ),
    "api submit": (
        "post",
        lambda w: f"/api/v1/applications/{w['application'].pk}/submit/",
        {},
        _only({"applicant": 400, "staff": 400, "superuser": 400}, 404, 403),
    ),
    "api reviews": ("get", lambda w: "/api/v1/reviews/", None, _only({}, 200, 403)),
    "api review": (
        "get",
        lambda w: f"/api/v1/reviews/{w['assignment'].pk}/",
        None,
        _only({"assigned_juror": 200}, 404, 403),
    ),
    "api scores": (
        "post",
        lambda w: f"/api/v1/reviews/{w['assignment'].pk}/scores/",
        {"scores": {}},
        _only({"assigned_juror": 200}, 404, 403),
    ),
}

# What each role finds in the API lists.
VISIBLE = {
    "api applications": {"applicant": 1, "staff": 1, "superuser": 1},
    "api reviews": {"assigned_juror": 1},
}


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
        if user.is_superuser:  # as after the second factor
            session = client.session
            session["mfa_ok"] = True
            session.save()
    return client


@pytest.mark.parametrize("page", list(PAGES))
def test_access_matrix(world, page):
    """One page or endpoint, every role in turn (allowed POSTs first change nothing others see)."""
    method, url, data, expected = PAGES[page]
    found = {}

    for role in ROLES:
        client = _client_for(world["users"][role])
        if method == "get":
            response = client.get(url(world))
        elif url(world).startswith("/api/"):
            response = client.post(url(world), data, content_type="application/json")
        else:
            response = client.post(url(world), data)
        found[role] = response.status_code
        if page in VISIBLE and response.status_code == 200:
            assert response.json()["count"] == VISIBLE[page].get(role, 0), (page, role)

    assert found == expected
