"""Every change to impact evaluation: rubrics and their versions, rounds, assignments, assessments
and methodologies. Each refusal is an `ImpactError` with a translated message and writes nothing."""

from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core import uploads
from municipia.core.log import log_action
from municipia.knowledge.models import Experience
from municipia.search.services import index_object
from municipia.surveys.impact.models import (
    Assessment,
    Assignment,
    Criterion,
    Level,
    Methodology,
    Round,
    Rubric,
    Score,
)
from municipia.surveys.impact.permissions import (
    can_manage_rubric,
    can_self_assess,
    is_assigned,
    is_own_city,
)


class ImpactError(Exception):
    """An expected, user-facing reason why an action on impact evaluation cannot happen."""


class ScoresRefused(ImpactError):
    """Scores that cannot be kept: one message per criterion code ("" for the whole)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def _require_manager(rubric: Rubric, by) -> None:
    if by is not None and not can_manage_rubric(by, rubric):
        raise ImpactError(_("Only the network's staff manage its rubrics, rounds and assignments."))


def is_frozen(rubric: Rubric) -> bool:
    """A rubric some assessment already uses keeps its criteria and levels as they are."""
    return Assessment.objects.filter(round__rubric=rubric).exists()


@transaction.atomic
def create_rubric(network, *, title, criteria, original_language="en", description=None, by=None):
    """`criteria`: [{"code", "name", "description"?, "weight"?, "levels": [(score, description)]}]."""
    rubric = Rubric.objects.create(
        network=network,
        title=title,
        description=description or {},
        original_language=original_language,
    )
    if by is not None and not can_manage_rubric(by, rubric):
        raise ImpactError(_("Only the network's staff manage its rubrics, rounds and assignments."))
    for position, spec in enumerate(criteria, start=1):
        _add_criterion(rubric, position, spec)
    log_action(rubric, "impact.rubric.create", user=by)
    return rubric


def _add_criterion(rubric: Rubric, position: int, spec: dict) -> Criterion:
    weight = Decimal(str(spec.get("weight", 1)))
    if weight <= 0:
        raise ImpactError(_("A criterion's weight must be above zero."))
    levels = list(spec.get("levels") or [])
    if len(levels) < 2:
        raise ImpactError(_("A criterion needs at least two levels."))
    if len({score for score, _d in levels}) != len(levels):
        raise ImpactError(_("Two levels of a criterion cannot have the same score."))
    if rubric.criteria.filter(code=spec["code"]).exists():
        raise ImpactError(_("This rubric already has a criterion with this code."))
    criterion = Criterion.objects.create(
        rubric=rubric,
        code=spec["code"],
        name=spec["name"],
        description=spec.get("description") or {},
        weight=weight,
        position=position,
    )
    Level.objects.bulk_create(
        Level(criterion=criterion, score=score, description=text) for score, text in levels
    )
    return criterion


@transaction.atomic
def add_criterion(rubric: Rubric, spec: dict, *, by=None) -> Criterion:
    _require_manager(rubric, by)
    if is_frozen(rubric):
        raise ImpactError(
            _("Assessments already use this rubric: make a new version to change its criteria.")
        )
    return _add_criterion(rubric, rubric.criteria.count() + 1, spec)


@transaction.atomic
def revise_rubric(rubric: Rubric, *, by=None) -> Rubric:
    """A copy of the rubric as its next version, to change while the earlier keeps its meaning."""
    _require_manager(rubric, by)
    if Rubric.objects.filter(previous=rubric).exists():
        raise ImpactError(_("This rubric already has a newer version."))
    copy = Rubric.objects.create(
        network=rubric.network,
        title=rubric.title,
        description=rubric.description,
        original_language=rubric.original_language,
        number=rubric.number + 1,
        previous=rubric,
        min_assessments=rubric.min_assessments,
    )
    for criterion in rubric.criteria.prefetch_related("levels"):
        _add_criterion(
            copy,
            criterion.position,
            {
                "code": criterion.code,
                "name": criterion.name,
                "description": criterion.description,
                "weight": criterion.weight,
                "levels": [(level.score, level.description) for level in criterion.levels.all()],
            },
        )
    log_action(copy, "impact.rubric.revise", user=by)
    return copy


@transaction.atomic
def open_round(rubric: Rubric, *, name, phase=Round.Phase.BASELINE, closes_on=None, by=None):
    _require_manager(rubric, by)
    if not rubric.criteria.exists():
        raise ImpactError(_("A rubric without criteria cannot be assessed."))
    round_ = Round.objects.create(rubric=rubric, name=name, phase=phase, closes_on=closes_on)
    log_action(round_, "impact.round.open", user=by)
    return round_


@transaction.atomic
def close_round(round_: Round, *, by=None) -> Round:
    _require_manager(round_.rubric, by)
    round_.status = Round.Status.CLOSED
    round_.save(update_fields=["status", "updated_at"])
    log_action(round_, "impact.round.close", user=by)
    return round_


def is_open(round_: Round) -> bool:
    if round_.status != Round.Status.OPEN:
        return False
    return round_.closes_on is None or round_.closes_on >= timezone.localdate()


def _require_open(round_: Round) -> None:
    if not is_open(round_):
        raise ImpactError(_("This round is closed: assessments are no longer accepted."))


def _require_in_network(round_: Round, experience: Experience) -> None:
    if not experience.networks.filter(pk=round_.rubric.network_id).exists():
        raise ImpactError(_("This experience is not shared in the rubric's network."))


@transaction.atomic
def assign(round_: Round, experience: Experience, assessor, *, by=None) -> Assignment:
    _require_manager(round_.rubric, by)
    _require_open(round_)
    _require_in_network(round_, experience)
    if is_own_city(assessor, experience):
        raise ImpactError(
            _("An officer of the experience's city cannot assess it as an external assessor.")
        )
    assignment, _created = Assignment.objects.get_or_create(
        round=round_, experience=experience, assessor=assessor, defaults={"assigned_by": by}
    )
    log_action(assignment, "impact.assign", user=by)
    return assignment


def start_assessment(round_: Round, experience: Experience, kind: str, *, by) -> Assessment:
    """The draft one fills (found again if already started)."""
    _require_open(round_)
    _require_in_network(round_, experience)
    if kind == Assessment.Kind.SELF:
        if not can_self_assess(by, experience):
            raise ImpactError(_("Only the experience's city assesses it itself."))
        lookup = {"round": round_, "experience": experience, "kind": kind}
    elif kind == Assessment.Kind.EXTERNAL:
        if is_own_city(by, experience):
            raise ImpactError(
                _("An officer of the experience's city cannot assess it as an external assessor.")
            )
        if not is_assigned(by, round_, experience):
            raise ImpactError(_("You were not asked to assess this experience in this round."))
        lookup = {"round": round_, "experience": experience, "kind": kind, "assessor": by}
    else:
        raise ImpactError(_("Unknown kind of assessment."))
    try:
        with transaction.atomic():
            assessment, _created = Assessment.objects.get_or_create(
                **lookup, defaults={"assessor": by}
            )
    except IntegrityError:  # someone of the same city started it at the same moment
        assessment = Assessment.objects.get(**lookup)
    return assessment


def check_scores(rubric: Rubric, levels: dict[str, int | str | None], *, complete: bool):
    """The levels chosen per criterion code, checked against the rubric: {code: Level}."""
    criteria = {c.code: c for c in rubric.criteria.prefetch_related("levels")}
    errors, chosen = {}, {}
    for code in levels:
        if code not in criteria:
            errors[code] = _("“%(code)s” is not a criterion of this rubric.") % {"code": code}
    for code, criterion in criteria.items():
        raw = levels.get(code)
        if raw in (None, ""):
            if complete:
                errors[code] = _("Choose a level for “%(criterion)s”.") % {
                    "criterion": criterion.name_text
                }
            continue
        by_score = {str(level.score): level for level in criterion.levels.all()}
        level = by_score.get(str(raw).strip())
        if level is None:
            errors[code] = _("%(level)s is not a level of “%(criterion)s”.") % {
                "level": raw,
                "criterion": criterion.name_text,
            }
            continue
        chosen[code] = level
    if errors:
        raise ScoresRefused(errors)
    return chosen, criteria


@transaction.atomic
def save_assessment(assessment: Assessment, levels: dict, *, comment=None, submit=False, by):
    """Keep the chosen levels; with `submit`, every criterion must have one and the assessment no
    longer changes."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status == Assessment.Status.SUBMITTED:
        raise ImpactError(_("This assessment was submitted and can no longer be changed."))
    _require_open(assessment.round)
    chosen, criteria = check_scores(assessment.round.rubric, levels, complete=submit)
    assessment.scores.all().delete()
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=criteria[code], level=level, value=level.score)
        for code, level in chosen.items()
    )
    if comment is not None:
        assessment.comment = comment
    if submit:
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
    assessment.save()
    if submit:
        log_action(assessment, "impact.assessment.submit", user=by)
    return assessment


@transaction.atomic
def add_methodology(
    experience: Experience, *, title, description, language, indicators="", upload=None, by
) -> Methodology:
    """How a city evaluated its experience; the document is checked from its content."""
    if not can_self_assess(by, experience):
        raise ImpactError(_("Only the experience's city describes how it was evaluated."))
    if not title.strip() or not description.strip():
        raise ImpactError(_("A methodology needs a title and a description."))
    methodology = Methodology(
        experience=experience,
        title=title.strip(),
        description=description.strip(),
        indicators=indicators,
        language=language,
        created_by=by,
    )
    if upload is not None:
        try:
            data = uploads.read_checked(upload, settings.MUNICIPIA_ATTACHMENT_MAX_BYTES)
            file_type = uploads.sniff(data)
        except uploads.UploadRejected as error:
            raise ImpactError(str(error)) from error
        methodology.document_name = uploads.display_name(upload.name or "")
        methodology.content_type = file_type.content_type
        methodology.document.save(uploads.stored_name(file_type), ContentFile(data), save=False)
    methodology.save()
    log_action(methodology, "impact.methodology.add", user=by)
    index_object(experience)  # its text joins the experience's search entry
    return methodology
