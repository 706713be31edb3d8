"""The demo experience bank: fictional good practices in the five languages, on the seed networks'
themes (educating cities, inclusive cities, climate adaptation, urban sustainability), so that a
query in one language finds the same subject written in the others.

Every text says it is a fictional example. The cities and networks are those of the directory demo.
"""

import datetime
from decimal import Decimal

from django.conf import settings

from municipia.accounts.models import Role, User
from municipia.directory.models import LocalGovernment, Network
from municipia.knowledge.models import (
    Experience,
    ExperienceTranslation,
    Publication,
    PublicationTranslation,
    SdgTarget,
    Theme,
)
from municipia.search.services import rebuild_index

OFFICER_EMAIL = "officer.granollers@municipia.example"

FICTIONAL = {
    "en": "Fictional example for the demonstration.",
    "es": "Ejemplo ficticio de demostración.",
    "fr": "Exemple fictif de démonstration.",
    "ca": "Exemple fictici de demostració.",
    "pt": "Exemplo fictício de demonstração.",
}

THEMES = {
    "aice": [
        (
            "educating-city",
            {
                "en": "Educating city",
                "es": "Ciudad educadora",
                "fr": "Ville éducatrice",
                "ca": "Ciutat educadora",
                "pt": "Cidade educadora",
            },
        ),
        (
            "inclusion",
            {
                "en": "Education and social inclusion",
                "es": "Educación e inclusión social",
                "fr": "Éducation et inclusion sociale",
                "ca": "Educació i inclusió social",
                "pt": "Educação e inclusão social",
            },
        ),
        (
            "participation",
            {
                "en": "Citizen participation",
                "es": "Participación ciudadana",
                "fr": "Participation citoyenne",
                "ca": "Participació ciutadana",
                "pt": "Participação cidadã",
            },
        ),
    ],
    "al-las": [
        (
            "urban-sustainability",
            {
                "en": "Urban sustainability",
                "es": "Sostenibilidad urbana",
                "fr": "Durabilité urbaine",
                "ca": "Sostenibilitat urbana",
                "pt": "Sustentabilidade urbana",
            },
        ),
        (
            "inclusive-cities",
            {
                "en": "Inclusive cities",
                "es": "Ciudades inclusivas",
                "fr": "Villes inclusives",
                "ca": "Ciutats inclusives",
                "pt": "Cidades inclusivas",
            },
        ),
        (
            "attractive-cities",
            {
                "en": "Attractive cities",
                "es": "Ciudades atractivas",
                "fr": "Villes attractives",
                "ca": "Ciutats atractives",
                "pt": "Cidades atrativas",
            },
        ),
    ],
    "aimf": [
        (
            "climate-adaptation",
            {
                "en": "Climate adaptation",
                "es": "Adaptación al clima",
                "fr": "Adaptation au climat",
                "ca": "Adaptació al clima",
                "pt": "Adaptação climática",
            },
        ),
        (
            "basic-services",
            {
                "en": "Basic urban services",
                "es": "Servicios urbanos básicos",
                "fr": "Services urbains de base",
                "ca": "Serveis urbans bàsics",
                "pt": "Serviços urbanos básicos",
            },
        ),
        (
            "social-cohesion",
            {
                "en": "Social cohesion",
                "es": "Cohesión social",
                "fr": "Cohésion sociale",
                "ca": "Cohesió social",
                "pt": "Coesão social",
            },
        ),
    ],
    "metropolis": [
        (
            "climate",
            {
                "en": "Climate and resilience",
                "es": "Clima y resiliencia",
                "fr": "Climat et résilience",
                "ca": "Clima i resiliència",
                "pt": "Clima e resiliência",
            },
        ),
        (
            "gender",
            {
                "en": "Gender equality",
                "es": "Igualdad de género",
                "fr": "Égalité de genre",
                "ca": "Igualtat de gènere",
                "pt": "Igualdade de género",
            },
        ),
        (
            "mobility",
            {
                "en": "Mobility",
                "es": "Movilidad",
                "fr": "Mobilité",
                "ca": "Mobilitat",
                "pt": "Mobilidade",
            },
        ),
    ],
}

# (city, networks, themes as "network/slug", language, year, SDG targets, budget, status, texts)
# texts: {language: (title, summary, body)}; the first language is the original.
EXPERIENCES = [
    # --- climate shelters and heat (climate adaptation) ---
    (
        "Paris",
        ["aimf", "metropolis"],
        ["aimf/climate-adaptation", "metropolis/climate"],
        2019,
        ["11.6", "11.7", "13.1"],
        4_800_000,
        "EUR",
        "published",
        {
            "fr": (
                "Cours d'école transformées en îlots de fraîcheur",
                "La ville remplace l'asphalte des cours d'école par de la terre, des arbres et des fontaines, et les ouvre aux habitants pendant les vagues de chaleur.",
                "Les cours sont désimperméabilisées et végétalisées avec les élèves, les parents et les agents. Pendant les canicules, elles restent ouvertes le soir et le week-end comme refuges climatiques pour les personnes âgées et les familles du quartier. La température au sol a baissé de plusieurs degrés dans les cours rénovées.",
            ),
        },
    ),
    (
        "Barcelona",
        ["aice"],
        ["aice/educating-city"],
        2021,
        ["11.7", "13.1", "3.9"],
        2_100_000,
        "EUR",
        "published",
        {
            "ca": (
                "Refugis climàtics a les escoles del barri",
                "Les escoles obren els patis renaturalitzats com a refugis climàtics durant les onades de calor, amb ombra, aigua i activitats per a infants i gent gran.",
                "L'ajuntament ha transformat patis escolars amb arbres, fonts i paviments permeables. Durant l'estiu funcionen com a refugis climàtics oberts al veïnat, amb horaris ampliats i monitors. Les famílies i l'alumnat han participat en el disseny.",
            ),
            "es": (
                "Refugios climáticos en las escuelas del barrio",
                "Las escuelas abren sus patios renaturalizados como refugios climáticos durante las olas de calor.",
                "El ayuntamiento ha transformado patios escolares con árboles, fuentes y pavimentos permeables; en verano funcionan como refugios climáticos abiertos al vecindario.",
            ),
        },
    ),
    (
        "Medellín",
        ["al-las", "aice"],
        ["al-las/urban-sustainability", "aice/educating-city"],
        2018,
        ["11.7", "13.1", "15.1"],
        3_500_000,
        "USD",
        "published",
        {
            "es": (
                "Corredores verdes contra el calor urbano",
                "Una red de corredores verdes a lo largo de calles y quebradas reduce la temperatura de la ciudad y crea sombra en los caminos escolares.",
                "La alcaldía plantó árboles y jardines a lo largo de vías principales y quebradas, con jardineros formados en los barrios. Los corredores conectan colegios y parques y reducen la isla de calor urbana. Vecinos y estudiantes cuidan los jardines.",
            ),
        },
    ),
    (
        "Rio de Janeiro",
        ["al-las"],
        ["al-las/urban-sustainability"],
        2022,
        ["13.1", "11.5", "11.b"],
        1_200_000,
        "BRL",
        "published",
        {
            "pt": (
                "Pontos de resfriamento nas escolas durante ondas de calor",
                "Escolas municipais abrem os pátios arborizados como pontos de resfriamento para a vizinhança nos dias de calor extremo.",
                "A prefeitura arborizou pátios escolares, instalou bebedouros e sombreamento e abre as escolas à comunidade durante alertas de calor. Agentes de saúde acompanham idosos e crianças.",
            ),
        },
    ),
    # --- waste, composting and circular economy (urban sustainability) ---
    (
        "Dakar",
        ["aimf", "aice"],
        ["aimf/basic-services"],
        2017,
        ["11.6", "12.5", "12.3"],
        900_000,
        "XOF",
        "published",
        {
            "fr": (
                "Compostage des déchets organiques des marchés",
                "Les déchets organiques de trois marchés sont collectés séparément et transformés en compost vendu aux maraîchers de la périphérie.",
                "Des groupements de femmes trient les déchets des marchés, une plateforme municipale les composte et le compost est vendu aux producteurs maraîchers. La quantité de déchets mis en décharge a diminué et des emplois ont été créés.",
            ),
        },
    ),
    (
        "Quito",
        ["al-las"],
        ["al-las/urban-sustainability"],
        2019,
        ["12.5", "11.6", "8.3"],
        650_000,
        "USD",
        "published",
        {
            "es": (
                "Reciclaje inclusivo con recicladoras de base",
                "La ciudad integra a las recicladoras de base en la recogida selectiva de residuos, con rutas, uniformes y pago por tonelada reciclada.",
                "El municipio firmó convenios con asociaciones de recicladoras, que recogen papel, cartón y plástico puerta a puerta. Reciben formación, equipamiento y un pago por tonelada. La tasa de reciclaje aumentó y las recicladoras obtuvieron seguridad social.",
            ),
        },
    ),
    (
        "Àrea Metropolitana de Barcelona",
        ["metropolis"],
        ["metropolis/climate"],
        2020,
        ["12.5", "12.3", "11.6"],
        5_000_000,
        "EUR",
        "published",
        {
            "ca": (
                "Reciclatge de residus orgànics porta a porta",
                "La recollida porta a porta de la matèria orgànica i el compostatge comunitari han fet créixer el reciclatge de residus urbans als municipis metropolitans.",
                "Els municipis han implantat la recollida selectiva de residus orgànics porta a porta i compostadors comunitaris als barris. El compost torna als horts urbans. La fracció reciclada de residus municipals ha augmentat notablement.",
            ),
        },
    ),
    (
        "Porto",
        ["aice"],
        ["aice/participation"],
        2021,
        ["12.5", "12.8", "4.7"],
        300_000,
        "EUR",
        "published",
        {
            "pt": (
                "Escolas que compostam: reciclagem de resíduos orgânicos",
                "Alunos das escolas básicas separam os resíduos da cantina e fazem compostagem na horta escolar, com apoio dos serviços municipais.",
                "Cada escola recebeu compostores e formação. Os alunos registam o peso dos resíduos separados e usam o composto na horta. As famílias aprendem a reciclar em casa.",
            ),
        },
    ),
    # --- participatory budgeting with young people (inclusive cities, participation) ---
    (
        "Belo Horizonte",
        ["al-las", "aice"],
        ["al-las/inclusive-cities", "aice/participation"],
        2016,
        ["16.7", "10.2", "4.7"],
        2_000_000,
        "BRL",
        "published",
        {
            "pt": (
                "Orçamento participativo jovem",
                "Jovens de 14 a 24 anos decidem, por votação nas escolas e nos bairros, como investir uma parte do orçamento municipal.",
                "A prefeitura reserva uma parte do orçamento para projetos propostos por jovens. As propostas são discutidas em assembleias nas escolas e votadas online e em urnas. Quadras, bibliotecas e oficinas culturais foram construídas.",
            ),
        },
    ),
    (
        "Montevideo",
        ["al-las", "aice"],
        ["al-las/inclusive-cities", "aice/participation"],
        2018,
        ["16.7", "10.2"],
        800_000,
        "UYU",
        "published",
        {
            "es": (
                "Presupuesto participativo de adolescentes",
                "Adolescentes de los liceos proponen y votan proyectos para su barrio con una parte del presupuesto departamental.",
                "Cada liceo elige delegados que presentan proyectos; la intendencia evalúa su viabilidad y los adolescentes votan. Se han financiado espacios deportivos, murales y puntos de wifi.",
            ),
        },
    ),
    (
        "Lyon",
        ["aice"],
        ["aice/participation"],
        2020,
        ["16.7", "4.7"],
        400_000,
        "EUR",
        "published",
        {
            "fr": (
                "Budget participatif des collégiens",
                "Les collégiens proposent et votent des projets pour leur établissement et leur quartier, financés par la métropole.",
                "Un conseil de jeunes accompagne les propositions; les élèves votent en classe. Des jardins, des abris à vélos et des espaces de lecture ont été réalisés.",
            ),
        },
    ),
    # --- safe routes to school (educating city, mobility) ---
    (
        "Granollers",
        ["aice"],
        ["aice/educating-city"],
        2015,
        ["11.2", "3.6", "4.a"],
        150_000,
        "EUR",
        "published",
        {
            "ca": (
                "Camins escolars segurs i autònoms",
                "Els infants van a l'escola a peu o en bicicleta per itineraris senyalitzats, amb comerços amics que els acullen si cal.",
                "L'ajuntament ha pacificat els entorns escolars, ha senyalitzat els itineraris i ha implicat comerços i famílies. Cada curs, més alumnes van sols a l'escola.",
            ),
            "en": (
                "Safe and independent routes to school",
                "Children walk or cycle to school along signposted routes, with friendly shops that welcome them when needed.",
                "The town calmed the streets around schools, signposted the routes and involved shops and families. Each year more pupils go to school on their own.",
            ),
        },
    ),
    (
        "Brussels",
        ["aice", "aimf"],
        ["aice/educating-city"],
        2019,
        ["11.2", "3.6"],
        250_000,
        "EUR",
        "published",
        {
            "fr": (
                "Rangs vélo et rues scolaires",
                "Des parents bénévoles accompagnent des rangs vélo vers l'école et les rues devant les écoles sont fermées aux voitures aux heures d'entrée.",
                "La commune forme les parents accompagnateurs, fournit des gilets et des vélos et ferme les rues scolaires matin et soir. Les élèves apprennent à circuler en sécurité.",
            ),
        },
    ),
    (
        "Rosario",
        ["aice"],
        ["aice/educating-city"],
        2014,
        ["11.2", "3.6"],
        120_000,
        "ARS",
        "published",
        {
            "es": (
                "Caminos escolares seguros",
                "Recorridos señalizados y acompañados permiten que niñas y niños vayan caminando a la escuela de forma segura y autónoma.",
                "La municipalidad señalizó recorridos, formó a comerciantes como referentes y redujo la velocidad en los entornos escolares. Las familias participan en la evaluación.",
            ),
        },
    ),
    # --- women's safety and gender (inclusive cities) ---
    (
        "Mexico City",
        ["al-las", "metropolis"],
        ["al-las/inclusive-cities", "metropolis/gender"],
        2019,
        ["5.2", "11.7", "11.2"],
        1_500_000,
        "MXN",
        "published",
        {
            "es": (
                "Marchas exploratorias de seguridad con mujeres",
                "Grupos de mujeres recorren su barrio de noche para señalar los lugares inseguros; la ciudad mejora el alumbrado y el transporte según sus propuestas.",
                "Las marchas exploratorias reúnen vecinas, urbanistas y policía de proximidad. Se iluminaron calles, se podaron árboles y se crearon paradas seguras de autobús a petición. La percepción de seguridad mejoró.",
            ),
        },
    ),
    (
        "Montréal",
        ["aimf", "metropolis"],
        ["metropolis/gender"],
        2017,
        ["5.2", "11.7"],
        500_000,
        "CAD",
        "published",
        {
            "fr": (
                "Marches exploratoires de sécurité des femmes",
                "Des citoyennes parcourent les rues et les parcs pour repérer les lieux où elles se sentent en insécurité et proposent des aménagements.",
                "La ville et des organismes communautaires organisent les marches; les recommandations (éclairage, visibilité, signalisation) sont suivies dans un plan d'action public.",
            ),
        },
    ),
    (
        "Lisbon",
        ["aice"],
        ["aice/inclusion"],
        2022,
        ["5.2", "5.5", "11.7"],
        200_000,
        "EUR",
        "published",
        {
            "pt": (
                "Auditorias de segurança com mulheres nos bairros",
                "Mulheres percorrem os bairros com técnicos municipais para identificar espaços inseguros e propor melhorias de iluminação e desenho urbano.",
                "As auditorias decorreram em cinco freguesias; as propostas foram integradas no plano de espaço público e as intervenções avaliadas com as participantes.",
            ),
        },
    ),
    # --- school meals and local food ---
    (
        "Ouagadougou",
        ["aimf"],
        ["aimf/social-cohesion"],
        2018,
        ["2.1", "2.3", "4.1"],
        700_000,
        "XOF",
        "published",
        {
            "fr": (
                "Cantines scolaires approvisionnées par les producteurs locaux",
                "Les cantines des écoles primaires achètent céréales et légumes aux coopératives de la région, ce qui nourrit les élèves et soutient les agriculteurs.",
                "La commune contractualise avec des coopératives, forme les cuisinières et suit la fréquentation scolaire. Le taux d'abandon a baissé dans les écoles concernées.",
            ),
        },
    ),
    (
        "Lima",
        ["al-las"],
        ["al-las/inclusive-cities"],
        2020,
        ["2.1", "2.3", "12.3"],
        900_000,
        "PEN",
        "published",
        {
            "es": (
                "Comedores escolares con productos de agricultores locales",
                "Los comedores de las escuelas públicas compran alimentos a pequeños agricultores de los valles cercanos y reducen el desperdicio.",
                "La municipalidad organizó compras públicas a cooperativas, menús saludables y talleres contra el desperdicio de alimentos con las familias.",
            ),
        },
    ),
    # --- water ---
    (
        "Niamey",
        ["aimf"],
        ["aimf/basic-services"],
        2016,
        ["6.1", "6.2"],
        1_100_000,
        "XOF",
        "published",
        {
            "fr": (
                "Bornes-fontaines gérées par les quartiers",
                "Des comités de quartier gèrent des bornes-fontaines publiques qui donnent accès à l'eau potable à un prix abordable.",
                "La ville a installé les bornes avec la société des eaux; les comités fixent les horaires, entretiennent les installations et financent les réparations.",
            ),
        },
    ),
    # --- international relations (AL-LAs) ---
    (
        "Mexico City",
        ["al-las"],
        ["al-las/attractive-cities"],
        2014,
        ["17.17", "16.6"],
        300_000,
        "MXN",
        "published",
        {
            "en": (
                "Professionalising a city's international relations office",
                "A multiannual international strategy, a trained team and public reporting turned ad hoc twinning into a public policy with a budget.",
                "The city drafted a strategy with civil society, trained its staff with a university-certified course and publishes yearly what its international action costs and achieves.",
            ),
            "es": (
                "Profesionalizar la oficina de relaciones internacionales",
                "Una estrategia internacional plurianual, un equipo formado y rendición de cuentas convirtieron los hermanamientos en una política pública.",
                "La ciudad redactó la estrategia con la sociedad civil, formó a su equipo con un curso con certificación universitaria y publica cada año el coste y los resultados de su acción internacional.",
            ),
        },
    ),
    # --- workflow states (never shown to the public) ---
    (
        "Granollers",
        ["aice"],
        ["aice/inclusion"],
        2024,
        ["4.5"],
        None,
        "",
        "draft",
        {
            "ca": (
                "Tallers d'estiu inclusius (esborrany)",
                "Esborrany: tallers d'estiu per a infants amb discapacitat als casals municipals.",
                "Text en preparació.",
            ),
        },
    ),
    (
        "Lisbon",
        ["aice"],
        ["aice/educating-city"],
        2024,
        ["4.7"],
        None,
        "",
        "submitted",
        {
            "pt": (
                "Rotas de leitura nas bibliotecas de bairro",
                "Proposta enviada para revisão: roteiros de leitura entre escolas e bibliotecas.",
                "Texto enviado à rede para revisão.",
            ),
        },
    ),
    (
        "Dakar",
        ["aimf"],
        ["aimf/climate-adaptation"],
        2023,
        ["13.1"],
        None,
        "",
        "returned",
        {
            "fr": (
                "Digues végétalisées (à compléter)",
                "Expérience renvoyée pour compléments : protéger le littoral par des digues végétalisées.",
                "Texte à compléter avec les résultats.",
            ),
        },
    ),
]

PUBLICATIONS = [
    (
        "aice",
        "monograph",
        2025,
        "es",
        "Ciudad, valores y educación",
        "Volumen monográfico sobre cómo las ciudades educadoras trabajan los valores compartidos en sus políticas públicas (demostración).",
    ),
    (
        "aice",
        "guide",
        2024,
        "es",
        "Consolidación de una Ciudad Educadora: guía metodológica",
        "Guía para reforzar la transversalidad de la acción educadora en el gobierno local (demostración).",
    ),
    (
        "al-las",
        "report",
        2015,
        "en",
        "Cities in the world: internationalisation of local governments",
        "What a year of the Euro-Latin-American alliance taught about strategic, planned international action of cities (demonstration).",
    ),
    (
        "aimf",
        "report",
        2022,
        "fr",
        "Villes francophones face au changement climatique",
        "Recueil des projets d'adaptation au climat financés par le Fonds de coopération (démonstration).",
    ),
]


def _themes() -> dict[str, Theme]:
    themes = {}
    for slug_network, items in THEMES.items():
        network = Network.objects.get(slug=slug_network)
        for slug, names in items:
            theme, _created = Theme.objects.get_or_create(
                network=network, slug=slug, defaults={"names": names}
            )
            themes[f"{slug_network}/{slug}"] = theme
    return themes


def _officer() -> User:
    from allauth.account.models import EmailAddress  # allauth's app registry is ready by now

    user, created = User.objects.get_or_create(
        email=OFFICER_EMAIL, defaults={"full_name": "Demo Officer of Granollers (fictional)"}
    )
    if created:
        user.set_password(settings.MUNICIPIA_DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=OFFICER_EMAIL, defaults={"verified": True, "primary": True}
    )
    Role.objects.get_or_create(
        user=user,
        kind=Role.Kind.CITY_OFFICER,
        local_government=LocalGovernment.objects.get(name="Granollers"),
    )
    return user


def load(stdout) -> int:
    themes = _themes()
    officer = _officer()
    targets = {t.code: t for t in SdgTarget.objects.all()}
    created = 0
    for (
        city_name,
        networks,
        theme_keys,
        year,
        codes,
        budget,
        currency,
        status,
        texts,
    ) in EXPERIENCES:
        city = LocalGovernment.objects.filter(name=city_name).first()
        if city is None:
            continue
        original = next(iter(texts))
        title = texts[original][0]
        if ExperienceTranslation.objects.filter(title=title, experience__city=city).exists():
            continue
        now = datetime.datetime(year, 6, 1, tzinfo=datetime.UTC)
        experience = Experience.objects.create(
            city=city,
            original_language=original,
            started_on=datetime.date(year, 3, 1),
            ended_on=datetime.date(year + 2, 12, 31),
            budget=Decimal(budget) if budget else None,
            currency=currency,
            funders="Fictional demo funders",
            contacts="demo.contact@municipia.example (fictional)",
            status=status,
            submitted_at=now if status != "draft" else None,
            published_at=now if status == "published" else None,
            review_comment="Add the results of the first year." if status == "returned" else "",
            created_by=officer if city_name == "Granollers" else None,
        )
        for language, (title, summary, body) in texts.items():
            ExperienceTranslation.objects.create(
                experience=experience,
                language=language,
                origin=(
                    ExperienceTranslation.Origin.ORIGINAL
                    if language == original
                    else ExperienceTranslation.Origin.HUMAN
                ),
                title=title,
                summary=summary,
                body=f"<p>{body}</p><p><em>{FICTIONAL[language]}</em></p>",
            )
        experience.networks.set(Network.objects.filter(slug__in=networks))
        experience.themes.set([themes[key] for key in theme_keys])
        experience.sdg_targets.set([targets[code] for code in codes if code in targets])
        created += 1
    for network_slug, kind, year, language, title, summary in PUBLICATIONS:
        network = Network.objects.get(slug=network_slug)
        if PublicationTranslation.objects.filter(title=title).exists():
            continue
        publication = Publication.objects.create(
            network=network, kind=kind, year=year, original_language=language, is_published=True
        )
        PublicationTranslation.objects.create(
            publication=publication, language=language, title=title, summary=summary
        )
    written = rebuild_index(batch_size=32)
    stdout.write(
        f"  experience bank: {created} experiences added, {written} search documents indexed; "
        f"city officer login: {OFFICER_EMAIL}"
    )
    return created
