"""Demo impact evaluation: the educating cities network's rubric of an initiative's educational
impact (the network's action plan names an evaluation of the educating impact of initiatives and
shared evaluation methodologies), filled for three of its published experiences by their cities
and by fictional peer assessors; one also has a follow-up round. Scores, people and methodologies
are fictional. Idempotent: nothing is added once the network has a rubric."""

from django.contrib.auth import get_user_model

from municipia.accounts.models import Role
from municipia.directory.models import Network
from municipia.knowledge.models import Experience
from municipia.surveys.impact import services
from municipia.surveys.impact.models import Rubric


def _t(en, ca, es, fr, pt):
    return {"en": en, "ca": ca, "es": es, "fr": fr, "pt": pt}


LEVELS = [
    (
        1,
        _t(
            "Not considered",
            "No considerat",
            "No considerado",
            "Non pris en compte",
            "Não considerado",
        ),
    ),
    (2, _t("Emerging", "Incipient", "Incipiente", "Émergent", "Emergente")),
    (3, _t("Established", "Consolidat", "Consolidado", "Établi", "Consolidado")),
    (4, _t("Transformative", "Transformador", "Transformador", "Transformateur", "Transformador")),
]
CRITERIA = [
    (
        "values",
        2,
        _t(
            "Shared values",
            "Valors compartits",
            "Valores compartidos",
            "Valeurs partagées",
            "Valores partilhados",
        ),
    ),
    (
        "participation",
        2,
        _t(
            "Citizen participation",
            "Participació ciutadana",
            "Participación ciudadana",
            "Participation citoyenne",
            "Participação cidadã",
        ),
    ),
    (
        "transversality",
        1,
        _t(
            "Transversality across departments",
            "Transversalitat entre àrees",
            "Transversalidad entre áreas",
            "Transversalité entre services",
            "Transversalidade entre áreas",
        ),
    ),
    (
        "lifelong",
        1,
        _t(
            "Learning throughout life",
            "Aprenentatge al llarg de la vida",
            "Aprendizaje a lo largo de la vida",
            "Apprentissage tout au long de la vie",
            "Aprendizagem ao longo da vida",
        ),
    ),
    (
        "evaluation",
        1,
        _t(
            "Evaluation and sharing",
            "Avaluació i difusió",
            "Evaluación y difusión",
            "Évaluation et partage",
            "Avaliação e partilha",
        ),
    ),
]
TITLE = _t(
    "Educational impact of an initiative",
    "Impacte educador d'una iniciativa",
    "Impacto educador de una iniciativa",
    "Impact éducatif d'une initiative",
    "Impacto educador de uma iniciativa",
)
# Fictional scores per experience: (self baseline, two external baseline, self follow-up or None).
SCORES = [
    ([3, 3, 2, 2, 2], [[2, 3, 2, 1, 2], [3, 2, 2, 2, 1]], [4, 4, 3, 3, 3]),
    ([4, 3, 3, 2, 3], [[3, 3, 3, 2, 2], [3, 4, 2, 2, 3]], None),
    ([2, 4, 2, 3, 2], [[2, 3, 1, 3, 2], [2, 4, 2, 2, 1]], None),
]
METHODOLOGIES = [
    (
        "ca",
        "Enquesta abans i després a les famílies (fictícia)",
        "Les famílies i l'alumnat van respondre el mateix qüestionari abans d'obrir els patis i un any després.",
        "Famílies que hi participen\nHores d'obertura al veïnat\nTemperatura al pati a l'estiu",
    ),
    (
        "es",
        "Grupos de discusión con el vecindario (ficticio)",
        "Tres grupos de discusión con vecinos, docentes y técnicos municipales valoraron los cambios.",
        "Personas participantes por grupo\nPropuestas incorporadas",
    ),
    (
        "en",
        "Peer review visits (fictional)",
        "Two officers of other member cities visited the project and wrote a short report.",
        "Visits made\nRecommendations taken up",
    ),
]


def _person(email, name, **role):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    if role:
        Role.objects.get_or_create(user=user, **role)
    return user


def load(stdout) -> None:
    aice = Network.objects.filter(slug="aice").first()
    if aice is None or Rubric.objects.filter(network=aice).exists():
        return
    experiences = list(
        Experience.objects.published()
        .filter(networks=aice)
        .select_related("city")
        .order_by("pk")[:3]
    )
    if len(experiences) < 3:
        return
    rubric = services.create_rubric(
        aice,
        title=TITLE,
        description=_t(
            "How far an initiative educates: values, participation, transversality, lifelong learning and evaluation.",
            "Fins a quin punt una iniciativa educa: valors, participació, transversalitat, aprenentatge permanent i avaluació.",
            "Hasta qué punto una iniciativa educa: valores, participación, transversalidad, aprendizaje permanente y evaluación.",
            "Dans quelle mesure une initiative éduque : valeurs, participation, transversalité, apprentissage et évaluation.",
            "Até que ponto uma iniciativa educa: valores, participação, transversalidade, aprendizagem e avaliação.",
        ),
        criteria=[
            {"code": code, "name": name, "weight": weight, "levels": LEVELS}
            for code, weight, name in CRITERIA
        ],
    )
    baseline = services.open_round(
        rubric,
        name=_t(
            "Baseline 2025",
            "Línia de base 2025",
            "Línea de base 2025",
            "Point de départ 2025",
            "Linha de base 2025",
        ),
    )
    follow_up = services.open_round(
        rubric,
        name=_t(
            "Follow-up 2026",
            "Seguiment 2026",
            "Seguimiento 2026",
            "Suivi 2026",
            "Acompanhamento 2026",
        ),
        phase="follow_up",
    )
    peers = [
        _person(f"impact-peer-{n}@example.org", f"Peer assessor {n} (fictional)") for n in (1, 2)
    ]
    codes = [code for code, _w, _n in CRITERIA]
    for number, (experience, (own, external, later)) in enumerate(
        zip(experiences, SCORES, strict=True)
    ):
        officer = _person(
            f"impact-officer-{experience.city.slug}@example.org",
            f"Officer of {experience.city.name} (fictional)",
            kind=Role.Kind.CITY_OFFICER,
            local_government=experience.city,
        )
        _fill(baseline, experience, "self", officer, dict(zip(codes, own, strict=True)))
        for peer, scores in zip(peers, external, strict=True):
            services.assign(baseline, experience, peer)
            _fill(baseline, experience, "external", peer, dict(zip(codes, scores, strict=True)))
        if later:
            _fill(follow_up, experience, "self", officer, dict(zip(codes, later, strict=True)))
        language, title, description, indicators = METHODOLOGIES[number]
        services.add_methodology(
            experience,
            title=title,
            description=description,
            indicators=indicators,
            language=language,
            by=officer,
        )
    services.close_round(baseline)
    stdout.write(f"Impact rubric filled for {len(experiences)} experiences.")


def _fill(round_, experience, kind, person, scores):
    assessment = services.start_assessment(round_, experience, kind, by=person)
    services.save_assessment(assessment, scores, submit=True, by=person)
