"""Partner suggestions: ranked, explained, leaving out what the asker may not see."""

import pytest
from django.urls import reverse

from municipia.matching import facts
from municipia.matching.partners import suggest_partners, work_found
from municipia.matching.weights import ACTIVITIES_PER_PLAN
from municipia.plans.models import Plan
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import PublishedExperienceFactory, ThemeFactory, indexed
from tests.factories.plans import PlanFactory


def names(answer):
    return [s.city.name for s in answer.suggestions]


def reasons(answer, name):
    found = next(s for s in answer.suggestions if s.city.name == name)
    return " | ".join(r.text for r in found.reasons)


def test_a_need_finds_the_work_behind_it(world):
    answer = suggest_partners(world.home, user=world.officer, need="compostage des déchets")
    assert names(answer)[0] == "Lyon"
    lyon = answer.suggestions[0]
    assert lyon.experiences == [world.waste]
    assert "published experience or project close to what you look for" in reasons(answer, "Lyon")


def test_without_a_need_the_work_found_is_close_to_the_citys_own(world):
    own = PublishedExperienceFactory(
        city=world.home,
        network=world.network,
        texts={"fr": ("Compostage des déchets", "Les déchets des marchés compostés.", "")},
        original_language="fr",
    )
    indexed(own)

    answer = suggest_partners(world.home, user=world.officer)

    assert "1 published experience or project close to your own work" in reasons(answer, "Lyon")
    assert "what you look for" not in reasons(answer, "Lyon")


def test_a_partners_partner_is_suggested_and_named(world):
    answer = suggest_partners(world.home, user=world.officer)
    assert "partner of your partner Rosario" in reasons(answer, "Córdoba")
    assert "shares Spanish" in reasons(answer, "Córdoba")


def test_itself_and_its_partners_are_left_out(world):
    found = names(suggest_partners(world.home, user=world.officer))
    assert "Alcalá" not in found
    assert "Rosario" not in found


def test_with_a_theme_only_the_partners_on_it_are_left_out(world):
    theme = ThemeFactory(network=world.network, slug="waste", names={"en": "Waste"})
    world.waste.themes.add(theme)
    answer = suggest_partners(world.home, user=world.officer, theme=theme)
    assert "Rosario" in names(answer)  # a partner, not yet on waste
    assert "already your partner (an agreement)" in reasons(answer, "Rosario")


def test_hidden_things_never_appear_nor_count(world):
    answer = suggest_partners(world.home, user=world.officer, need="waste sorting plan")
    text = " ".join(r.text for s in answer.suggestions for r in s.reasons)
    assert "Quiet Circle" not in text  # another network's unpublished membership
    for suggestion in answer.suggestions:
        assert world.draft not in suggestion.experiences
        if suggestion.city.name == "Dakar":
            assert suggestion.values["work"] == 0
            assert suggestion.values["networks"] == 0
        if suggestion.city.name == "Recife":  # tied to Rosario by a private project only
            assert suggestion.values["friends"] == 0


def test_staff_see_their_network_records(world):
    answer = suggest_partners(world.home, user=world.staff)
    assert "partner of your partner Rosario" in reasons(answer, "Recife")


@pytest.mark.parametrize(
    "need",
    ["", "x" * 10000, "✿ヾ(｡◕‿◕｡)✿ 🙂", "réduire le décrochage scolaire des jeunes migrants"],
)
def test_any_need_gets_an_answer(world, need):
    answer = suggest_partners(world.home, user=world.officer, need=need)
    assert answer.city == world.home


def test_a_city_with_no_data_gets_a_clear_answer(world):
    answer = suggest_partners(world.lonely, user=world.officer)
    assert answer.suggestions == []
    assert answer.notes


def test_languages_of_a_city_fall_back_on_its_country(world):
    assert facts.languages_of(world.rosario, facts.country_languages()) == {"es"}


def test_query_count_is_flat(world, django_assert_max_num_queries):
    suggest_partners(world.home, user=world.officer)  # warm the embedding model and caches
    with django_assert_max_num_queries(40) as small:
        suggest_partners(world.home, user=world.officer)
    for n in range(12):
        LocalGovernmentFactory(name=f"Extra {n}", country=world.cordoba.country)
    for city in __import__(
        "municipia.directory.models", fromlist=["LocalGovernment"]
    ).LocalGovernment.objects.filter(name__startswith="Extra"):
        city.memberships.create(network=world.network, status="active")
    with django_assert_max_num_queries(len(small.captured_queries)):
        suggest_partners(world.home, user=world.officer)


def test_nearest_members_are_the_nearest_whatever_the_reach(world):
    # 150 more members scattered from next door to the other side of the world: the nearest are
    # looked for in widening bands of latitude, and must be those a full sort gives.
    import math
    import random

    from municipia.directory.models import LocalGovernment
    from tests.factories.directory import MembershipFactory

    rng = random.Random(4)
    for n in range(150):
        reach = rng.choice([0.5, 3, 20, 90])
        city = LocalGovernmentFactory(
            name=f"Member {n}",
            country=rng.choice([world.lyon.country, world.rosario.country, world.dakar.country]),
            latitude=max(-89.0, min(89.0, world.home.latitude + rng.uniform(-reach, reach))),
            longitude=world.home.longitude + rng.uniform(-reach, reach),
        )
        MembershipFactory(network=world.network, local_government=city)
    by_country = facts.country_languages()
    own = facts.languages_of(world.home, by_country)
    found = facts.nearest_members(world.home, [world.network.pk], by_country, own, user=world.staff)

    home = world.home
    coslat = math.cos(math.radians(home.latitude))
    members = LocalGovernment.objects.filter(
        memberships__network=world.network,
        memberships__status="active",
        latitude__isnull=False,
        longitude__isnull=False,
    ).exclude(pk=home.pk)
    ranked = sorted(
        members,
        key=lambda c: abs(c.latitude - home.latitude) + abs(c.longitude - home.longitude) * coslat,
    )
    speaking = [c for c in ranked if by_country[c.country_id] & own]
    expected = list(dict.fromkeys([c.pk for c in ranked[:60]] + [c.pk for c in speaking[:60]]))
    assert found == expected


def plan_activity(city, text, *, public=True):
    """An activity of a plan of `city`, written in French, published or still a draft."""
    plan = PlanFactory(
        network=None,
        local_government=city,
        languages=["fr"],
        status=Plan.Status.ADOPTED if public else Plan.Status.DRAFT,
        is_published=public,
    )
    activity = plan.objectives.create(title="Déchets").activities.create(description=text)
    indexed(activity)
    return activity


@pytest.fixture
def plans(world):
    """Dakar's published plan composts its markets' waste; Recife's draft plan says the same."""
    world.dakar_activity = plan_activity(world.dakar, "Compostage des déchets des marchés")
    world.recife_activity = plan_activity(
        world.recife, "Compostage des déchets des marchés couverts", public=False
    )
    return world


def test_a_plan_activity_near_the_need_is_work_shown_behind_the_suggestion(plans):
    answer = suggest_partners(plans.home, user=plans.officer, need="compostage des déchets")

    dakar = next(s for s in answer.suggestions if s.city == plans.dakar)
    assert dakar.values["work"] > 0
    assert dakar.activities == [plans.dakar_activity]
    assert "1 plan activity close to what you look for" in reasons(answer, "Dakar")


def test_a_plan_of_many_activities_counts_only_its_nearest_few(plans):
    # A plan of hundreds of activities must not fill its city's work alone.
    plan = plans.dakar_activity.objective.plan
    for _n in range(4):  # the same words: as near to the need as the first
        activity = plan.objectives.get().activities.create(
            description="Compostage des déchets des marchés"
        )
        indexed(activity)
    found = facts.found_work(plans.home, user=plans.officer, need="compostage des déchets")
    assert len(found.ranks[plans.dakar.pk]) == ACTIVITIES_PER_PLAN

    answer = suggest_partners(plans.home, user=plans.officer, need="compostage des déchets")

    dakar = next(s for s in answer.suggestions if s.city == plans.dakar)
    assert f"{ACTIVITIES_PER_PLAN} plan activities close to what you look for" in reasons(
        answer, "Dakar"
    )
    assert len(dakar.activities) <= ACTIVITIES_PER_PLAN


def test_a_private_plans_activity_neither_appears_nor_counts(plans):
    for user in (plans.officer, plans.staff):
        answer = suggest_partners(plans.home, user=user, need="compostage des déchets")
        for suggestion in answer.suggestions:
            assert plans.recife_activity not in suggestion.activities
            if suggestion.city == plans.recife:
                assert suggestion.values["work"] == 0
                assert "plan activit" not in reasons(answer, "Recife")


def test_both_kinds_of_work_are_said_plainly():
    assert work_found({"experience": 2}) == "2 published experiences or projects"
    assert work_found({"experience": 1, "project": 1, "activity": 1}) == (
        "2 published experiences or projects and 1 plan activity"
    )
    assert work_found({"activity": 3}) == "3 plan activities"
    assert work_found({}) == ""


def test_a_city_without_experiences_looks_from_its_plans_activities(plans):
    assert facts.found_work(plans.dakar, user=plans.officer).asked
    assert not facts.found_work(plans.recife, user=plans.officer).asked  # its plan is a draft


def test_the_page_and_the_api_link_the_activity_and_its_plan(client, plans):
    client.force_login(plans.officer)
    activity = plans.dakar_activity
    plan = activity.objective.plan

    page = client.get(
        reverse("matching:partner-suggestions", args=[plans.home.slug]),
        {"need": "compostage des déchets"},
    ).content.decode()
    api = client.get(
        reverse("api:matching-partners"),
        {"city": plans.home.slug, "need": "compostage des déchets"},
    ).json()

    assert f'href="{activity.get_absolute_url()}"' in page
    assert f"an activity of the plan “{plan.title}”" in page
    dakar = next(s for s in api["suggestions"] if s["city"]["id"] == plans.dakar.pk)
    assert [(a["id"], a["title"], a["plan"]) for a in dakar["activities"]] == [
        (activity.pk, "Compostage des déchets des marchés", plan.title)
    ]
    assert dakar["activities"][0]["url"].endswith(activity.get_absolute_url())
    assert all(
        a["id"] != plans.recife_activity.pk for s in api["suggestions"] for a in s["activities"]
    )


def test_query_count_is_flat_with_plan_activities(plans, django_assert_max_num_queries):
    need = "compostage des déchets"
    suggest_partners(plans.home, user=plans.officer, need=need)
    with django_assert_max_num_queries(40) as small:
        suggest_partners(plans.home, user=plans.officer, need=need)
    for n in range(6):
        # One word, like Dakar: the same text as Dakar's scores the same, so all are relevant.
        city = LocalGovernmentFactory(name=f"Extra{n}", country=plans.lyon.country)
        plan_activity(city, "Compostage des déchets des marchés")
    suggest_partners(plans.home, user=plans.officer, need=need)  # the index reads its new entries
    with django_assert_max_num_queries(len(small.captured_queries)):
        answer = suggest_partners(plans.home, user=plans.officer, need=need)
    assert sum(len(s.activities) for s in answer.suggestions) >= 6
