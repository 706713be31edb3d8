import pytest
from django.core.management import call_command
from django.utils import translation

from municipia.core import generations
from municipia.knowledge.models import Experience
from municipia.plans.models import Plan
from municipia.search import services
from municipia.search.models import SearchEntry
from municipia.search.suggest import suggest_targets
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import (
    ExperienceFactory,
    PublicationFactory,
    PublishedExperienceFactory,
    indexed,
)
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

RECYCLING = {
    "fr": (
        "Recyclage des déchets ménagers",
        "La ville trie et recycle les déchets.",
        "<p>Compostage.</p>",
    ),
    "es": (
        "Reciclaje de residuos urbanos",
        "El municipio recicla los residuos.",
        "<p>Compostaje.</p>",
    ),
}


def titles(page):
    return [result.text.title for result in page.results]


def test_spanish_query_finds_french_and_catalan_experiences():
    french = PublishedExperienceFactory(original_language="fr", texts={"fr": RECYCLING["fr"]})
    catalan = PublishedExperienceFactory(
        original_language="ca",
        texts={
            "ca": ("Reciclatge de residus orgànics", "Recollida porta a porta.", "<p>Compost.</p>")
        },
    )
    schools = PublishedExperienceFactory(
        original_language="en",
        texts={"en": ("Safe routes to school", "Children walk.", "<p>Routes.</p>")},
    )
    indexed(french, catalan, schools)

    page = services.search("reciclaje de residuos domésticos")

    assert [r.obj for r in page.results][:2] in ([french, catalan], [catalan, french])


def test_drafts_submitted_and_returned_are_never_found():
    hidden = [
        ExperienceFactory(status=status, texts={"fr": RECYCLING["fr"]}, original_language="fr")
        for status in (
            Experience.Status.DRAFT,
            Experience.Status.SUBMITTED,
            Experience.Status.RETURNED,
        )
    ]
    indexed(*hidden)

    page = services.search("recyclage")
    browse = services.search("")

    assert SearchEntry.objects.count() == 0
    assert (page.results, browse.results, page.total) == ([], [], 0)


def test_stale_entry_of_an_unpublished_experience_is_not_shown():
    experience = PublishedExperienceFactory(texts={"fr": RECYCLING["fr"]}, original_language="fr")
    indexed(experience)
    Experience.objects.filter(pk=experience.pk).update(status=Experience.Status.RETURNED)

    assert services.search("recyclage").results == []


def test_facets_are_labelled_and_filter_the_results():
    french = PublishedExperienceFactory(
        texts={"fr": RECYCLING["fr"]}, original_language="fr", sdg=["12.5"]
    )
    spanish = PublishedExperienceFactory(
        texts={"es": RECYCLING["es"]}, original_language="es", sdg=["11.6"]
    )
    indexed(french, spanish)

    page = services.search("", filters={"sdg": ["12"]})

    assert [r.obj for r in page.results] == [french]
    labels = {f.value: (f.label, f.count, f.colour) for f in page.facets["sdg"]}
    assert labels == {"12": ("12. Responsible consumption and production", 1, "#BF8B2E")}
    assert [(f.value, f.count) for f in page.facets["language"]] == [("fr", 1)]


def test_best_hits_are_the_relevant_ones_of_a_first_page_without_snippets():
    french = PublishedExperienceFactory(texts={"fr": RECYCLING["fr"]}, original_language="fr")
    spanish = PublishedExperienceFactory(texts={"es": RECYCLING["es"]}, original_language="es")
    schools = PublishedExperienceFactory(
        original_language="en",
        texts={"en": ("Safe routes to school", "Children walk.", "<p>Routes.</p>")},
    )
    indexed(french, spanish, schools)
    page = services.search("recyclage des déchets ménagers")

    best = services.best_hits("recyclage des déchets ménagers")
    browsed = services.best_hits("", depth=2)

    assert page.relevant
    assert page.other_results
    assert "<mark>" in page.results[0].hit.snippet
    assert [r.obj for r in services.results_for(best)] == [r.obj for r in page.relevant_results]
    assert [h.score for h in best] == [r.hit.score for r in page.relevant_results]
    assert {h.snippet for h in best} == {""}
    assert len(browsed) == 2


def test_parse_filters_keeps_known_names_and_bounds_values():
    from django.http import QueryDict

    params = QueryDict(mutable=True)
    params.setlist("sdg", ["12", "12", " ", "x" * 500])
    params.setlist("evil", ["1"])

    assert services.parse_filters(params) == {"sdg": ["12", "x" * 100]}


def test_related_are_published_objects_other_than_itself():
    page = PublishedExperienceFactory(texts={"es": RECYCLING["es"]}, original_language="es")
    french = PublishedExperienceFactory(texts={"fr": RECYCLING["fr"]}, original_language="fr")
    indexed(page, french)

    assert services.related(page) == [french]


def test_publications_are_searched_too():
    publication = PublicationFactory(text=("Guide du recyclage", "Comment recycler les déchets."))
    indexed(publication)

    page = services.search("recycling guide")

    assert [(r.kind, r.obj) for r in page.results] == [("publication", publication)]


def test_reindex_command_indexes_in_batches_and_drops_stale_entries(capsys):
    experiences = [PublishedExperienceFactory() for _ in range(3)]
    ExperienceFactory()  # a draft
    SearchEntry.objects.create(
        key="knowledge.experience:999999", language="en", title="Gone", visibility="public"
    )

    call_command("reindex", "--batch-size", "2", "--quiet")

    assert sorted(SearchEntry.objects.values_list("key", flat=True)) == sorted(
        f"knowledge.experience:{e.pk}" for e in experiences
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "3 documents indexed."
    assert lines[1].startswith("Shared index base ")  # every worker maps it (decision 0027)
    assert lines[1].endswith(": 3 entries.")


def test_reindex_command_shows_a_progress_bar(capsys):
    PublishedExperienceFactory()

    call_command("reindex")

    assert "knowledge.experience" in capsys.readouterr().err


def test_suggestions_rank_the_targets_of_the_text():
    suggestions = suggest_targets(
        "Recogemos los residuos orgánicos puerta a puerta y los convertimos en compost. "
        "Reducimos así los residuos que van al vertedero.",
        limit=3,
    )

    assert "12.5" in [s.code for s in suggestions]
    assert all(0 < s.confidence <= 1 for s in suggestions)
    assert suggestions[0].confidence >= suggestions[-1].confidence


@pytest.mark.parametrize("text", ["", "   ", "🙂", "x" * 50_000])
def test_suggestions_answer_cleanly(text):
    suggestions = suggest_targets(text, limit=3)

    assert len(suggestions) in (0, 3)


def test_a_spanish_query_finds_a_catalan_plan_activity_of_a_public_plan_only():
    public = PlanFactory(
        network=None,
        local_government=LocalGovernmentFactory(),
        languages=["ca"],
        status=Plan.Status.ADOPTED,
        is_published=True,
    )
    draft = PlanFactory(network=None, local_government=LocalGovernmentFactory(), languages=["ca"])
    text = "Recollida selectiva porta a porta dels residus orgànics als barris"
    shown, hidden = (
        plan.objectives.create(title="Residus").activities.create(description=text)
        for plan in (public, draft)
    )
    schools = PublishedExperienceFactory(
        original_language="en",
        texts={"en": ("Safe routes to school", "Children walk.", "<p>Routes.</p>")},
    )
    indexed(shown, hidden, schools)

    page = services.search("reciclaje de residuos domésticos")

    assert [(r.kind, r.obj) for r in page.results][:1] == [("activity", shown)]
    assert hidden.pk not in [r.obj.pk for r in page.results if r.kind == "activity"]
    assert not SearchEntry.objects.filter(key=f"plans.activity:{hidden.pk}").exists()


@pytest.mark.django_db(transaction=True)
def test_facet_labels_follow_renames_and_the_language_at_once():
    experience = PublishedExperienceFactory(texts={"fr": RECYCLING["fr"]}, original_language="fr")
    indexed(experience)
    city, country = experience.city, experience.city.country

    def label(name, value):
        facets = services.search("").facets[name]
        return next(f.label for f in facets if f.value == value)

    assert label("city", city.slug) == city.name
    city.name = "Renamed town (fictional)"
    city.save()
    country.names = {**country.names, "en": "Renamed country", "fr": "Pays renommé"}
    country.save()

    assert label("city", city.slug) == "Renamed town (fictional)"
    assert label("country", country.code) == "Renamed country"
    with translation.override("fr"):
        assert label("country", country.code) == "Pays renommé"


@pytest.mark.django_db
def test_a_facet_value_without_a_row_is_labelled_by_itself_and_read_once(
    django_assert_num_queries,
):
    """A value the index holds but the database no longer has (a removed city) keeps its own
    text as label, and is not asked of the database again on every search that shows it."""
    counts = {"city": {"removed-town": 3}, "theme": {"999999": 1}}
    with generations.request_memo():
        first = services._facet_labels(counts)
        with django_assert_num_queries(0):
            again = services._facet_labels(counts)

    assert first["city"]["removed-town"] == again["city"]["removed-town"] == ("removed-town", "")
    assert again["theme"]["999999"] == ("999999", "")
