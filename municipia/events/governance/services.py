"""Every action of governance: proxies, agenda, motions, ballots and votes, results, minutes and
decisions; one function per use case, called by the pages, the API, the admin and the demo.

Voting rights of a member at a meeting: in its term on the meeting's day, of a category the body
lets vote (weight above 0), and, for a local government, in good standing in the network
(`finance.standing`). A vote is cast by the member's representative (an officer of the member city,
or the person's own account) while the member is present, or by the holder of its proxy.
"""

import math
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.accounts.models import Role
from municipia.accounts.permissions import local_government_ids_with_role
from municipia.cooperation.services import CooperationError, check_documents, save_documents
from municipia.core.log import log_action
from municipia.events.governance.chain import result_hash
from municipia.events.governance.models import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    BallotVoter,
    Body,
    BodyMember,
    Candidate,
    Decision,
    Meeting,
    Minutes,
    Motion,
    OpenVote,
    Proxy,
    Result,
    Tally,
)
from municipia.events.models import Registration
from municipia.finance.standing import members_in_good_standing


class GovernanceError(Exception):
    """An expected refusal; its message is shown to the person who asked."""


# --- Rights, presence and quorum ---


def voting_weights(meeting: Meeting) -> dict[int, int]:
    """Each member of the body with its vote's weight at this meeting (0: no voting right).
    Two queries: the members, and the members in good standing."""
    body, day = meeting.body, meeting.date
    members = list(body.members.all())
    standing = set(
        members_in_good_standing(body.network, on=day)
        .filter(local_government__isnull=False)
        .values_list("local_government_id", flat=True)
    )
    weights = {}
    for member in members:
        weight = body.weight_for(member.category) if member.in_term(day) else 0
        if member.local_government_id is not None and member.local_government_id not in standing:
            weight = 0
        weights[member.pk] = weight
    return weights


def present_member_ids(meeting: Meeting) -> set[int]:
    """Members checked in at the meeting's door: a city through any of its checked-in delegates,
    a person through their own registration (by account or e-mail)."""
    present = Registration.objects.filter(event_id=meeting.event_id, checked_in_at__isnull=False)
    cities = set(
        present.exclude(local_government=None).values_list("local_government_id", flat=True)
    )
    users = set(present.exclude(user=None).values_list("user_id", flat=True))
    emails = {e.lower() for e in present.values_list("email", flat=True)}
    ids = set()
    for member in meeting.body.members.select_related("person"):
        if member.local_government_id in cities or (
            member.person_id
            and (member.person.user_id in users or (member.person.email or "").lower() in emails)
        ):
            ids.add(member.pk)
    return ids


@dataclass(frozen=True)
class Quorum:
    basis: str
    voting: int  # voting members (or their weights)
    present: int
    represented: int
    needed: int
    weights: dict
    present_ids: frozenset
    proxies: dict  # giver id → holder id, holders present

    @property
    def attending(self) -> int:
        return self.present + self.represented

    @property
    def reached(self) -> bool:
        return self.attending >= self.needed


def quorum(meeting: Meeting) -> Quorum:
    body = meeting.body
    weights = voting_weights(meeting)
    present = present_member_ids(meeting)
    proxies = {
        giver: holder
        for giver, holder in meeting.proxies.values_list("giver_id", "holder_id")
        if holder in present and giver not in present
    }
    by_weight = body.quorum_basis == Body.QuorumBasis.WEIGHTS

    def measure(ids):
        voting = [m for m in ids if weights.get(m, 0) > 0]
        return sum(weights[m] for m in voting) if by_weight else len(voting)

    total = measure(weights)
    if body.quorum_kind == Body.QuorumKind.FRACTION:
        needed = math.ceil(Decimal(total) * Decimal(str(body.quorum_value)))
    else:
        needed = int(body.quorum_value)
    return Quorum(
        basis=body.quorum_basis,
        voting=total,
        present=measure(present),
        represented=measure(proxies),
        needed=needed,
        weights=weights,
        present_ids=frozenset(present),
        proxies=proxies,
    )


def represented_by(user, meeting: Meeting) -> list[BodyMember]:
    """The members `user` may vote for at the meeting: those they represent that gave no proxy,
    and those whose proxy is held by a member they represent."""
    if not user.is_authenticated:
        return []
    cities = local_government_ids_with_role(user, Role.Kind.CITY_OFFICER)
    own = set(
        meeting.body.members.filter(
            Q(local_government_id__in=cities) | Q(person__user=user)
        ).values_list("pk", flat=True)
    )
    if not own:
        return []
    proxies = dict(meeting.proxies.values_list("giver_id", "holder_id"))
    ids = {m for m in own if m not in proxies} | {g for g, h in proxies.items() if h in own}
    return list(
        meeting.body.members.filter(pk__in=ids).select_related("local_government", "person")
    )


# --- Proxies ---


@transaction.atomic
def grant_proxy(meeting: Meeting, *, giver: BodyMember, holder: BodyMember, by) -> Proxy:
    """Record that `giver` is represented by `holder`, a present member; refused to oneself,
    without a voting right, or beyond the body's limit of proxies per holder."""
    body = Body.objects.select_for_update().get(pk=meeting.body_id)
    if giver.body_id != body.pk or holder.body_id != body.pk:
        raise GovernanceError(_("Both members must belong to this body."))
    if giver.pk == holder.pk:
        raise GovernanceError(_("A member cannot give its proxy to itself."))
    weights = voting_weights(meeting)
    if not weights.get(giver.pk):
        raise GovernanceError(
            _("%(member)s has no voting right at this meeting, so it has no proxy to give.")
            % {"member": giver}
        )
    if holder.pk not in present_member_ids(meeting):
        raise GovernanceError(
            _("%(member)s is not checked in: a proxy goes to a present member.")
            % {"member": holder}
        )
    if Proxy.objects.filter(meeting=meeting, giver=holder).exists():
        raise GovernanceError(
            _("%(member)s has given its own proxy and cannot hold another.") % {"member": holder}
        )
    held = Proxy.objects.filter(meeting=meeting, holder=holder).count()
    if held >= body.proxy_limit:
        raise GovernanceError(
            _("%(member)s already holds the most proxies this body allows: %(count)s.")
            % {"member": holder, "count": held}
        )
    try:
        with transaction.atomic():
            proxy = Proxy.objects.create(
                meeting=meeting, giver=giver, holder=holder, recorded_by=_account(by)
            )
    except IntegrityError as twice:
        raise GovernanceError(
            _("%(member)s has already given its proxy.") % {"member": giver}
        ) from twice
    log_action(meeting.event, "governance.proxy.granted", user=by, data={"proxy": proxy.pk})
    return proxy


def _account(user):
    return user if user is not None and user.is_authenticated else None


# --- Agenda and motions ---


@transaction.atomic
def add_agenda_item(meeting: Meeting, *, title: str, description: str = "", by) -> AgendaItem:
    title = (title or "").strip()
    if not title:
        raise GovernanceError(_("Give the agenda item a title."))
    position = meeting.agenda.count() + 1
    item = AgendaItem.objects.create(
        meeting=meeting, position=position, title=title[:300], description=description.strip()
    )
    log_action(meeting.event, "governance.agenda.added", user=by, data={"item": item.pk})
    return item


@transaction.atomic
def add_agenda_documents(item: AgendaItem, *, files, by) -> int:
    """Attach documents, checked and stored as every document of the site (cooperation's
    `check_documents`); the whole lot is refused at the first bad file."""
    if not files:
        raise GovernanceError(_("Choose at least one file."))
    try:
        checked = check_documents(files)
    except CooperationError as refused:
        raise GovernanceError(str(refused)) from refused
    save_documents(
        checked, lambda: AgendaDocument(item=item), prefix=f"item-{item.pk}", by=_account(by)
    )
    return len(checked)


@transaction.atomic
def propose_motion(
    item: AgendaItem, *, text: str, by, amends: Motion | None = None, proposed_by=None
) -> Motion:
    text = (text or "").strip()
    if not text:
        raise GovernanceError(_("Write the text of the motion."))
    if amends is not None and amends.item_id != item.pk:
        raise GovernanceError(_("An amendment amends a motion of the same agenda item."))
    return Motion.objects.create(item=item, text=text, amends=amends, proposed_by=proposed_by)


# --- Ballots ---


@transaction.atomic
def create_ballot(
    item: AgendaItem,
    *,
    title: str,
    kind: str = Ballot.Kind.YES_NO,
    secret: bool = False,
    seats: int = 1,
    candidates=(),
    motion: Motion | None = None,
    by,
) -> Ballot:
    title = (title or "").strip()
    if not title:
        raise GovernanceError(_("Write the question put to the vote."))
    if kind not in Ballot.Kind.values:
        raise GovernanceError(_("Choose the kind of ballot."))
    names = [n.strip() for n in candidates if n and n.strip()]
    if kind == Ballot.Kind.CANDIDATES:
        if len(names) < 1:
            raise GovernanceError(_("Name the candidates, one per line."))
        if not 1 <= seats <= len(names):
            raise GovernanceError(_("The number of seats must be between 1 and the candidates'."))
    if motion is not None and motion.item_id != item.pk:
        raise GovernanceError(_("The motion belongs to another agenda item."))
    ballot = Ballot.objects.create(
        item=item,
        motion=motion,
        title=title[:300],
        kind=kind,
        secret=secret,
        seats=seats if kind == Ballot.Kind.CANDIDATES else 1,
    )
    if kind == Ballot.Kind.CANDIDATES:
        Candidate.objects.bulk_create(
            Candidate(ballot=ballot, name=name[:200], position=n) for n, name in enumerate(names)
        )
    log_action(item.meeting.event, "governance.ballot.created", user=by, data={"ballot": ballot.pk})
    return ballot


def _locked_ballot(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().get(pk=ballot.pk)


@transaction.atomic
def open_ballot(ballot: Ballot, *, by, now=None) -> Ballot:
    ballot = _locked_ballot(ballot)
    if ballot.status != Ballot.Status.DRAFT:
        raise GovernanceError(_("This ballot has already been opened."))
    ballot.status, ballot.opened_at = Ballot.Status.OPEN, now or timezone.now()
    ballot.save(update_fields=["status", "opened_at"])
    # One counter per option, in the options' order, before any vote.
    Tally.objects.bulk_create(Tally(ballot=ballot, option=o) for o in ballot.options())
    log_action(
        ballot.meeting.event, "governance.ballot.opened", user=by, data={"ballot": ballot.pk}
    )
    return ballot


def _choices(ballot: Ballot, choices) -> list[str]:
    if isinstance(choices, str):
        choices = [choices]
    choices = [str(c) for c in (choices or [])]
    if ballot.kind == Ballot.Kind.YES_NO:
        if len(choices) != 1 or choices[0] not in Ballot.YES_NO_OPTIONS:
            raise GovernanceError(_("Choose yes, no or abstain."))
        return choices
    keys = set(ballot.options()) - {Ballot.BLANK}
    if not choices or choices == [Ballot.BLANK]:
        return [Ballot.BLANK]
    if len(set(choices)) != len(choices) or not set(choices) <= keys:
        raise GovernanceError(_("Choose among the candidates of this ballot."))
    if len(choices) > ballot.seats:
        raise GovernanceError(_("Choose at most %(seats)s candidates.") % {"seats": ballot.seats})
    return choices


@transaction.atomic
def cast_vote(ballot: Ballot, *, member: BodyMember, choices, by) -> None:
    """Record one member's vote, cast by `by` who represents it (directly or by proxy).

    A secret vote increments the anonymous counters and marks the member as having voted, in
    the same transaction; nothing else keeps the choice (no log, no history)."""
    ballot = _locked_ballot(ballot)
    if ballot.status == Ballot.Status.DRAFT:
        raise GovernanceError(_("This ballot is not open yet."))
    if ballot.status == Ballot.Status.CLOSED:
        raise GovernanceError(_("This ballot is closed: no more votes are taken."))
    meeting = Meeting.objects.select_related("body__network", "event").get(
        pk=ballot.item.meeting_id
    )
    if member.body_id != meeting.body_id:
        raise GovernanceError(_("This member does not belong to the body that votes."))
    if member.pk not in {m.pk for m in represented_by(by, meeting)}:
        raise GovernanceError(
            _("You do not represent %(member)s in this vote.") % {"member": member}
        )
    state = quorum(meeting)
    weight = state.weights.get(member.pk, 0)
    if not weight:
        raise GovernanceError(
            _("%(member)s has no voting right at this meeting.") % {"member": member}
        )
    if member.pk not in state.present_ids and member.pk not in state.proxies:
        raise GovernanceError(
            _("%(member)s is neither checked in nor represented by a present member.")
            % {"member": member}
        )
    choices = _choices(ballot, choices)
    try:
        with transaction.atomic():
            BallotVoter.objects.create(ballot=ballot, member=member, cast_by=_account(by))
    except IntegrityError as twice:
        raise GovernanceError(
            _("%(member)s has already voted in this ballot.") % {"member": member}
        ) from twice
    Tally.objects.filter(ballot=ballot, option__in=choices).update(
        votes=F("votes") + 1, weight=F("weight") + weight
    )
    if not ballot.secret:
        OpenVote.objects.create(
            ballot=ballot, member=member, choices=choices, weight=weight, cast_by=_account(by)
        )


def _outcome(ballot: Ballot, counts: list[dict]) -> tuple[str, list[str]]:
    measure = {c["option"]: c["weight"] for c in counts}
    if ballot.kind == Ballot.Kind.YES_NO:
        adopted = measure["yes"] > measure["no"]
        return (Result.Outcome.ADOPTED if adopted else Result.Outcome.REJECTED), []
    ranked = sorted((c for c in counts if c["option"] != Ballot.BLANK), key=lambda c: -c["weight"])
    seats = ballot.seats
    elected = [c for c in ranked[:seats] if c["weight"] > 0]
    if len(ranked) > seats and elected and ranked[seats]["weight"] == ranked[seats - 1]["weight"]:
        tied = ranked[seats - 1]["weight"]
        return Result.Outcome.TIE, [c["label"] for c in elected if c["weight"] > tied]
    return Result.Outcome.ELECTED, [c["label"] for c in elected]


@transaction.atomic
def close_ballot(ballot: Ballot, *, by, now=None) -> Result:
    """Close the ballot and record its result, chained to the body's previous one.

    The counters and the roll of voters are then written anew (voters in a shuffled order,
    counters in the options' order) in this one transaction: nothing in the rows left, not even
    their order or the database's transaction ids, tells who voted when or for what."""
    ballot = _locked_ballot(ballot)
    if ballot.status != Ballot.Status.OPEN:
        raise GovernanceError(_("Only an open ballot can be closed."))
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("body").get(pk=ballot.item.meeting_id)
    body = Body.objects.select_for_update().get(pk=meeting.body_id)
    labels = {c.key: c.name for c in ballot.candidates.all()}
    labels.update({"yes": "yes", "no": "no", "abstain": "abstain", Ballot.BLANK: "blank"})
    tallies = {t.option: t for t in Tally.objects.filter(ballot=ballot)}
    counts = [
        {
            "option": option,
            "label": labels.get(option, option),
            "votes": tallies[option].votes,
            "weight": tallies[option].weight,
        }
        for option in ballot.options()
    ]
    _seal(ballot, tallies, counts)
    outcome, elected = _outcome(ballot, counts)
    previous = Result.objects.filter(body=body).order_by("-sequence").first()
    result = Result(
        ballot=ballot,
        body=body,
        sequence=(previous.sequence + 1) if previous else 1,
        title=ballot.title,
        secret=ballot.secret,
        counts=counts,
        voters=ballot.voters.count(),
        outcome=outcome,
        elected=elected,
        recorded_at=now,
        previous_hash=previous.hash if previous else "",
    )
    result.hash = result_hash(result)
    result.save()
    ballot.status, ballot.closed_at = Ballot.Status.CLOSED, now
    ballot.save(update_fields=["status", "closed_at"])
    log_action(meeting.event, "governance.ballot.closed", user=by, data={"result": result.pk})
    return result


def _seal(ballot: Ballot, tallies: dict, counts: list[dict]) -> None:
    voters = list(BallotVoter.objects.filter(ballot=ballot).values_list("member_id", "cast_by_id"))
    random.SystemRandom().shuffle(voters)
    BallotVoter.objects.filter(ballot=ballot).delete()
    BallotVoter.objects.bulk_create(
        BallotVoter(ballot=ballot, member_id=m, cast_by_id=u) for m, u in voters
    )
    Tally.objects.filter(ballot=ballot).delete()
    Tally.objects.bulk_create(
        Tally(ballot=ballot, option=c["option"], votes=c["votes"], weight=c["weight"])
        for c in counts
    )


# --- Minutes and decisions ---


def minutes_text(meeting: Meeting) -> str:
    """A draft of the minutes from the agenda, its motions and the results with their hashes."""
    lines = [
        str(meeting.body),
        f"{meeting.event.title} · {meeting.date.isoformat()}",
        "",
    ]
    state = quorum(meeting)
    lines.append(
        _("Quorum: %(attending)s of %(voting)s attending or represented (%(needed)s needed).")
        % {"attending": state.attending, "voting": state.voting, "needed": state.needed}
    )
    items = meeting.agenda.prefetch_related("motions", "ballots__result")
    for item in items:
        lines += ["", f"{item.position}. {item.title}"]
        if item.description:
            lines.append(item.description)
        for motion in item.motions.all():
            prefix = _("Amendment") if motion.amends_id else _("Motion")
            lines.append(f"{prefix}: {motion.text}")
        for ballot in item.ballots.all():
            result = getattr(ballot, "result", None)
            if result is None:
                continue
            lines.append(result_summary(result))
    return "\n".join(lines)


def result_summary(result: Result) -> str:
    counts = ", ".join(f"{c['label']}: {c['votes']} ({c['weight']})" for c in result.shown_counts())
    text = _("Vote no. %(n)s, %(title)s: %(outcome)s. %(counts)s.") % {
        "n": result.sequence,
        "title": result.title,
        "outcome": result.get_outcome_display(),
        "counts": counts,
    }
    if result.elected:
        text += " " + _("Elected: %(names)s.") % {"names": ", ".join(result.elected)}
    return text + " " + _("Hash: %(hash)s") % {"hash": result.hash}


@transaction.atomic
def draft_minutes(meeting: Meeting, *, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is not None and minutes.status == Minutes.Status.APPROVED:
        raise GovernanceError(_("These minutes are approved and can no longer change."))
    text = minutes_text(meeting)
    if minutes is None:
        minutes = Minutes.objects.create(meeting=meeting, text=text)
    else:
        minutes.text = text
        minutes.save(update_fields=["text"])
    log_action(meeting.event, "governance.minutes.drafted", user=by)
    return minutes


@transaction.atomic
def edit_minutes(minutes: Minutes, *, text: str, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != Minutes.Status.DRAFT:
        raise GovernanceError(_("These minutes are approved and can no longer change."))
    if not (text or "").strip():
        raise GovernanceError(_("The minutes cannot be empty."))
    minutes.text = text.strip()
    minutes.save(update_fields=["text"])
    log_action(minutes.meeting.event, "governance.minutes.edited", user=by)
    return minutes


@transaction.atomic
def approve_minutes(
    minutes: Minutes, *, at: Meeting, by, result: Result | None = None, now=None
) -> Minutes:
    """Approve the minutes at a later meeting of the same body, by a vote there or by a staff
    action recorded at that meeting."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__event").get(pk=minutes.pk)
    )
    if minutes.status != Minutes.Status.DRAFT:
        raise GovernanceError(_("These minutes are already approved."))
    if at.body_id != minutes.meeting.body_id or not (
        at.event.starts_at > minutes.meeting.event.starts_at
    ):
        raise GovernanceError(_("Minutes are approved at a later meeting of the same body."))
    if result is not None and (
        result.ballot.item.meeting_id != at.pk or result.outcome != Result.Outcome.ADOPTED
    ):
        raise GovernanceError(_("The approving vote must be adopted at that meeting."))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = at
    minutes.approved_by_result = result
    minutes.approved_by = _account(by)
    minutes.approved_on = now or timezone.now()
    minutes.save()
    log_action(at.event, "governance.minutes.approved", user=by, data={"minutes": minutes.pk})
    return minutes


@transaction.atomic
def record_decision(
    meeting: Meeting, *, text: str, by, result: Result | None = None, activities=()
) -> Decision:
    """A decision of the meeting, optionally from one of its results, followed up by activities
    of the network's plans."""
    from municipia.plans.models import Activity

    text = (text or "").strip()
    if not text:
        raise GovernanceError(_("Write the decision."))
    if result is not None and result.ballot.item.meeting_id != meeting.pk:
        raise GovernanceError(_("The result belongs to another meeting."))
    activities = list(activities)
    allowed = Activity.objects.filter(
        pk__in=[a.pk for a in activities], objective__plan__network_id=meeting.body.network_id
    ).count()
    if allowed != len(activities):
        raise GovernanceError(_("Link only activities of this network's plans."))
    decision = Decision.objects.create(meeting=meeting, text=text, result=result)
    decision.activities.set(activities)
    log_action(
        meeting.event, "governance.decision.recorded", user=by, data={"decision": decision.pk}
    )
    return decision


def plan_follow_up(meeting: Meeting):
    """The activities of the network's adopted plans, with the decisions that concern them."""
    from django.db.models import Prefetch

    from municipia.plans.models import Activity

    return (
        Activity.objects.filter(objective__plan__network_id=meeting.body.network_id)
        .exclude(objective__plan__status="draft")
        .select_related("objective__plan")
        .prefetch_related(
            Prefetch(
                "decisions",
                Decision.objects.select_related("meeting__event", "meeting__body"),
            )
        )
        .order_by("objective__plan", "objective__position", "position", "pk")
    )
