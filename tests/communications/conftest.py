import datetime

import pytest
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.communications.models import Subscriber, Subscription
from municipia.communications.services import campaigns, news
from tests.factories.accounts import RoleFactory
from tests.factories.directory import MembershipFactory

TEXT = {
    "title": "Mayor of Rosario on the educating city",
    "summary": "An interview about schools open to the neighbourhood.",
    "body": "<p>The mayor explains <strong>why</strong> schools open on weekends.</p>",
}
CAMPAIGN_TEXT = {
    "name": "International Day of Educating Cities",
    "slogan": "The city that educates",
    "body": "Every 30 November, member cities show how they educate.",
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def member_city(city, network):
    MembershipFactory(network=network, local_government=city)
    return city


@pytest.fixture
def officer(member_city):
    return RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=member_city).user


@pytest.fixture
def other_staff(other_network):
    return RoleFactory(kind=Role.Kind.NETWORK_STAFF, network=other_network).user


def make_post(network, staff, *, published=True, embargo=None, when=None, **text):
    post = news.create_post(
        network,
        by=staff,
        original_language="en",
        text={**TEXT, **text},
        category="mayor_interview",
        published_at=when,
        embargo_until=embargo,
    )
    if published:
        news.publish_post(post, by=staff)
    return post


@pytest.fixture
def post(network, network_staff):
    return make_post(network, network_staff, when=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def embargoed(network, network_staff):
    return make_post(
        network,
        network_staff,
        when=timezone.now() - datetime.timedelta(hours=1),
        embargo=timezone.now() + datetime.timedelta(days=2),
        title="Embargoed announcement",
    )


@pytest.fixture
def campaign(network, network_staff, member_city):
    campaign = campaigns.create_campaign(
        network,
        by=network_staff,
        slug="educating-cities-day",
        original_language="en",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 11, 30),
        text=CAMPAIGN_TEXT,
    )
    campaigns.publish_campaign(campaign, by=network_staff)
    return campaign


def active_subscriber(email, network, language="en"):
    subscriber = Subscriber.objects.create(
        email=email, status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now()
    )
    Subscription.objects.create(subscriber=subscriber, network=network, language=language)
    return subscriber
