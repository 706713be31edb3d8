"""The pages: a machine translation is marked, with the original a click away; only a page's
editors ask for translations or replace them, through a form that refuses bad input."""

import pytest
from django.urls import reverse
from django.utils import translation

from municipia.knowledge import services as knowledge
from municipia.plans import services as plans
from municipia.translation.models import TextTranslation
from tests.factories.accounts import RoleFactory


@pytest.fixture
def translated_plan(
    libretranslate, spanish_plan, network_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.publish_plan(spanish_plan, by=network_staff)
    spanish_plan.refresh_from_db()
    return spanish_plan


def _url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def test_a_spanish_plan_read_in_portuguese_is_marked_as_machine_translated(
    client, translated_plan, django_assert_max_num_queries
):
    # the plan page's 9, the page cache's generations, one for its translations and one for the
    # decisions shown beside its activities
    with django_assert_max_num_queries(12):
        response = client.get(_url("plans:plan-detail", translated_plan.slug, language="pt"))

    content = response.content.decode()
    assert "Traduzido automaticamente do espanhol" in content
    assert "[pt] Lo que la red hará este año para sus ciudades miembros." in content
    assert "[pt] Organizar dos visitas de estudio al año." in content
    assert "[pt] Reforzar la cooperación entre ciudades" in content
    assert 'href="?original=1"' in content
    assert "Corrigir a tradução" not in content  # only for the plan's editors

    original = client.get(
        _url("plans:plan-detail", translated_plan.slug, language="pt") + "?original=1"
    )
    content = original.content.decode()
    assert "Lo que la red hará este año" in content
    assert "[pt]" not in content
    assert "Ler a tradução automática" in content


def test_the_plans_own_title_in_french_is_kept(client, translated_plan):
    content = client.get(
        _url("plans:plan-detail", translated_plan.slug, language="fr")
    ).content.decode()
    assert "Traduit automatiquement de l&#x27;espagnol" in content
    assert "<h1>Plan d&#x27;action 2025</h1>" in content


def test_the_plan_in_its_own_language_says_nothing(client, translated_plan):
    content = client.get(
        _url("plans:plan-detail", translated_plan.slug, language="es")
    ).content.decode()
    assert "machine-translation" not in content
    assert "[es]" not in content


def test_an_experience_in_a_machine_translation_links_its_original(
    client, libretranslate, submitted, network_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        knowledge.publish_experience(submitted, by=network_staff)
    experience = submitted

    content = client.get(
        _url("knowledge:experience-detail", experience.pk, language="ca")
    ).content.decode()
    assert "Traduït automàticament del castellà" in content
    assert 'href="?lang=es"' in content
    original = client.get(
        _url("knowledge:experience-detail", experience.pk, language="ca") + "?lang=es"
    )
    assert "machine-translation" not in original.content.decode()


@pytest.mark.apertium
def test_with_apertium_a_spanish_plan_reads_in_french(
    apertium,
    client,
    spanish_plan,
    network_staff,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        plans.publish_plan(spanish_plan, by=network_staff)

    content = client.get(
        _url("plans:plan-detail", spanish_plan.slug, language="fr")
    ).content.decode()
    assert "Traduit automatiquement de l&#x27;espagnol" in content
    assert "Renforcer la coopération entre" in content  # "Reforzar la cooperación entre…"
    catalan = client.get(
        _url("plans:plan-detail", spanish_plan.slug, language="ca")
    ).content.decode()
    assert "cooperació entre ciutats" in catalan


# --- Who may ask for translations and replace them -------------------------------------------


def test_asking_for_a_translation_is_for_the_plans_editors(
    client, login, translated_plan, city_officer, other_network, libretranslate
):
    url = _url("translation:translate", "plans.plan", translated_plan.pk)
    assert client.post(url).status_code == 302  # to the login page
    assert "/accounts/login" in client.post(url).url
    login(city_officer)
    assert client.post(url).status_code == 403
    login(RoleFactory(kind="network_staff", network=other_network).user)
    assert client.post(url).status_code == 403
    assert client.post(_url("translation:translate", "accounts.user", 1)).status_code == 404


def test_the_plans_staff_ask_for_a_translation_again(
    client, login, translated_plan, network_staff, libretranslate
):
    login(network_staff)
    assert (
        client.get(_url("translation:translate", "plans.plan", translated_plan.pk)).status_code
        == 405
    )
    libretranslate.requests.clear()

    response = client.post(_url("translation:translate", "plans.plan", translated_plan.pk))

    assert response.status_code == 302
    assert libretranslate.requests == []  # nothing changed: nothing to translate again


def test_replacing_a_translation_is_for_the_plans_editors(
    client, login, translated_plan, city_officer
):
    url = _url("translation:edit-texts", "plans.plan", translated_plan.pk)
    login(city_officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"language": "pt", "summary": "Resumo."}).status_code == 403
    assert not TextTranslation.objects.filter(origin="human").exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"language": "es", "summary": "Resumen."}, "Select a valid choice"),  # the original's
        ({"language": "xx", "summary": "Resumo."}, "Select a valid choice"),
        (
            {"language": "pt", "title": "", "summary": ""},
            "Write the translation of at least one text.",
        ),
        ({"language": "pt", "title": "T" * 301, "summary": "Resumo."}, "at most 300 characters"),
        ({"language": "pt", "summary": "Resumo\x00 com nulo."}, "Null characters are not allowed."),
        ({"language": "pt", "summary": "Resumo\x07 com campainha."}, "cannot be shown"),
    ],
)
def test_the_translation_form_refuses_bad_input_and_writes_nothing(
    client, login, translated_plan, network_staff, data, error
):
    login(network_staff)
    before = list(TextTranslation.objects.order_by("pk").values_list("pk", "text", "origin"))

    response = client.post(_url("translation:edit-texts", "plans.plan", translated_plan.pk), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert (
        list(TextTranslation.objects.order_by("pk").values_list("pk", "text", "origin")) == before
    )


def test_the_plans_staff_replace_a_machine_translation(
    client, login, translated_plan, network_staff
):
    login(network_staff)
    url = _url("translation:edit-texts", "plans.plan", translated_plan.pk)
    page = client.get(url + "?language=pt")
    assert page.status_code == 200
    assert "[pt] Lo que la red hará" in page.content.decode()  # the machine text, to correct

    response = client.post(url, {"language": "pt", "title": "", "summary": "O que a rede fará."})

    assert response.status_code == 302
    row = TextTranslation.objects.get(content_type__model="plan", field="summary", language="pt")
    assert (row.origin, row.text, row.translated_by) == (
        "human",
        "O que a rede fará.",
        network_staff,
    )
    content = client.get(
        _url("plans:plan-detail", translated_plan.slug, language="pt")
    ).content.decode()
    assert "O que a rede fará." in content
