"""Demo calls: the AICE award in review with a blind international jury, and a closed AIMF fund call.

The award follows the seed's "Educating Cities Award for good practices of education as a source of
inclusion and social cohesion"; the Cooperation Fund is AIMF's, created in Tunis in 1990. Every
applicant text, juror, score and amount here is fictional and marked so. Everything goes through the
calls services, with the clock set to the moments the steps would have happened.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from municipia.accounts.models import Role, User
from municipia.accounts.permissions import forget_roles
from municipia.calls.models import Application, Call, Criterion, Decision, FormField
from municipia.calls.ranking import rank_applications
from municipia.calls.services import CallError
from municipia.calls.services.applications import (
    save_answers,
    start_application,
    submit_application,
)
from municipia.calls.services.calls import publish_call, start_review
from municipia.calls.services.decisions import (
    decide_application,
    publish_results,
    record_deliberation,
)
from municipia.calls.services.juries import add_jury_member, assign_reviewers
from municipia.calls.services.reviews import record_review
from municipia.core.zones import in_zone, make_aware_in
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country, LocalGovernment, Network

OFFICER_EMAIL = "officer@municipia.example"
SCORES = random.Random(2026)  # noqa: S311 (a fixed seed: the same demo on every machine)

AWARD_FIELDS = [
    (
        FormField.Kind.TEXT,
        {
            "en": "Summary of the practice",
            "es": "Resumen de la práctica",
            "fr": "Résumé de la pratique",
            "pt": "Resumo da prática",
        },
        {"en": 150, "es": 170, "fr": 170, "pt": 170},
        True,
    ),
    (
        FormField.Kind.TEXT,
        {
            "en": "How does it make education a source of inclusion and cohesion?",
            "es": "¿Cómo hace de la educación una fuente de inclusión y cohesión?",
            "fr": "Comment fait-elle de l'éducation une source d'inclusion et de cohésion ?",
            "pt": "Como faz da educação uma fonte de inclusão e coesão?",
        },
        {"en": 400, "es": 450, "fr": 450, "pt": 450},
        True,
    ),
    (
        FormField.Kind.EXPERIENCE,
        {
            "en": "The practice in the experience bank",
            "es": "La práctica en el banco de experiencias",
            "fr": "La pratique dans la banque d'expériences",
            "pt": "A prática no banco de experiências",
        },
        {},
        False,
    ),
    (
        FormField.Kind.FILE,
        {
            "en": "Supporting document",
            "es": "Documento de apoyo",
            "fr": "Document",
            "pt": "Documento",
        },
        {},
        False,
    ),
]
AWARD_CRITERIA = [
    ({"en": "Inclusion and social cohesion", "es": "Inclusión y cohesión social"}, 3),
    ({"en": "Innovation", "es": "Innovación"}, 2),
    ({"en": "Transferability to other cities", "es": "Transferibilidad a otras ciudades"}, 2),
    ({"en": "Participation of citizens", "es": "Participación ciudadana"}, 1),
]
AWARD_APPLICATIONS = [
    ("Granollers", "es", "Rutas de aprendizaje por el barrio (demo)"),
    ("Lisbon", "pt", "Escolas abertas ao bairro (demo)"),
    ("Porto", "pt", "Bibliotecas de rua (demo)"),
    ("Rosario", "es", "La ciudad de los niños y las niñas (demo)"),
    ("Montevideo", "es", "Plazas que enseñan (demo)"),
    ("Lyon", "fr", "Parcours éducatifs partagés (démo)"),
    ("Brussels", "fr", "Écoles ouvertes le samedi (démo)"),
    ("Medellín", "es", "Parques biblioteca para la convivencia (demo)"),
    ("Belo Horizonte", "pt", "Escola integrada no território (demo)"),
    ("Dakar", "fr", "Cases des tout-petits du quartier (démo)"),
]
# (e-mail, name, country, city, languages, expertise)
AWARD_JURY = [
    (
        "ana.ferreira",
        "Ana Ferreira (fictional)",
        "PT",
        "Lisbon",
        ["pt", "es", "en"],
        "Inclusive schooling",
    ),
    ("moussa.diallo", "Moussa Diallo (fictional)", "SN", None, ["fr", "en"], "Early childhood"),
    (
        "lucia.benitez",
        "Lucía Benítez (fictional)",
        "AR",
        "Rosario",
        ["es", "pt", "en"],
        "Urban play",
    ),
    (
        "claire.martin",
        "Claire Martin (fictional)",
        "FR",
        None,
        ["fr", "es", "en"],
        "Adult learning",
    ),
    (
        "min-ji.park",
        "Park Min-ji (fictional)",
        "KR",
        "Changwon",
        ["en", "es"],
        "Lifelong learning cities",
    ),
    (
        "joana.santos",
        "Joana Santos (fictional)",
        "BR",
        None,
        ["pt", "es", "fr"],
        "Citizen participation",
    ),
    (
        "marta.vidal",
        "Marta Vidal (fictional)",
        "IT",
        None,
        ["es", "pt", "fr", "en"],
        "Youth policy",
    ),
    (
        "tomas.ortega",
        "Tomás Ortega (fictional)",
        "CL",
        None,
        ["es", "pt", "fr", "en"],
        "Evaluation",
    ),
]

FUND_APPLICATIONS = [
    ("Dakar", "Assainissement du marché central (démo)", "48000", ["Lausanne"]),
    ("Bamako", "Éclairage solaire des écoles (démo)", "52000", ["Brussels"]),
    ("Ouagadougou", "Adduction d'eau au quartier nord (démo)", "60000", ["Montréal"]),
    ("Cotonou", "État civil numérique (démo)", "35000", ["Québec"]),
    ("Lomé", "Collecte des déchets par quartier (démo)", "40000", []),
    ("Niamey", "Centre de santé communal (démo)", "70000", []),
    ("Phnom Penh", "Formation des agents municipaux (démo)", "30000", []),
    ("Yaoundé", "Marché de quartier couvert (démo)", "45000", []),
]
FUND_JURY = [
    (
        "helene.tremblay",
        "Hélène Tremblay (fictional)",
        "CA",
        None,
        ["fr", "en"],
        "Municipal finance",
    ),
    ("karim.benali", "Karim Benali (fictional)", "TN", None, ["fr"], "Water and sanitation"),
    ("sophie.dubois", "Sophie Dubois (fictional)", "BE", None, ["fr", "en"], "Local governance"),
]


def _user(local_part: str, name: str, language: str = "en") -> User:
    user, created = User.objects.get_or_create(
        email=f"{local_part}@municipia.example", defaults={"full_name": name, "language": language}
    )
    if created:
        user.set_password(settings.MUNICIPIA_DEMO_PASSWORD)
        user.save()
        _verified(user)
    return user


def _verified(user) -> None:
    from allauth.account.models import EmailAddress  # allauth's registry is ready by now

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _city(network: Network, name: str) -> LocalGovernment | None:
    return (
        LocalGovernment.objects.filter(name=name, memberships__network=network).first()
        or LocalGovernment.objects.filter(name=name).first()
    )


def _structure(call: Call, fields, criteria) -> None:
    for position, (kind, label, limits, required) in enumerate(fields):
        FormField.objects.create(
            definition=call.form,
            position=position,
            kind=kind,
            label=label,
            word_limits=limits,
            required=required,
        )
    for position, (name, weight) in enumerate(criteria):
        Criterion.objects.create(
            call=call,
            position=position,
            name=name,
            weight=weight,
            scale_min=0,
            scale_max=10,
            guidance={
                "0": {"en": "Absent", "es": "Ausente"},
                "5": {"en": "Sound but usual", "es": "Sólido pero habitual"},
                "10": {"en": "Exemplary", "es": "Ejemplar"},
            },
        )


def _jury(call: Call, people, *, by) -> list:
    members = []
    for local_part, name, country, city, languages, expertise in people:
        user = _user(local_part, name, language=languages[0])
        members.append(
            add_jury_member(
                call,
                user=user,
                by=by,
                languages=languages,
                country=Country.objects.filter(code=country).first(),
                local_government=_city(call.network, city) if city else None,
                expertise=expertise,
            )
        )
    return members


def _apply(call, officer, city, language, title, text_answer, *, now) -> Application | None:
    Role.objects.get_or_create(user=officer, kind=Role.Kind.CITY_OFFICER, local_government=city)
    forget_roles(officer)
    try:
        application = start_application(
            call, by=officer, local_government=city, language=language, title=title, now=now
        )
    except CallError:
        return None  # e.g. a member in arrears in the dues demo: the call does not accept it
    answers = {
        field.key: text_answer(field)
        for field in call.fields.all()
        if field.kind not in (FormField.Kind.FILE, FormField.Kind.EXPERIENCE)
    }
    save_answers(application, by=officer, answers=answers, now=now)
    try:
        submit_application(application, by=officer, now=now)
    except CallError:
        return None  # e.g. a member in arrears in the dues demo: it stays a draft
    return application


def _score_all(call: Call, members, *, share: float, by_now) -> None:
    criteria = list(call.criteria.all())
    for member in members:
        severity = SCORES.randint(-2, 1)  # some jurors are harsher than others
        for assignment in member.assignments.active().order_by("pk"):
            if SCORES.random() > share:
                continue
            scores = {c.pk: max(0, min(10, SCORES.randint(4, 9) + severity)) for c in criteria}
            record_review(
                assignment,
                by=member.user,
                scores=scores,
                comment="Demo review (fictional).",
                submit=True,
                now=by_now,
            )


def _last_second(day: datetime.datetime, zone: str) -> datetime.datetime:
    """23:59:59 on the clock of `zone`, on the day `day` falls on there: a deadline as calls set it."""
    local = in_zone(day, zone)
    return make_aware_in(datetime.datetime.combine(local.date(), datetime.time(23, 59, 59)), zone)


def _award(staff: User, officer: User, now) -> Call:
    network = Network.objects.get(slug="aice")
    closes = _last_second(now - datetime.timedelta(days=20), "Europe/Madrid")
    call = Call.objects.create(
        network=network,
        kind=Call.Kind.AWARD,
        slug="educating-cities-award-2026",
        title={
            "en": "Educating Cities Award 2026: education as a source of inclusion and social cohesion",
            "es": "Premio Ciudades Educadoras 2026: la educación como fuente de inclusión y cohesión social",
            "fr": "Prix Villes éducatrices 2026 : l'éducation, source d'inclusion et de cohésion sociale",
            "ca": "Premi Ciutats Educadores 2026: l'educació com a font d'inclusió i cohesió social",
            "pt": "Prémio Cidades Educadoras 2026: a educação como fonte de inclusão e coesão social",
        },
        description={
            "en": "Good practices of member cities that make education a source of inclusion and "
            "social cohesion, judged by an international jury in blind review. Demo call.",
            "es": "Buenas prácticas de las ciudades miembro que hacen de la educación una fuente de "
            "inclusión y cohesión social, valoradas por un jurado internacional. Convocatoria demo.",
        },
        languages=["es", "fr", "en", "pt"],
        time_zone="Europe/Madrid",
        opens_at=closes - datetime.timedelta(days=75),
        closes_at=closes,
        blind_review=True,
        reviewers_per_application=3,
        same_country_conflict=True,
    )
    _structure(call, AWARD_FIELDS, AWARD_CRITERIA)
    publish_call(call, by=staff)
    applied_at = closes - datetime.timedelta(days=3)
    for name, language, title in AWARD_APPLICATIONS:
        city = _city(network, name)
        if city is not None:
            _apply(
                call,
                officer,
                city,
                language,
                title,
                lambda field, t=title: f"{t}: {field.label_text.lower()}. Fictional demo text.",
                now=applied_at,
            )
    start_review(call, by=staff, now=closes + datetime.timedelta(days=1))
    members = _jury(call, AWARD_JURY, by=staff)
    assign_reviewers(call, by=staff)
    _score_all(call, members, share=0.6, by_now=now)
    return call


def _fund(staff: User, officer: User, now) -> Call:
    network = Network.objects.get(slug="aimf")
    closes = _last_second(now - datetime.timedelta(days=120), "Europe/Paris")
    call = Call.objects.create(
        network=network,
        kind=Call.Kind.FUND,
        slug="aimf-cooperation-fund-2026",
        title={
            "fr": "Fonds de coopération de l'AIMF : appel à projets 2026",
            "en": "AIMF Cooperation Fund: call for projects 2026",
            "es": "Fondo de Cooperación de la AIMF: convocatoria de proyectos 2026",
        },
        description={
            "fr": "Le Fonds, créé à Tunis en 1990 et alimenté par les membres, finance des projets "
            "urbains des villes membres. Appel de démonstration.",
            "en": "The Fund, created in Tunis in 1990 and fed by the members, pays for members' "
            "urban projects. Demo call.",
        },
        languages=["fr"],
        time_zone="Europe/Paris",
        opens_at=closes - datetime.timedelta(days=90),
        closes_at=closes,
        blind_review=False,
        reviewers_per_application=2,
        currency="EUR",
    )
    _structure(
        call,
        [
            (FormField.Kind.TEXT, {"fr": "Le projet", "en": "The project"}, {"fr": 500}, True),
            (FormField.Kind.MONEY, {"fr": "Montant demandé", "en": "Amount requested"}, {}, True),
            (FormField.Kind.DATE, {"fr": "Début des travaux", "en": "Works start"}, {}, True),
        ],
        [
            ({"fr": "Utilité pour les habitants", "en": "Use to residents"}, 3),
            ({"fr": "Faisabilité", "en": "Feasibility"}, 2),
            ({"fr": "Cofinancement", "en": "Co-funding"}, 1),
        ],
    )
    publish_call(call, by=staff)
    applied_at = closes - datetime.timedelta(days=5)
    applications = []
    for name, title, amount, partners in FUND_APPLICATIONS:
        city = _city(network, name)
        if city is None:
            continue

        def answer(field, title=title, amount=amount):
            return {
                FormField.Kind.MONEY: amount,
                FormField.Kind.DATE: f"{closes.year + 1}-03-01",
            }.get(field.kind, f"{title}. Texte fictif de démonstration.")

        application = _apply(call, officer, city, "fr", title, answer, now=applied_at)
        if application is not None:
            applications.append((application, amount, partners))
    start_review(call, by=staff, now=closes + datetime.timedelta(days=1))
    members = _jury(call, FUND_JURY, by=staff)
    assign_reviewers(call, by=staff)
    _score_all(call, members, share=1.0, by_now=closes + datetime.timedelta(days=20))
    deliberation = record_deliberation(
        call,
        by=staff,
        held_at=closes + datetime.timedelta(days=30),
        minutes="Fictional minutes: the committee funds the four projects ranked first within "
        "the year's envelope, after discussing the two with the widest spread of scores.",
        attendees=members,
    )
    ranked = {entry.application.pk: entry.rank for entry in rank_applications(call)}
    order = sorted(applications, key=lambda item: ranked.get(item[0].pk) or 99)
    for position, (application, amount, partners) in enumerate(order):
        funded = position < 4
        decide_application(
            Application.objects.select_related("call").get(pk=application.pk),
            by=staff,
            outcome=Decision.Outcome.FUNDED if funded else Decision.Outcome.REJECTED,
            amount=Decimal(amount) if funded else None,
            currency="EUR",
            partner_local_governments=[c for p in partners if (c := _city(network, p))],
            period_start=datetime.date(closes.year + 1, 3, 1) if funded else None,
            period_end=datetime.date(closes.year + 2, 2, 28) if funded else None,
            deliberation=deliberation,
            note="Fictional decision." if funded else "",
        )
    publish_results(call, by=staff, now=closes + datetime.timedelta(days=31))
    return call


def load(stdout) -> None:
    staff = User.objects.get(email=DEMO_EMAIL)
    officer = _user(OFFICER_EMAIL.split("@")[0], "Demo city officer (fictional)")
    now = timezone.now()
    for slug, build in (
        ("educating-cities-award-2026", _award),
        ("aimf-cooperation-fund-2026", _fund),
    ):
        if Call.objects.filter(slug=slug).exists():
            stdout.write(f"  call kept: {slug}")
            continue
        call = build(staff, officer, now)
        stdout.write(
            f"  call {slug}: {call.applications.count()} applications, "
            f"{call.jury.count()} jurors, {call.get_status_display()}"
        )
    stdout.write(
        f"  demo juror login: ana.ferreira@municipia.example, demo applicant: {OFFICER_EMAIL}"
    )
