"""A bank written in one language, searched from another: development-bank project descriptions
in Spanish, English queries.

Everything here is fictional: the towns are invented, the loan codes follow no real bank's
numbering, and the amounts are drawn at random. Countries are real, as in any such bank.

Each sector has two phrasings (title, objective in Spanish with its English counterpart, and
components). `bank(variant)` builds ~170 projects, one per (sector, country) pair, so that a query
naming a sector and a country has one answer. The "tune" bank writes its documents with phrasing 0
and asks with phrasing 1; the "held-out" bank uses other towns, other pairs, phrasing 1 in the
documents, phrasing 0 and other query templates in the questions.

Three kinds of English query per project:
- "named": the sector in a few words and the town (the way a staff member recalls a project);
- "described": the objective in other words and the country, no name;
- "financed": amount, sector words and country (numbers and names cross languages).
"""

import random

COUNTRIES = [
    ("HN", "Honduras", "Honduras"),
    ("GT", "Guatemala", "Guatemala"),
    ("SV", "El Salvador", "El Salvador"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("PA", "Panamá", "Panama"),
    ("DO", "República Dominicana", "Dominican Republic"),
    ("MX", "México", "Mexico"),
    ("CO", "Colombia", "Colombia"),
    ("EC", "Ecuador", "Ecuador"),
    ("PE", "Perú", "Peru"),
    ("BO", "Bolivia", "Bolivia"),
    ("PY", "Paraguay", "Paraguay"),
    ("UY", "Uruguay", "Uruguay"),
    ("AR", "Argentina", "Argentina"),
    ("CL", "Chile", "Chile"),
]

# Invented town names: a prefix and a name, never a real municipality on purpose.
TOWN_PREFIXES = [
    "San",
    "Santa",
    "Villa",
    "Puerto",
    "Nueva",
    "Río",
    "Valle de",
    "Cerro",
    "Los",
    "Las",
]
TOWN_NAMES = {
    "San": [
        "Aurelio",
        "Crisanto",
        "Leandro",
        "Bartolo",
        "Evaristo",
        "Fermín",
        "Gregorio",
        "Isidro",
    ],
    "Santa": ["Olvido", "Brígida", "Clotilde", "Eduvigis", "Fermina", "Genoveva", "Inés", "Rufina"],
    "Villa": [
        "Esperanza",
        "Candela",
        "Serena",
        "Alcira",
        "Dolores",
        "Mercedes",
        "Aurora",
        "Celeste",
    ],
    "Puerto": ["Lucero", "Alcázar", "Cormorán", "Garza", "Morillo", "Nácar", "Tordo", "Viento"],
    "Nueva": [
        "Arcadia",
        "Barranca",
        "Colmena",
        "Florida",
        "Granada",
        "Ilusión",
        "Palmira",
        "Zafra",
    ],
    "Río": ["Manso", "Verde Alto", "Claro", "Hondo", "Seco", "Chico", "Sauce", "Turbio"],
    "Valle de": [
        "Almendros",
        "Ceibas",
        "Guayacanes",
        "Jacarandas",
        "Laureles",
        "Nogales",
        "Piedras",
        "Tunas",
    ],
    "Cerro": ["Azul", "Blanco", "Colorado", "Largo", "Pelado", "Redondo", "Negro", "Verde"],
    "Los": [
        "Arrayanes",
        "Capulines",
        "Espinos",
        "Guindos",
        "Molles",
        "Olmos",
        "Quebrachos",
        "Tilos",
    ],
    "Las": [
        "Acacias",
        "Breñas",
        "Cañadas",
        "Garzas",
        "Lomas Altas",
        "Mesetas",
        "Palomas",
        "Toscas",
    ],
}


def towns() -> list[str]:
    return [f"{prefix} {name}" for prefix in TOWN_PREFIXES for name in TOWN_NAMES[prefix]]


# Per sector: (title, acronym, objective_es, objective_en, components, short_en) for each of the
# two phrasings, and the executing agency.
SECTORS = {
    "water": {
        "executor": "la empresa pública de agua y saneamiento",
        "variants": [
            (
                "Programa de Agua Potable y Saneamiento",
                "PAPS",
                "ampliar el acceso a agua potable segura y a alcantarillado sanitario en barrios periurbanos",
                "expand access to safe drinking water and sewerage in peri-urban neighbourhoods",
                "rehabilitación de la planta potabilizadora; conexiones domiciliarias de agua y alcantarillado; reducción de pérdidas en la red",
                "drinking water and sanitation",
            ),
            (
                "Proyecto de Ampliación de Servicios de Agua y Alcantarillado",
                "PASA",
                "mejorar la cobertura y la calidad del suministro de agua y del tratamiento de aguas residuales",
                "improve the coverage and quality of the water supply and of wastewater treatment",
                "nuevos tanques de almacenamiento y redes de distribución; planta de tratamiento de aguas residuales; micromedición",
                "water supply and sewerage",
            ),
        ],
    },
    "urban_transport": {
        "executor": "la autoridad metropolitana de transporte",
        "variants": [
            (
                "Programa de Movilidad Urbana Sostenible",
                "PROMUS",
                "reducir los tiempos de viaje y las emisiones del transporte público en la ciudad",
                "cut travel times and emissions of public transport in the city",
                "corredor de autobuses de tránsito rápido; renovación de la flota con buses eléctricos; ciclovías conectadas",
                "bus rapid transit and urban mobility",
            ),
            (
                "Proyecto de Transporte Público Integrado",
                "TPI",
                "ofrecer un sistema de transporte colectivo integrado, accesible y de bajas emisiones",
                "provide an integrated, accessible, low-emission mass transit system",
                "carriles exclusivos para autobuses; tarjeta única de pago; estaciones accesibles para personas con discapacidad",
                "integrated public transport",
            ),
        ],
    },
    "rural_roads": {
        "executor": "el ministerio de obras públicas",
        "variants": [
            (
                "Programa de Caminos Rurales",
                "PCR",
                "mejorar la transitabilidad de los caminos vecinales para conectar a productores con los mercados",
                "make feeder roads passable all year so that farmers reach markets",
                "mejoramiento de caminos vecinales; puentes y obras de drenaje; mantenimiento por microempresas locales",
                "rural roads",
            ),
            (
                "Proyecto de Conectividad Vial Rural",
                "CVR",
                "rehabilitar la red vial terciaria y reducir el aislamiento de comunidades rurales",
                "rehabilitate the tertiary road network and end the isolation of rural communities",
                "pavimentación de tramos críticos; alcantarillas y badenes; señalización vial",
                "rural road connectivity",
            ),
        ],
    },
    "electricity": {
        "executor": "la empresa nacional de electricidad",
        "variants": [
            (
                "Programa de Electrificación Rural con Energías Renovables",
                "PERER",
                "llevar electricidad a hogares rurales aislados mediante sistemas solares y minirredes",
                "bring electricity to isolated rural homes through solar systems and mini-grids",
                "sistemas fotovoltaicos domiciliarios; minirredes híbridas; capacitación de técnicos locales",
                "rural electrification with solar power",
            ),
            (
                "Proyecto de Energía Solar para Comunidades Aisladas",
                "ESCA",
                "ampliar la cobertura eléctrica en zonas rurales sin conexión a la red con fuentes renovables",
                "extend power coverage to off-grid rural areas with renewable sources",
                "paneles solares en escuelas y centros de salud; baterías comunitarias; tarifa social",
                "off-grid solar energy",
            ),
        ],
    },
    "schools": {
        "executor": "el ministerio de educación",
        "variants": [
            (
                "Programa de Mejoramiento de la Educación Primaria",
                "PMEP",
                "mejorar los aprendizajes en lectura y matemáticas de los estudiantes de primaria",
                "raise primary pupils' learning in reading and mathematics",
                "formación docente en servicio; textos escolares y bibliotecas de aula; evaluación de aprendizajes",
                "primary education quality",
            ),
            (
                "Proyecto de Calidad Educativa en Escuelas Públicas",
                "CEEP",
                "elevar la calidad de la enseñanza básica y reducir la deserción escolar",
                "improve the quality of basic schooling and reduce dropout",
                "jornada escolar extendida; tutorías para alumnos rezagados; rehabilitación de aulas",
                "basic education and school dropout",
            ),
        ],
    },
    "health": {
        "executor": "el ministerio de salud",
        "variants": [
            (
                "Programa de Fortalecimiento de la Atención Primaria de Salud",
                "PFAPS",
                "ampliar la cobertura de atención primaria y reducir la mortalidad materna e infantil",
                "widen primary health care coverage and reduce maternal and child mortality",
                "construcción y equipamiento de centros de salud; equipos de salud familiar; historia clínica electrónica",
                "primary health care",
            ),
            (
                "Proyecto de Redes Integradas de Servicios de Salud",
                "RISS",
                "organizar redes de servicios de salud que acerquen la atención a las familias",
                "organise networks of health services that bring care closer to families",
                "puestos de salud rurales; ambulancias y telemedicina; abastecimiento de medicamentos esenciales",
                "integrated health service networks",
            ),
        ],
    },
    "housing": {
        "executor": "el ministerio de vivienda",
        "variants": [
            (
                "Programa de Mejoramiento Integral de Barrios",
                "PROMIB",
                "mejorar las condiciones de vida en asentamientos informales con infraestructura y títulos de propiedad",
                "improve living conditions in informal settlements with infrastructure and land titles",
                "pavimentación y alumbrado de calles; regularización de la tenencia; espacios públicos y centros comunitarios",
                "slum upgrading",
            ),
            (
                "Proyecto de Vivienda Social y Regularización Urbana",
                "VISRU",
                "reducir el déficit habitacional de familias de bajos ingresos",
                "reduce the housing shortage of low-income families",
                "subsidios para vivienda nueva; mejoramiento de viviendas existentes; titulación de lotes",
                "social housing",
            ),
        ],
    },
    "floods": {
        "executor": "la secretaría de gestión de riesgos",
        "variants": [
            (
                "Programa de Protección contra Inundaciones",
                "PPCI",
                "reducir los daños causados por las crecidas del río en la zona urbana",
                "reduce the damage that river floods cause in the urban area",
                "muros de contención y diques; drenaje pluvial urbano; sistema de alerta temprana",
                "flood protection",
            ),
            (
                "Proyecto de Gestión del Riesgo de Desastres Hidrometeorológicos",
                "GRDH",
                "aumentar la resiliencia de la ciudad frente a lluvias extremas y desbordes",
                "make the city more resilient to extreme rainfall and overflowing rivers",
                "canalización de quebradas; reubicación de viviendas en zonas de riesgo; planes municipales de emergencia",
                "disaster risk and extreme rainfall",
            ),
        ],
    },
    "solid_waste": {
        "executor": "la mancomunidad de municipios",
        "variants": [
            (
                "Programa de Gestión Integral de Residuos Sólidos",
                "PGIRS",
                "cerrar los botaderos a cielo abierto y mejorar la recolección y el reciclaje de residuos",
                "close open dumps and improve waste collection and recycling",
                "relleno sanitario regional; rutas de recolección selectiva; inclusión de recicladores de base",
                "solid waste management",
            ),
            (
                "Proyecto de Valorización de Residuos Urbanos",
                "VRU",
                "aumentar la recuperación de materiales reciclables y el compostaje de residuos orgánicos",
                "recover more recyclable materials and compost organic waste",
                "plantas de clasificación; compostaje municipal; campañas de separación en origen",
                "recycling and composting",
            ),
        ],
    },
    "irrigation": {
        "executor": "el ministerio de agricultura",
        "variants": [
            (
                "Programa de Riego Tecnificado",
                "PRT",
                "aumentar la productividad agrícola de pequeños productores mediante riego eficiente",
                "raise smallholder farm productivity through efficient irrigation",
                "sistemas de riego por goteo y aspersión; reservorios; asistencia técnica a organizaciones de regantes",
                "irrigation for smallholders",
            ),
            (
                "Proyecto de Infraestructura de Riego y Drenaje Agrícola",
                "IRDA",
                "asegurar el agua para la producción agrícola frente a la sequía",
                "secure water for farming in the face of drought",
                "rehabilitación de canales; medición de caudales; seguros agrícolas",
                "irrigation and drought",
            ),
        ],
    },
    "municipal_finance": {
        "executor": "el ministerio de hacienda",
        "variants": [
            (
                "Programa de Fortalecimiento Fiscal Municipal",
                "PFFM",
                "aumentar la recaudación propia de los municipios y mejorar la gestión del gasto",
                "increase municipalities' own revenue and improve spending management",
                "actualización del catastro; sistemas de gestión financiera; transparencia presupuestaria",
                "municipal revenue and cadastre",
            ),
            (
                "Proyecto de Modernización de la Gestión Municipal",
                "MGM",
                "fortalecer las finanzas y la capacidad administrativa de los gobiernos locales",
                "strengthen local governments' finances and administrative capacity",
                "cobro del impuesto predial; presupuesto participativo; ventanilla única de trámites",
                "local government finance",
            ),
        ],
    },
    "digital_government": {
        "executor": "la agencia de gobierno digital",
        "variants": [
            (
                "Programa de Transformación Digital del Estado",
                "PTDE",
                "simplificar los trámites ciudadanos mediante servicios públicos en línea",
                "simplify citizens' dealings with the state through online public services",
                "portal único de trámites; identidad digital; interoperabilidad entre instituciones",
                "digital government services",
            ),
            (
                "Proyecto de Gobierno Electrónico y Conectividad",
                "GEC",
                "ampliar el acceso a internet y digitalizar los servicios de la administración pública",
                "widen internet access and digitise public administration services",
                "fibra óptica hasta los municipios; firma electrónica; centros de acceso comunitario",
                "e-government and connectivity",
            ),
        ],
    },
    "early_childhood": {
        "executor": "el ministerio de desarrollo social",
        "variants": [
            (
                "Programa de Desarrollo Infantil Temprano",
                "PDIT",
                "mejorar el desarrollo de niños y niñas menores de cinco años de familias vulnerables",
                "improve the development of children under five in vulnerable families",
                "centros de cuidado infantil; visitas domiciliarias de crianza; control de nutrición",
                "early childhood development",
            ),
            (
                "Proyecto de Atención Integral a la Primera Infancia",
                "AIPI",
                "ampliar los servicios de cuidado, nutrición y estimulación temprana para la primera infancia",
                "expand childcare, nutrition and early stimulation services for young children",
                "salas cuna en barrios populares; formación de educadoras; suplementos nutricionales",
                "childcare and nutrition for young children",
            ),
        ],
    },
    "youth_jobs": {
        "executor": "el ministerio de trabajo",
        "variants": [
            (
                "Programa de Empleo Juvenil",
                "PEJ",
                "mejorar la inserción laboral de jóvenes que no estudian ni trabajan",
                "help young people who are neither studying nor working into jobs",
                "formación técnica corta; pasantías en empresas; servicio público de empleo",
                "youth employment",
            ),
            (
                "Proyecto de Capacitación e Inserción Laboral de Jóvenes",
                "CILJ",
                "dar a los jóvenes competencias demandadas por las empresas y primeras experiencias de trabajo",
                "give young people skills that employers want and a first work experience",
                "becas de formación dual; orientación vocacional; incentivos a la contratación",
                "job training for young people",
            ),
        ],
    },
    "heritage_tourism": {
        "executor": "el instituto de turismo",
        "variants": [
            (
                "Programa de Turismo Sostenible y Patrimonio",
                "PTSP",
                "recuperar el centro histórico y desarrollar el turismo cultural con beneficios para la población local",
                "restore the historic centre and develop cultural tourism that benefits local people",
                "restauración de edificios patrimoniales; senderos y miradores; apoyo a emprendimientos turísticos",
                "heritage and cultural tourism",
            ),
            (
                "Proyecto de Revitalización del Centro Histórico",
                "RCH",
                "poner en valor el patrimonio urbano y atraer visitantes al casco antiguo",
                "bring the urban heritage back to life and draw visitors to the old town",
                "peatonalización de calles; museo de la ciudad; guías turísticos locales",
                "historic centre revitalisation",
            ),
        ],
    },
    "coast": {
        "executor": "la autoridad marítima",
        "variants": [
            (
                "Programa de Resiliencia Costera",
                "PRC",
                "proteger a las comunidades costeras de la erosión y del aumento del nivel del mar",
                "protect coastal communities from erosion and sea-level rise",
                "restauración de manglares; defensas costeras; ordenamiento del litoral",
                "coastal resilience and mangroves",
            ),
            (
                "Proyecto de Adaptación Climática del Litoral",
                "ACL",
                "reducir la vulnerabilidad de la costa al cambio climático y a las marejadas",
                "reduce the coast's vulnerability to climate change and storm surges",
                "reforzamiento de playas; reubicación de infraestructura pública; monitoreo del oleaje",
                "coastal climate adaptation",
            ),
        ],
    },
    "security": {
        "executor": "el ministerio de seguridad",
        "variants": [
            (
                "Programa de Prevención de la Violencia y Convivencia Ciudadana",
                "PPVCC",
                "reducir los homicidios y la violencia en barrios con alta criminalidad",
                "reduce homicides and violence in high-crime neighbourhoods",
                "policía comunitaria; recuperación de espacios públicos; programas para jóvenes en riesgo",
                "violence prevention and community policing",
            ),
            (
                "Proyecto de Seguridad Ciudadana Municipal",
                "SCM",
                "mejorar la seguridad en los barrios mediante prevención social y situacional del delito",
                "make neighbourhoods safer through social and situational crime prevention",
                "alumbrado público; cámaras de vigilancia; mediación de conflictos vecinales",
                "citizen security",
            ),
        ],
    },
    "cash_transfers": {
        "executor": "el ministerio de inclusión social",
        "variants": [
            (
                "Programa de Transferencias Monetarias Condicionadas",
                "PTMC",
                "reducir la pobreza extrema con transferencias a familias que mantienen a sus hijos en la escuela",
                "cut extreme poverty with cash transfers to families that keep their children in school",
                "registro social de hogares; pagos electrónicos; verificación de corresponsabilidades",
                "conditional cash transfers",
            ),
            (
                "Proyecto de Protección Social para Hogares Pobres",
                "PSHP",
                "proteger el ingreso de los hogares más pobres ante crisis económicas",
                "protect the income of the poorest households in economic crises",
                "bono familiar de emergencia; focalización de beneficiarios; cuentas bancarias básicas",
                "social protection for poor households",
            ),
        ],
    },
    "gender": {
        "executor": "el ministerio de la mujer",
        "variants": [
            (
                "Programa de Prevención de la Violencia contra las Mujeres",
                "PPVM",
                "prevenir la violencia de género y atender a las mujeres sobrevivientes",
                "prevent gender-based violence and support women survivors",
                "centros de atención integral a mujeres; casas de acogida; capacitación de fiscales y jueces",
                "violence against women",
            ),
            (
                "Proyecto de Autonomía Económica de las Mujeres",
                "AEM",
                "aumentar los ingresos y la independencia económica de mujeres emprendedoras",
                "raise the income and economic independence of women entrepreneurs",
                "microcréditos; formación en gestión de negocios; servicios de cuidado para sus hijos",
                "women's economic empowerment",
            ),
        ],
    },
    "watershed": {
        "executor": "el ministerio de ambiente",
        "variants": [
            (
                "Programa de Manejo Integrado de Cuencas",
                "PMIC",
                "conservar las cuencas altas que abastecen de agua a la ciudad",
                "conserve the upper watersheds that supply the city with water",
                "reforestación de riberas; pago por servicios ambientales; monitoreo de la calidad del agua",
                "watershed management",
            ),
            (
                "Proyecto de Conservación de Bosques y Fuentes de Agua",
                "CBFA",
                "proteger los bosques y los manantiales de los que depende el abastecimiento de agua",
                "protect the forests and springs on which the water supply depends",
                "áreas protegidas municipales; viveros comunitarios; control de incendios forestales",
                "forest and water source conservation",
            ),
        ],
    },
}

# Document frames (Spanish) and English query frames, per variant.
DOCUMENT_FRAMES = [
    "{title} de {town} ({acronym}-{iso}). El programa tiene como objetivo {objective} en {town}, "
    "{country}. Componentes: {components}. Financiamiento: préstamo {loan} por USD {amount} "
    "millones, aprobado en {year}. Organismo ejecutor: {executor}.",
    "{title} en {town}, {country} (operación {loan}). Aprobado en {year} por USD {amount} millones, "
    "busca {objective}. Incluye {components}. Lo ejecuta {executor}; la sigla del programa es "
    "{acronym}-{iso}.",
]
QUERY_FRAMES = [
    {
        "named": "{short} {town}",
        "described": "{objective} in {country}",
        "financed": "{amount} million loan for {short} in {country}",
    },
    {
        "named": "{town} {short} project",
        "described": "project to {objective}, {country}",
        "financed": "{short} {country} USD {amount}m {year}",
    },
]


def bank(variant: str, size: int = 170, seed: int = 11):
    """(documents, queries) of the `variant` bank: "tune" or "held-out"."""
    held_out = variant == "held-out"
    rng = random.Random(seed + (1 if held_out else 0))
    doc_phrasing, query_phrasing = (1, 0) if held_out else (0, 1)
    all_towns = towns()
    rng.shuffle(all_towns)
    half = len(all_towns) // 2
    pool = all_towns[half:] if held_out else all_towns[:half]
    pairs = [(sector, country) for sector in SECTORS for country in COUNTRIES]
    rng.shuffle(pairs)
    pairs = pairs[:size]
    documents, queries = [], []
    # Each town lies in one country; a country's projects share its few towns.
    country_towns = {iso: pool[i :: len(COUNTRIES)] for i, (iso, _e, _n) in enumerate(COUNTRIES)}
    for number, (sector, (iso, country_es, country_en)) in enumerate(pairs):
        town = rng.choice(country_towns[iso])
        facts = SECTORS[sector]
        title, acronym, objective_es, _o, components, _s = facts["variants"][doc_phrasing]
        _t, _a, _oe, objective_en, _c, short_en = facts["variants"][query_phrasing]
        amount = rng.choice([8, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 75, 80, 100, 120, 150])
        year = rng.randint(2012, 2025)
        loan = f"{iso}-L{rng.randint(1000, 1999)}"
        frame = DOCUMENT_FRAMES[(number + doc_phrasing) % len(DOCUMENT_FRAMES)]
        body = frame.format(
            title=title,
            town=town,
            acronym=acronym,
            iso=iso,
            objective=objective_es,
            country=country_es,
            components=components,
            loan=loan,
            amount=amount,
            year=year,
            executor=facts["executor"],
        )
        key = f"bench.project:{variant}:{number}"
        documents.append(
            {
                "key": key,
                "target": key,
                "language": "es",
                "title": f"{title} de {town}",
                "body": body,
                "facets": {"type": ["experience"], "country": [iso], "language": ["es"]},
            }
        )
        for kind, query_frame in QUERY_FRAMES[query_phrasing].items():
            queries.append(
                {
                    "text": query_frame.format(
                        short=short_en,
                        town=town,
                        objective=objective_en,
                        country=country_en,
                        amount=amount,
                        year=year,
                    ),
                    "language": "en",
                    "target": key,
                    "kind": kind,
                }
            )
    return documents, queries
