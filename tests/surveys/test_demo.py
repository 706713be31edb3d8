"""The questionnaires demo: the after-congress questionnaire on the demo congress, 40 fictional
answers in three languages, its results shown, and the network's template."""

import io

import pytest

from municipia.demo import events as demo_events
from municipia.demo import surveys as demo_surveys
from municipia.surveys import services
from municipia.surveys.models import Questionnaire, Response
from municipia.surveys.results import results
from tests.events.test_demo import aice  # noqa: F401 (the demo network, as the events demo wants it)

pytestmark = pytest.mark.django_db


def test_demo_holds_the_after_congress_questionnaire_with_its_results(aice):  # noqa: F811
    demo_events.load(io.StringIO())
    demo_surveys.load(io.StringIO())
    demo_surveys.load(io.StringIO())  # idempotent
    template = Questionnaire.objects.get(is_template=True)
    questionnaire = Questionnaire.objects.get(template=template)
    assert questionnaire.target_kind == "events.event"
    version = services.current_version(questionnaire)
    assert Response.objects.filter(version=version).count() == 40
    found = results(version)
    assert found.shown
    nps = next(q for q in found.questions if q.field.kind == "nps")
    assert nps.nps is not None
    comments = next(q for q in found.questions if q.field.kind == "text")
    languages = {"ca": "Gràcies", "es": "ciudades", "en": "contacts"}
    assert all(any(word in text for text in comments.texts) for word in languages.values())
    assert questionnaire.invitations.exists()  # the congress's participants
