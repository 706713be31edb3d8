"""The questionnaires' API: answering by token (refusals per question, once only), inviting,
sending and aggregated results; one query count whatever the number of questionnaires."""

import pytest
from rest_framework.test import APIClient

from municipia.surveys import services
from municipia.surveys.models import Invitation, Questionnaire, Response
from tests.surveys.conftest import good_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(network_staff):
    client = APIClient()
    client.force_authenticate(network_staff)
    return client


def test_answering_by_token(questionnaire):
    services.invite(questionnaire, [(None, "ana@example.org", "Ana", "fr")])
    url = f"/api/v1/questionnaire-answers/{services.personal_token(Invitation.objects.get())}/"
    api = APIClient()
    shown = api.get(url).json()
    assert shown["open"] is True
    assert shown["answered"] is False
    assert len(shown["questions"]) == len(questionnaire.fields_by_name)
    bad = api.post(url, {"answers": good_answers(questionnaire, rating="9")}, format="json")
    assert bad.status_code == 400
    key = questionnaire.fields_by_name["rating"].key
    assert bad.json()["answers"] == {key: "Choisissez un point de l'échelle."}
    assert api.post(url, {"answers": good_answers(questionnaire)}, format="json").status_code == 201
    again = api.post(url, {"answers": good_answers(questionnaire)}, format="json")
    assert again.status_code == 400
    assert Response.objects.count() == 1
    assert api.get(url[:-5] + "xxxx/").status_code == 404


def test_staff_invite_send_and_read_results(
    staff_api, questionnaire, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    questionnaire.status = Questionnaire.Status.DRAFT
    questionnaire.save()
    url = f"/api/v1/questionnaires/{questionnaire.pk}/"
    invited = staff_api.post(
        url + "invite/",
        {"people": [{"email": "ana@example.org", "language": "pt"}, {"email": "not an address"}]},
        format="json",
    )
    assert invited.status_code == 400  # nothing partial
    assert not Invitation.objects.exists()
    invited = staff_api.post(
        url + "invite/", {"people": [{"email": "ana@example.org", "language": "pt"}]}, format="json"
    )
    assert invited.json() == {"invited": 1}
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_api.post(url + "send/")
    assert sent.status_code == 200
    assert sent.json()["status"] == "open"
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_api.post(url + "send/")
    assert again.status_code == 200  # sending again sends nobody twice
    assert len(mailoutbox) == 1
    questionnaire.refresh_from_db()
    services.submit_response(
        questionnaire, answers=good_answers(questionnaire), language="en", via="public"
    )
    results = staff_api.get(url + "results/").json()
    assert results["shown"] is True
    rating = next(q for q in results["questions"] if q["kind"] == "scale")
    assert rating["mean"] == "4.0000"
    assert staff_api.get(url + "results/?version=9").status_code == 404


def test_list_query_count_is_flat(
    staff_api, questionnaire, network_staff, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as captured:
        staff_api.get("/api/v1/questionnaires/")
    for _n in range(3):
        services.copy_questionnaire(questionnaire, network=questionnaire.network, by=network_staff)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert staff_api.get("/api/v1/questionnaires/").json()["count"] == 4
