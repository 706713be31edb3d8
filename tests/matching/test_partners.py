"""Partner suggestions: ranked, explained, leaving out what the asker may not see."""

import pytest

from municipia.matching import facts
from municipia.matching.partners import suggest_partners
from tests.factories.directory import LocalGovernmentFactory
from tests.factories.knowledge import ThemeFactory


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
