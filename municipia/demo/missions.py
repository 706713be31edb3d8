"""Demo missions: Montréal's international action page.

Montréal belongs to the AIMF and to Metropolis, pays its AIMF dues (the finance demo) and is a
partner of the project that came out of the AIMF's fund call (the cooperation demo). Here it gets a
technical mission to Bamako and Dakar with its costs and outcomes, a delegation from Phnom Penh
received at city hall, a preparatory trip it keeps private, and page settings that show its dues.
Every person, amount, rate, meeting and outcome is fictional and says so. Idempotent: nothing is
added once Montréal has missions.
"""

import datetime
import zoneinfo

from municipia.cooperation.missions.models import Mission
from municipia.cooperation.missions.services import MissionData, publish, save_mission
from municipia.cooperation.models import Project
from municipia.cooperation.services import CooperationError
from municipia.directory.models import LocalGovernment, Person

FICTIONAL = "(fictif, démo)"


def _place(name: str) -> LocalGovernment | None:
    return LocalGovernment.objects.filter(name=name).order_by("-population").first()


def _at(day: datetime.date, hour: int, zone: str) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo(zone))


def _person(slug: str, name: str, country) -> Person:
    person, _created = Person.objects.get_or_create(
        slug=slug,
        defaults={
            "full_name": name,
            "country": country,
            "languages": ["fr", "en"],
            "biography": "Personne fictive de la démonstration.",
        },
    )
    return person


def _technical_mission(city, year: int) -> Mission | None:
    bamako, dakar = _place("Bamako"), _place("Dakar")
    places = [p for p in (bamako, dakar) if p is not None]
    if not places:
        return None
    zone = places[0].timezone or "Africa/Bamako"
    start = datetime.date(year, 2, 9)
    projects = list(Project.objects.public().filter(partners__local_government=city)[:1])
    return save_mission(
        MissionData(
            fields={
                "local_government": city,
                "direction": Mission.Direction.OUTGOING,
                "title": "Mission technique eau potable à Bamako et Dakar (démo)",
                "purpose": "Mission fictive de démonstration : suivre les travaux du réseau d'eau "
                "potable financé par le Fonds de coopération, rencontrer les équipes techniques "
                "et préparer la formation des agents.",
                "time_zone": zone,
                "starts_at": _at(start, 8, zone),
                "ends_at": _at(start + datetime.timedelta(days=5), 19, zone),
                "currency": "CAD",
                "outcomes": "Résultats fictifs : calendrier des travaux de la deuxième phase "
                "convenu ; deux ingénieurs de Bamako accueillis à Montréal pour trois semaines de "
                "formation ; échange de données sur les pertes du réseau signé entre les services.",
                "is_public": True,
                "costs_public": True,
            },
            destinations=places,
            projects=projects,
            delegation=[
                {
                    "person": _person("elise-tremblay-demo", "Élise Tremblay (démo)", city.country),
                    "role": "Conseillère municipale, cheffe de la délégation " + FICTIONAL,
                },
                {
                    "person": _person("marc-gagnon-demo", "Marc Gagnon (démo)", city.country),
                    "role": "Ingénieur, service de l'eau " + FICTIONAL,
                },
            ],
            meetings=[
                {
                    "held_on": start,
                    "with_whom": "Cabinet du maire et direction technique " + FICTIONAL,
                    "local_government": bamako,
                    "notes": "Visite du chantier de la station de pompage.",
                },
                {
                    "held_on": start + datetime.timedelta(days=3),
                    "with_whom": "Service de l'assainissement " + FICTIONAL,
                    "local_government": dakar,
                    "notes": "Partage des outils de suivi des fuites.",
                },
            ],
            costs=[
                {"category": "travel", "currency": "CAD", "amount": "4380.00"},
                {
                    "category": "accommodation",
                    "currency": "XOF",
                    "amount": "720000",
                    "exchange_rate": "0.00225",
                    "description": "Hôtel, 5 nuits, 2 personnes " + FICTIONAL,
                },
                {"category": "per_diem", "currency": "CAD", "amount": "960.00"},
                {
                    "category": "interpretation",
                    "currency": "EUR",
                    "amount": "450.00",
                    "exchange_rate": "1.49",
                    "description": "Interprète bambara-français, une journée " + FICTIONAL,
                },
            ],
        )
    )


def _visit_received(city, year: int) -> Mission | None:
    phnom_penh = _place("Phnom Penh")
    if phnom_penh is None:
        return None
    zone = city.timezone or "America/Toronto"
    start = datetime.date(year - 1, 10, 14)
    return save_mission(
        MissionData(
            fields={
                "local_government": city,
                "direction": Mission.Direction.INCOMING,
                "title": "Délégation de Phnom Penh reçue à l'hôtel de ville (démo)",
                "purpose": "Visite fictive de démonstration : une délégation de Phnom Penh vient "
                "étudier l'état civil numérique de Montréal avant le projet partagé.",
                "time_zone": zone,
                "starts_at": _at(start, 9, zone),
                "ends_at": _at(start + datetime.timedelta(days=2), 17, zone),
                "currency": "CAD",
                "outcomes": "Résultat fictif : feuille de route commune pour le logiciel libre "
                "d'état civil ; Montréal accueille un stagiaire de Phnom Penh.",
                "is_public": True,
                "costs_public": True,
            },
            destinations=[phnom_penh],
            costs=[
                {
                    "category": "interpretation",
                    "currency": "CAD",
                    "amount": "1200.00",
                    "description": "Interprétation khmer-français " + FICTIONAL,
                },
                {"category": "other", "currency": "CAD", "amount": "340.00"},
            ],
        )
    )


def _private_trip(city, year: int) -> Mission | None:
    paris = _place("Paris")
    if paris is None:
        return None
    zone = paris.timezone or "Europe/Paris"
    start = datetime.date(year, 1, 20)
    return save_mission(
        MissionData(
            fields={
                "local_government": city,
                "direction": Mission.Direction.OUTGOING,
                "title": "Réunion préparatoire à Paris (démo, non publiée)",
                "purpose": "Mission fictive que la ville n'a pas encore publiée.",
                "time_zone": zone,
                "starts_at": _at(start, 9, zone),
                "ends_at": _at(start, 18, zone),
                "currency": "CAD",
                "is_public": False,
                "costs_public": False,
            },
            destinations=[paris],
            costs=[{"category": "travel", "currency": "CAD", "amount": "2100.00"}],
        )
    )


def load(stdout, *, today: datetime.date | None = None) -> None:
    city = LocalGovernment.objects.filter(name="Montréal").order_by("-population").first()
    if city is None:
        stdout.write("  missions: no Montréal in the directory, skipped")
        return
    if Mission.objects.filter(local_government=city).exists():
        stdout.write("  missions kept")
        return
    year = (today or datetime.date.today()).year  # noqa: DTZ011 - a demo's calendar year
    try:
        missions = [
            m
            for m in (
                _technical_mission(city, year),
                _visit_received(city, year),
                _private_trip(city, year),
            )
            if m is not None
        ]
    except CooperationError as error:
        stdout.write(f"  missions not created: {error}")
        return
    publish(
        city,
        show_dues=True,
        introduction="Montréal coopère avec des villes d'Afrique, d'Europe et d'Asie au sein de "
        "l'AIMF et de Metropolis. Cette page montre ses réseaux, les cotisations versées, ses "
        "projets et ses missions, avec leurs coûts et leurs résultats (contenu fictif de démo).",
        missions={m.pk: (m.is_public, m.costs_public) for m in missions},
    )
    stdout.write(f"  missions: {len(missions)} for {city.name}, international action page set")
