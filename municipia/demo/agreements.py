"""Demo agreements: the instruments of city diplomacy between the seed networks' cities.

Twinning, friendship, a memorandum of understanding with a university and a framework agreement
with the European Commission, between cities of Latin America, Europe, Africa, North America and
Asia. The parties are real places of the demo's networks; every text, date and term is fictional
and says so. One agreement's renewal falls due within 60 days of the day the demo is loaded, and
one is a private draft. Idempotent: an agreement whose reference exists is left as it is.
"""

import datetime

from django.utils import timezone

from municipia.accounts.models import User
from municipia.cooperation.agreements.models import Agreement
from municipia.cooperation.agreements.services import save_agreement
from municipia.cooperation.models import Project
from municipia.cooperation.services import CooperationError
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country, LocalGovernment, Network, Organisation, Person

FICTIONAL = " (Texte fictif de démonstration / Fictional demo text.)"


def _city(name: str) -> LocalGovernment | None:
    return LocalGovernment.objects.filter(name=name).order_by("-population").first()


def _organisation(slug: str, name: str, kind: str, country: str, acronym: str = ""):
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "acronym": acronym,
            "kind": kind,
            "country": Country.objects.filter(code=country).first(),
        },
    )
    return organisation


def _specs(today: datetime.date) -> list[dict]:
    due = today + datetime.timedelta(days=45)
    return [
        {
            "network": "al-las",
            "reference": "ALLAS-A0001",
            "status": "in_force",
            "parties": [_city("Montevideo"), _city("Diputació de Barcelona")],
            "signatories": [("ana-ejemplo", "Directora de relaciones internacionales")],
            "values": {
                "kind": "cooperation",
                "title": "Convenio de cooperación Montevideo - Diputació de Barcelona",
                "summary": "Intercambio técnico sobre movilidad sostenible y presupuestos "
                "participativos entre los equipos de ambos gobiernos locales." + FICTIONAL,
                "language": "es",
                "signed_on": datetime.date(due.year - 3, due.month, 1),
                "starts_on": datetime.date(due.year - 3, due.month, 1),
                "ends_on": due,
                "renewal": "explicit",
                "renewal_months": 36,
                "is_public": True,
            },
        },
        {
            "network": "aimf",
            "reference": "AIMF-A0001",
            "status": "in_force",
            "parties": [_city("Paris"), _city("Phnom Penh")],
            "signatories": [("anne-hidalgo", "Maire de Paris")],
            "values": {
                "kind": "friendship",
                "title": "Pacte d'amitié et de coopération Paris - Phnom Penh",
                "summary": "Coopération sur la gestion de l'eau, le patrimoine et la formation "
                "des agents municipaux." + FICTIONAL,
                "language": "fr",
                "signed_on": datetime.date(2021, 10, 4),
                "starts_on": datetime.date(2021, 10, 4),
                "duration_months": 60,
                "renewal": "tacit",
                "renewal_months": 36,
                "is_public": True,
            },
        },
        {
            "network": "aimf",
            "reference": "AIMF-A0002",
            "status": "in_force",
            "parties": [_city("Dakar"), _city("Québec")],
            "values": {
                "kind": "twinning",
                "title": "Jumelage Dakar - Québec",
                "summary": "Échanges scolaires, culturels et sportifs entre les deux villes."
                + FICTIONAL,
                "language": "fr",
                "signed_on": datetime.date(2019, 6, 21),
                "starts_on": datetime.date(2019, 6, 21),
                "is_public": True,
            },
        },
        {
            "network": "aimf",
            "reference": "AIMF-A0003",
            "status": "in_force",
            "parties": [
                _organisation("european-commission", "European Commission", "funder", "BE"),
                _city("Tunis"),
                _city("Bamako"),
                _city("Cotonou"),
            ],
            "projects": "aimf",
            "values": {
                "kind": "framework",
                "title": "Framework agreement on basic urban services in francophone cities",
                "summary": "Sets the terms on which the parties prepare and co-finance projects "
                "on water, sanitation and waste in the member cities, with yearly joint "
                "reviews." + FICTIONAL,
                "language": "en",
                "signed_on": datetime.date(2023, 1, 16),
                "starts_on": datetime.date(2023, 2, 1),
                "ends_on": datetime.date(2028, 1, 31),
                "renewal": "explicit",
                "renewal_months": 48,
                "is_public": True,
            },
        },
        {
            "network": "al-las",
            "reference": "ALLAS-A0002",
            "status": "in_force",
            "parties": [
                _city("Medellín"),
                _city("Quito"),
                _organisation(
                    "universidad-del-rosario", "Universidad del Rosario", "university", "CO"
                ),
            ],
            "values": {
                "kind": "mou",
                "title": "Memorando de entendimiento sobre formación en acción internacional",
                "summary": "Curso certificado para el personal de relaciones internacionales de "
                "ambas ciudades." + FICTIONAL,
                "language": "es",
                "signed_on": datetime.date(2024, 3, 8),
                "starts_on": datetime.date(2024, 4, 1),
                "duration_months": 24,
                "is_public": True,
            },
        },
        {
            "network": "al-las",
            "reference": "ALLAS-A0003",
            "status": "draft",
            "parties": [_city("Lima"), _city("Belo Horizonte")],
            "values": {
                "kind": "cooperation",
                "title": "Acordo de cooperação Lima - Belo Horizonte (minuta)",
                "summary": "Minuta em negociação sobre resíduos sólidos; não pública." + FICTIONAL,
                "language": "pt",
                "is_public": False,
            },
        },
    ]


def load(stdout, *, today: datetime.date | None = None) -> None:
    staff = User.objects.filter(email=DEMO_EMAIL).first()
    if staff is None:
        stdout.write("  agreements: no demo staff, skipped")
        return
    today = today or timezone.localdate()
    created = 0
    for spec in _specs(today):
        network = Network.objects.filter(slug=spec["network"]).first()
        parties = spec["parties"]
        if network is None or None in parties:
            continue
        if Agreement.objects.filter(reference=spec["reference"]).exists():
            continue
        people = {
            p.slug: p
            for p in Person.objects.filter(slug__in=[s for s, _c in spec.get("signatories", [])])
        }
        signatories = [
            (people[slug], capacity, parties[0])
            for slug, capacity in spec.get("signatories", [])
            if slug in people
        ]
        projects = list(Project.objects.filter(network=network)) if spec.get("projects") else None
        try:
            save_agreement(
                network,
                by=staff,
                values={**spec["values"], "reference": spec["reference"]},
                parties=parties,
                signatories=signatories,
                projects=projects,
                status=spec["status"],
            )
        except CooperationError as error:
            stdout.write(f"  agreement {spec['reference']} not created: {error}")
            continue
        created += 1
    stdout.write(f"  agreements: {created} created")
