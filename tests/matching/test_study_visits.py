"""Study visits: the cities with published experiences on what a city wants to see, by country,
never a draft nor the city itself, with a link that starts the visit as an event."""

import pytest
from django.urls import reverse

from tests.logins import logged_in

pytestmark = pytest.mark.django_db


def test_cities_to_visit_are_grouped_by_country_with_their_experiences(client, world):
    officer = logged_in(client, world.officer)
    url = reverse("matching:study-visits", args=[world.home.slug])
    page = officer.get(url, {"need": "compostage des déchets"}, HTTP_ACCEPT_LANGUAGE="en")
    groups = page.context["groups"]
    assert [g.country.code for g in groups] == ["FR"]
    (stop,) = groups[0].stops
    assert stop.city == world.lyon
    assert stop.experiences == [world.waste]
    text = page.content.decode()
    assert "Secret waste plan" not in text  # Dakar's draft
    assert "Plan a study visit here" not in text  # only the secretariat creates events


def test_nothing_asked_or_nothing_found_answers_clearly(client, world):
    officer = logged_in(client, world.officer)
    url = reverse("matching:study-visits", args=[world.home.slug])
    first = officer.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert first.context["groups"] is None
    assert "Choose a theme" in first.content.decode()
    none = officer.get(url, {"need": "zzzz qqqq"}, HTTP_ACCEPT_LANGUAGE="en")
    assert none.context["groups"] == []
    assert "No city has published an experience on this yet" in none.content.decode()
    refused = officer.get(url, {"theme": "999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.context["groups"] is None
    assert refused.context["form"].errors


def test_staff_start_the_visit_as_an_event_of_the_host_city(client, world):
    staff = logged_in(client, world.staff)
    url = reverse("matching:study-visits", args=[world.home.slug])
    page = staff.get(url, {"need": "compostage des déchets"}, HTTP_ACCEPT_LANGUAGE="en")
    create = f"{reverse('events:event-create')}?kind=study_visit&amp;host_city={world.lyon.pk}"
    assert create in page.content.decode()
    form = staff.get(create.replace("&amp;", "&")).context["form"]
    assert form.initial == {"kind": "study_visit", "host_city": world.lyon.pk}
