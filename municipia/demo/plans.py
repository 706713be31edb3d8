"""Demo plans: AICE's 2025 action plan, adopted and followed up, AMB's strategy in consultation,
and a municipal action plan of four levels (axis → line → objective → action).

The AICE and AMB objectives and activities are the real ones, imported from the tables shipped in
`data/` through the same importer the site offers. Progress updates, indicator figures, dates of
follow-up, the people who comment and what they say are fictional, and marked so. The municipal
action plan is fictional from end to end (`data/pam_exemple_2024_2027.csv`, the same file as the
import tests' Catalan plan).
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from municipia.accounts.models import Role, User
from municipia.accounts.permissions import forget_roles
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country, LocalGovernment, Network
from municipia.plans import services
from municipia.plans.importing import read_plan_file
from municipia.plans.models import Activity, ConsultationComment, Plan

DATA = Path(__file__).parent / "data"

AICE_TITLES = {
    "en": "Action plan 2025",
    "fr": "Plan d'action 2025",
    "ca": "Pla d'acció 2025",
    "pt": "Plano de ação 2025",
}
AICE_SUMMARY = (
    "Plan de acción 2025 de la Asociación Internacional de Ciudades Educadoras: objetivos y "
    "principales actividades tal como se publicaron. Las fechas, las actualizaciones de progreso y "
    "las cifras de los indicadores de esta demostración son ficticias."
)
# (objective number, activity number, reported on, percentage, text): fictional follow-up.
AICE_UPDATES = [
    (
        1,
        3,
        "2025-04-15",
        50,
        "(demo) Se abrieron dos cursos del Aula Virtual; las inscripciones están en curso.",
    ),
    (
        3,
        1,
        "2025-03-01",
        60,
        "(demo) Convocatoria del Premio enviada a todas las ciudades miembro.",
    ),
    (3, 1, "2025-06-20", 100, "(demo) Candidaturas cerradas y Jurado Internacional constituido."),
    (
        10,
        1,
        "2025-11-30",
        100,
        "(demo) Lema definido y Día Internacional celebrado en las ciudades.",
    ),
    (
        11,
        4,
        "2025-09-15",
        40,
        "(demo) Acordado el modelo de datos del nuevo banco; desarrollo iniciado.",
    ),
    (
        13,
        1,
        "2025-10-10",
        60,
        "(demo) Esquema del programa del XVIII Congreso compartido con Granollers.",
    ),
    (16, 2, "2025-05-05", 30, "(demo) Primera reunión de la red temática en la Red Portuguesa."),
    (19, 1, "2025-04-10", 34, "(demo) Primera reunión del Comité Ejecutivo, en línea."),
    (19, 1, "2025-07-03", 67, "(demo) Segunda reunión del Comité Ejecutivo."),
    (19, 1, "2025-11-20", 100, "(demo) Tercera reunión del Comité Ejecutivo."),
    (
        19,
        3,
        "2025-10-25",
        100,
        "(demo) Asamblea General celebrada de forma presencial en Bruselas.",
    ),
]
AICE_DROPPED = (10, 2, "(demo) Aplazada a 2026: no se encontró a tiempo una ciudad anfitriona.")
# (name, unit, target, (objective, activity or None), [(date, value)]): fictional figures.
AICE_INDICATORS = [
    (
        "Ciudades en cursos del Aula Virtual (cifras ficticias)",
        "ciudades",
        Decimal(40),
        (1, None),
        [("2025-03-31", 9), ("2025-06-30", 18), ("2025-09-30", 26)],
    ),
    (
        "Candidaturas al Premio Ciudades Educadoras (cifras ficticias)",
        "candidaturas",
        Decimal(60),
        (3, 1),
        [("2025-04-30", 22), ("2025-06-15", 47)],
    ),
    (
        "Reuniones del Comité Ejecutivo (cifras ficticias)",
        "reuniones",
        Decimal(3),
        (19, 1),
        [("2025-04-10", 1), ("2025-07-03", 2), ("2025-11-20", 3)],
    ),
]

AMB_TITLES = {
    "es": "Estrategia internacional del Área Metropolitana de Barcelona",
    "en": "International strategy of the Barcelona Metropolitan Area",
    "fr": "Stratégie internationale de l'Aire métropolitaine de Barcelone",
    "pt": "Estratégia internacional da Área Metropolitana de Barcelona",
}
AMB_SUMMARY = (
    "Línies d'actuació de l'estratègia internacional de l'AMB, tal com les publica a la seva pàgina "
    "de relacions internacionals. La consulta pública, les persones que hi participen i els seus "
    "comentaris són ficticis, per a la demostració."
)
CITIZENS = [
    ("laia.ferrer@demo.municipia.example", "Laia Ferrer (fictional)"),
    ("jordi.soler@demo.municipia.example", "Jordi Soler (fictional)"),
    ("marta.vidal@demo.municipia.example", "Marta Vidal (fictional)"),
]


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _activity(plan: Plan, objective_number: int, activity_number: int) -> Activity:
    objective = plan.objectives.order_by("position")[objective_number - 1]
    return objective.activities.order_by("position")[activity_number - 1]


def _aice(user: User, stdout) -> None:
    network = Network.objects.filter(slug="aice").first()
    if network is None:
        return
    start, end = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
    if Plan.objects.filter(network=network, kind=Plan.Kind.ACTION_PLAN, starts_on=start).exists():
        stdout.write("  AICE action plan 2025: kept")
        return
    path = DATA / "aice_action_plan_2025.txt"
    parsed = read_plan_file(path.name, path.read_bytes())
    plan = services.import_plan(
        parsed,
        by=user,
        title="Plan de acción 2025",
        kind=Plan.Kind.ACTION_PLAN,
        starts_on=start,
        ends_on=end,
        languages=["es", "en", "fr", "pt"],
        network=network,
        summary=AICE_SUMMARY,
    )
    services.update_plan(
        plan, by=user, title_translations=AICE_TITLES, last_committee_on=_date("2025-07-03")
    )
    Activity.objects.for_plan(plan).update(starts_on=start, ends_on=end)
    services.adopt_plan(plan, by=user, adopted_on=start)
    services.publish_plan(plan, by=user)
    for objective_number, activity_number, day, percentage, text in AICE_UPDATES:
        services.record_progress(
            _activity(plan, objective_number, activity_number),
            by=user,
            reported_on=_date(day),
            text=text,
            percentage=percentage,
        )
    objective_number, activity_number, reason = AICE_DROPPED
    services.update_activity(
        _activity(plan, objective_number, activity_number),
        by=user,
        status=Activity.Status.DROPPED,
        drop_reason=reason,
    )
    services.link_activity(
        _activity(plan, 13, 1),
        by=user,
        kind="event",
        title="XVIII International Congress of Educating Cities, Granollers 2026",
        url="https://www.edcities.org",
    )
    for name, unit, target, (objective_number, activity_number), values in AICE_INDICATORS:
        subject = (
            {"activity": _activity(plan, objective_number, activity_number)}
            if activity_number
            else {"objective": plan.objectives.order_by("position")[objective_number - 1]}
        )
        indicator = services.add_indicator(
            plan,
            by=user,
            name=name,
            unit=unit,
            target=target,
            target_on=end,
            notes="Cifras ficticias de demostración.",
            **subject,
        )
        for day, value in values:
            services.record_indicator_value(
                indicator, by=user, measured_on=_date(day), value=Decimal(value)
            )
    stdout.write(
        f"  AICE action plan 2025: {plan.objectives.count()} objectives, "
        f"{Activity.objects.for_plan(plan).count()} activities, adopted and published"
    )


def _citizen(email: str, name: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# The strategy's geographic priorities for cooperation (demo choice): the Mediterranean's
# southern shore and Latin America as regions, and three countries by name.
AMB_PRIORITY_REGIONS = ["015", "419"]
AMB_PRIORITY_COUNTRIES = ["MA", "SN", "ML"]


def _amb_priorities(plan: Plan, user: User) -> None:
    if plan.geographic_priorities.exists():
        return
    services.set_geographic_priorities(
        plan,
        by=user,
        countries=list(Country.objects.filter(code__in=AMB_PRIORITY_COUNTRIES)),
        regions=[code for code in AMB_PRIORITY_REGIONS if code in services.world_region_codes()],
    )


def _amb(user: User, stdout) -> None:
    city = LocalGovernment.objects.filter(slug="area-metropolitana-de-barcelona").first()
    if city is None:
        return
    Role.objects.get_or_create(user=user, kind=Role.Kind.CITY_OFFICER, local_government=city)
    forget_roles(user)
    existing = Plan.objects.filter(local_government=city, kind=Plan.Kind.STRATEGY).first()
    if existing is not None:
        _amb_priorities(existing, user)
        stdout.write("  AMB international strategy: kept")
        return
    path = DATA / "amb_international_strategy.md"
    parsed = read_plan_file(path.name, path.read_bytes())
    plan = services.import_plan(
        parsed,
        by=user,
        title="Estratègia internacional de l'Àrea Metropolitana de Barcelona",
        kind=Plan.Kind.STRATEGY,
        starts_on=datetime.date(2016, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
        languages=["ca", "es", "en"],
        local_government=city,
        summary=AMB_SUMMARY,
    )
    services.update_plan(plan, by=user, title_translations=AMB_TITLES)
    _amb_priorities(plan, user)
    services.open_consultation(
        plan, by=user, closes_at=timezone.now() + datetime.timedelta(days=30)
    )
    laia, jordi, marta = (_citizen(email, name) for email, name in CITIZENS)
    objective = plan.objectives.get()
    Kind = ConsultationComment.Kind
    services.post_comment(
        plan,
        objective,
        by=laia,
        text="(Comentari fictici) Caldria publicar cada any un informe obert de l'acció "
        "internacional de l'AMB, amb el cost de cada línia d'actuació.",
    )
    federation = services.post_comment(
        plan,
        objective,
        by=jordi,
        kind=Kind.PROPOSAL,
        on_behalf_of="Federació d'entitats de cooperació (fictícia)",
        text="(Proposta fictícia) Incloure les entitats de cooperació dels municipis "
        "metropolitans a la Taula Estratègica de Relacions Internacionals.",
    )
    exchange = services.post_comment(
        plan,
        objective,
        by=marta,
        kind=Kind.PROPOSAL,
        text="(Proposta fictícia) Crear un programa d'intercanvi de personal tècnic amb altres "
        "àrees metropolitanes de la xarxa Metropolis.",
    )
    advert = services.post_comment(
        plan,
        objective,
        by=jordi,
        text="(Comentari fictici) Visiteu la meva botiga en línia: ofertes cada setmana!",
    )
    services.hide_comment(
        advert, by=user, reason="Publicitat comercial, sense relació amb l'estratègia."
    )
    services.support_comment(federation, by=laia)
    services.support_comment(federation, by=marta)
    services.support_comment(exchange, by=laia)
    stdout.write(
        f"  AMB international strategy: {Activity.objects.for_plan(plan).count()} lines of "
        f"action, in consultation with {plan.comments.count()} comments"
    )


PAM_TITLE = "Pla d'actuació municipal 2024-2027 (exemple fictici)"
PAM_SUMMARY = (
    "Pla d'actuació municipal fictici, en quatre nivells (eixos, línies, objectius i accions), "
    "per mostrar com s'importa i es segueix un pla llarg. Cap dada no és real."
)


def _municipal_plan(user: User, stdout) -> None:
    city = LocalGovernment.objects.filter(slug="area-metropolitana-de-barcelona").first()
    if city is None:
        return
    if Plan.objects.filter(local_government=city, title=PAM_TITLE).exists():
        stdout.write("  Municipal action plan of four levels: kept")
        return
    path = DATA / "pam_exemple_2024_2027.csv"
    plan = services.import_plan(
        read_plan_file(path.name, path.read_bytes()),
        by=user,
        title=PAM_TITLE,
        kind=Plan.Kind.ACTION_PLAN,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        languages=["ca", "es"],
        local_government=city,
        summary=PAM_SUMMARY,
    )
    services.adopt_plan(plan, by=user, adopted_on=datetime.date(2024, 2, 1))
    services.publish_plan(plan, by=user)
    first = Activity.objects.for_plan(plan).order_by("objective__position", "position").first()
    services.record_progress(
        first,
        by=user,
        reported_on=datetime.date(2024, 9, 30),
        text="(fictici) Primera sessió informativa feta al barri del Centre.",
        percentage=40,
    )
    counts = " → ".join(
        f"{plan.sections.filter(level=n).count()} {plan.level_label(n, 'ca').lower()}"
        for n in range(plan.section_depth)
    )
    stdout.write(
        f"  Municipal action plan: {counts} → {plan.objectives.count()} objectius → "
        f"{Activity.objects.for_plan(plan).count()} accions, adopted and published"
    )


def load(stdout) -> None:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        return
    _aice(user, stdout)
    _amb(user, stdout)
    _municipal_plan(user, stdout)
