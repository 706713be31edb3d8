"""Governance of a network: its bodies (general assembly, executive committee, advisory council)
and their members, the meetings of a body (events linked to it), their agenda, proxies, motions,
ballots, results and minutes, and the decisions that plans' activities follow up.

Secret ballots keep no link between a voter and a choice (decision 0043): who has voted is in
`BallotVoter`, what was chosen only in the aggregated counters of `Tally`, which carry no person,
no time, and are created once per option when the ballot opens. Results are append-only and
chained by a hash (`governance.chain`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.documents_base import DocumentBase

__all__ = [
    "AgendaDocument",
    "AgendaItem",
    "Ballot",
    "BallotVoter",
    "Body",
    "BodyMember",
    "Candidate",
    "Decision",
    "GovernanceKind",
    "ImmutableError",
    "Meeting",
    "Minutes",
    "Motion",
    "OpenVote",
    "Proxy",
    "Result",
    "Tally",
]


class GovernanceKind(models.TextChoices):
    GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
    EXECUTIVE_COMMITTEE = "executive_committee", _("Executive committee")
    ADVISORY_COUNCIL = "advisory_council", _("Advisory council")


class Body(models.Model):
    """A governing body of a network, with the rules its statutes give it."""

    class QuorumBasis(models.TextChoices):
        MEMBERS = "members", _("Voting members")
        WEIGHTS = "weights", _("Weights of the voting members")

    class QuorumKind(models.TextChoices):
        FRACTION = "fraction", _("Fraction")
        COUNT = "count", _("Number")

    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.PROTECT,
        related_name="governing_bodies",
        verbose_name=_("network"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=GovernanceKind)
    name = models.CharField(_("name"), max_length=200)
    # {"full": 2, "associate": 1}: the categories that vote and the weight of each vote; a
    # category absent (or with weight 0) does not vote.
    voting_weights = models.JSONField(_("voting categories and weights"), default=dict)
    weighted = models.BooleanField(
        _("weighted votes"),
        default=False,
        help_text=_("Otherwise every voting member has one vote."),
    )
    quorum_basis = models.CharField(
        _("quorum counted in"), max_length=10, choices=QuorumBasis, default=QuorumBasis.MEMBERS
    )
    quorum_kind = models.CharField(
        _("quorum rule"), max_length=10, choices=QuorumKind, default=QuorumKind.FRACTION
    )
    quorum_value = models.DecimalField(
        _("quorum"),
        max_digits=8,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
        help_text=_("A fraction (0.5 for half) or a number, as the rule says."),
    )
    proxy_limit = models.PositiveSmallIntegerField(_("proxies per holder"), default=1)

    class Meta:
        ordering = ["network", "kind", "name"]
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:governance-body", args=[self.pk])

    def weight_for(self, category: str) -> int:
        try:
            weight = int(self.voting_weights.get(category, 0))
        except (TypeError, ValueError):
            return 0
        if weight <= 0:
            return 0
        return weight if self.weighted else 1


class BodyMember(models.Model):
    """A member local government or a person of the directory, for a term."""

    class Category(models.TextChoices):
        FULL = "full", _("Full member")
        ASSOCIATE = "associate", _("Associate member")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner")
        PUBLIC = "public", _("Public sector")
        PRIVATE = "private", _("Private sector")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        EXPERT = "expert", _("Expert")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("body")
    )
    local_government = models.ForeignKey(
        "directory.LocalGovernment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("local government"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("person"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    term_start = models.DateField(_("term starts on"))
    term_end = models.DateField(_("term ends on"), null=True, blank=True)

    class Meta:
        ordering = ["body", "pk"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_government__isnull=False, person__isnull=True)
                | Q(local_government__isnull=True, person__isnull=False),
                name="body_member_one_kind",
            ),
            models.UniqueConstraint(
                fields=["body", "local_government"],
                condition=Q(local_government__isnull=False),
                name="body_member_city_once",
            ),
            models.UniqueConstraint(
                fields=["body", "person"],
                condition=Q(person__isnull=False),
                name="body_member_person_once",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="body_member_term_in_order",
            ),
        ]

    def __str__(self):
        return str(self.local_government or self.person)

    def in_term(self, on) -> bool:
        return self.term_start <= on and (self.term_end is None or on <= self.term_end)


class Meeting(models.Model):
    """An event (assembly, committee, council) held as a meeting of a body."""

    event = models.OneToOneField(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="meeting",
        verbose_name=_("event"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )

    class Meta:
        ordering = ["event__starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.body} · {self.event.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("events:governance-meeting", args=[self.event.slug])

    @property
    def date(self):
        return timezone.localtime(self.event.starts_at).date()


class Proxy(models.Model):
    """A member represented by another present member at one meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="proxies", verbose_name=_("meeting")
    )
    giver = models.ForeignKey(
        BodyMember, on_delete=models.CASCADE, related_name="proxies_given", verbose_name=_("giver")
    )
    holder = models.ForeignKey(
        BodyMember, on_delete=models.CASCADE, related_name="proxies_held", verbose_name=_("holder")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "giver"], name="proxy_once_per_giver"),
            models.CheckConstraint(condition=~Q(giver=models.F("holder")), name="proxy_not_self"),
        ]

    def __str__(self):
        return f"{self.giver} → {self.holder}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


def agenda_document_path(instance, filename):
    return f"governance/{instance.item.meeting_id}/{filename}"


class AgendaDocument(DocumentBase):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="documents", verbose_name=_("item")
    )
    file = models.FileField(_("file"), upload_to=agenda_document_path, max_length=200)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")


class Motion(models.Model):
    """A motion on an agenda item, or an amendment to another motion."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="motions", verbose_name=_("item")
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("amends"),
    )
    text = models.TextField(_("text"))
    proposed_by = models.ForeignKey(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self):
        return self.text[:80]


class Ballot(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes, no or abstain")
        CANDIDATES = "candidates", _("Choice among candidates")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    YES_NO_OPTIONS = ("yes", "no", "abstain")
    BLANK = "blank"
    # The record keeps these keys in one language (they are hashed); pages show them translated.
    OPTION_LABELS = {
        "yes": _("Yes"),
        "no": _("No"),
        "abstain": _("Abstain"),
        BLANK: _("Blank vote"),
    }

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("item")
    )
    motion = models.ForeignKey(
        Motion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("motion"),
    )
    title = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.YES_NO)
    secret = models.BooleanField(_("secret"), default=False)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["item", "pk"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return self.title

    @property
    def meeting(self):
        return self.item.meeting

    def options(self) -> list[str]:
        """The keys counted: yes/no/abstain, or each candidate's key and a blank vote."""
        if self.kind == self.Kind.YES_NO:
            return list(self.YES_NO_OPTIONS)
        return [c.key for c in self.candidates.all()] + [self.BLANK]


class Candidate(models.Model):
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("ballot")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ballot", "position", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self):
        return self.name

    @property
    def key(self) -> str:
        return f"c{self.pk}"


class BallotVoter(models.Model):
    """Who has voted (for which member), never what: the unique constraint refuses a second vote.
    No time is kept: rows say who took part, not when."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="voters", verbose_name=_("ballot")
    )
    member = models.ForeignKey(
        BodyMember, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="one_vote_per_member")
        ]

    def __str__(self):
        return f"{self.member} · {self.ballot_id}"


class Tally(models.Model):
    """The anonymous count of one option of a ballot: created for every option when the ballot
    opens (so row order is option order), then only incremented. No person, no time."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="tallies", verbose_name=_("ballot")
    )
    option = models.CharField(_("option"), max_length=20)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    weight = models.PositiveIntegerField(_("weight"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="tally_once_per_option")
        ]

    def __str__(self):
        return f"{self.ballot_id} · {self.option}: {self.votes}"


class OpenVote(models.Model):
    """The roll-call of an open ballot: what each member chose, shown to the network's members."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="open_votes", verbose_name=_("ballot")
    )
    member = models.ForeignKey(
        BodyMember, on_delete=models.PROTECT, related_name="open_votes", verbose_name=_("member")
    )
    choices = models.JSONField(_("choices"), default=list)
    weight = models.PositiveIntegerField(_("weight"), default=1)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["ballot", "pk"]
        verbose_name = _("open vote")
        verbose_name_plural = _("open votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="open_vote_once_per_member")
        ]

    def __str__(self):
        return f"{self.member} · {self.ballot_id}"


class ImmutableError(Exception):
    """A recorded result is never changed nor deleted."""


class ResultQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("results are never changed")

    def delete(self):
        raise ImmutableError("results are never deleted")


class Result(models.Model):
    """The recorded outcome of a closed ballot, chained by hash to the body's previous result."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        ELECTED = "elected", _("Elected")
        TIE = "tie", _("Tie")

    ballot = models.OneToOneField(
        Ballot, on_delete=models.PROTECT, related_name="result", verbose_name=_("ballot")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="results", verbose_name=_("body")
    )
    sequence = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("question"), max_length=300)
    secret = models.BooleanField(_("secret"))
    counts = models.JSONField(_("counts"))
    voters = models.PositiveIntegerField(_("voters"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    elected = models.JSONField(_("elected"), default=list, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["body", "sequence"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["body", "sequence"], name="result_sequence_per_body")
        ]

    def __str__(self):
        return f"{self.title} · {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ImmutableError("results are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("results are never deleted")

    def option_labels(self) -> dict:
        """Each counted option's label in the reader's language (candidates keep their names)."""
        return {
            c.get("option"): Ballot.OPTION_LABELS.get(c.get("option"), c["label"])
            for c in self.counts
        }

    def shown_counts(self) -> list[dict]:
        labels = self.option_labels()
        return [{**c, "label": labels[c.get("option")]} for c in self.counts]


class Minutes(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    approved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at"),
    )
    approved_by_result = models.ForeignKey(
        Result,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approving vote"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateTimeField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)


class Decision(models.Model):
    """What a body decided (from a result or a minute item), followed up by plans' activities."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("meeting")
    )
    result = models.ForeignKey(
        Result,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("result"),
    )
    text = models.TextField(_("text"))
    activities = models.ManyToManyField(
        "plans.Activity", blank=True, related_name="decisions", verbose_name=_("activities")
    )

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]
