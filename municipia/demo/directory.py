"""Demo networks from the seed documents, with their member places looked up in the gazetteer.

Facts (founding years, seats, partners, sub-networks, AL-LAs' later allies, Anne Hidalgo presiding the
AIMF as mayor of Paris) come from the networks' own descriptions; which further cities are listed as
members, the applicant and its mentor, and the experts are illustrative (the experts are fictional).
The places come from the same gazetteer code as `import_places`, one by one, so the demo does not
need the full import; they are all cities, so they are looked up in GeoNames' extract of places of
15,000 inhabitants or more, which reads in a tenth of the time and memory of the default one.
"""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from municipia.directory import gazetteer
from municipia.directory.models import (
    Consent,
    Expertise,
    LocalGovernment,
    Membership,
    MembershipStatusChange,
    Mentoring,
    Network,
    Organisation,
    Person,
    Position,
)

DEMO_EXTRACT = 15000


def _city(name: str, code: str) -> LocalGovernment:
    return gazetteer.ensure_city(name, code, min_population=DEMO_EXTRACT)


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
        "regions": [
            ("Yucatán", "MX", "federated_state", 2_320_898, 20.83, -89.0, {"en": "Yucatán"}),
            (
                "Diputació de Barcelona",
                "ES",
                "region",
                5_714_730,
                41.39,
                2.17,
                {"es": "Diputación de Barcelona", "en": "Province of Barcelona"},
            ),
        ],
        "expert_community": True,
        "world_regions": ["419", "150"],
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
                [("Lisbon", "PT"), ("Porto", "PT")],
                ["039"],
            ),
            (
                "aice-latin-america",
                "Delegación para América Latina",
                "territorial",
                [
                    ("Rosario", "AR"),
                    ("Montevideo", "UY"),
                    ("Belo Horizonte", "BR"),
                    ("Medellín", "CO"),
                ],
                ["419"],
            ),
            (
                "aice-asia-pacific",
                "Asia-Pacific Network of Educating Cities",
                "territorial",
                [("Changwon", "KR")],
                ["142", "009"],
            ),
            (
                "aice-gender-equality",
                "Igualdade de Género e Cidadania",
                "thematic",
                [("Lisbon", "PT")],
                [],
            ),
        ],
        # The 2025 plan seeks members in Africa, Latin America and Asia through two-year
        # scholarships with a mentor city: an illustrative applicant and its mentor.
        "applicants": [("Maputo", "MZ", "Lisbon", "PT")],
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
            (
                "Àrea Metropolitana de Barcelona",
                "ES",
                "metropolitan_area",
                3_300_000,
                41.39,
                2.15,
                {
                    "es": "Área Metropolitana de Barcelona",
                    "en": "Barcelona Metropolitan Area",
                    "ca": "AMB",
                },
            )
        ],
    },
]


EXPERTISE = {
    "city-diplomacy": {
        "en": "City diplomacy",
        "es": "Diplomacia de ciudades",
        "fr": "Diplomatie des villes",
        "ca": "Diplomàcia de ciutats",
        "pt": "Diplomacia de cidades",
    },
    "decentralised-cooperation": {
        "en": "Decentralised cooperation",
        "es": "Cooperación descentralizada",
        "fr": "Coopération décentralisée",
        "ca": "Cooperació descentralitzada",
        "pt": "Cooperação descentralizada",
    },
    "urban-sustainability": {
        "en": "Urban sustainability",
        "es": "Sostenibilidad urbana",
        "fr": "Durabilité urbaine",
        "ca": "Sostenibilitat urbana",
        "pt": "Sustentabilidade urbana",
    },
    "inclusive-cities": {
        "en": "Inclusive cities",
        "es": "Ciudades inclusivas",
        "fr": "Villes inclusives",
        "ca": "Ciutats inclusives",
        "pt": "Cidades inclusivas",
    },
    "attractive-cities": {
        "en": "Attractive cities",
        "es": "Ciudades atractivas",
        "fr": "Villes attractives",
        "ca": "Ciutats atractives",
        "pt": "Cidades atrativas",
    },
    "participatory-budgeting": {
        "en": "Participatory budgeting",
        "es": "Presupuesto participativo",
        "fr": "Budget participatif",
        "ca": "Pressupostos participatius",
        "pt": "Orçamento participativo",
    },
}

# Fictional experts of AL-LAs' community (the seed names the community, not its members).
EXPERTS = [
    (
        "Ana Ejemplo",
        "MX",
        ["es", "en"],
        ["city-diplomacy", "attractive-cities"],
        "Mexico City",
        True,
    ),
    ("Jean Exemple", "FR", ["fr", "es"], ["decentralised-cooperation"], None, False),
    (
        "Maria Exemplo",
        "BR",
        ["pt", "es"],
        ["inclusive-cities", "urban-sustainability", "participatory-budgeting"],
        None,
        False,
    ),
    (
        "Marc Exemple",
        "ES",
        ["ca", "es", "en"],
        ["urban-sustainability", "participatory-budgeting"],
        None,
        True,
    ),
]
EXPERT_STATEMENT = (
    "I agree to be listed in the AL-LAs community of experts with my name, positions, languages "
    "and fields of expertise."
)
CONTACT_STATEMENT = "I agree that my e-mail address is shown on my public profile."


def _place(code: str, name: str, kind: str, population: int, lat: float, lon: float, names: dict):
    place, _created = LocalGovernment.objects.get_or_create(
        slug=slugify(name),
        defaults={
            "name": name,
            "country": gazetteer.ensure_country(code),
            "kind": kind,
            "population": population,
            "latitude": lat,
            "longitude": lon,
        },
    )
    place.sync_names(tuple((other, language) for language, other in names.items()))
    return place


def _member(
    network: Network,
    *,
    local_government=None,
    organisation=None,
    category="full",
    status=Membership.Status.ACTIVE,
) -> Membership:
    today = timezone.localdate()
    membership, created = Membership.objects.get_or_create(
        network=network,
        local_government=local_government,
        organisation=organisation,
        defaults={
            "category": category,
            "status": status,
            "joined_on": datetime.date(max(network.founded or 2000, 2000), 1, 1)
            if status == Membership.Status.ACTIVE
            else None,
            "applied_on": today if status == Membership.Status.APPLICANT else None,
        },
    )
    if created:
        MembershipStatusChange.objects.create(
            membership=membership, from_status="", to_status=status
        )
    return membership


def _network(spec: dict) -> Network:
    network, created = Network.objects.get_or_create(
        slug=spec["slug"],
        defaults={
            "name": spec["name"],
            "acronym": spec["acronym"],
            "founded": spec["founded"],
            "working_languages": spec["languages"],
            "website": spec["website"],
            "description": spec["description"],
            "regions": spec.get("world_regions", []),
            "has_expert_community": spec.get("expert_community", False),
        },
    )
    if not created and spec.get("expert_community") and not network.has_expert_community:
        network.has_expert_community = True
        network.regions = spec.get("world_regions", [])
        network.save(update_fields=["has_expert_community", "regions", "updated_at"])
    return network


def _people(networks: dict[str, Network]) -> None:
    paris = _city("Paris", "FR")
    hidalgo, _ = Person.objects.get_or_create(
        slug="anne-hidalgo",
        defaults={"full_name": "Anne Hidalgo", "country": paris.country, "languages": ["fr", "es"]},
    )
    Position.objects.get_or_create(
        person=hidalgo,
        kind=Position.Kind.MAYOR,
        local_government=paris,
        defaults={"started_on": datetime.date(2014, 4, 5)},
    )
    Position.objects.get_or_create(
        person=hidalgo, kind=Position.Kind.PRESIDENT, network=networks["aimf"]
    )

    fields = {}
    for slug, names in EXPERTISE.items():
        fields[slug], _ = Expertise.objects.get_or_create(slug=slug, defaults={"names": names})
    allas = networks["al-las"]
    for name, code, languages, expertise, city, shows_contact in EXPERTS:
        person, _created = Person.objects.get_or_create(
            slug=slugify(name),
            defaults={
                "full_name": name,
                "country": gazetteer.ensure_country(code),
                "languages": languages,
                "email": f"{slugify(name)}@example.org",
                "biography": "A fictional expert of the demo.",
            },
        )
        # Added, not set: a demo loaded before a field was added gains it, and nothing is lost.
        person.expertise.add(*[fields[slug] for slug in expertise])
        if city:
            Position.objects.get_or_create(
                person=person,
                kind=Position.Kind.INTERNATIONAL_RELATIONS,
                local_government=_city(city, code),
            )
        Consent.objects.get_or_create(
            person=person,
            scope=Consent.Scope.EXPERT_DIRECTORY,
            network=allas,
            withdrawn_at=None,
            defaults={
                "statement": EXPERT_STATEMENT,
                "evidence": "Demo data (fictional).",
                "given_at": timezone.now(),
            },
        )
        if shows_contact:
            Consent.objects.get_or_create(
                person=person,
                scope=Consent.Scope.CONTACT_DETAILS,
                network=None,
                withdrawn_at=None,
                defaults={
                    "statement": CONTACT_STATEMENT,
                    "evidence": "Demo data (fictional).",
                    "given_at": timezone.now(),
                },
            )


def load(stdout) -> list[Network]:
    networks = []
    by_slug = {}
    for spec in NETWORKS:
        network = _network(spec)
        networks.append(network)
        by_slug[network.slug] = network
        for name, code in spec["members"]:
            _member(network, local_government=_city(name, code))
        for name, code, kind, population, lat, lon, names in spec.get("regions", []):
            region = _place(code, name, kind, population, lat, lon, names)
            category = Membership.Category.FULL if kind == "metropolitan_area" else "associate"
            _member(network, local_government=region, category=category)
        for name, acronym, kind, code in spec.get("organisations", []):
            organisation, _ = Organisation.objects.get_or_create(
                slug=slugify(acronym),
                defaults={
                    "name": name,
                    "acronym": acronym,
                    "kind": kind,
                    "country": gazetteer.ensure_country(code),
                },
            )
            _member(network, organisation=organisation, category=Membership.Category.PARTNER)
        for slug, name, kind, members, regions in spec.get("sub_networks", []):
            sub, _ = Network.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "parent": network,
                    "working_languages": spec["languages"],
                    "founded": spec["founded"],
                    "regions": regions,
                },
            )
            networks.append(sub)
            for member_name, code in members:
                _member(sub, local_government=_city(member_name, code))
        for name, code, mentor_name, mentor_code in spec.get("applicants", []):
            applicant = _member(
                network,
                local_government=_city(name, code),
                status=Membership.Status.APPLICANT,
            )
            mentor = _member(network, local_government=_city(mentor_name, mentor_code))
            if not Mentoring.objects.filter(mentee=applicant).exists():
                Mentoring.objects.create(
                    network=network,
                    mentee=applicant,
                    mentor=mentor,
                    started_on=timezone.localdate(),
                    ends_on=timezone.localdate() + datetime.timedelta(days=730),
                    notes="Two-year scholarship with a mentor city (illustrative).",
                )
        stdout.write(f"  {network}: {network.memberships.count()} members")
    _people(by_slug)
    return networks
