"""Data the page benchmarks share: a large network and published experiences, built through the ORM.

Used by bench/pages_quick.py (test client) and bench/pages.py (gunicorn and wrk); the search bank of
bench/pages.py comes from bench/search.py's corpus builders. Call these with Django set up.
"""

import datetime
import random

EXPERIENCES = 300


def load_members(count: int):
    """The `count` most populous GeoNames cities with their names in every language, members of
    one network (97 % active), through the ORM: enough for the pages, quicker than the gazetteer."""
    from municipia.directory import gazetteer
    from municipia.directory.models import (
        LocalGovernment,
        LocalGovernmentName,
        Membership,
        Network,
        normalise_name,
    )

    countries = gazetteer.import_countries()
    cities = sorted(gazetteer.all_cities().values(), key=lambda c: -c["population"])
    cities = [c for c in cities if c["countrycode"] in countries][:count]
    places = LocalGovernment.objects.bulk_create(
        (
            LocalGovernment(
                name=city["name"],
                slug=f"bench-{city['geonameid']}",
                country=countries[city["countrycode"]],
                population=city["population"],
                latitude=city["latitude"],
                longitude=city["longitude"],
            )
            for city in cities
        ),
        batch_size=2000,
    )
    names = {}
    for place, city in zip(places, cities, strict=True):
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = normalise_name(name)
            if key and len(name) <= 200:
                names.setdefault((place.pk, key), name)
    LocalGovernmentName.objects.bulk_create(
        (
            LocalGovernmentName(local_government_id=pk, name=name, normalised=key)
            for (pk, key), name in names.items()
        ),
        batch_size=5000,
    )
    network = Network.objects.create(name="Benchmark network", slug="bench", founded=1990)
    rng = random.Random(42)
    statuses = ["active"] * 97 + ["applicant", "suspended", "left"]
    Membership.objects.bulk_create(
        (
            Membership(
                network=network,
                local_government=place,
                member_name=place.name,
                member_country_id=place.country_id,
                status=rng.choice(statuses),
                joined_on=datetime.date(1990 + rng.randrange(35), 1 + rng.randrange(12), 1),
            )
            for place in places
        ),
        batch_size=2000,
    )
    gazetteer.refresh_statistics()
    return network


def add_experiences(
    network, count: int, *, languages=("en", "es"), paragraphs: int = 60, batch_size: int = 5000
) -> None:
    """Published experiences of the network's members (one each, then round again when there are
    more experiences than members), in `languages`, with SDG targets."""
    from municipia.knowledge.models import Experience, ExperienceTranslation, SdgTarget

    members = list(network.memberships.values_list("local_government_id", flat=True)[:count])
    cities = [members[n % len(members)] for n in range(count)]
    targets = list(SdgTarget.objects.values_list("pk", flat=True)[:169])
    published = datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    experiences = Experience.objects.bulk_create(
        (
            Experience(
                city_id=city,
                original_language="en",
                status=Experience.Status.PUBLISHED,
                started_on=datetime.date(2020 + n % 5, 1, 1),
                submitted_at=published,
                published_at=published + datetime.timedelta(minutes=n),
                funders="Benchmark funders",
                links=["https://example.org/a", "https://example.org/b"],
            )
            for n, city in enumerate(cities)
        ),
        batch_size=batch_size,
    )
    ExperienceTranslation.objects.bulk_create(
        (
            ExperienceTranslation(
                experience=experience,
                language=language,
                origin="original" if language == "en" else "human",
                title=f"Benchmark practice {experience.pk} ({language})",
                summary="A practice of a member city, written for the benchmark. " * 4,
                body="<p>"
                + "What the city did, with whom and what it cost. " * paragraphs
                + "</p>",
            )
            for experience in experiences
            for language in languages
        ),
        batch_size=batch_size,
    )
    through = Experience.networks.through
    through.objects.bulk_create(
        (through(experience_id=e.pk, network_id=network.pk) for e in experiences),
        batch_size=batch_size,
    )
    sdg = Experience.sdg_targets.through
    sdg.objects.bulk_create(
        (
            sdg(experience_id=e.pk, sdgtarget_id=targets[(e.pk + k * 7) % len(targets)])
            for e in experiences
            for k in range(3)
        ),
        batch_size=batch_size,
    )
