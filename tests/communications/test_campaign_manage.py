"""The staff's pages of a campaign: its texts in each language, its kit and its exhibition."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from municipia.communications.models import CampaignMaterial, ExhibitionStop
from municipia.communications.services import campaigns
from tests.communications.test_views import _staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%poster\n"


def _manage(slug: str) -> str:
    return reverse("communications:campaign-manage", args=[slug])


def test_staff_write_the_campaign_in_another_language(client, campaign, network_staff):
    _staff(client, network_staff)
    url = reverse("communications:campaign-text", args=[campaign.slug, "ca"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"name": "Dia internacional", "slogan": "", "body": "Text"})
    assert refused.status_code == 400
    assert not campaign.translations.filter(language="ca").exists()  # nothing written

    answer = client.post(
        url, {"name": "Dia de les ciutats educadores", "slogan": "Educar", "body": "Cada any."}
    )
    assert answer.status_code == 302
    text = campaign.translations.get(language="ca")
    assert (text.name, text.slogan, text.body) == (
        "Dia de les ciutats educadores",
        "Educar",
        "Cada any.",
    )
    page = client.get(_manage(campaign.slug)).content.decode()
    assert "Dia de les ciutats educadores" in page
    assert (
        client.get(reverse("communications:campaign-text", args=[campaign.slug, "xx"])).status_code
        == 404
    )


def test_a_refusal_is_said_in_the_users_language(client, campaign, network_staff):
    _staff(client, network_staff)
    with translation.override("fr"):
        url = reverse("communications:stop-add", args=[campaign.slug])
    city = campaign.network.memberships.first().local_government
    answer = client.post(
        url,
        {"venue": "Mairie", "city": city.pk, "opens_on": "2026-11-20", "closes_on": "2026-11-10"},
    )
    assert answer.status_code == 400
    with translation.override("fr"):
        said = escape(gettext("The exhibition closes before it opens."))
    assert said != "The exhibition closes before it opens."
    assert said in answer.content.decode()
    assert not ExhibitionStop.objects.exists()


def test_the_exhibition_itinerary(client, campaign, network_staff, other_network):
    from tests.factories.directory import LocalGovernmentFactory

    _staff(client, network_staff)
    city = campaign.network.memberships.first().local_government
    url = reverse("communications:stop-add", args=[campaign.slug])
    stop = {
        "venue": "Town hall",
        "city": city.pk,
        "opens_on": "2026-11-10",
        "closes_on": "2026-11-20",
    }
    backwards = client.post(url, {**stop, "closes_on": "2026-11-01"})
    assert backwards.status_code == 400
    assert "The exhibition closes before it opens." in backwards.content.decode()
    stranger = LocalGovernmentFactory()  # not a member of the network
    assert client.post(url, {**stop, "city": stranger.pk}).status_code == 400
    assert client.post(url, {**stop, "venue": ""}).status_code == 400
    assert not ExhibitionStop.objects.exists()

    assert client.post(url, stop).status_code == 302
    added = campaign.exhibition_stops.get()
    assert (added.venue, added.city, added.opens_on) == (
        "Town hall",
        city,
        datetime.date(2026, 11, 10),
    )
    assert "Town hall" in client.get(campaign.get_absolute_url()).content.decode()

    remove = reverse("communications:stop-remove", args=[campaign.slug, added.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not ExhibitionStop.objects.exists()
    assert client.post(remove, follow=True).status_code == 200  # already gone: said, not a 500


def test_the_kit_takes_only_checked_files(
    client, campaign, network_staff, media, django_capture_on_commit_callbacks
):
    _staff(client, network_staff)
    url = reverse("communications:material-add", args=[campaign.slug])
    disguised = SimpleUploadedFile("poster.pdf", b"MZ\x90\x00 an executable")
    refused = client.post(url, {"kind": "poster", "title": "Poster", "file": disguised})
    assert refused.status_code == 400
    no_title = client.post(
        url, {"kind": "poster", "title": "", "file": SimpleUploadedFile("p.pdf", PDF)}
    )
    assert no_title.status_code == 400
    assert not CampaignMaterial.objects.exists()
    assert not list(media.rglob("*.*"))  # nothing stored either

    answer = client.post(
        url,
        {
            "kind": "poster",
            "title": "Poster",
            "language": "es",
            "file": SimpleUploadedFile("../../Cartel día.pdf", PDF),
        },
    )
    assert answer.status_code == 302
    material = campaign.materials.get()
    assert (material.content_type, material.original_name, material.language) == (
        "application/pdf",
        "Cartel día.pdf",
        "es",
    )
    assert ".." not in material.file.name
    download = client.get(material.get_absolute_url())
    assert b"".join(download.streaming_content) == PDF
    stored = media / material.file.name
    assert stored.exists()

    remove = reverse("communications:material-remove", args=[campaign.slug, material.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remove).status_code == 302
    assert not CampaignMaterial.objects.exists()
    assert not stored.exists()


@pytest.mark.parametrize("count", [1, 4])
def test_the_management_page_reads_in_a_fixed_number_of_queries(
    client, campaign, network_staff, media, count, django_assert_num_queries
):
    city = campaign.network.memberships.first().local_government
    for n in range(count):
        campaigns.add_exhibition_stop(
            campaign,
            by=network_staff,
            venue=f"Venue {n}",
            city=city,
            opens_on=campaign.starts_on,
            closes_on=campaign.ends_on,
        )
        campaigns.add_material(
            campaign,
            SimpleUploadedFile(f"poster{n}.pdf", PDF),
            by=network_staff,
            kind="poster",
            title=f"Poster {n}",
        )
    _staff(client, network_staff)
    client.get(_manage(campaign.slug))
    with django_assert_num_queries(QUERIES):
        response = client.get(_manage(campaign.slug))
    text = response.content.decode()
    assert len(re.findall(r"Venue \d+,", text)) == count
    assert len(re.findall(r">Poster \d+</a>", text)) == count


# session, user, campaign, texts, roles, memberships, materials, stops, generations (the header)
QUERIES = 9
