"""The communications demo: news in three languages with an interview with a mayor, two sent
newsletters in the archive, the International Day with activities on the map, its exhibition."""

import io

import pytest
from django.urls import reverse

from municipia.communications.models import Campaign, Issue, NewsPost
from municipia.demo import communications as demo_communications
from tests.events.test_demo import aice  # noqa: F401 (the demo network, as the events demo wants it)

pytestmark = pytest.mark.django_db


def test_demo_holds_news_newsletters_and_the_international_day(aice, client, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    demo_communications.load(io.StringIO())
    demo_communications.load(io.StringIO())  # idempotent

    interview = NewsPost.objects.get(category=NewsPost.Category.MAYOR_INTERVIEW)
    assert {t.language for t in interview.translations.all()} == {"es", "en", "ca"}
    assert NewsPost.objects.public().count() == 3
    issues = Issue.objects.sent().filter(network=aice)
    assert {i.language for i in issues} == {"es", "en"}
    assert all(issue.items for issue in issues)  # the news are in them

    campaign = Campaign.objects.get(slug=demo_communications.CAMPAIGN_SLUG)
    assert campaign.activities.count() == 4  # the demo members that the test network has
    assert campaign.exhibition_stops.count() == 2
    assert campaign.declaration_draft.objectives.count() == 3
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "member-map" in page
    points = client.get(reverse("communications:campaign-map", args=[campaign.slug])).json()
    assert len(points["points"]) == 4
    archive = client.get(reverse("communications:issue-archive", args=["aice"])).content.decode()
    assert "AICE news (demo)" in archive
