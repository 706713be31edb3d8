"""Demo governance of AICE: a general assembly (a body, its members, check-ins giving the quorum,
one proxy, an open vote approving the 2025 action plan's report and a secret election of the
executive committee) and two executive committee meetings, the first's minutes approved at the
second and its decisions linked to the activities of the 2025 action plan.

Everything here is fictional and says so: the delegates, their accounts (with no password), the
meetings and the votes. Idempotent: nothing is added once the assembly's body exists; fast and
deterministic (dates from today, members in the order of their names).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from municipia.accounts.models import Role, User
from municipia.directory.models import Membership, Network
from municipia.events.governance import services
from municipia.events.governance.models import Body, BodyMember, Meeting
from municipia.events.models import Event, Registration
from municipia.events.services import check_in
from municipia.finance.standing import members_in_good_standing
from municipia.plans.models import Activity, Plan

ASSEMBLY_SLUG = "aice-general-assembly-demo"
COMMITTEE_SLUGS = ("aice-executive-committee-demo-1", "aice-executive-committee-demo-2")
TERM_START = datetime.date(2024, 1, 1)


def _meeting(body, slug, kind, day, texts, network) -> Meeting:
    from municipia.demo.events import _at, _event

    event = _event(
        slug,
        texts,
        kind=kind,
        network=network,
        original_language="es",
        starts_at=_at(day, 10),
        ends_at=_at(day, 14),
        time_zone="Europe/Madrid",
        venue_name="Secretariat of the association (demo)",
        working_languages=["es", "en", "fr"],
        is_public=False,
    )
    return Meeting.objects.create(event=event, body=body)


def _representative(member: BodyMember) -> User:
    city = member.local_government
    user, _created = User.objects.get_or_create(
        email=f"delegate.{city.slug}@demo.municipia.example",
        defaults={"full_name": f"Fictional delegate of {city.name}"},
    )
    Role.objects.get_or_create(user=user, kind=Role.Kind.CITY_OFFICER, local_government=city)
    return user


def _arrive(meeting: Meeting, member: BodyMember, user: User) -> None:
    # The meeting is over: its attendance is recorded as the check-in page would have.
    registration = Registration.objects.create(
        event=meeting.event,
        user=user,
        full_name=user.full_name,
        email=user.email,
        language="es",
        local_government=member.local_government,
        category=Registration.Category.MEMBER,
        status=Registration.Status.CONFIRMED,
    )
    check_in(registration, by=None)


def load(stdout, *, today: datetime.date | None = None) -> None:
    aice = Network.objects.filter(slug="aice").first()
    if aice is None or Body.objects.filter(network=aice).exists():
        return
    today = today or timezone.localdate()
    staff = User.objects.filter(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=aice).first()
    assembly_day = today - datetime.timedelta(days=90)
    in_standing = set(
        members_in_good_standing(aice, on=assembly_day).values_list("local_government", flat=True)
    )
    memberships = list(
        Membership.objects.active()
        .filter(network=aice, local_government__isnull=False)
        .filter(Q(category="full") | Q(category="associate"))
        .select_related("local_government")
        .order_by("local_government__name")[:12]
    )
    voting = [m for m in memberships if m.local_government_id in in_standing]
    if len(voting) < 5:
        stdout.write("  governance: too few members in good standing, skipped")
        return

    assembly_body = Body.objects.create(
        network=aice,
        kind="general_assembly",
        name="Asamblea General de la AICE (demo)",
        voting_weights={"full": 1, "associate": 1},
        quorum_value="0.5",
        proxy_limit=2,
    )
    members = [
        BodyMember.objects.create(
            body=assembly_body,
            local_government=m.local_government,
            category=m.category,
            term_start=TERM_START,
        )
        for m in memberships
    ]
    voters = [m for m in members if m.local_government_id in in_standing]
    delegates = {m.pk: _representative(m) for m in voters}
    assembly = _meeting(
        assembly_body,
        ASSEMBLY_SLUG,
        Event.Kind.GENERAL_ASSEMBLY,
        assembly_day,
        {
            "es": (
                "Asamblea General de la AICE (demo)",
                "Asamblea General ficticia de demostración: informe del plan de acción 2025 y "
                "elección del Comité Ejecutivo.",
                "",
            ),
            "en": (
                "AICE General Assembly (demo)",
                "A fictional demo assembly: the 2025 action plan's report and the election of the "
                "executive committee.",
                "",
            ),
        },
        aice,
    )
    present, absent = voters[:-1], voters[-1]
    for member in present:
        _arrive(assembly, member, delegates[member.pk])
    services.grant_proxy(assembly, giver=absent, holder=present[0], by=staff)

    report = services.add_agenda_item(
        assembly, title="Informe del plan de acción 2025 (demo)", by=staff
    )
    motion = services.propose_motion(
        report, text="La Asamblea aprueba el informe del plan de acción 2025.", by=staff
    )
    approval = services.create_ballot(
        report, title="Aprobación del informe del plan de acción 2025", motion=motion, by=staff
    )
    election_item = services.add_agenda_item(
        assembly, title="Elección del Comité Ejecutivo (demo)", by=staff
    )
    candidates = [m.local_government.name for m in voters[:4]]
    election = services.create_ballot(
        election_item,
        title="Elección de tres ciudades al Comité Ejecutivo",
        kind="candidates",
        secret=True,
        seats=3,
        candidates=candidates,
        by=staff,
    )
    services.open_ballot(approval, by=staff)
    services.open_ballot(election, by=staff)
    keys = [c.key for c in election.candidates.all()]
    for n, member in enumerate(voters):
        holder = present[0] if member == absent else member
        by = delegates[holder.pk]
        services.cast_vote(approval, member=member, choices="abstain" if n == 1 else "yes", by=by)
        picks = [keys[(n + i) % len(keys)] for i in range(3)] if n % 2 else keys[:3]
        services.cast_vote(election, member=member, choices=picks, by=by)
    approved = services.close_ballot(approval, by=staff)
    services.close_ballot(election, by=staff)
    services.draft_minutes(assembly, by=staff)

    # The executive committee: its first meeting decides on the plan's activities, the second
    # approves the first one's minutes.
    committee = Body.objects.create(
        network=aice,
        kind="executive_committee",
        name="Comité Ejecutivo de la AICE (demo)",
        voting_weights={"full": 1, "associate": 1},
        proxy_limit=1,
    )
    for member in voters[:4]:
        BodyMember.objects.create(
            body=committee,
            local_government=member.local_government,
            category=member.category,
            term_start=TERM_START,
        )
    texts = {
        "es": (
            "Comité Ejecutivo: seguimiento del plan de acción (demo)",
            "Reunión ficticia de demostración del Comité Ejecutivo.",
            "",
        ),
        "fr": (
            "Comité exécutif : suivi du plan d'action (démo)",
            "Réunion fictive de démonstration du comité exécutif.",
            "",
        ),
    }
    first = _meeting(
        committee,
        COMMITTEE_SLUGS[0],
        Event.Kind.EXECUTIVE_COMMITTEE,
        today - datetime.timedelta(days=75),
        texts,
        aice,
    )
    second = _meeting(
        committee,
        COMMITTEE_SLUGS[1],
        Event.Kind.EXECUTIVE_COMMITTEE,
        today - datetime.timedelta(days=20),
        texts,
        aice,
    )
    services.add_agenda_item(first, title="Seguimiento del plan de acción 2025 (demo)", by=staff)
    plan = (
        Plan.objects.filter(network=aice, kind=Plan.Kind.ACTION_PLAN).order_by("starts_on").first()
    )
    activities = list(
        Activity.objects.filter(objective__plan=plan).order_by(
            "objective__position", "position", "pk"
        )[:3]
    )
    services.record_decision(
        first,
        text="El Comité Ejecutivo encarga a la Secretaría el seguimiento de estas actividades "
        "y su informe a la Asamblea. (Decisión ficticia.)",
        result=None,
        activities=activities,
        by=staff,
    )
    services.record_decision(
        assembly,
        text="La Asamblea aprueba el informe del plan de acción 2025. (Decisión ficticia.)",
        result=approved,
        activities=activities[:1],
        by=staff,
    )
    minutes = services.draft_minutes(first, by=staff)
    services.approve_minutes(minutes, at=second, by=staff)
    upcoming = Event.objects.filter(slug="aice-executive-committee").first()
    if upcoming is not None:
        Meeting.objects.get_or_create(event=upcoming, defaults={"body": committee})
    stdout.write(
        f"  governance: 2 bodies, {Meeting.objects.filter(body__network=aice).count()} meetings"
    )
