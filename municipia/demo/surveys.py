"""Demo questionnaires: the network's after-event template, and the after-congress questionnaire
attached to the demo congress with 40 fictional answers in three languages (generated, clearly
fictional). Idempotent: nothing is added once the questionnaire exists."""

import random
from decimal import Decimal

from municipia.accounts.models import User
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Network
from municipia.events.models import Event
from municipia.forms.models import FormField
from municipia.plans import services as plans_services
from municipia.plans.models import Activity, Plan
from municipia.surveys import feeds, services
from municipia.surveys.models import Questionnaire, Response

TITLE = {
    "en": "After the congress: what did you think?",
    "ca": "Després del congrés: què en vau pensar?",
    "es": "Después del congreso: ¿qué le pareció?",
    "fr": "Après le congrès : qu'en avez-vous pensé ?",
    "pt": "Depois do congresso: o que achou?",
}
SCALE = [
    {
        "value": "1",
        "label": {"en": "Poor", "ca": "Dolent", "es": "Malo", "fr": "Mauvais", "pt": "Mau"},
    },
    {
        "value": "5",
        "label": {
            "en": "Excellent",
            "ca": "Excel·lent",
            "es": "Excelente",
            "fr": "Excellent",
            "pt": "Excelente",
        },
    },
]


def _labels(en, ca, es, fr):
    return {"en": en, "ca": ca, "es": es, "fr": fr}


QUESTIONS = [
    (
        FormField.Kind.SECTION,
        _labels("The programme", "El programa", "El programa", "Le programme"),
        {},
    ),
    (
        FormField.Kind.SCALE,
        _labels(
            "How useful was the congress for your work?",
            "Quina utilitat ha tingut el congrés per a la vostra feina?",
            "¿Qué utilidad tuvo el congreso para su trabajo?",
            "Le congrès a-t-il été utile pour votre travail ?",
        ),
        {"min_value": 1, "max_value": 5, "choices": SCALE},
    ),
    (
        FormField.Kind.MATRIX,
        _labels("Rate each part", "Valoreu cada part", "Valore cada parte", "Notez chaque partie"),
        {
            "min_value": 1,
            "max_value": 5,
            "choices": SCALE,
            "items": [
                {
                    "value": "plenary",
                    "label": _labels(
                        "Plenary sessions",
                        "Sessions plenàries",
                        "Sesiones plenarias",
                        "Séances plénières",
                    ),
                },
                {
                    "value": "workshops",
                    "label": _labels("Workshops", "Tallers", "Talleres", "Ateliers"),
                },
                {
                    "value": "visits",
                    "label": _labels(
                        "Study visits", "Visites d'estudi", "Visitas de estudio", "Visites d'étude"
                    ),
                },
            ],
        },
    ),
    (
        FormField.Kind.MULTIPLE,
        _labels(
            "What will you take home?", "Què us emporteu?", "¿Qué se lleva?", "Qu'emportez-vous ?"
        ),
        {
            "required": False,
            "allow_other": True,
            "choices": [
                {
                    "value": "contacts",
                    "label": _labels(
                        "New contacts", "Contactes nous", "Contactos nuevos", "De nouveaux contacts"
                    ),
                },
                {
                    "value": "ideas",
                    "label": _labels(
                        "Ideas for a project",
                        "Idees per a un projecte",
                        "Ideas para un proyecto",
                        "Des idées de projet",
                    ),
                },
                {
                    "value": "partners",
                    "label": _labels(
                        "A partner city",
                        "Una ciutat sòcia",
                        "Una ciudad socia",
                        "Une ville partenaire",
                    ),
                },
            ],
        },
    ),
    (
        FormField.Kind.NPS,
        _labels(
            "Would you recommend the next congress to a colleague?",
            "Recomanaríeu el proper congrés a un col·lega?",
            "¿Recomendaría el próximo congreso a un colega?",
            "Recommanderiez-vous le prochain congrès à un collègue ?",
        ),
        {},
    ),
    (
        FormField.Kind.SCALE,
        _labels(
            "How was the organisation?",
            "Com ha anat l'organització?",
            "¿Qué tal la organización?",
            "Comment était l'organisation ?",
        ),
        {"min_value": 1, "max_value": 5, "choices": SCALE},
    ),
    (
        FormField.Kind.LINE,
        _labels(
            "What should we improve first?",
            "Què hauríem de millorar primer?",
            "¿Qué deberíamos mejorar primero?",
            "Que devrions-nous améliorer d'abord ?",
        ),
        {"required": True, "condition_on": 5},
    ),
    (
        FormField.Kind.TEXT,
        _labels("Anything else?", "Alguna cosa més?", "¿Algo más?", "Autre chose ?"),
        {"required": False},
    ),
]

# Fictional comments, in the three languages the answers are given in.
COMMENTS = {
    "ca": [
        "Molt bona organització.",
        "Els tallers, massa curts.",
        "Ens agradaria més visites.",
        "Gràcies per l'acollida.",
    ],
    "es": [
        "Excelente intercambio entre ciudades.",
        "Faltó tiempo para preguntas.",
        "Muy útil para nuestro proyecto.",
        "",
    ],
    "en": [
        "Great contacts.",
        "More time for networking, please.",
        "The visits were the best part.",
        "",
    ],
}
IMPROVE = {"ca": "Els horaris", "es": "La traducción", "en": "The timing"}


def _build(questionnaire):
    fields = []
    for position, (kind, label, options) in enumerate(QUESTIONS, start=1):
        options = dict(options)
        condition_on = options.pop("condition_on", None)
        field = FormField(
            definition=services.current_version(questionnaire).form,
            kind=kind,
            label=label,
            position=position,
            required=options.pop("required", kind != FormField.Kind.SECTION),
            **options,
        )
        if condition_on is not None:
            field.condition = {"field": fields[condition_on].pk, "values": ["1", "2", "3"]}
        fields.append(services.save_question(questionnaire, field=field, by=None))
    return fields


def _answers(fields, rng, language, n):
    _section, useful, matrix, take, nps, organisation, improve, comment = fields
    answers = {
        useful.key: str(rng.choice([3, 4, 4, 5, 5])),
        matrix.key: "\n".join(
            f"{item}={rng.choice([2, 3, 4, 5])}" for item in ("plenary", "workshops", "visits")
        ),
        take.key: "\n".join(rng.sample(["contacts", "ideas", "partners"], rng.randint(1, 2))),
        nps.key: str(rng.choice([6, 7, 8, 9, 9, 10, 10])),
        organisation.key: str(rng.choice([2, 3, 4, 5, 5])),
        comment.key: COMMENTS[language][n % 4],
    }
    if int(answers[organisation.key]) <= 3:
        answers[improve.key] = IMPROVE[language]
    return answers


def load(stdout) -> None:
    aice = Network.objects.filter(slug="aice").first()
    congress = Event.objects.filter(kind=Event.Kind.CONGRESS, network=aice).first()
    if aice is None or congress is None:
        return
    if not Questionnaire.objects.filter(network=aice).exists():
        _congress(aice, congress, stdout)
    _plan_activity(aice, stdout)


MEETINGS_TITLE = {
    "en": "After the national meeting of your territorial network",
    "ca": "Després de la trobada nacional de la vostra xarxa territorial",
    "es": "Después del encuentro nacional de su red territorial",
    "fr": "Après la rencontre nationale de votre réseau territorial",
    "pt": "Depois do encontro nacional da sua rede territorial",
}
MEETINGS_ACTIVITY = "Encuentros o Congresos nacionales"


def _plan_activity(aice, stdout) -> None:
    """A copy of the after-event questionnaire attached to the action plan's activity of national
    meetings, with 24 fictional answers, and the plan's indicator of satisfaction fed by it."""
    template = Questionnaire.objects.filter(network=aice, is_template=True).first()
    plan = (
        Plan.objects.filter(network=aice, kind=Plan.Kind.ACTION_PLAN).order_by("starts_on").first()
    )
    if template is None or plan is None:
        return
    activities = Activity.objects.for_plan(plan).order_by("objective__position", "position", "pk")
    activity = activities.filter(description__icontains=MEETINGS_ACTIVITY).first()
    activity = activity or activities.first()
    if (
        activity is None
        or Questionnaire.objects.filter(
            network=aice, target_kind=feeds.TARGET, target_id=activity.pk
        ).exists()
    ):
        return
    staff = User.objects.filter(email=DEMO_EMAIL).first()
    questionnaire = services.copy_questionnaire(template, network=aice, by=staff)
    questionnaire.title = MEETINGS_TITLE
    questionnaire.target_kind, questionnaire.target_id = feeds.TARGET, activity.pk
    questionnaire.public = True
    questionnaire.status = Questionnaire.Status.OPEN
    questionnaire.save()
    fields = services.questions(services.current_version(questionnaire))
    rng = random.Random(54)  # noqa: S311 (fictional answers, not secrets)
    for n in range(24):
        language = ["es", "ca", "en"][n % 3]
        services.submit_response(
            questionnaire,
            answers=_answers(fields, rng, language, n),
            language=language,
            via=Response.Via.PUBLIC,
        )
    services.close_questionnaire(questionnaire, by=staff)
    indicator = plans_services.add_indicator(
        plan,
        by=staff,
        name="Satisfacción de los participantes en los encuentros nacionales",
        unit="/5",
        target=Decimal(4),
        target_on=plan.ends_on,
        notes="Media de la pregunta de utilidad del cuestionario posterior (cifras ficticias).",
        activity=activity,
    )
    useful = next(f for f in fields if f.kind == FormField.Kind.SCALE)
    feeds.link_indicator(
        indicator, questionnaire=questionnaire, question=useful, measure="mean", by=staff
    )
    stdout.write(
        "Questionnaires: one on a plan activity, 24 fictional answers, feeding an indicator."
    )


def _congress(aice, congress, stdout) -> None:
    template = services.create_questionnaire(
        aice, by=None, title=TITLE, original_language="en", is_template=True
    )
    _build(template)
    questionnaire = services.copy_questionnaire(template, network=aice, by=None)
    questionnaire.target_kind, questionnaire.target_id = "events.event", congress.pk
    questionnaire.public = True
    questionnaire.status = Questionnaire.Status.OPEN
    questionnaire.save()
    fields = services.questions(services.current_version(questionnaire))
    rng = random.Random(16)  # noqa: S311 (fictional answers, not secrets)
    for n in range(40):
        language = ["ca", "es", "en"][n % 3]
        services.submit_response(
            questionnaire,
            answers=_answers(fields, rng, language, n),
            language=language,
            via=Response.Via.PUBLIC,
        )
    services.invite_target(questionnaire)
    services.close_questionnaire(questionnaire)
    stdout.write("Questionnaires: the after-congress one with 40 fictional answers.")
