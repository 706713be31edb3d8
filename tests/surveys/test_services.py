"""Questionnaires' services: every kind of question checked, conditions, versions, sending."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from municipia.surveys import services
from municipia.surveys.models import Answer, Invitation, Questionnaire, Response
from tests.surveys.conftest import add, good_answers

pytestmark = pytest.mark.django_db


def submit(q, answers, **kwargs):
    kwargs.setdefault("via", Response.Via.PUBLIC)
    return services.submit_response(q, answers=answers, language="en", **kwargs)


def test_good_answers_are_kept_with_their_rows(questionnaire):
    response = submit(questionnaire, good_answers(questionnaire))
    rows = Answer.objects.filter(response=response)
    f = questionnaire.fields_by_name
    assert set(rows.filter(field=f["multiple"]).values_list("value", flat=True)) == {"a", "c"}
    assert rows.get(field=f["matrix"], item="venue").number == 5
    assert rows.get(field=f["ranking"], item="y").number == 1
    assert rows.get(field=f["text"]).text == "Very good."


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("rating", "", "This answer is required."),
        ("rating", "6", "Choose a point of the scale."),
        ("nps", "11", "Choose a point of the scale."),
        ("choice", "wed", "Choose one of the options."),
        ("choice", "other:", "Write your other answer."),
        ("multiple", "a\nd", "Choose among the options."),
        ("matrix", "venue=9", "Choose a point of the scale for each item."),
        ("ranking", "x=1\ny=1\nz=3", "Give each option a different rank from 1 to 3."),
        ("number", "-1", "Enter at least 0.00."),
        ("date", "tomorrow", "Enter a date as YYYY-MM-DD."),
        ("why", "Because", "This question does not apply, given an earlier answer."),
    ],
)
def test_bad_answers_are_refused_per_question(questionnaire, name, value, message):
    with pytest.raises(services.AnswersRefused) as refused:
        submit(questionnaire, good_answers(questionnaire, **{name: value}))
    assert refused.value.problems == {questionnaire.fields_by_name[name].key: message}
    assert not Response.objects.exists()


def test_a_shown_condition_makes_its_question_required(questionnaire):
    with pytest.raises(services.AnswersRefused) as refused:
        submit(questionnaire, good_answers(questionnaire, rating="2"))
    assert refused.value.problems == {
        questionnaire.fields_by_name["why"].key: "This answer is required."
    }
    submit(questionnaire, good_answers(questionnaire, rating="2", why="Too long"))


def test_other_answer_is_kept_as_text(questionnaire):
    response = submit(questionnaire, good_answers(questionnaire, choice="other:Sunday"))
    row = Answer.objects.get(response=response, field=questionnaire.fields_by_name["choice"])
    assert (row.value, row.text) == ("other", "Sunday")


def test_closed_or_past_closing_is_refused(questionnaire):
    questionnaire.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    questionnaire.save()
    with pytest.raises(services.SurveyError, match="closed"):
        submit(questionnaire, good_answers(questionnaire))


def test_a_personal_link_answers_once(questionnaire):
    services.invite(questionnaire, [(None, "ana@example.org", "Ana", "ca")])
    invitation = Invitation.objects.get()
    token = services.personal_token(invitation)
    assert services.invitation_for_token(token) == invitation
    assert services.invitation_for_token(token + "x") is None
    submit(questionnaire, good_answers(questionnaire), invitation=invitation, via="personal")
    with pytest.raises(services.SurveyError, match="already been used"):
        submit(questionnaire, good_answers(questionnaire), invitation=invitation, via="personal")
    assert Response.objects.count() == 1


def test_a_change_after_answers_makes_a_new_version(questionnaire):
    first = services.current_version(questionnaire)
    rating = questionnaire.fields_by_name["rating"]
    rating.label = {"en": "Changed before answers"}
    services.save_question(questionnaire, field=rating, by=None)
    assert services.current_version(questionnaire) == first
    submit(questionnaire, good_answers(questionnaire))
    rating.label = {"en": "Changed after answers"}
    services.save_question(questionnaire, field=rating, by=None)
    second = services.current_version(questionnaire)
    assert second.number == 2
    assert [f.label_text for f in services.questions(first)][1] == "Changed before answers"
    copied = services.questions(second)
    assert copied[1].label_text == "Changed after answers"
    why = next(f for f in copied if f.label_text == "Why so low?")
    assert why.condition["field"] == copied[1].pk  # the condition follows the copy
    assert first.responses.count() == 1
    assert second.responses.count() == 0


def test_wording_falls_back_to_the_original_language(network):
    q = services.create_questionnaire(
        network, by=None, title={"fr": "Après le congrès"}, original_language="fr"
    )
    field = add(q, "line", "", labels={"en": "", "fr": "Votre ville", "es": "Su ciudad"})
    field = services.questions(services.current_version(q))[0]
    from django.utils import translation

    with translation.override("ca"):
        assert field.label_text == "Votre ville"
        assert q.title_text == "Après le congrès"
    with translation.override("es"):
        assert field.label_text == "Su ciudad"


def test_a_template_is_copied_with_its_questions(questionnaire, network_staff):
    questionnaire.is_template = True
    questionnaire.save()
    copy = services.copy_questionnaire(
        questionnaire, network=questionnaire.network, by=network_staff
    )
    assert copy.template == questionnaire
    assert len(services.questions(services.current_version(copy))) == len(
        questionnaire.fields_by_name
    )
    with pytest.raises(services.SurveyError):
        services.open_questionnaire(questionnaire, by=network_staff)


def test_links_go_in_batches_in_each_language_and_one_reminder(
    questionnaire, settings, django_capture_on_commit_callbacks
):
    settings.MUNICIPIA_SURVEYS_BATCH = 2
    questionnaire.status = Questionnaire.Status.DRAFT
    questionnaire.save()
    services.invite(
        questionnaire,
        [
            (None, f"p{n}@example.org", "", lang)
            for n, lang in enumerate(["ca", "es", "fr", "en", "pt"])
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.open_questionnaire(questionnaire, by=None)
    assert len(mail.outbox) == 5
    catalan = next(m for m in mail.outbox if m.to == ["p0@example.org"])
    assert "/ca/questionnaires/answer/" in catalan.body
    assert "Després del congrés" in catalan.subject
    mail.outbox.clear()
    services.send_invitations(questionnaire.pk)
    assert mail.outbox == []  # nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        services.remind(questionnaire, by=None)
    assert len(mail.outbox) == 5
    with pytest.raises(services.SurveyError):
        services.remind(questionnaire, by=None)


def test_closing_date_closes_and_reminds(questionnaire):
    today = timezone.localdate()
    questionnaire.closes_on = today + datetime.timedelta(days=2)
    questionnaire.save()
    assert services.close_and_remind(today) == (0, 1)
    assert services.close_and_remind(today + datetime.timedelta(days=3)) == (1, 0)
