"""Funding opportunities: the service's checks (nothing half-written), matching by meaning and
eligibility, the digest (once per person, in their language, unsubscribe) and the import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from municipia.cooperation.opportunities import digest, imports, matching, services
from municipia.cooperation.opportunities.models import (
    DigestDelivery,
    Opportunity,
    OpportunityImport,
    OpportunityMatch,
    OpportunityTranslation,
    ThemeFollow,
)
from municipia.cooperation.services import CooperationError
from tests.calls.test_demo import demo_networks  # noqa: F401 - the calls demo's world
from tests.cooperation.opportunities_world import *  # noqa: F403 (fixtures)
from tests.cooperation.opportunities_world import deadline
from tests.factories.knowledge import PublishedExperienceFactory, indexed

pytestmark = pytest.mark.django_db


def _values(funder, **changes):
    values = {
        "language": "en",
        "title": "Green squares",
        "summary": "Money for greener public squares.",
        "funder": funder,
        "programme": "Green Cities",
        "deadline": deadline(),
        "time_zone": "Europe/Madrid",
    }
    return {**values, **changes}


def _counts():
    return (
        Opportunity.objects.count(),
        OpportunityTranslation.objects.count(),
        Opportunity.themes.through.objects.count(),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadline": deadline(-1)}, "already passed"),
        ({"cofinancing_rate": "101"}, "between 0 and 100"),
        ({"cofinancing_rate": "-5"}, "between 0 and 100"),
        ({"amount_min": "900", "amount_max": "100", "currency": "EUR"}, "smallest grant is larger"),
        ({"amount_min": "900", "currency": "XYZ"}, "ISO 4217"),
        ({"amount_min": "900"}, "currency of the amounts"),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
        ({"regions": ["999"]}, "UN M49"),
        ({"applicant_kinds": ["emperor"]}, "kind of applicant"),
        ({"title": "  "}, "title"),
        ({"language": "xx"}, "language of the site"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(network, funder, water, changes, message):
    before = _counts()
    with pytest.raises(CooperationError, match=message):
        services.create_opportunity(network, **_values(funder, themes=[water], **changes))
    assert _counts() == before


def test_refusals_are_translated(network, funder):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(CooperationError) as error:
        services.create_opportunity(network, **_values(funder, cofinancing_rate="150"))
    assert "cofinancement" in str(error.value)


def test_themes_of_another_network_are_refused(network, other_network, funder):
    from tests.factories.knowledge import ThemeFactory

    theirs = ThemeFactory(network=other_network)
    before = _counts()
    with pytest.raises(CooperationError):
        services.create_opportunity(network, **_values(funder, themes=[theirs]))
    assert _counts() == before


def test_update_keeps_a_past_deadline_refused_and_the_row_unchanged(opportunity):
    with pytest.raises(CooperationError):
        services.update_opportunity(opportunity, deadline=deadline(-2))
    with pytest.raises(CooperationError):
        services.update_opportunity(opportunity, amount_min="600000")  # above the max of 500,000
    opportunity.refresh_from_db()
    assert opportunity.amount_min == Decimal("50000.00")
    services.update_opportunity(opportunity, title="Clean water for towns", amount_max="700000")
    opportunity.refresh_from_db()
    assert opportunity.title == "Clean water for towns"
    assert opportunity.amount_max == Decimal("700000.00")


def test_status_follows_the_deadline(opportunity):
    assert opportunity.is_open
    Opportunity.objects.filter(pk=opportunity.pk).update(deadline=deadline(-1))
    opportunity.refresh_from_db()
    assert not opportunity.is_open
    assert not Opportunity.objects.open().filter(pk=opportunity.pk).exists()


def test_translations_and_the_text_in_the_readers_language(opportunity):
    services.translate_opportunity(
        opportunity, language="fr", title="Eau propre", summary="Des subventions pour l'eau."
    )
    opportunity = Opportunity.objects.prefetch_related("translations").get(pk=opportunity.pk)
    assert opportunity.text("fr").title == "Eau propre"
    assert opportunity.text("pt").title == "Clean water for small towns"  # the original


def _experience(city, network, water, title, summary):
    experience = PublishedExperienceFactory(
        city=city, network=network, texts={"en": (title, summary, f"<p>{summary}</p>")}
    )
    experience.themes.add(water)
    indexed(experience)
    return experience


def test_matching_by_meaning_region_and_membership(
    opportunity, member_city, network, water, africa
):
    from tests.factories.directory import LocalGovernmentFactory

    near = _experience(
        member_city,
        network,
        water,
        "Drinking water for every home",
        "The town renewed its water pipes and sanitation.",
    )
    far_away = LocalGovernmentFactory(country=africa)  # a member, outside Europe
    _experience(far_away, network, water, "Water kiosks", "Drinking water kiosks in the town.")
    outsider = LocalGovernmentFactory(country=member_city.country)  # in Europe, not a member
    outsider_experience = PublishedExperienceFactory(
        city=outsider, texts={"en": ("Water pipes", "New water pipes.", "<p>Pipes.</p>")}
    )
    indexed(outsider_experience, opportunity)
    assert matching.compute_matches(opportunity) >= 1
    matches = list(OpportunityMatch.objects.filter(opportunity=opportunity))
    assert {m.local_government_id for m in matches} == {member_city.pk}
    assert matches[0].experience == near
    # Computed again, the same rows (the task may run twice).
    matching.compute_matches(opportunity)
    assert OpportunityMatch.objects.filter(opportunity=opportunity).count() == len(matches)


def test_eligibility_by_kind_and_country(opportunity, member_city, europe, africa):
    members = {member_city.pk}
    assert matching.eligibility(opportunity, member_city, members)
    opportunity.applicant_kinds = ["region"]
    assert not matching.eligibility(opportunity, member_city, members)
    opportunity.applicant_kinds = []
    opportunity.regions = []
    opportunity.save()
    opportunity.countries.set([africa])
    opportunity = Opportunity.objects.prefetch_related("countries").get(pk=opportunity.pk)
    assert not matching.eligibility(opportunity, member_city, members)
    assert not matching.eligibility(opportunity, member_city, set())


# --- Digest -----------------------------------------------------------------------------------


@pytest.fixture
def follower(city_officer, member_city, water):
    city_officer.language = "fr"
    city_officer.email = "officer@example.org"
    city_officer.save()
    services.follow_theme(city_officer, water)
    return city_officer


def test_digest_sends_each_opportunity_once_in_the_persons_language(follower, opportunity):
    result = digest.send_digests()
    assert result.people == 1
    assert result.opportunities == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Clean water for small towns" in message.body
    assert "Europe/Brussels" in message.body
    assert "financement" in message.subject  # in French, the officer's language
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert DigestDelivery.objects.filter(user=follower, opportunity=opportunity).exists()
    # Again: nothing new, nothing sent.
    assert digest.send_digests().people == 0
    assert len(mail.outbox) == 1


def test_digest_skips_closed_ineligible_and_unfollowed(follower, opportunity, africa, water):
    opportunity.regions = ["002"]  # Africa only: the officer's city is in Europe
    opportunity.save()
    assert digest.send_digests().people == 0
    services.unfollow_theme(follower, water)
    opportunity.regions = []
    opportunity.save()
    assert digest.send_digests().people == 0
    assert mail.outbox == []


def test_digest_in_batches_with_the_command(follower, opportunity, network, water):
    from municipia.accounts.models import Role
    from tests.factories.accounts import RoleFactory

    others = []
    for _n in range(3):
        role = RoleFactory(
            kind=Role.Kind.CITY_OFFICER,
            network=None,
            local_government=follower.roles.get().local_government,
        )
        role.user.email = f"o{role.user.pk}@example.org"
        role.user.save()
        services.follow_theme(role.user, water)
        others.append(role.user)
    call_command("send_opportunity_digests", "--batch-size", "2", stdout=io.StringIO())
    assert len(mail.outbox) == 4
    assert DigestDelivery.objects.count() == 4


def test_unsubscribe_with_the_signed_link(follower, opportunity):
    digest.send_digests()
    url = reverse(
        "cooperation:opportunity-unsubscribe", args=[services.unsubscribe_token(follower)]
    )
    client = Client()
    assert client.get(url).status_code == 200
    assert ThemeFollow.objects.filter(user=follower).exists()  # a GET changes nothing
    assert client.post(url).status_code == 200
    assert not ThemeFollow.objects.filter(user=follower).exists()
    assert client.post(url[:-3] + "xx/").status_code == 400


# --- Import -----------------------------------------------------------------------------------


HEADING = "funder;programme;title;description;deadline;time zone;themes;countries;co-financing rate;currency;minimum amount;maximum amount\n"


def _upload(network, text: str, name="opportunities.csv"):
    return OpportunityImport.objects.create(
        network=network, filename=name, data=text.encode("utf-8")
    )


def _row(funder, title="Parks", when=None, rate="50", low="1000", high="2000", currency="EUR"):
    when = when or (deadline(40).strftime("%Y-%m-%d %H:%M"))
    return f"{funder.name};Green Cities;{title};Money for parks.;{when};Europe/Lisbon;water;PT;{rate};{currency};{low};{high}\n"


def test_import_preview_then_write(network, funder, water, europe, network_staff):
    stored = _upload(network, HEADING + _row(funder) + _row(funder, title="Trees"))
    preview = imports.preview_import(stored)
    assert not preview.refused, [r.problems for r in preview.rows] + preview.problems
    assert Opportunity.objects.count() == 0  # the preview writes nothing
    created = imports.write_import(stored, by=network_staff)
    assert [o.title for o in created] == ["Parks", "Trees"]
    assert created[0].themes.get() == water
    assert created[0].countries.get() == europe
    assert created[0].time_zone == "Europe/Lisbon"
    with pytest.raises(CooperationError, match="already written"):
        imports.write_import(stored, by=network_staff)


def test_import_refuses_the_whole_file_for_one_bad_row(network, funder, water, europe):
    stored = _upload(
        network,
        HEADING
        + _row(funder)
        + _row(funder, title="Late", when="2001-01-01 12:00")
        + _row(funder, title="Rate", rate="180")
        + _row(funder, title="Range", low="5000", high="10")
        + _row(funder, title="Money", currency="ABC")
        + "Nobody;P;Unknown funder;Text;2099-01-01;UTC;;;;;;\n",
    )
    preview = imports.preview_import(stored)
    problems = {row.title: " ".join(row.problems) for row in preview.rows}
    assert problems["Parks"] == ""
    assert "already passed" in problems["Late"]
    assert "between 0 and 100" in problems["Rate"]
    assert "smallest grant is larger" in problems["Range"]
    assert "ISO 4217" in problems["Money"]
    assert "No organisation" in problems["Unknown funder"]
    before = _counts()
    with pytest.raises(CooperationError, match="Nothing was written"):
        imports.write_import(stored, by=None)
    assert _counts() == before


def test_import_reads_xlsx_and_refuses_missing_columns(network, funder, water, europe):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in (HEADING + _row(funder)).strip().split("\n"):
        sheet.append(line.split(";"))
    data = BytesIO()
    book.save(data)
    stored = OpportunityImport.objects.create(
        network=network, filename="opportunities.xlsx", data=data.getvalue()
    )
    assert not imports.preview_import(stored).refused
    missing = _upload(network, "funder;title\nX;Y\n")
    assert "missing" in imports.preview_import(missing).problems[0]


def test_deadline_is_read_on_the_zone_clock(network, funder, water, europe):
    stored = _upload(network, HEADING + _row(funder, when="2099-03-31 17:00"))
    row = imports.preview_import(stored).rows[0]
    assert row.values["deadline"] == datetime.datetime(2099, 3, 31, 16, 0, tzinfo=datetime.UTC)


def test_demo_has_three_opportunities_in_several_languages_matched_to_members(
    demo_networks,  # noqa: F811
):
    from municipia.cooperation.opportunities import tasks
    from municipia.demo import calls as demo_calls
    from municipia.demo import cooperation as demo_cooperation
    from municipia.demo import opportunities as demo_opportunities
    from municipia.search.services import rebuild_index

    demo_calls.load(io.StringIO())
    demo_cooperation.load(io.StringIO())
    created = demo_opportunities.load(io.StringIO())
    assert demo_opportunities.load(io.StringIO()) == []  # idempotent
    assert len(created) == 3
    assert {o.funder.kind for o in created} == {"funder"}
    for opportunity in created:
        assert opportunity.is_open
        assert opportunity.translations.count() == 3
    rebuild_index()
    for opportunity in created:
        tasks.match_opportunity(pk=opportunity.pk)
    assert OpportunityMatch.objects.filter(opportunity__in=created).exists()


def test_public_search_finds_open_opportunities_only(opportunity, hidden_opportunity):
    from municipia.search.services import search

    indexed(opportunity, hidden_opportunity)
    found = search("drinking water sanitation grants", filters={"type": ["opportunity"]})
    assert [r.obj for r in found.results] == [opportunity]
    Opportunity.objects.filter(pk=opportunity.pk).update(deadline=deadline(-1))
    assert search("drinking water", filters={"type": ["opportunity"]}).results == []
    indexed(opportunity)  # the daily task takes it out of the index
    assert search("drinking water", filters={"type": ["opportunity"]}).total == 0


def test_pages_show_the_deadline_in_its_zone_and_the_readers(opportunity, city_officer):
    opportunity.deadline = datetime.datetime(2099, 1, 15, 16, 0, tzinfo=datetime.UTC)
    opportunity.save()
    city_officer.timezone = "America/Montreal"
    city_officer.save()
    client = Client()
    client.force_login(city_officer)
    page = client.get(reverse("cooperation:opportunity-detail", args=[opportunity.slug]))
    text = page.content.decode()
    assert "15 January 2099, 17:00" in text  # Brussels
    assert "15 January 2099, 11:00" in text  # the reader's Montréal
    feed = Client().get(reverse("cooperation:opportunity-feed")).content.decode()
    assert "Clean water for small towns" in feed
    assert "Europe/Brussels" in feed


def test_officer_follows_themes_on_their_page(city_officer, member_city, water, opportunity):
    client = Client()
    client.force_login(city_officer)
    url = reverse("cooperation:opportunity-mine")
    assert client.post(url, {"themes": [water.pk]}).status_code == 302
    assert ThemeFollow.objects.filter(user=city_officer, theme=water).exists()
    assert client.post(url, {}).status_code == 302
    assert not ThemeFollow.objects.exists()


def test_list_filters_by_region_country_theme_and_deadline(opportunity, africa, europe):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from municipia.cooperation.opportunities.queries import filtered_opportunities

    def titles(**data):
        return [o.title for o in filtered_opportunities(AnonymousUser(), data)]

    assert titles(region="150") == ["Clean water for small towns"]
    assert titles(region="002") == []
    assert titles(country=europe) == ["Clean water for small towns"]
    assert titles(country=africa) == []
    assert titles(theme=opportunity.themes.get()) == ["Clean water for small towns"]
    assert titles(deadline_before=timezone.localdate()) == []
