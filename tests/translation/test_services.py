"""Translation on publish: which texts, cached per text version, and a person's translation wins."""

import pytest

from municipia.knowledge import services as knowledge
from municipia.knowledge.models import Experience, ExperienceTranslation
from municipia.plans import services as plans
from municipia.translation import services
from municipia.translation.models import TextTranslation
from tests.factories.knowledge import ExperienceFactory
from tests.translation.conftest import BODY, TITLE, use_backends

OTHERS = ("en", "fr", "ca", "pt")


def _publish(experience, by, capture):
    with capture(execute=True):
        knowledge.publish_experience(experience, by=by)


def _texts(requests) -> list[str]:
    return [text for request in requests for text in request["q"]]


def test_a_published_experience_gets_the_other_four_languages(
    libretranslate, submitted, network_staff, django_capture_on_commit_callbacks
):
    _publish(submitted, network_staff, django_capture_on_commit_callbacks)

    rows = {t.language: t for t in submitted.translations.all()}
    assert sorted(rows) == ["ca", "en", "es", "fr", "pt"]
    assert rows["es"].origin == ExperienceTranslation.Origin.ORIGINAL
    for language in OTHERS:
        assert rows[language].origin == ExperienceTranslation.Origin.MACHINE
        assert rows[language].title == f"[{language}] {TITLE}"
        assert rows[language].body == f"[{language}] {BODY}"
    # one request for the plain texts and one for the formatted ones, per language
    assert len(libretranslate.requests) == 8
    assert {r["format"] for r in libretranslate.requests} == {"text", "html"}
    recorded = TextTranslation.objects.filter(origin="machine", backend="libretranslate")
    assert recorded.count() == 12  # title, summary and body in four languages; no empty results


def test_unchanged_text_is_never_translated_again(
    libretranslate, submitted, network_staff, django_capture_on_commit_callbacks
):
    _publish(submitted, network_staff, django_capture_on_commit_callbacks)
    libretranslate.requests.clear()

    assert services.translate_object("knowledge.experience", submitted.pk) == dict.fromkeys(
        OTHERS, 0
    )
    assert libretranslate.requests == []

    ExperienceTranslation.objects.filter(experience=submitted, language="es").update(
        summary="La ciudad ha cerrado el centro a los coches todos los días del año."
    )
    assert services.translate_object("knowledge.experience", submitted.pk) == dict.fromkeys(
        OTHERS, 1
    )
    assert set(_texts(libretranslate.requests)) == {
        "La ciudad ha cerrado el centro a los coches todos los días del año."
    }
    french = submitted.translations.get(language="fr")
    assert french.summary.startswith("[fr] La ciudad ha cerrado el centro a los coches todos")
    assert french.title == f"[fr] {TITLE}"


def test_the_same_text_elsewhere_reuses_its_translation(
    libretranslate, submitted, network, city, network_staff, django_capture_on_commit_callbacks
):
    _publish(submitted, network_staff, django_capture_on_commit_callbacks)
    libretranslate.requests.clear()
    twin = ExperienceFactory(
        city=city,
        network=network,
        original_language="es",
        status=Experience.Status.SUBMITTED,
        texts={"es": (TITLE, "Otro resumen de lo que se hizo en la ciudad.", BODY)},
    )

    _publish(twin, network_staff, django_capture_on_commit_callbacks)

    assert set(_texts(libretranslate.requests)) == {"Otro resumen de lo que se hizo en la ciudad."}
    assert twin.translations.get(language="pt").title == f"[pt] {TITLE}"


def test_a_human_translation_is_never_overwritten(
    libretranslate, submitted, network_staff, superuser, django_capture_on_commit_callbacks
):
    ExperienceTranslation.objects.create(
        experience=submitted,
        language="fr",
        origin=ExperienceTranslation.Origin.HUMAN,
        title="Mobilité durable au centre",
        summary="La ville a fermé le centre historique aux voitures le week-end.",
        body="<p>La mairie a travaillé deux ans avec les commerces et les habitants.</p>",
    )

    _publish(submitted, network_staff, django_capture_on_commit_callbacks)

    assert "fr" not in {r["target"] for r in libretranslate.requests}
    french = submitted.translations.get(language="fr")
    assert (french.origin, french.title) == ("human", "Mobilité durable au centre")

    # a person replaces a machine translation; translating again keeps theirs
    with django_capture_on_commit_callbacks(execute=True):
        knowledge.add_translation(
            submitted,
            by=superuser,
            language="ca",
            text={"title": "Mobilitat al centre", "summary": "Resum.", "body": "<p>Cos.</p>"},
        )
        ExperienceTranslation.objects.filter(experience=submitted, language="es").update(
            title="Movilidad sostenible en el centro histórico"
        )
    services.translate_object("knowledge.experience", submitted.pk)
    catalan = submitted.translations.get(language="ca")
    assert (catalan.origin, catalan.title) == ("human", "Mobilitat al centre")
    assert submitted.translations.get(language="pt").title.endswith("en el centro histórico")


def test_a_changed_text_that_cannot_be_translated_shows_the_original(
    libretranslate, submitted, network_staff, django_capture_on_commit_callbacks
):
    _publish(submitted, network_staff, django_capture_on_commit_callbacks)
    libretranslate.mode = "error"
    ExperienceTranslation.objects.filter(experience=submitted, language="es").update(
        summary="Un resumen nuevo que el servicio ya no puede traducir hoy."
    )

    services.translate_object("knowledge.experience", submitted.pk)

    # the outdated machine texts are gone: the page falls back to the original
    assert sorted(submitted.translations.values_list("language", flat=True)) == ["es"]
    assert not TextTranslation.objects.filter(field="summary").exists()


def test_nothing_is_translated_without_a_backend_nor_before_publication(
    settings, libretranslate, submitted, network_staff, django_capture_on_commit_callbacks
):
    assert services.translate_object("knowledge.experience", submitted.pk) == {}  # a draft
    use_backends(settings, [])
    _publish(submitted, network_staff, django_capture_on_commit_callbacks)

    assert libretranslate.requests == []
    assert not TextTranslation.objects.exists()
    assert list(submitted.translations.values_list("language", flat=True)) == ["es"]


def test_a_published_plan_is_translated_with_its_parts(
    libretranslate, spanish_plan, network_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.publish_plan(spanish_plan, by=network_staff)

    spanish_plan.refresh_from_db()
    assert spanish_plan.translated_languages == ["ca", "en", "fr", "pt"]
    rows = TextTranslation.objects.filter(language="fr")
    assert {(r.content_type.model, r.field) for r in rows} == {
        ("plan", "summary"),
        ("objective", "title"),
        ("objective", "description"),
        ("activity", "description"),
    }  # the plan's French title was written by its editors
    assert {r.group for r in TextTranslation.objects.all()} == {f"plans.plan:{spanish_plan.pk}"}
    assert TextTranslation.objects.filter(language="en", field="title").count() == 2


def test_a_plan_editors_translation_replaces_the_machine_one_for_good(
    libretranslate, spanish_plan, network_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.publish_plan(spanish_plan, by=network_staff)
    activity = spanish_plan.objectives.get().activities.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.save_human_texts(
            activity,
            by=network_staff,
            language="pt",
            texts={("plans.activity", activity.pk, "description"): "Duas visitas de estudo."},
        )
        plans.update_activity(
            activity, by=network_staff, description="Organizar tres visitas de estudio al año."
        )

    texts = TextTranslation.objects.filter(content_type__model="activity", object_id=activity.pk)
    row = texts.get(field="description", language="pt")
    assert (row.origin, row.text, row.translated_by) == (
        "human",
        "Duas visitas de estudo.",
        network_staff,
    )
    french = texts.get(field="description", language="fr")
    assert french.text == "[fr] Organizar tres visitas de estudio al año."


def test_only_the_plans_editors_may_translate_it(spanish_plan, other_network):
    from tests.factories.accounts import RoleFactory

    outsider = RoleFactory(kind="network_staff", network=other_network).user
    with pytest.raises(services.TranslationError):
        services.save_human_texts(
            spanish_plan,
            by=outsider,
            language="pt",
            texts={("plans.plan", spanish_plan.pk, "summary"): "Resumo."},
        )
    assert not TextTranslation.objects.exists()


def test_a_publication_is_translated_when_published(
    libretranslate, network, network_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = knowledge.save_publication(
            network=network,
            by=network_staff,
            language="ca",
            title="Guia de la mobilitat",
            summary="Una guia per a les ciutats que volen menys cotxes als seus carrers.",
            year=2025,
        )
        knowledge.publish_publication(publication, by=network_staff)

    text = services.machine_text(publication, "pt", ("title", "summary"))
    assert (text.title, text.origin) == ("[pt] Guia de la mobilitat", "machine")
