"""The events demo: the seed network's next congress, a study visit, an online meeting and an
executive committee, on the demo's networks."""

import io

import pytest
from django.utils import timezone

from municipia.accounts.models import Role
from municipia.demo import events as demo_events
from municipia.events import balance
from municipia.events.models import AttendanceCertificate, Event, Registration, Speaker
from tests.factories.accounts import RoleFactory
from tests.factories.directory import LocalGovernmentFactory, MembershipFactory, NetworkFactory
from tests.factories.knowledge import ExperienceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def aice(network_staff):
    aice = NetworkFactory(slug="aice", acronym="AICE")
    Role.objects.create(user=network_staff, kind=Role.Kind.NETWORK_STAFF, network=aice)
    for name in ("Granollers", "Barcelona", "Lyon", "Changwon", "Belo Horizonte"):
        MembershipFactory(network=aice, local_government=LocalGovernmentFactory(name=name))
    granollers = aice.memberships.get(local_government__name="Granollers").local_government
    RoleFactory(kind=Role.Kind.CITY_OFFICER, network=None, local_government=granollers)
    return aice


def test_demo_holds_the_next_congress_a_visit_an_online_meeting_and_a_committee(aice):
    barcelona = aice.memberships.get(local_government__name="Barcelona").local_government
    ExperienceFactory(city=barcelona)
    demo_events.load(io.StringIO())
    demo_events.load(io.StringIO())  # idempotent

    congress = Event.objects.get(slug=demo_events.CONGRESS_SLUG)
    assert congress.starts_at > timezone.now()
    assert congress.sessions.count() == 5
    assert Speaker.objects.filter(session__event=congress, bio_consent_at__isnull=False).exists()
    assert {t.language for t in congress.translations.all()} >= {"es", "ca", "en", "fr"}
    delegation = Registration.objects.filter(event=congress, local_government__name="Granollers")
    assert delegation.count() == 3
    assert {r.registered_by.roles.get().kind for r in delegation} == {Role.Kind.CITY_OFFICER}
    assert Registration.objects.filter(event=congress, status="cancelled").count() == 1
    # Member cities' participants are invoiced the congress fee through finance.
    assert all(r.invoice.kind == "event_fee" for r in delegation)
    visit = Event.objects.get(kind=Event.Kind.STUDY_VISIT)
    assert visit.sessions.get().experiences.count() == 1
    assert Event.objects.get(kind=Event.Kind.ONLINE_MEETING).online_url
    assert Event.objects.get(kind=Event.Kind.EXECUTIVE_COMMITTEE).is_public is False
    # Questions answered, a non-member fee, genders for the balance report, one unbalanced panel,
    # and certificates for those seen at last month's virtual café.
    assert len(congress.questions) == 2
    assert all(r.answers for r in Registration.objects.filter(event=congress))
    assert congress.fees.filter(category="non_member").exists()
    report = balance.speaker_balance(balance.speakers_of_events([congress]))
    assert {share.key for share in report.genders} == {"woman", "man"}
    assert [s for s in congress.sessions.all() if balance.panel_warning(s)]
    assert (
        AttendanceCertificate.objects.filter(registration__event__kind="virtual_cafe").count() == 2
    )
