"""Every page and endpoint of communications, asked by every role."""

import pytest
from django.urls import reverse

from municipia.communications.services import newsletters
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "public", "officer", "other_officer", "staff", "other_staff", "superuser"]
OK, LOGIN, HIDDEN, REFUSED = 200, 302, 404, 403


@pytest.fixture
def people(officer, network_staff, other_staff, superuser):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory
    from tests.factories.directory import LocalGovernmentFactory

    return {
        "anonymous": None,
        "public": UserFactory(),
        "officer": officer,
        "other_officer": RoleFactory(
            kind=Role.Kind.CITY_OFFICER, network=None, local_government=LocalGovernmentFactory()
        ).user,
        "staff": network_staff,
        "other_staff": other_staff,
        "superuser": superuser,
    }


def _login(client, user):
    if user is not None:
        client.force_login(user)
        session = client.session
        session["mfa_ok"] = True
        session.save()
    return client


EVERYONE = dict.fromkeys(ROLES, OK)
STAFF = {
    "anonymous": LOGIN,
    "public": HIDDEN,
    "officer": HIDDEN,
    "other_officer": HIDDEN,
    "staff": OK,
    "other_staff": HIDDEN,
    "superuser": OK,
}
HIDDEN_BUT_STAFF = {**STAFF, "anonymous": HIDDEN}
MEMBER_OFFICERS = {
    **STAFF,
    "officer": OK,
    "staff": HIDDEN,
}
SIGNED_IN = {**EVERYONE, "anonymous": REFUSED}


@pytest.fixture
def pages(network, network_staff, post, embargoed, campaign):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    draft = newsletters.assemble_issue(network, by=network_staff, language="fr")
    issue.status, issue.sent_at = "sent", issue.created_at
    issue.save()
    slug = network.slug
    return {
        "news-index": (reverse("communications:news-index"), EVERYONE),
        "news-list": (reverse("communications:news-list", args=[slug]), EVERYONE),
        "post": (reverse("communications:news-detail", args=[slug, post.pk]), EVERYONE),
        "embargoed": (
            reverse("communications:news-detail", args=[slug, embargoed.pk]),
            HIDDEN_BUT_STAFF,
        ),
        "feeds": (reverse("communications:feeds", args=[slug]), EVERYONE),
        "feed-rss": (reverse("communications:feed-rss", args=[slug, "en", "news"]), EVERYONE),
        "feed-atom": (reverse("communications:feed-atom", args=[slug, "fr", "calls"]), EVERYONE),
        "news-manage": (reverse("communications:news-manage", args=[slug]), STAFF),
        "post-create": (reverse("communications:post-create", args=[slug]), STAFF),
        "post-edit": (reverse("communications:post-edit", args=[post.pk]), STAFF),
        "subscribe": (reverse("communications:subscribe", args=[slug]), EVERYONE),
        "archive": (reverse("communications:issue-archive", args=[slug]), EVERYONE),
        "issue": (reverse("communications:issue-detail", args=[slug, issue.pk]), EVERYONE),
        "draft-issue": (
            reverse("communications:issue-detail", args=[slug, draft.pk]),
            HIDDEN_BUT_STAFF,
        ),
        "issues-manage": (reverse("communications:issue-list-manage", args=[slug]), STAFF),
        "issue-manage": (reverse("communications:issue-manage", args=[draft.pk]), STAFF),
        "preview-html": (reverse("communications:issue-preview", args=[draft.pk, "html"]), STAFF),
        "preview-txt": (reverse("communications:issue-preview", args=[draft.pk, "txt"]), STAFF),
        "campaigns": (reverse("communications:campaign-list"), EVERYONE),
        "campaign": (reverse("communications:campaign-detail", args=[campaign.slug]), EVERYONE),
        "campaign-map": (reverse("communications:campaign-map", args=[campaign.slug]), EVERYONE),
        "activity-create": (
            reverse("communications:activity-create", args=[campaign.slug]),
            {**MEMBER_OFFICERS, "superuser": OK},
        ),
        "campaign-manage": (
            reverse("communications:campaign-manage", args=[campaign.slug]),
            STAFF,
        ),
        "campaign-text": (
            reverse("communications:campaign-text", args=[campaign.slug, "fr"]),
            STAFF,
        ),
        "api-news": ("/api/v1/news/", EVERYONE),
        "api-post": (f"/api/v1/news/{post.pk}/", EVERYONE),
        "api-embargoed": (
            f"/api/v1/news/{embargoed.pk}/",
            {**HIDDEN_BUT_STAFF, "anonymous": HIDDEN},
        ),
        "api-campaigns": ("/api/v1/campaigns/", EVERYONE),
        "api-campaign": (f"/api/v1/campaigns/{campaign.slug}/", EVERYONE),
        "api-activities": (f"/api/v1/campaigns/{campaign.slug}/activities/", EVERYONE),
        "api-subscriptions": ("/api/v1/newsletter-subscriptions/", SIGNED_IN),
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_expected(client, people, pages, role):
    _login(client, people[role])
    answers = {name: client.get(url).status_code for name, (url, _expected) in pages.items()}
    expected = {name: matrix[role] for name, (_url, matrix) in pages.items()}
    assert answers == expected


def test_an_unpublished_campaign_is_its_staffs_only(client, people, campaign, network_staff):
    from municipia.communications.services.campaigns import publish_campaign

    publish_campaign(campaign, by=network_staff, published=False)
    url = reverse("communications:campaign-detail", args=[campaign.slug])
    answers = {role: _login(client, people[role]).get(url).status_code for role in ROLES}
    client.logout()
    assert answers == {**HIDDEN_BUT_STAFF, "anonymous": HIDDEN}


@pytest.mark.parametrize("role", ["anonymous", "public", "officer", "other_staff"])
def test_staff_actions_are_refused_to_others(
    client, people, post, network, network_staff, campaign, role
):
    from municipia.communications.services.campaigns import add_exhibition_stop

    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    stop = add_exhibition_stop(
        campaign,
        by=network_staff,
        venue="Town hall",
        city=campaign.network.memberships.first().local_government,
        opens_on=campaign.starts_on,
        closes_on=campaign.ends_on,
    )
    _login(client, people[role])
    slug = campaign.slug
    posts = [
        reverse("communications:post-publish", args=[post.pk]),
        reverse("communications:post-translate", args=[post.pk]),
        reverse("communications:issue-send", args=[issue.pk]),
        reverse("communications:campaign-text", args=[slug, "en"]),
        reverse("communications:material-add", args=[slug]),
        reverse("communications:stop-add", args=[slug]),
        reverse("communications:stop-remove", args=[slug, stop.pk]),
        reverse("communications:material-remove", args=[slug, 1]),
    ]
    answers = {client.post(url, {"published": "0"}).status_code for url in posts}
    assert answers == {LOGIN if role == "anonymous" else HIDDEN}
    post.refresh_from_db()
    assert post.status == "published"
    assert campaign.exhibition_stops.get() == stop
    assert campaign.translations.get().name == "International Day of Educating Cities"
