"""The API: news (with its embargo), campaigns and their activities, one's own subscriptions."""

import pytest
from django.core import mail

from municipia.communications.models import Subscription
from tests.communications.conftest import active_subscriber

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


def test_news_lists_public_posts_with_their_texts(
    client, post, embargoed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        data = client.get("/api/v1/news/").json()
    assert [row["id"] for row in data["results"]] == [post.pk]
    assert data["results"][0]["translations"][0]["title"] == post.title
    assert data["results"][0]["category"] == "mayor_interview"


def test_staff_see_their_embargoed_posts(client, embargoed, network_staff):
    data = _as(client, network_staff).get("/api/v1/news/").json()
    assert [row["id"] for row in data["results"]] == [embargoed.pk]


def test_campaign_and_its_activities(client, campaign, officer, member_city, user):
    data = client.get(f"/api/v1/campaigns/{campaign.slug}/").json()
    assert data["translations"][0]["slogan"] == "The city that educates"
    url = f"/api/v1/campaigns/{campaign.slug}/activities/"
    activity = {
        "city": member_city.slug,
        "title": "Walk",
        "description": "A walk.",
        "happens_on": "2026-11-30",
    }
    assert client.post(url, activity, content_type="application/json").status_code == 403
    refused = _as(client, user).post(url, activity, content_type="application/json")
    assert refused.status_code == 400
    bad = _as(client, officer).post(
        url, {**activity, "happens_on": "soon"}, content_type="application/json"
    )
    assert bad.status_code == 400
    created = client.post(url, activity, content_type="application/json")
    assert created.status_code == 201
    assert client.get(url).json()[0]["title"] == "Walk"


def test_own_subscriptions(
    client, user, network, other_network, django_capture_on_commit_callbacks
):
    active_subscriber("someone@example.org", other_network)
    _as(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/newsletter-subscriptions/",
            {"network": network.slug, "language": "fr"},
            content_type="application/json",
        )
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    assert mail.outbox[0].to == [user.email.lower()]
    rows = client.get("/api/v1/newsletter-subscriptions/").json()["results"]
    assert [row["network"] for row in rows] == [network.slug]  # never someone else's
    bad = client.post(
        "/api/v1/newsletter-subscriptions/",
        {"network": network.slug, "language": "xx"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    other = Subscription.objects.get(network=other_network)
    assert client.delete(f"/api/v1/newsletter-subscriptions/{other.pk}/").status_code == 404
    mine = rows[0]["id"]
    assert client.delete(f"/api/v1/newsletter-subscriptions/{mine}/").status_code == 204
