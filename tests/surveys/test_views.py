"""Pages of questionnaires: answering by a personal link and the public link (errors kept on the
page, abuse refused), building, sending and reading results."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from municipia.surveys import services
from municipia.surveys.models import Invitation, Questionnaire, Response
from tests.surveys.conftest import good_answers

pytestmark = pytest.mark.django_db


def _post_data(q, **overrides):
    f = q.fields_by_name
    answers = good_answers(q, **overrides)
    data = {
        f"q{f['rating'].pk}": answers[f["rating"].key],
        f"q{f['nps'].pk}": answers[f["nps"].key],
        f"q{f['choice'].pk}": answers[f["choice"].key],
        f"q{f['multiple'].pk}": answers[f["multiple"].key].split("\n"),
        f"q{f['matrix'].pk}_0": "5",
        f"q{f['matrix'].pk}_1": "3",
        f"q{f['ranking'].pk}_0": "2",
        f"q{f['ranking'].pk}_1": "1",
        f"q{f['ranking'].pk}_2": "3",
        f"q{f['number'].pk}": answers[f["number"].key],
        f"q{f['date'].pk}": answers[f["date"].key],
        f"q{f['text'].pk}": answers[f["text"].key],
    }
    return data


@pytest.fixture
def invitation(questionnaire):
    services.invite(questionnaire, [(None, "ana@example.org", "Ana", "ca")])
    return Invitation.objects.get()


def test_answering_by_a_personal_link(client, questionnaire, invitation):
    url = reverse("surveys:answer", args=[services.personal_token(invitation)])
    page = client.get(url)
    assert page.status_code == 200
    assert b"data-show-if" in page.content
    data = _post_data(questionnaire)
    data[f"q{questionnaire.fields_by_name['rating'].pk}"] = "1"  # shows "why so low", left blank
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "This answer is required." in refused.content.decode()
    assert "Very good." in refused.content.decode()  # the rest of what was typed is kept
    assert not Response.objects.exists()
    data[f"q{questionnaire.fields_by_name['why'].pk}"] = "Too long"
    done = client.post(url, data)
    assert "your answers have been kept" in done.content.decode()
    again = client.post(url, data)
    assert "your answers have been kept" in again.content.decode()
    assert Response.objects.count() == 1


def test_public_link_one_answer_per_browser_and_a_honeypot(client, questionnaire):
    url = reverse("surveys:answer-public", args=[questionnaire.public_key])
    client.post(url, {**_post_data(questionnaire), "website": "spam"})
    assert not Response.objects.exists()
    client.post(url, _post_data(questionnaire))
    assert Response.objects.count() == 1
    client.post(url, _post_data(questionnaire))
    assert Response.objects.count() == 1


def test_public_answers_are_rate_limited(client, questionnaire, settings):
    settings.MUNICIPIA_SURVEYS_PUBLIC_RATE = "2/1h/ip"
    url = reverse("surveys:answer-public", args=[questionnaire.public_key])
    codes = []
    for _n in range(3):
        client.cookies.clear()
        codes.append(client.post(url, _post_data(questionnaire)).status_code)
    assert codes == [200, 200, 429]


def test_no_public_link_unless_allowed(client, questionnaire):
    questionnaire.public = False
    questionnaire.save()
    url = reverse("surveys:answer-public", args=[questionnaire.public_key])
    assert client.get(url).status_code == 404


def test_staff_build_and_read_results(client, questionnaire, network_staff, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 2
    client.force_login(network_staff)
    detail = reverse("surveys:questionnaire-detail", args=[questionnaire.pk])
    added = client.post(
        detail,
        {
            "question-position": 20,
            "question-kind": "scale",
            "question-label_en": "Food?",
            "question-min_value": 1,
            "question-max_value": 5,
        },
    )
    assert added.status_code == 302
    for n in range(3):
        services.submit_response(
            questionnaire,
            answers=good_answers(questionnaire, rating=str(3 + n % 2)),
            language="en",
            via=Response.Via.PUBLIC,
        )
    results = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
    page = client.get(results)
    assert page.status_code == 200
    assert b"<svg" in page.content
    assert client.get(results + "?format=xlsx").status_code == 200
    csv = b"".join(client.get(results + "?format=csv").streaming_content).decode()
    assert "How useful was it?" in csv
    # Anonymous: no one gets the answers one by one.
    assert client.get(results + "?format=csv&raw=1").status_code == 404


def test_the_summary_for_the_committee_is_a_pdf_of_the_aggregates_only(
    client, questionnaire, network_staff, settings
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 2
    client.force_login(network_staff)
    results = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
    services.submit_response(
        questionnaire, answers=good_answers(questionnaire), language="en", via=Response.Via.PUBLIC
    )
    assert client.get(results + "?format=pdf").status_code == 404  # under the threshold

    services.submit_response(
        questionnaire, answers=good_answers(questionnaire), language="en", via=Response.Via.PUBLIC
    )
    response = client.get(results + "?format=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "How useful was it?" in " ".join(text.split())
    assert "Summary of the results" in text


def test_results_page_query_count_is_flat(
    client, questionnaire, network_staff, settings, django_assert_max_num_queries
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    client.force_login(network_staff)
    results = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
    for _n in range(2):
        services.submit_response(
            questionnaire, answers=good_answers(questionnaire), language="en", via="public"
        )
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(30) as few:
        client.get(results)
    for n in range(20):
        services.submit_response(
            questionnaire,
            answers=good_answers(questionnaire, text=f"t{n}"),
            language="en",
            via="public",
        )
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(results)


def test_two_runs_of_a_template_are_compared(client, questionnaire, network_staff, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    questionnaire.is_template = True
    questionnaire.save()
    runs = []
    for rating in ("2", "5"):
        run = services.copy_questionnaire(
            questionnaire, network=questionnaire.network, by=network_staff
        )
        run.status = "open"
        run.save()
        copies = {f.position: f.key for f in services.questions(services.current_version(run))}
        originals = {f.key: f.position for f in questionnaire.fields_by_name.values()}
        answers = good_answers(questionnaire, rating=rating, why="Slow" if rating == "2" else "")
        answers = {copies[originals[key]]: value for key, value in answers.items()}
        services.submit_response(run, answers=answers, language="en", via="public")
        runs.append(run)
    client.force_login(network_staff)
    url = reverse("surveys:questionnaire-results", args=[runs[1].pk])
    page = client.get(url, {"compare": runs[0].pk}).content.decode()
    assert "In “After the congress”:" in page
    assert "Mean 2.00" in page


def test_staff_create_a_questionnaire_about_an_event_of_their_network(
    client, network, other_network, network_staff
):
    from tests.factories.events import EventFactory

    client.force_login(network_staff)
    url = reverse("surveys:questionnaire-create")
    data = {
        "network": network.pk,
        "original_language": "ca",
        "anonymous": "on",
        "title_ca": "Després de la visita",
        "target_kind": "events.event",
        "target_id": EventFactory(network=other_network).pk,
    }
    refused = client.post(url, data)
    assert "Choose something of this network" in refused.content.decode()
    data["target_id"] = EventFactory(network=network).pk
    assert client.post(url, data).status_code == 302
    created = Questionnaire.objects.get()
    assert created.title_text == "Després de la visita"  # the original, where English is missing
    assert services.current_version(created).form.original_language == "ca"
