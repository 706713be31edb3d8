"""Anonymity that holds: from the database alone, answers of an anonymous questionnaire cannot be
tied to the people who gave them."""

import pytest
from django.db import connection

from municipia.core.models import ActivityLog
from municipia.surveys import services
from municipia.surveys.models import Answer, Invitation, Response
from tests.factories.accounts import UserFactory
from tests.surveys.conftest import good_answers

pytestmark = pytest.mark.django_db

LANGUAGES = ["ca", "es", "fr", "pt", "en", "ca"]


@pytest.fixture
def answered(questionnaire):
    people = [UserFactory(language=lang) for lang in LANGUAGES]
    services.invite(questionnaire, [(u, u.email, u.full_name, u.language) for u in people])
    for n, invitation in enumerate(Invitation.objects.order_by("pk")):
        services.submit_response(
            questionnaire,
            answers=good_answers(
                questionnaire,
                rating=str(1 + n % 5),
                why="Low" if n % 5 < 2 else "",
                text=f"Said by {n}",
            ),
            language=invitation.language,
            via=Response.Via.PERSONAL,
            invitation=invitation,
            user=invitation.user,
        )
    return questionnaire, people


def _columns(model):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name: column for column in description}


def test_stored_answers_name_no_one_and_no_time(answered):
    _questionnaire, people = answered
    assert Response.objects.count() == len(people)
    assert not Response.objects.filter(respondent__isnull=False).exists()
    assert not Response.objects.filter(invitation__isnull=False).exists()
    assert set(Response.objects.values_list("language", flat=True)) == {""}
    for model in (Response, Answer):
        for name, column in _columns(model).items():
            kind = connection.introspection.get_field_type(column.type_code, column)
            assert kind != "DateTimeField", f"{model.__name__}.{name} keeps a time of day"


def test_linking_answers_to_people_from_the_database_fails(answered):
    """Try every link a database reader has: shared values, order of rows, logs, history."""
    _questionnaire, people = answered
    responses = list(Response.objects.all())
    invitations = list(Invitation.objects.filter(used=True))
    response_columns = set(_columns(Response))
    invitation_columns = set(_columns(Invitation))
    for invitation in invitations:
        # Values that an invitation and a response both hold match every response alike.
        candidates = [
            r
            for r in responses
            if all(
                getattr(r, column) == getattr(invitation, column)
                for column in ("language",)
                if column in response_columns and column in invitation_columns
            )
            or r.language == ""
        ]
        assert len(candidates) == len(responses)
        # The invitation keeps only that it was used: no time, no answer.
        assert not {"updated_at", "used_at", "answered_at", "response_id"} & invitation_columns
    # Responses' keys are random: their order says nothing of the order they came in.
    assert all(len(str(r.pk)) == 36 for r in responses)
    # Nothing keeps a history or a log of answers or invitations.
    tables = connection.introspection.table_names()
    assert not [
        t for t in tables if t.startswith("surveys_historical") and "questionnaire" not in t
    ]
    logged = ActivityLog.objects.filter(content_type__app_label="surveys")
    assert set(logged.values_list("content_type__model", flat=True)) == {"questionnaire"}
    users = {p.pk for p in people}
    assert not ActivityLog.objects.filter(user_id__in=users).exists()


def test_results_hide_below_the_threshold_and_list_text_in_order(questionnaire, settings):
    from municipia.surveys.results import results

    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 5
    for n in range(4):
        services.submit_response(
            questionnaire,
            answers=good_answers(questionnaire, text=f"{'dcba'[n]} text"),
            language="en",
            via=Response.Via.PUBLIC,
        )
    version = services.current_version(questionnaire)
    assert not results(version).shown
    services.submit_response(
        questionnaire,
        answers=good_answers(questionnaire, text="e text"),
        language="en",
        via=Response.Via.PUBLIC,
    )
    found = results(version)
    assert found.shown
    text = next(q for q in found.questions if q.field == questionnaire.fields_by_name["text"])
    assert text.texts == ["a text", "b text", "c text", "d text", "e text"]
    by_field = {q.field.pk: q for q in found.questions}
    fields = questionnaire.fields_by_name
    assert by_field[fields["rating"].pk].mean == 4
    assert by_field[fields["rating"].pk].answered == 5
    assert by_field[fields["nps"].pk].nps == 100
    assert [(i.label, i.mean) for i in by_field[fields["matrix"].pk].items] == [
        ("Venue", 5),
        ("Food", 3),
    ]
    assert by_field[fields["multiple"].pk].answered == 5
    assert [r.count for r in by_field[fields["multiple"].pk].rows] == [5, 0, 5]
