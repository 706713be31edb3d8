"""The experience form: its groups, searchable selects, choices kept on errors, drafts."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from municipia.core.models import FormDraft
from municipia.knowledge.models import Experience, SdgTarget
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import ThemeFactory

pytestmark = pytest.mark.django_db

CREATE = "knowledge:experience-create"
AUTOSAVE = "knowledge:experience-autosave"


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_the_form_is_grouped_and_never_lists_the_gazetteer(login, city_officer, member_city):
    for n in range(30):
        LocalGovernmentFactory(name=f"Gazetteer place {n}")

    page = _page(login(city_officer).get(reverse(CREATE)))

    legends = [
        legend.get_text(strip=True) for legend in page.select("fieldset.form-section > legend")
    ]
    assert legends == [
        "The experience",
        "Where it is shared",
        "Sustainable Development Goals",
        "Partners and period",
        "Budget and funding",
        "Contacts and links",
    ]
    assert page.find(id="id_partner_cities").find_all("option") == []
    assert page.find(id="id_sdg_targets").find_all("option") == []
    assert page.find(id="id_themes")["data-depends-on"] == "networks"
    assert page.find(id="id_partner_cities")["data-autocomplete"] == "/api/v1/autocomplete/places/"
    assert "Gazetteer place" not in page.get_text()


def test_a_refused_form_shows_the_chosen_options_with_their_labels(
    login, city_officer, member_city, network
):
    partner = LocalGovernmentFactory(name="Lleida")
    theme = ThemeFactory(network=network, names={"en": "Urban gardens"})
    target = SdgTarget.objects.get(code="11.7")

    response = login(city_officer).post(
        reverse(CREATE),
        {
            "city": member_city.pk,
            "language": "en",
            "title": "",
            "summary": "Gardens in schools.",
            "networks": [network.pk],
            "themes": [theme.pk],
            "sdg_targets": [target.pk],
            "partner_cities": [partner.pk],
            "started_on": "2026-01-31",
        },
    )

    page = _page(response)
    assert Experience.objects.count() == 0
    assert page.find(id="id_title")["class"][-1] == "is-invalid"
    assert page.find(id="id_summary").get_text().strip() == "Gardens in schools."
    chosen = {
        name: [(o["value"], o.get_text()) for o in page.find(id=f"id_{name}").find_all("option")]
        for name in ("themes", "sdg_targets", "partner_cities")
    }
    assert chosen == {
        "themes": [(str(theme.pk), "Urban gardens")],
        "sdg_targets": [(str(target.pk), f"11.7 · {target.title[:110]}")],
        "partner_cities": [(str(partner.pk), partner.full_name)],
    }
    assert page.find(id="id_started_on")["value"] == "2026-01-31"


def test_a_theme_of_a_network_not_chosen_is_refused(
    login, city_officer, member_city, network, other_network
):
    elsewhere = ThemeFactory(network=other_network, names={"en": "Ports"})

    response = login(city_officer).post(
        reverse(CREATE),
        {
            "city": member_city.pk,
            "language": "en",
            "title": "Gardens",
            "summary": "Gardens in schools.",
            "body": "<p>Text.</p>",
            "networks": [network.pk],
            "themes": [elsewhere.pk],
        },
    )

    assert response.status_code == 200
    assert "“Ports” is a theme of a network the experience is not shared in." in response.text
    assert Experience.objects.count() == 0


def test_dates_typed_in_catalan_are_saved(login, city_officer, member_city, network):
    client = login(city_officer)

    with translation.override("ca"):
        url = reverse(CREATE)
    response = client.post(
        url,
        {
            "city": member_city.pk,
            "language": "ca",
            "title": "Horts escolars",
            "summary": "Horts a les escoles.",
            "body": "<p>Text.</p>",
            "networks": [network.pk],
            "started_on": "15/03/2025",
            "ended_on": "31/12/2025",
            "budget": "12500,50",
        },
    )

    experience = Experience.objects.get()
    assert response.status_code == 302
    assert (str(experience.started_on), str(experience.ended_on), str(experience.budget)) == (
        "2025-03-15",
        "2025-12-31",
        "12500.50",
    )


def test_what_is_typed_is_kept_as_a_draft_and_filled_in_again(
    login, city_officer, member_city, network
):
    client = login(city_officer)
    partner = LocalGovernmentFactory(name="Reus")

    saved = client.post(
        reverse(AUTOSAVE),
        {"title": "Half-written", "networks": [network.pk], "partner_cities": [partner.pk]},
    )
    page = _page(client.get(reverse(CREATE)))

    assert "Draft saved at" in saved.text
    assert page.find(id="id_title")["value"] == "Half-written"
    assert [o.get_text() for o in page.find(id="id_partner_cities").find_all("option")] == [
        partner.full_name
    ]
    assert page.find(id="id_networks_0")["value"] == str(network.pk)
    assert "was kept as a draft" in page.get_text()


def test_saving_the_form_forgets_the_draft(login, city_officer, member_city, network):
    client = login(city_officer)
    client.post(reverse(AUTOSAVE), {"title": "Half-written"})

    client.post(
        reverse(CREATE),
        {
            "city": member_city.pk,
            "language": "en",
            "title": "Gardens",
            "summary": "Gardens in schools.",
            "body": "<p>Text.</p>",
            "networks": [network.pk],
        },
    )

    assert FormDraft.objects.count() == 0


def test_a_draft_can_be_discarded(login, city_officer, member_city):
    client = login(city_officer)
    client.post(reverse(AUTOSAVE), {"title": "Half-written"})

    response = client.post(reverse(AUTOSAVE), {"discard": "1"})

    assert response.status_code == 302
    assert FormDraft.objects.count() == 0


def test_autosave_is_refused_to_those_who_may_not_write(client, login, user, draft):
    assert client.post(reverse(AUTOSAVE), {"title": "x"}).status_code == 302  # to the login
    assert login(user).post(reverse(AUTOSAVE), {"title": "x"}).status_code == 403
    edit = reverse("knowledge:experience-autosave-edit", args=[draft.pk])
    assert login(user).post(edit, {"title": "x"}).status_code == 404
    assert FormDraft.objects.count() == 0


def test_drafts_of_an_existing_experience_are_kept_apart(login, city_officer, draft):
    client = login(city_officer)

    client.post(
        reverse("knowledge:experience-autosave-edit", args=[draft.pk]), {"title": "New title"}
    )
    page = _page(client.get(reverse("knowledge:experience-edit", args=[draft.pk])))

    assert page.find(id="id_title")["value"] == "New title"
    assert FormDraft.objects.get().key == f"knowledge.experience:{draft.pk}"
