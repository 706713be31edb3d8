"""Demo cooperation: the AIMF Cooperation Fund and two projects it pays for.

Facts from the seed documents: the Fund was created in Tunis in 1990, is financed by the AIMF's
members and lets cities carry out urban projects; the AIMF has a strategic partnership with the
European Commission (2015) and one with the Bill & Melinda Gates Foundation (2017). Everything
else (amounts, rates, dates, texts, indicators) is fictional and says so.

One project comes from the demo's closed fund call (the first funded application), through the
same service as the call's decision page; the other is created through the services. Their partners
are on three continents and their texts are in several languages. Idempotent: nothing is added
once the fund exists.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from municipia.accounts.models import Role, User
from municipia.accounts.permissions import forget_roles
from municipia.calls.models import Application, Decision
from municipia.cooperation.models import Fund, Partner, Project
from municipia.cooperation.services import (
    CooperationError,
    add_budget_line,
    add_co_funding,
    add_indicator,
    add_milestone,
    add_partner,
    call_contribution,
    change_project_status,
    commit_funds,
    create_project,
    fund_available,
    plan_tranche,
    project_from_application,
    record_income,
    record_indicator_value,
    release_tranche,
    review_report,
    set_iati_publisher,
    set_project_text,
    submit_report,
)
from municipia.demo.accounts import DEMO_EMAIL
from municipia.directory.models import Country, LocalGovernment, Membership, Network, Organisation
from municipia.finance.services import record_payment
from municipia.knowledge.models import SdgTarget

FICTIONAL = "Fictional demo figure."
OFFICER_EMAIL = "officer@municipia.example"
# Partners added to the project from the call, so that it spans three continents.
EXTRA_PARTNERS = ["Montréal", "Lausanne"]


def _organisation(slug: str, name: str, kind: str, country: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "kind": kind,
            "country": Country.objects.filter(code=country).first(),
        },
    )
    return organisation


def _city(network: Network, name: str) -> LocalGovernment | None:
    return (
        LocalGovernment.objects.filter(name=name, memberships__network=network).first()
        or LocalGovernment.objects.filter(name=name).first()
    )


def _contributions(fund: Fund, staff: User, year: int, today: datetime.date) -> int:
    members = (
        Membership.objects.active()
        .for_network(fund.network)
        .filter(local_government__isnull=False)
        .select_related("local_government")
        .order_by("local_government__name")
    )
    called = 0
    for position, membership in enumerate(members):
        population = membership.local_government.population or 0
        amount = Decimal("5000") if population >= 1_000_000 else Decimal("2000")
        issued = min(datetime.date(year, 1, 15), today)
        contribution = call_contribution(
            fund,
            membership,
            year=year,
            amount=amount,
            currency="EUR",
            due_on=datetime.date(year, 4, 30),
            by=staff,
            on=issued,
        )
        called += 1
        # Most members paid last year; about two thirds have paid this year so far.
        paid_on = min(datetime.date(year, 3, 1 + position % 27), today)
        if year < today.year or position % 3:
            record_payment(
                contribution.invoice,
                amount=amount,
                currency="EUR",
                received_on=paid_on,
                by=staff,
                reference=FICTIONAL,
            )
    return called


def _officer(city: LocalGovernment) -> User:
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    if officer is not None:
        Role.objects.get_or_create(user=officer, kind=Role.Kind.CITY_OFFICER, local_government=city)
        forget_roles(officer)
    return officer


def _report_and_release(project: Project, staff: User, officer: User | None, today) -> None:
    commitment = project.commitments.order_by("pk").first()
    if commitment is None:
        return
    first = plan_tranche(
        commitment,
        label="Avance au démarrage / Start-up advance",
        amount=(commitment.amount * Decimal("0.4")).quantize(Decimal("0.01")),
        planned_on=project.starts_on or today,
        by=staff,
    )
    plan_tranche(
        commitment,
        label="Solde à mi-parcours / Mid-term balance",
        amount=commitment.amount - first.amount,
        planned_on=(project.starts_on or today) + datetime.timedelta(days=200),
        by=staff,
    )
    started = project.starts_on or today
    report = submit_report(
        project,
        kind="narrative",
        title="Rapport de démarrage (démo)",
        text="Rapport fictif : équipe constituée, marchés lancés, premiers travaux engagés.",
        by=officer or staff,
        period_start=started if started <= today else None,
        period_end=min(started + datetime.timedelta(days=90), today) if started <= today else None,
    )
    review_report(report, accept=True, by=staff, note="Accepté (démo).")
    release_tranche(first, report=report, by=staff, on=today)
    submit_report(
        project,
        kind="financial",
        title="Rapport financier intermédiaire (démo)",
        text="Rapport financier fictif : dépenses du premier semestre et pièces justificatives.",
        by=officer or staff,
    )


def _project_from_call(fund: Fund, staff: User, today) -> Project | None:
    decision = (
        Decision.objects.filter(
            application__call__network=fund.network,
            application__call__kind="fund",
            outcome=Decision.Outcome.FUNDED,
            application__cooperation_project__isnull=True,
        )
        .select_related("application")
        .order_by("rank", "pk")
        .first()
    )
    if decision is None:
        return None
    application = Application.objects.get(pk=decision.application_id)
    project = project_from_application(application, by=staff, fund=fund)
    for name in EXTRA_PARTNERS:
        city = _city(fund.network, name)
        if city is not None and not project.partners.filter(local_government=city).exists():
            add_partner(
                project,
                role=Partner.Role.TECHNICAL if name == "Lausanne" else Partner.Role.PARTNER,
                local_government=city,
                contribution="Expertise technique (démo).",
                by=staff,
            )
    title = project.text("fr").title if project.text("fr") else application.title
    set_project_text(
        project,
        language="en",
        title=f"{title} (English summary)",
        summary="Fictional demo project funded by the AIMF Cooperation Fund after the 2026 call: "
        "the lead city and its partners share the works, the training and the follow-up.",
        by=staff,
    )
    set_project_text(
        project,
        language="es",
        title=f"{title} (resumen en español)",
        summary="Proyecto ficticio de demostración financiado por el Fondo de Cooperación de la "
        "AIMF tras la convocatoria de 2026.",
        by=staff,
    )
    _details(project, staff, today, currency="XOF")
    project.refresh_from_db()
    project.is_public = True
    project.save(update_fields=["is_public", "updated_at"])
    project.sdg_targets.set(SdgTarget.objects.filter(code__in=["6.1", "11.1"]))
    project = change_project_status(
        project, to=Project.Status.RUNNING, by=staff, note="Démarrage (démo)."
    )
    lead = project.partners.filter(role=Partner.Role.LEAD).first()
    officer = _officer(lead.local_government) if lead and lead.local_government else None
    _report_and_release(project, staff, officer, today)
    return project


def _details(project: Project, staff: User, today, *, currency: str) -> None:
    add_budget_line(
        project,
        category="works",
        description="Travaux (démo)",
        currency=currency,
        amount="15000000" if currency == "XOF" else "30000",
        by=staff,
    )
    add_budget_line(
        project,
        category="training",
        description="Formation des agents (démo)",
        currency="EUR",
        amount="6000",
        by=staff,
    )
    add_budget_line(
        project,
        category="communication",
        description="Communication (démo)",
        currency="EUR",
        amount="2000",
        by=staff,
    )
    lead = (
        project.partners.filter(role=Partner.Role.LEAD).select_related("local_government").first()
    )
    if lead and lead.local_government:
        add_co_funding(
            project,
            local_government=lead.local_government,
            currency="EUR",
            amount="8000",
            confirmed=True,
            note=FICTIONAL,
            by=staff,
        )
    start = project.starts_on or today
    add_milestone(
        project,
        title="Équipe de projet constituée",
        due_on=start,
        reached_on=start if start <= today else None,
        by=staff,
    )
    add_milestone(
        project,
        title="Travaux réceptionnés",
        due_on=start + datetime.timedelta(days=240),
        by=staff,
    )
    indicator = add_indicator(
        project,
        name="Habitants desservis (démo)",
        unit="habitants",
        baseline="0",
        target="12000",
        target_on=project.ends_on,
        by=staff,
    )
    measured = min(start + datetime.timedelta(days=60), today)
    record_indicator_value(indicator, measured_on=measured, value="3500", note=FICTIONAL, by=staff)


def _second_project(fund: Fund, staff: User, today) -> Project:
    network = fund.network
    start = datetime.date(today.year - 1, 9, 1)
    project = create_project(
        network,
        language="fr",
        title="État civil numérique partagé (démo)",
        summary="Projet fictif de démonstration : trois villes mettent en commun un logiciel "
        "libre d'état civil, forment leurs agents et numérisent les registres anciens.",
        by=staff,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=730),
        fund=fund,
        is_public=True,
        sdg_targets=SdgTarget.objects.filter(code__in=["16.9", "17.18"]),
    )
    set_project_text(
        project,
        language="en",
        title="Shared digital civil registry (demo)",
        summary="Fictional demo project: three cities share free civil-registry software, train "
        "their staff and digitise old registers.",
        by=staff,
    )
    set_project_text(
        project,
        language="pt",
        title="Registo civil digital partilhado (demo)",
        summary="Projeto fictício de demonstração: três cidades partilham um programa livre de "
        "registo civil, formam os seus agentes e digitalizam os registos antigos.",
        by=staff,
    )
    for name, role in (
        ("Phnom Penh", Partner.Role.LEAD),
        ("Québec", Partner.Role.PARTNER),
        ("Bamako", Partner.Role.PARTNER),
    ):
        city = _city(network, name)
        if city is not None:
            add_partner(project, role=role, local_government=city, by=staff)
    # The Barcelona Metropolitan Area lends its digital-administration team: its international
    # strategy's geographic priorities (Mali among them) then count for this project.
    amb = LocalGovernment.objects.filter(slug="area-metropolitana-de-barcelona").first()
    if amb is not None:
        add_partner(
            project,
            role=Partner.Role.TECHNICAL,
            local_government=amb,
            contribution="Assistència tècnica en administració electrònica (demo).",
            by=staff,
        )
    change_project_status(project, to=Project.Status.APPROVED, by=staff)
    change_project_status(project, to=Project.Status.RUNNING, by=staff)
    amount = Decimal("45000")
    if fund_available(fund) >= amount:
        commit_funds(fund, project, amount=amount, currency="EUR", by=staff, committed_on=start)
    _details(project, staff, today, currency="EUR")
    return project


def load(stdout, *, today: datetime.date | None = None) -> None:
    network = Network.objects.filter(slug="aimf").first()
    staff = User.objects.filter(email=DEMO_EMAIL).first()
    if network is None or staff is None:
        stdout.write("  cooperation: no AIMF network or demo staff, skipped")
        return
    if Fund.objects.filter(network=network, slug="fonds-de-cooperation").exists():
        stdout.write("  cooperation fund kept")
        return
    today = today or timezone.localdate()
    fund = Fund.objects.create(
        network=network,
        slug="fonds-de-cooperation",
        name="Fonds de coopération de l'AIMF",
        currency="EUR",
        established=1990,
        description="Créé à Tunis en 1990, financé par les membres de l'AIMF, le Fonds permet aux "
        "villes de réaliser des projets urbains. Les montants de la démo sont fictifs.",
    )
    commission = _organisation("european-commission", "European Commission", "funder", "BE")
    gates = _organisation(
        "bill-melinda-gates-foundation", "Bill & Melinda Gates Foundation", "funder", "US"
    )
    called = sum(_contributions(fund, staff, year, today) for year in (today.year - 1, today.year))
    record_income(
        fund,
        source=commission,
        kind="partnership",
        year=today.year - 1,
        received_on=datetime.date(today.year - 1, 7, 1),
        amount="250000",
        currency="EUR",
        by=staff,
        reference="Strategic partnership (2015): fictional demo tranche.",
    )
    record_income(
        fund,
        source=gates,
        kind="grant",
        year=today.year,
        received_on=min(datetime.date(today.year, 2, 15), today),
        amount="60000",
        currency="USD",
        exchange_rate="0.92",
        by=staff,
        reference="Partnership (2017): fictional demo grant.",
    )
    # A fictional identifier in the IATI registry's own agency (XI-IATI), clearly a demo one.
    set_iati_publisher(
        network, reporting_org_ref="XI-IATI-AIMF-DEMO", reporting_org_type="40", by=staff
    )
    projects = []
    try:
        with transaction.atomic():
            from_call = _project_from_call(fund, staff, today)
            if from_call is not None:
                projects.append(from_call)
            projects.append(_second_project(fund, staff, today))
    except CooperationError as error:  # a demo database changed by hand: say so, keep the rest
        stdout.write(f"  cooperation projects not created: {error}")
    committed = fund.commitments.aggregate(total=Sum("amount_converted"))["total"] or 0
    stdout.write(
        f"  cooperation fund: {called} contributions called, {len(projects)} projects, "
        f"{committed} EUR committed"
    )
