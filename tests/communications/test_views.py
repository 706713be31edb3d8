"""Pages, feeds, API and search: an embargoed post is nowhere before its time; forms refuse bad
input whole; lists take a fixed number of queries."""

import datetime
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from municipia.communications.documents import news_documents, public_news
from municipia.communications.models import NewsPost, Subscriber
from municipia.communications.services import newsletters
from municipia.search import services as search
from tests.communications.conftest import active_subscriber, make_post

pytestmark = pytest.mark.django_db

SECRET = "hook-secret-for-tests"


def _staff(client, user):
    client.force_login(user)
    session = client.session
    session["mfa_ok"] = True
    session.save()
    return client


# --- Embargo everywhere ----------------------------------------------------------------------


def test_an_embargoed_post_is_on_no_page_feed_or_api(client, network, post, embargoed):
    slug = network.slug
    urls = [
        reverse("communications:news-index"),
        reverse("communications:news-list", args=[slug]),
        reverse("communications:feed-rss", args=[slug, "en", "news"]),
        reverse("communications:feed-atom", args=[slug, "en", "news"]),
        "/api/v1/news/",
    ]
    bodies = [client.get(url).content.decode() for url in urls]
    assert [post.title in body for body in bodies] == [True] * len(urls)
    assert [embargoed.title in body for body in bodies] == [False] * len(urls)
    detail = reverse("communications:news-detail", args=[slug, embargoed.pk])
    assert client.get(detail).status_code == 404


def test_an_embargoed_post_is_in_no_newsletter(network, network_staff, post, embargoed):
    issue = newsletters.assemble_issue(network, by=network_staff, language="en")
    html, text = newsletters.render_issue(issue)
    assert post.title in html
    assert embargoed.title not in html + text


def test_an_embargoed_post_is_not_searchable_until_its_time(embargoed, post):
    assert news_documents(embargoed) == []
    assert set(public_news([post.pk, embargoed.pk])) == {post.pk}
    search.reindex_object("communications.newspost", embargoed.pk)
    search.reindex_object("communications.newspost", post.pk)
    found = [r.obj for r in search.search("").results]
    assert post in found
    assert embargoed not in found
    NewsPost.objects.filter(pk=embargoed.pk).update(embargo_until=timezone.now())
    embargoed.refresh_from_db()
    assert {d.language for d in news_documents(embargoed)} == {"en"}


def test_the_embargoed_post_is_shown_to_its_staff_with_a_warning(
    client, network, embargoed, network_staff
):
    url = reverse("communications:news-detail", args=[network.slug, embargoed.pk])
    response = _staff(client, network_staff).get(url)
    assert b"Not public yet" in response.content


# --- Pages -----------------------------------------------------------------------------------


def test_pages_link_their_feeds_from_the_head(client, network, post):
    html = client.get(reverse("communications:news-list", args=[network.slug])).content.decode()
    head = html.split("</head>")[0]
    rss = reverse("communications:feed-rss", args=[network.slug, "en", "experiences"])
    assert (
        f'rel="alternate" type="application/rss+xml" title="{network} · Experiences (RSS)" href="{rss}"'
        in head
    )
    detail = client.get(post.get_absolute_url()).content.decode().split("</head>")[0]
    assert "application/atom+xml" in detail


def test_experience_event_and_call_pages_link_the_network_feeds_in_their_language(
    client, network, other_network
):
    from tests.factories.calls import CallFactory
    from tests.factories.events import EventFactory
    from tests.factories.knowledge import PublishedExperienceFactory

    experience = PublishedExperienceFactory(network=network)
    event = EventFactory(network=network)
    call = CallFactory(network=network)
    other_network.is_published = False
    other_network.save()
    pages = {
        "experiences": [
            experience.get_absolute_url(),
            reverse("search:search"),
            reverse("knowledge:bank"),
        ],
        "events": [
            reverse("events:event-detail", args=[event.slug]),
            reverse("events:event-list"),
            reverse("events:network-calendar", args=[network.slug]),
        ],
        "calls": [reverse("calls:call-detail", args=[call.slug]), reverse("calls:call-list")],
    }
    for language in ("en", "fr"):
        for kind, urls in pages.items():
            rss, atom = (
                reverse(name, args=[network.slug, language, kind]).replace("/en/", f"/{language}/")
                for name in ("communications:feed-rss", "communications:feed-atom")
            )
            for url in urls:
                url = url.replace("/en/", f"/{language}/", 1)
                response = client.get(url)
                assert response.status_code == 200, url
                head = response.content.decode().split("</head>")[0]
                assert f'type="application/rss+xml" title="{network} · ' in head, url
                assert f'href="{rss}"' in head, url
                assert f'type="application/atom+xml" title="{network} · ' in head, url
                assert f'href="{atom}"' in head, url
                assert f"/{other_network.slug}/feeds/" not in head, url  # not published
            for feed in (rss, atom):
                answer = client.get(feed)
                assert answer.status_code == 200, feed
                assert answer["Content-Type"].startswith("application/"), feed
    french = client.get(reverse("calls:call-list").replace("/en/", "/fr/", 1)).content.decode()
    assert "Appels" in french.split("</head>")[0]  # the feed's title in the page's language


def test_feeds_are_in_the_language_of_their_address(client, network, post, network_staff):
    from municipia.communications.services.news import add_news_translation

    add_news_translation(
        post,
        by=network_staff,
        language="fr",
        text={"title": "Entretien avec le maire", "summary": "Résumé", "body": "<p>Texte</p>"},
    )
    french = client.get(reverse("communications:feed-rss", args=[network.slug, "fr", "news"]))
    assert "Entretien avec le maire" in french.content.decode()
    assert (
        client.get(
            reverse("communications:feed-rss", args=[network.slug, "xx", "news"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("communications:feed-rss", args=[network.slug, "en", "nope"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["news", "experiences", "events", "calls", "plan-updates"])
def test_every_feed_reads_in_a_fixed_number_of_queries(
    client, network, network_staff, kind, django_assert_max_num_queries
):
    for n in range(4):
        make_post(network, network_staff, when=timezone.now() - datetime.timedelta(hours=n + 1))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("communications:feed-atom", args=[network.slug, "en", kind]))
    assert response.status_code == 200


def test_news_list_reads_in_a_fixed_number_of_queries(
    client, network, network_staff, django_assert_max_num_queries
):
    for n in range(12):
        make_post(network, network_staff, when=timezone.now() - datetime.timedelta(hours=n + 1))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("communications:news-list", args=[network.slug]))
    assert response.content.decode().count("card-title") == 12


def test_campaign_page_reads_in_a_fixed_number_of_queries(
    client, campaign, officer, member_city, django_assert_max_num_queries
):
    from municipia.communications.services.campaigns import register_activity

    for n in range(6):
        register_activity(
            campaign,
            by=officer,
            city=member_city,
            title=f"Activity {n}",
            description="Open schools.",
            happens_on=datetime.date(2026, 11, 30),
        )
    with django_assert_max_num_queries(14):
        response = client.get(campaign.get_absolute_url())
    assert response.content.decode().count("Activity ") == 6
    points = client.get(reverse("communications:campaign-map", args=[campaign.slug])).json()
    assert len(points["points"]) == 6


def test_staff_write_and_publish_a_post(client, network, network_staff):
    _staff(client, network_staff)
    url = reverse("communications:post-create", args=[network.slug])
    refused = client.post(
        url, {"language": "en", "category": "news", "title": "", "summary": "s", "body": "b"}
    )
    assert refused.status_code == 200
    assert not NewsPost.objects.exists()
    response = client.post(
        url,
        {
            "language": "en",
            "category": "news",
            "title": "Assembly",
            "summary": "s",
            "body": "<p>b</p>",
        },
    )
    post = NewsPost.objects.get()
    assert response.url == reverse("communications:post-edit", args=[post.pk])
    client.post(reverse("communications:post-publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.is_public()


def test_an_officer_registers_an_activity_and_bad_input_is_refused(
    client, campaign, officer, member_city
):
    _staff(client, officer)
    url = reverse("communications:activity-create", args=[campaign.slug])
    bad = client.post(
        url,
        {"city": member_city.pk, "title": "Walk", "description": "", "happens_on": "2026-13-40"},
    )
    assert bad.status_code == 200
    assert not campaign.activities.exists()
    client.post(
        url,
        {
            "city": member_city.pk,
            "title": "Walk",
            "description": "A walk.",
            "happens_on": "2026-11-30",
        },
    )
    assert campaign.activities.get().title == "Walk"


# --- Subscriptions ---------------------------------------------------------------------------


def test_subscribing_answers_alike_for_every_address(
    client, network, django_capture_on_commit_callbacks
):
    url = reverse("communications:subscribe", args=[network.slug])
    active_subscriber("known@example.org", network)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "known@example.org", "language": "en"})
        new = client.post(url, {"email": "new@example.org", "language": "en"})
    assert known.content == new.content
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    bad = client.post(url, {"email": "nope", "language": "en"})
    assert bad.status_code == 200
    assert Subscriber.objects.count() == 2


def test_one_click_unsubscribe_without_a_form(network):
    from django.test import Client

    reader = active_subscriber("reader@example.org", network)
    url = reverse("communications:unsubscribe", args=[newsletters.unsubscribe_token(reader.pk)])
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 200  # a GET only asks
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.ACTIVE
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    reader.refresh_from_db()
    assert response.status_code == 200
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert browser.post(url.replace("unsubscribe/", "unsubscribe/x")).status_code == 400


def test_the_bounce_hook_needs_its_secret(client, network, settings):
    settings.MUNICIPIA_NEWSLETTER_WEBHOOK_TOKEN = SECRET
    reader = active_subscriber("reader@example.org", network)
    url = reverse("communications:delivery-webhook")
    body = json.dumps({"email": "reader@example.org", "kind": "complaint"})
    kinds = "application/json"
    assert client.post(url, body, content_type=kinds).status_code == 403
    wrong = client.post(url, body, content_type=kinds, headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 403
    bad = client.post(url, "{", content_type=kinds, headers={"Authorization": f"Bearer {SECRET}"})
    assert bad.status_code == 400
    done = client.post(url, body, content_type=kinds, headers={"Authorization": f"Bearer {SECRET}"})
    assert done.json() == {"stopped": True}
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.COMPLAINED


def test_the_bounce_hook_is_off_without_a_secret(client, settings):
    settings.MUNICIPIA_NEWSLETTER_WEBHOOK_TOKEN = ""
    url = reverse("communications:delivery-webhook")
    response = client.post(
        url, "{}", content_type="application/json", headers={"Authorization": "Bearer "}
    )
    assert response.status_code == 403


def test_staff_assemble_preview_and_send(
    client, network, network_staff, post, django_capture_on_commit_callbacks
):
    active_subscriber("reader@example.org", network)
    _staff(client, network_staff)
    response = client.post(
        reverse("communications:issue-list-manage", args=[network.slug]), {"language": "en"}
    )
    issue = network.newsletter_issues.get()
    assert response.url == reverse("communications:issue-manage", args=[issue.pk])
    preview = client.get(reverse("communications:issue-preview", args=[issue.pk, "html"]))
    assert post.title in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("communications:issue-send", args=[issue.pk]))
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    page = client.get(reverse("communications:issue-manage", args=[issue.pk]))
    assert b"job-progress" in page.content
    archive = client.get(reverse("communications:issue-archive", args=[network.slug]))
    assert issue.subject in archive.content.decode()
