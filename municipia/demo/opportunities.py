"""Demo funding opportunities: three open calls of outside funders kept by the AIMF's staff.

An EU programme (the European Commission, already a funder of the demo's fund), a development bank
and a foundation (both invented). Every programme name, text, amount, rate and date is fictional and
says so. The texts are in French, English, Spanish and Portuguese; the themes and SDG targets are
those of the demo's experiences and projects, so that each opportunity matches members' work (the
matches are computed by the same task as on the site, once the demo is written). Idempotent:
nothing is added once the first opportunity exists.
"""

import datetime

from django.utils import timezone

from municipia.accounts.models import User
from municipia.cooperation.opportunities import services
from municipia.cooperation.opportunities.models import Opportunity
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country, Network, Organisation
from municipia.knowledge.models import SdgTarget, Theme

# The slug of the first one (from its title) marks the demo as loaded.
FIRST_SLUG = "local-authorities-for-sustainable-cities-demo"

OPPORTUNITIES = [
    {
        "funder": ("european-commission", "European Commission", "BE"),
        "programme": "Local Authorities: Partnerships for Sustainable Cities (fictional demo call)",
        "days": 120,
        "time_zone": "Europe/Brussels",
        "applicant_kinds": ["municipality", "metropolitan_area", "association"],
        "regions": ["002", "142"],
        "themes": ["climate-adaptation", "basic-services"],
        "sdg": ["11.6", "13.1", "11.7"],
        "cofinancing_rate": "90",
        "currency": "EUR",
        "amount_min": "500000",
        "amount_max": "2500000",
        "url": "https://example.org/demo/eu-sustainable-cities",
        "texts": {
            "en": (
                "Local authorities for sustainable cities (demo)",
                "Fictional demo call: partnerships of local authorities in Africa and Asia that "
                "adapt their cities to heat and floods, green public spaces and improve waste "
                "collection. Projects of 36 months, led by a local authority with at least one "
                "partner city.",
            ),
            "fr": (
                "Autorités locales pour des villes durables (démo)",
                "Appel fictif de démonstration : partenariats d'autorités locales d'Afrique et "
                "d'Asie qui adaptent leurs villes à la chaleur et aux inondations, végétalisent "
                "l'espace public et améliorent la collecte des déchets. Projets de 36 mois.",
            ),
            "es": (
                "Autoridades locales por ciudades sostenibles (demo)",
                "Convocatoria ficticia de demostración: alianzas de gobiernos locales de África y "
                "Asia que adaptan sus ciudades al calor y a las inundaciones y reverdecen el "
                "espacio público.",
            ),
        },
    },
    {
        "funder": (
            "southern-cities-development-bank-demo",
            "Southern Cities Development Bank (fictional)",
            "CI",
        ),
        "programme": "Municipal Water and Sanitation Facility (fictional demo)",
        "days": 75,
        "time_zone": "Africa/Abidjan",
        "applicant_kinds": ["municipality", "metropolitan_area"],
        "regions": ["202"],
        "themes": ["basic-services"],
        "sdg": ["6.1", "6.2", "11.1"],
        "cofinancing_rate": "70",
        "currency": "USD",
        "amount_min": "1000000",
        "amount_max": "10000000",
        "url": "https://example.org/demo/water-facility",
        "texts": {
            "fr": (
                "Eau potable et assainissement pour les villes sahéliennes (démo)",
                "Prêt et don fictifs de démonstration pour les villes d'Afrique subsaharienne : "
                "extension des réseaux d'eau potable, bornes-fontaines, latrines publiques et "
                "gestion des boues de vidange, avec un volet de formation des services "
                "municipaux.",
            ),
            "en": (
                "Drinking water and sanitation for Sahel cities (demo)",
                "Fictional demo loan and grant for cities of sub-Saharan Africa: extending "
                "drinking-water networks, standpipes, public latrines and faecal sludge "
                "management, with training for municipal services.",
            ),
            "pt": (
                "Água potável e saneamento para as cidades do Sahel (demo)",
                "Empréstimo e subvenção fictícios de demonstração para cidades da África "
                "subsariana: redes de água potável, fontanários, latrinas públicas e gestão de "
                "lamas fecais.",
            ),
        },
    },
    {
        "funder": (
            "fondation-lumiere-pour-les-villes-demo",
            "Fondation Lumière pour les villes (fictive)",
            "CH",
        ),
        "programme": "Villes ouvertes et services numériques (programme fictif)",
        "days": 45,
        "time_zone": "Europe/Zurich",
        "applicant_kinds": [],
        "regions": [],
        "themes": ["social-cohesion"],
        "sdg": ["16.9", "17.18", "16.6"],
        "cofinancing_rate": "50",
        "currency": "CHF",
        "amount_min": "20000",
        "amount_max": "150000",
        "url": "https://example.org/demo/fondation-lumiere",
        "texts": {
            "fr": (
                "Registres civils et services numériques ouverts (démo)",
                "Subventions fictives de démonstration pour les villes qui numérisent l'état "
                "civil, publient leurs données et forment leurs agents aux logiciels libres. "
                "Ouvert aux collectivités du monde entier.",
            ),
            "en": (
                "Civil registries and open digital services (demo)",
                "Fictional demo grants for cities that digitise civil registration, publish "
                "their data and train their staff in free software. Open to local governments "
                "worldwide.",
            ),
            "es": (
                "Registros civiles y servicios digitales abiertos (demo)",
                "Subvenciones ficticias de demostración para ciudades que digitalizan el "
                "registro civil, publican sus datos y forman a su personal en software libre.",
            ),
        },
    },
]


def _funder(slug: str, name: str, country: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "kind": Organisation.Kind.FUNDER,
            "country": Country.objects.filter(code=country).first(),
        },
    )
    return organisation


def load(stdout) -> list[Opportunity]:
    network = Network.objects.filter(slug="aimf").first()
    staff = User.objects.filter(email=DEMO_EMAIL).first()
    if network is None or staff is None:
        stdout.write("  funding opportunities: no AIMF network or demo staff, skipped")
        return []
    if Opportunity.objects.filter(slug=FIRST_SLUG).exists():
        stdout.write("  funding opportunities kept")
        return []
    now = timezone.now().replace(second=0, microsecond=0)
    created = []
    for item in OPPORTUNITIES:
        texts = dict(item["texts"])
        language, (title, summary) = next(iter(texts.items()))
        opportunity = services.create_opportunity(
            network,
            language=language,
            title=title,
            summary=summary,
            funder=_funder(*item["funder"]),
            programme=item["programme"],
            deadline=(now + datetime.timedelta(days=item["days"])).replace(hour=16, minute=0),
            time_zone=item["time_zone"],
            applicant_kinds=item["applicant_kinds"],
            regions=item["regions"],
            themes=Theme.objects.filter(network=network, slug__in=item["themes"]),
            sdg_targets=SdgTarget.objects.filter(code__in=item["sdg"]),
            cofinancing_rate=item["cofinancing_rate"],
            currency=item["currency"],
            amount_min=item["amount_min"],
            amount_max=item["amount_max"],
            url=item["url"],
            by=staff,
        )
        for other, (other_title, other_summary) in list(texts.items())[1:]:
            services.translate_opportunity(
                opportunity, language=other, title=other_title, summary=other_summary, by=staff
            )
        created.append(opportunity)
    stdout.write(f"  funding opportunities: {len(created)} open calls of outside funders")
    return created
