"""Demo books of the AIMF for 2025: a chart of accounts in four languages, the budget adopted by
its bureau and revised in June, actuals from the demo's dues, cooperation fund and event fees plus
manual entries with their (generated) documents, an audit with its opinion, and a transparency
page. Every amount, name, date and document is fictional and says so; the fixed parity of the
CFA franc to the euro (655.957) is the only real rate. Idempotent: nothing is added once the
network keeps its books here.
"""

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from municipia.accountability import services
from municipia.accountability.models import AccountingSettings, TransparencySection
from municipia.accounts.models import Role, User
from municipia.cooperation.models import Disbursement, Income
from municipia.core.reports import pdf
from municipia.directory.models import Membership, Network
from municipia.events.governance.models import Body, BodyMember, Decision, Meeting, Minutes
from municipia.events.models import Event, EventTranslation
from municipia.finance.models import Invoice
from municipia.finance.services import issue_invoice, record_payment

YEAR = 2025
RATES = [
    ("XOF", "0.0015244902"),  # 1 EUR = 655.957 XOF, fixed parity
    ("CHF", "1.0625"),  # fictional, as the demo's dues
    ("CAD", "0.625"),  # fictional, as the demo's dues
    ("USD", "0.92"),  # fictional
]
# code, kind, source, names
ACCOUNTS = [
    ("70", "income", "dues", {
        "fr": "Cotisations des membres", "en": "Membership dues",
        "ca": "Quotes dels membres", "es": "Cuotas de los miembros"}),
    ("71", "income", "fund_contributions", {
        "fr": "Contributions au Fonds de coopération", "en": "Contributions to the Cooperation Fund",
        "ca": "Contribucions al Fons de cooperació", "es": "Contribuciones al Fondo de cooperación"}),
    ("72", "income", "fund_income", {
        "fr": "Subventions et partenariats", "en": "Grants and partnerships",
        "ca": "Subvencions i aliances", "es": "Subvenciones y alianzas"}),
    ("73", "income", "event_fees", {
        "fr": "Droits d'inscription aux événements", "en": "Event registration fees",
        "ca": "Inscripcions als esdeveniments", "es": "Inscripciones a los eventos"}),
    ("74", "income", "", {
        "fr": "Parrainages", "en": "Sponsorship", "ca": "Patrocinis", "es": "Patrocinios"}),
    ("60", "expenditure", "", {
        "fr": "Personnel du secrétariat", "en": "Secretariat staff",
        "ca": "Personal de la secretaria", "es": "Personal de la secretaría"}),
    ("61", "expenditure", "", {
        "fr": "Déplacements", "en": "Travel", "ca": "Viatges", "es": "Viajes"}),
    ("62", "expenditure", "", {
        "fr": "Événements et réunions", "en": "Events and meetings",
        "ca": "Esdeveniments i reunions", "es": "Eventos y reuniones"}),
    ("63", "expenditure", "", {
        "fr": "Publications", "en": "Publications", "ca": "Publicacions", "es": "Publicaciones"}),
    ("64", "expenditure", "fund_disbursements", {
        "fr": "Projets financés par le Fonds", "en": "Projects paid by the Fund",
        "ca": "Projectes pagats pel Fons", "es": "Proyectos pagados por el Fondo"}),
]  # fmt: skip
# Manual entries: account, date, description, currency, and the share of the line's budget it
# spends (converted to the entry's currency at the demo's rates).
ENTRIES = [
    ("60", (2025, 3, 31), "Salaires du secrétariat, 1er trimestre (démo)", "EUR", "0.245"),
    ("60", (2025, 6, 30), "Salaires du secrétariat, 2e trimestre (démo)", "EUR", "0.245"),
    ("60", (2025, 9, 30), "Salaires du secrétariat, 3e trimestre (démo)", "EUR", "0.25"),
    ("60", (2025, 12, 31), "Salaires du secrétariat, 4e trimestre (démo)", "EUR", "0.255"),
    ("61", (2025, 4, 14), "Mission à Dakar, billets et hôtel (démo)", "XOF", "0.42"),
    ("61", (2025, 9, 22), "Mission à Montréal (démo)", "CAD", "0.36"),
    ("62", (2025, 10, 16), "Séminaire de Lomé : salles et interprétation (démo)", "XOF", "1.04"),
    ("63", (2025, 11, 5), "Impression du rapport annuel (démo)", "EUR", "0.93"),
    ("74", (2025, 10, 10), "Parrainage du séminaire de Lomé (démo)", "EUR", "1"),
]
EVENT_PAYERS = [
    ("Awa Koné (fictive)", "Mairie fictive de Sokodé"),
    ("Jean-Marc Dubois (fictif)", "Association fictive des villes de l'Est"),
    ("Nadia Benali (fictive)", "Institut fictif d'urbanisme"),
    ("Paulo Mendes (fictício)", "Câmara fictícia de Bissau"),
]
INTRODUCTION = {
    "fr": "Ce que l'AIMF rend public : ses instances, ses statuts, son budget et ses comptes, "
    "l'avis de l'auditeur et les projets de son Fonds de coopération. Données de démonstration.",
    "en": "What the AIMF makes public: its governing bodies, statutes, budget and accounts, the "
    "auditor's opinion and the projects of its Cooperation Fund. Demonstration data.",
    "ca": "El que l'AIMF fa públic: els seus òrgans de govern, els estatuts, el pressupost i els "
    "comptes, l'opinió de l'auditor i els projectes del seu Fons de cooperació. Dades de "
    "demostració.",
    "es": "Lo que la AIMF hace público: sus órganos de gobierno, estatutos, presupuesto y "
    "cuentas, la opinión del auditor y los proyectos de su Fondo de cooperación. Datos de "
    "demostración.",
}


def _document(title: str, lines: list[str], name: str) -> SimpleUploadedFile:
    """A one-page PDF standing for the paper behind an entry (fictional, marked as such)."""
    buffer = io.BytesIO()
    document = pdf.document(buffer, title=title, author="AIMF (démo)", language="fr")
    s = pdf.styles()
    story = [pdf.p(title, s["title"]), *[pdf.p(line, s["body"]) for line in lines]]
    story.append(pdf.p("Document fictif de démonstration.", s["small"]))
    pdf.build(document, story, footer="AIMF · document de démonstration")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _meeting(network, body, slug: str, day: datetime.date, title: str, decisions: list[str]):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    event = Event.objects.create(
        slug=slug,
        status=Event.Status.PUBLISHED,
        kind=Event.Kind.EXECUTIVE_COMMITTEE,
        network=network,
        original_language="fr",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        time_zone="Europe/Paris",
        venue_name="Siège de l'AIMF (démo)",
        working_languages=["fr"],
        is_public=False,
    )
    EventTranslation.objects.create(
        event=event, language="fr", title=title, summary="Réunion fictive de démonstration."
    )
    meeting = Meeting.objects.create(event=event, body=body)
    Minutes.objects.create(
        meeting=meeting,
        text=f"{title}.\n" + "\n".join(f"— {text}" for text in decisions),
        status=Minutes.Status.APPROVED,
        approved_on=start + datetime.timedelta(days=30),
    )
    return [Decision.objects.create(meeting=meeting, text=text) for text in decisions]


def _round(value: Decimal, step: int = 1000) -> Decimal:
    return (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _event_fees(network, by) -> None:
    for position, (name, organisation) in enumerate(EVENT_PAYERS):
        invoice = issue_invoice(
            None,
            network=network,
            kind=Invoice.Kind.EVENT_FEE,
            year=YEAR,
            amount="350",
            currency="EUR",
            due_on=datetime.date(2025, 9, 30),
            payer_name=name,
            payer_organisation=organisation,
            by=by,
            on=datetime.date(2025, 8, 20),
        )
        record_payment(
            invoice,
            amount="350",
            currency="EUR",
            received_on=datetime.date(2025, 9, 10 + position),
            by=by,
            reference=f"DEMO-LOME-{position + 1}",
        )


def _expected(network) -> dict[str, Decimal]:
    """The year's expected income from what the demo invoiced and committed: the budget's base."""
    invoiced = dict(
        Invoice.objects.filter(network=network, year=YEAR)
        .exclude(status=Invoice.Status.CANCELLED)
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    grants = Income.objects.filter(fund__network=network, year=YEAR).aggregate(
        total=Sum("amount_converted")
    )["total"]
    released = Disbursement.objects.filter(
        commitment__fund__network=network,
        status=Disbursement.Status.RELEASED,
        released_on__year=YEAR,
    ).aggregate(total=Sum("amount"))["total"]
    return {
        "70": _round(invoiced.get(Invoice.Kind.DUES) or 0) or Decimal(60000),
        "71": _round(invoiced.get(Invoice.Kind.FUND_CONTRIBUTION) or 0) or Decimal(30000),
        "72": _round(grants or 0) or Decimal(50000),
        "73": Decimal(1500),
        "74": Decimal(12000),
        "64": _round(released or 0, 100),
    }


def load(stdout) -> None:
    network = Network.objects.filter(slug="aimf").first()
    if network is None or AccountingSettings.objects.filter(network=network).exists():
        return
    by = User.objects.filter(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=network).first()
    services.set_accounting_currency(network, "EUR", by=by)
    for currency, rate in RATES:
        services.record_exchange_rate(
            network, currency=currency, valid_from=datetime.date(2025, 1, 1), rate=rate, by=by
        )
    accounts = {
        code: services.save_account(
            network, code=code, kind=kind, name=names, source=source, position=i, by=by
        )
        for i, (code, kind, source, names) in enumerate(ACCOUNTS)
    }

    body = Body.objects.create(
        network=network,
        kind="executive_committee",
        name="Bureau de l'AIMF (démo)",
        voting_weights={"full": 1},
    )
    seats = (
        Membership.objects.active()
        .filter(network=network, local_government__isnull=False)
        .select_related("local_government")
        .order_by("local_government__name")[:7]
    )
    for position, membership in enumerate(seats):
        BodyMember.objects.create(
            body=body,
            local_government=membership.local_government,
            category="full",
            term_start=datetime.date(2023, 11, 1),
            term_end=datetime.date(2027, 10, 31) if position else None,
        )
    (adopt,) = _meeting(
        network,
        body,
        "aimf-bureau-2024-11-demo",
        datetime.date(2024, 11, 28),
        "Bureau de l'AIMF, novembre 2024 (démo)",
        ["Le Bureau adopte le budget 2025 de l'AIMF (décision fictive de démonstration)."],
    )
    (revise,) = _meeting(
        network,
        body,
        "aimf-bureau-2025-06-demo",
        datetime.date(2025, 6, 12),
        "Bureau de l'AIMF, juin 2025 (démo)",
        [
            "Le Bureau révise le budget 2025 : plus de crédits pour le séminaire de Lomé "
            "(décision fictive de démonstration)."
        ],
    )
    _event_fees(network, by)

    expected = _expected(network)
    income = sum(expected[code] for code in ("70", "71", "72", "73", "74"))
    # What remains after the projects, shared between the secretariat's costs (a small surplus).
    rest = income - expected["64"]
    first = {
        **{code: expected[code] for code in ("70", "71", "72", "73", "74", "64")},
        "60": _round(rest * Decimal("0.62")),
        "61": _round(rest * Decimal("0.10")),
        "62": _round(rest * Decimal("0.14")),
        "63": _round(rest * Decimal("0.05")),
    }
    services.approve_budget(
        network,
        YEAR,
        amounts={accounts[code]: amount for code, amount in first.items()},
        decision=adopt,
        note="Budget initial (démo).",
        by=by,
    )
    revised = {**first, "62": first["62"] + 8000, "74": first["74"] + 3000}
    services.approve_budget(
        network,
        YEAR,
        amounts={accounts[code]: amount for code, amount in revised.items()},
        decision=revise,
        note="Révision de juin : séminaire de Lomé (démo).",
        by=by,
    )
    rates = dict(RATES) | {"EUR": "1"}
    for position, (code, day, description, currency, share) in enumerate(ENTRIES, start=1):
        amount = (revised[code] * Decimal(share) / Decimal(rates[currency])).quantize(
            Decimal(1) if currency == "XOF" else Decimal("0.01")
        )
        services.record_manual_entry(
            network,
            account=accounts[code],
            booked_on=datetime.date(*day),
            description=description,
            currency=currency,
            amount=amount,
            file=_document(
                description,
                [f"Montant : {amount} {currency}", f"Date : {datetime.date(*day):%d/%m/%Y}"],
                f"piece-{position:02d}.pdf",
            ),
            by=by,
        )

    audit = services.record_audit(
        network,
        auditor="Cabinet Fictif d'Audit & Associés (démo)",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        scope="Comptes annuels 2025 de l'AIMF et du Fonds de coopération (mission fictive).",
        by=by,
    )
    services.record_audit_opinion(
        audit,
        opinion="unmodified",
        text="À notre avis, les comptes annuels donnent une image fidèle de la situation "
        "financière de l'association au 31 décembre 2025 (opinion fictive de démonstration).",
        given_on=datetime.date(2026, 4, 10),
        report=_document(
            "Rapport d'audit 2025 (démo)",
            ["Opinion sans réserve.", "Une recommandation sur les pièces de voyage."],
            "rapport-audit-2025.pdf",
        ),
        by=by,
    )
    services.record_finding(
        audit,
        title="Pièces justificatives de deux missions remises en retard (constat fictif).",
        recommendation="Joindre la pièce à chaque écriture dans le mois.",
        status="resolved",
        follow_up="Chaque écriture manuelle exige désormais son document sur la plateforme.",
        by=by,
    )
    services.close_year(network, YEAR, on=datetime.date(2026, 4, 20), by=by)
    # The next year's budget, adopted in November: what came in so far shows on the budget page and
    # on My work, with the warning if the year heads for a deficit.
    (adopt_next,) = _meeting(
        network,
        body,
        "aimf-bureau-2025-11-demo",
        datetime.date(2025, 11, 27),
        "Bureau de l'AIMF, novembre 2025 (démo)",
        ["Le Bureau adopte le budget 2026 de l'AIMF (décision fictive de démonstration)."],
    )
    services.approve_budget(
        network,
        YEAR + 1,
        amounts={
            accounts[code]: amount * Decimal("1.04") if code in ("60", "62") else amount
            for code, amount in revised.items()
        },
        decision=adopt_next,
        note="Budget 2026 (démo).",
        by=by,
    )
    # The salaries of 2026's quarters already past, so that the year in progress has actuals too.
    today = timezone.localdate()
    for quarter, (month, day) in enumerate(((3, 31), (6, 30), (9, 30)), start=1):
        paid_on = datetime.date(YEAR + 1, month, day)
        if paid_on > today:
            break
        description = f"Salaires du secrétariat 2026, trimestre {quarter} (démo)"
        services.record_manual_entry(
            network,
            account=accounts["60"],
            booked_on=paid_on,
            description=description,
            currency="EUR",
            amount=(revised["60"] * Decimal("1.04") / 4).quantize(Decimal("0.01")),
            file=_document(
                description, ["Montant : voir l'écriture."], f"salaires-2026-{quarter}.pdf"
            ),
            by=by,
        )
    services.add_published_document(
        network,
        kind="statutes",
        title="Statuts de l'AIMF (version de démonstration)",
        language="fr",
        adopted_on=datetime.date(2019, 11, 6),
        file=_document(
            "Statuts de l'AIMF (démo)",
            ["Texte fictif de démonstration : l'association réunit des maires francophones."],
            "statuts.pdf",
        ),
        by=by,
    )
    services.publish_sections(
        network,
        [
            TransparencySection.BODIES,
            TransparencySection.STATUTES,
            TransparencySection.BUDGET,
            TransparencySection.AUDITS,
            TransparencySection.REPORTS,
            TransparencySection.MINUTES,
            TransparencySection.COOPERATION,
        ],
        introduction=INTRODUCTION,
        by=by,
    )
    stdout.write(f"  {network}: budget {YEAR} with actuals, an audit and a transparency page")
