"""The running tallies results read: exact after answers stored one after another and at once,
apart per version, and the results page and its export in a number of queries that does not grow
with the answers."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Sum
from django.urls import reverse

from municipia.forms.models import FormField
from municipia.surveys import services, tallies
from municipia.surveys.models import Answer, Tally
from municipia.surveys.results import results
from tests.races import outcomes, race
from tests.surveys.conftest import add, good_answers


def _submit(q, **overrides):
    return services.submit_response(
        q, answers=good_answers(q, **overrides), language="en", via="public"
    )


def _kept(version):
    return sorted(
        (field_id, kind, item, value, count, total and Decimal(total))
        for field_id, kind, item, value, count, total in Tally.objects.filter(
            version=version
        ).values_list("field_id", "kind", "item", "value", "count", "total")
    )


def _counted(version):
    """The tallies computed here from the stored answers, without `tallies.py`."""
    answers = Answer.objects.filter(response__version=version)
    found = [
        (field_id, Tally.Kind.ANSWER, item, value, n, total and Decimal(total))
        for field_id, item, value, n, total in answers.values_list("field_id", "item", "value")
        .annotate(n=Count("pk"), total=Sum("number"))
        .order_by()
    ]
    found += [
        (field_id, Tally.Kind.QUESTION, "", "", n, None)
        for field_id, n in answers.values_list("field_id")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ]
    return sorted(found)


def _varied(q, n):
    return {
        "rating": str(1 + n % 3 + 2),
        "nps": str(n % 11),
        "choice": "mon" if n % 2 else "other:Fri",
        "multiple": ["a\nb", "c", "a\nb\nc"][n % 3],
        "matrix": f"venue={1 + n % 5}\nfood={5 - n % 5}",
        "ranking": ["x=1\ny=2\nz=3", "x=3\ny=1\nz=2"][n % 2],
        "number": str(n),
        "text": f"Comment {n}",
    }


@pytest.mark.django_db
def test_tallies_follow_answers_stored_one_after_another(questionnaire):
    version = services.current_version(questionnaire)
    for n in range(7):
        _submit(questionnaire, **_varied(questionnaire, n))
    # A response that leaves optional questions blank counts only for those it answered.
    _submit(questionnaire, nps="", multiple="", matrix="", ranking="", number="", text="")

    assert _kept(version) == _counted(version)
    f = questionnaire.fields_by_name
    question_rows = {
        field_id: count
        for field_id, kind, _item, _value, count, _total in _kept(version)
        if kind == Tally.Kind.QUESTION
    }
    assert question_rows[f["rating"].pk] == 8
    assert question_rows[f["multiple"].pk] == 7  # one per response, not per option chosen
    assert question_rows[f["nps"].pk] == 7
    # Computing them again from the answers changes nothing.
    tallies.rebuild(version.pk)
    assert _kept(version) == _counted(version)


@pytest.mark.django_db
def test_results_from_tallies_match_a_direct_count(questionnaire, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    for n in range(6):
        _submit(questionnaire, **_varied(questionnaire, n))
    found = {q.field.pk: q for q in results(services.current_version(questionnaire)).questions}
    f = questionnaire.fields_by_name
    ratings = [int(_varied(questionnaire, n)["rating"]) for n in range(6)]
    rating = found[f["rating"].pk]
    assert rating.answered == 6
    assert rating.mean == Decimal(sum(ratings)) / 6
    assert {r.value: r.count for r in rating.rows} == {
        str(p): ratings.count(p) for p in range(1, 6)
    }
    assert found[f["multiple"].pk].answered == 6
    assert {r.value: r.count for r in found[f["multiple"].pk].rows} == {"a": 4, "b": 4, "c": 4}
    assert found[f["number"].pk].mean == Decimal(15) / 6
    venue = found[f["matrix"].pk].items[0]
    assert venue.mean == Decimal(sum(1 + n % 5 for n in range(6))) / 6
    assert found[f["choice"].pk].others == ["Fri"] * 3
    assert sorted(found[f["text"].pk].texts) == sorted(f"Comment {n}" for n in range(6))


@pytest.mark.django_db(transaction=True)
def test_answers_stored_at_once_are_each_counted_once(questionnaire):
    version = services.current_version(questionnaire)
    answers = [good_answers(questionnaire, **_varied(questionnaire, n)) for n in range(12)]

    outcome = race(
        12,
        lambda n: services.submit_response(
            questionnaire, answers=answers[n], language="en", via="public"
        ),
    )

    assert outcomes(outcome) == Counter({"ok": 12})
    assert version.responses.count() == 12
    assert _kept(version) == _counted(version)
    rating = questionnaire.fields_by_name["rating"]
    assert Tally.objects.get(version=version, field=rating, kind=Tally.Kind.QUESTION).count == 12


@pytest.mark.django_db
def test_versions_keep_their_own_tallies(questionnaire, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    first = services.current_version(questionnaire)
    for _n in range(3):
        _submit(questionnaire)
    add(questionnaire, FormField.Kind.YES_NO, "Again?", required=False)
    second = services.current_version(questionnaire)
    assert second != first
    # The same answers to the copies of the questions, but the top rating.
    good = good_answers(questionnaire, rating="5")
    old_keys = {f.position: f.key for f in services.questions(first)}
    answers = {f.key: good.get(old_keys.get(f.position), "") for f in services.questions(second)}
    services.submit_response(questionnaire, answers=answers, language="en", via="public")

    assert _kept(first) == _counted(first)
    assert _kept(second) == _counted(second)
    assert not Tally.objects.filter(version=second, field__definition=first.form).exists()
    old = next(q for q in results(first).questions if q.field.position == 2)
    new = next(q for q in results(second).questions if q.field.position == 2)
    assert (old.answered, old.mean) == (3, Decimal(4))
    assert (new.answered, new.mean) == (1, Decimal(5))


@pytest.mark.django_db
def test_threshold_holds_whatever_the_tallies_say(client, questionnaire, network_staff, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 4
    client.force_login(network_staff)
    url = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
    for _n in range(3):
        _submit(questionnaire, text="Only the organiser wrote this")
    assert Tally.objects.filter(version__questionnaire=questionnaire).exists()

    page = client.get(url)
    assert b"Only the organiser" not in page.content
    assert not page.context["results"].shown
    assert client.get(url + "?format=xlsx").status_code == 404
    assert client.get(url + "?format=csv").status_code == 404

    _submit(questionnaire, text="A fourth voice")
    page = client.get(url)
    assert page.context["results"].shown
    assert b"A fourth voice" in page.content


@pytest.mark.django_db
def test_results_page_and_export_queries_do_not_grow_with_answers(
    client, questionnaire, network_staff, settings, django_assert_max_num_queries
):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    client.force_login(network_staff)
    url = reverse("surveys:questionnaire-results", args=[questionnaire.pk])
    counts = {}
    for size in (2, 30):
        while services.current_version(questionnaire).responses.count() < size:
            n = services.current_version(questionnaire).responses.count()
            _submit(questionnaire, **_varied(questionnaire, n))
        for target in (url, url + "?format=xlsx", url + "?format=csv"):
            cache.clear()
            with django_assert_max_num_queries(30) as cold:
                response = client.get(target)
                if response.streaming:
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            with django_assert_max_num_queries(30) as cached:
                client.get(target)
            counts[(size, target)] = (len(cold.captured_queries), len(cached.captured_queries))
    for target in (url, url + "?format=xlsx", url + "?format=csv"):
        assert counts[(30, target)] == counts[(2, target)]
        cold, cached = counts[(2, target)]
        assert cached < cold


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_answers_given_before_it(questionnaire, back_to_latest):
    version = services.current_version(questionnaire)
    for n in range(4):
        _submit(questionnaire, **_varied(questionnaire, n))
    expected = _counted(version)
    executor = MigrationExecutor(connection)
    executor.migrate([("surveys", "0002_impact")])
    executor = MigrationExecutor(connection)
    executor.migrate([("surveys", "0003_tallies")])

    assert _kept(version) == expected


@pytest.mark.django_db
def test_the_free_texts_filter_keeps_only_the_texts_holding_the_words(questionnaire, settings):
    settings.MUNICIPIA_SURVEYS_MIN_RESULTS = 1
    for n in range(6):
        _submit(questionnaire, **{**_varied(questionnaire, n), "text": f"Comment {n}"})
    _submit(questionnaire, text="The VENUE was far")
    version = services.current_version(questionnaire)
    f = questionnaire.fields_by_name

    def texts(text_filter):
        found = results(version, text_filter=text_filter).questions
        return {q.field.pk: q for q in found}[f["text"].pk].texts

    assert texts("venue") == ["The VENUE was far"]  # any case
    assert texts("zzz") == []
    assert texts("100%") == []  # a wildcard is a plain character
    assert len(texts("comment")) == 6
    assert {q.field.pk: q for q in results(version).questions}[f["choice"].pk].others == ["Fri"] * 3
