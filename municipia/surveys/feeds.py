"""A plan's indicator fed by a questionnaire's results (decision 0054): staff link an indicator
to a rating, recommendation or number question of a questionnaire attached to an activity of the
indicator's plan; its value (the mean of the answers, or the net promoter score) is recorded as
the indicator's value of the day, with a note naming the source.

Values are recorded when staff link or refresh, and by the daily task for the questionnaires that
received answers since; never after each answer, so that a value moving does not tell what one
person answered. Nothing is recorded below the questionnaire's threshold of answers. The question
is read in the latest version that has enough answers, at the same place and of the same kind
(as runs are compared, `results.compare`).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from municipia.core.log import log_action
from municipia.forms.models import FormField
from municipia.plans.models import Activity, Indicator, IndicatorFeed, IndicatorValue
from municipia.plans.permissions import can_edit_plan
from municipia.plans.services import record_fed_value
from municipia.surveys.models import Answer, Questionnaire, QuestionnaireVersion, Response
from municipia.surveys.permissions import can_manage_questionnaire
from municipia.surveys.results import NPS_DETRACTOR, NPS_PROMOTER
from municipia.surveys.services import SurveyError

TARGET = "plans.activity"
FED_KINDS = {FormField.Kind.SCALE, FormField.Kind.NPS, FormField.Kind.NUMBER}
CENT = Decimal("0.01")


def target_plan_id(questionnaire: Questionnaire) -> int | None:
    """The plan of the activity the questionnaire is attached to, or None."""
    if questionnaire.target_kind != TARGET or questionnaire.target_id is None:
        return None
    return (
        Activity.objects.filter(pk=questionnaire.target_id)
        .values_list("objective__plan_id", flat=True)
        .first()
    )


def fed_questions(questionnaire: Questionnaire) -> list[FormField]:
    """The questions that may feed an indicator, from the questionnaire's current version."""
    version = questionnaire.versions.select_related("form").order_by("-number").first()
    if version is None:
        return []
    return [f for f in version.form.fields.all() if f.kind in FED_KINDS]


@transaction.atomic
def link_indicator(
    indicator: Indicator, *, questionnaire: Questionnaire, question: FormField, measure: str, by
) -> IndicatorFeed:
    """Feed `indicator` from `question` of `questionnaire`, and record today's value at once
    where there are enough answers. Refuses what does not belong together; writes nothing then."""
    if not (can_manage_questionnaire(by, questionnaire) and can_edit_plan(by, indicator.plan)):
        raise SurveyError(_("Only the staff of both the questionnaire and the plan may link them."))
    if target_plan_id(questionnaire) != indicator.plan_id:
        raise SurveyError(_("The questionnaire is not attached to an activity of this plan."))
    versions = set(questionnaire.versions.values_list("form_id", flat=True))
    if question.definition_id not in versions:
        raise SurveyError(_("The question is not one of this questionnaire's questions."))
    if question.kind not in FED_KINDS:
        raise SurveyError(_("Only a rating, a recommendation or a number question feeds a figure."))
    if measure not in IndicatorFeed.Measure.values:
        raise SurveyError(_("Choose the mean of the answers or the net promoter score."))
    if measure == IndicatorFeed.Measure.NPS and question.kind != FormField.Kind.NPS:
        raise SurveyError(_("A net promoter score needs a recommendation question (0 to 10)."))
    feed, _created = IndicatorFeed.objects.update_or_create(
        indicator=indicator,
        defaults={
            "questionnaire": questionnaire,
            "question": question,
            "measure": measure,
            "responses": 0,
            "fed_on": None,
            "created_by": by,
        },
    )
    log_action(
        indicator,
        "plans.indicator.linked",
        user=by,
        data={"questionnaire": questionnaire.pk, "question": question.pk, "measure": measure},
    )
    refresh_feed(feed, by=by)
    return feed


@transaction.atomic
def unlink_indicator(feed: IndicatorFeed, *, by) -> None:
    """Stop feeding the indicator; the values already recorded stay."""
    if not (
        can_manage_questionnaire(by, feed.questionnaire) and can_edit_plan(by, feed.indicator.plan)
    ):
        raise SurveyError(_("Only the staff of both the questionnaire and the plan may link them."))
    log_action(feed.indicator, "plans.indicator.unlinked", user=by)
    feed.delete()


def _source(feed: IndicatorFeed) -> tuple[QuestionnaireVersion, FormField, int] | None:
    """The latest version with enough answers, its question matching the linked one, and its
    number of answers; None below the threshold."""
    questionnaire = feed.questionnaire
    threshold = max(1, questionnaire.results_threshold)
    versions = (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire)
        .annotate(answers=Count("responses"))
        .filter(answers__gte=threshold)
        .order_by("-number")
    )
    linked = feed.question
    for version in versions:
        question = (
            FormField.objects.filter(
                definition_id=version.form_id, position=linked.position, kind=linked.kind
            )
            .order_by("pk")
            .first()
        )
        if question is not None:
            return version, question, version.answers
    return None


def measured_value(feed: IndicatorFeed) -> tuple[Decimal, int, FormField, QuestionnaireVersion]:
    """(value, answers to the question, the question, its version), or raise SurveyError."""
    found = _source(feed)
    if found is None:
        raise SurveyError(
            _("The questionnaire has fewer than %(count)s answers: no figure is shown yet.")
            % {"count": feed.questionnaire.results_threshold}
        )
    version, question, _answers = found
    figures = Answer.objects.filter(field=question, item="", number__isnull=False).aggregate(
        total=Sum("number"),
        n=Count("id"),
        promoters=Count("id", filter=Q(number__gte=NPS_PROMOTER)),
        detractors=Count("id", filter=Q(number__lte=NPS_DETRACTOR)),
    )
    n = figures["n"]
    if not n:
        raise SurveyError(_("Nobody answered that question yet."))
    if feed.measure == IndicatorFeed.Measure.NPS:
        value = Decimal(100 * (figures["promoters"] - figures["detractors"])) / n
    else:
        value = Decimal(figures["total"]) / n
    return value.quantize(CENT, rounding=ROUND_HALF_UP), n, question, version


def refresh_feed(
    feed: IndicatorFeed, *, by=None, today: datetime.date | None = None
) -> IndicatorValue | None:
    """Record today's value of a fed indicator; None (nothing written) below the threshold."""
    today = today or timezone.localdate()
    try:
        value, n, question, version = measured_value(feed)
    except SurveyError:
        return None
    measure = _("Mean") if feed.measure == IndicatorFeed.Measure.MEAN else _("Net promoter score")
    note = _(
        "%(measure)s of “%(question)s” over %(count)s answers (%(questionnaire)s, version "
        "%(version)s)."
    ) % {
        "measure": measure,
        "count": n,
        "question": Truncator(question.label_text).chars(80),
        "questionnaire": Truncator(feed.questionnaire.title_text).chars(80),
        "version": version.number,
    }
    measurement = record_fed_value(feed.indicator, measured_on=today, value=value, note=note, by=by)
    total = Response.objects.filter(version__questionnaire_id=feed.questionnaire_id).count()
    IndicatorFeed.objects.filter(pk=feed.pk).update(responses=total, fed_on=today)
    feed.responses, feed.fed_on = total, today
    return measurement


def refresh_changed_feeds(today: datetime.date | None = None) -> int:
    """Daily: refresh the indicators whose questionnaire received answers since they were last
    fed. Returns how many values were recorded."""
    feeds = list(IndicatorFeed.objects.select_related("questionnaire", "question", "indicator"))
    if not feeds:
        return 0
    totals = dict(
        Response.objects.filter(version__questionnaire_id__in={f.questionnaire_id for f in feeds})
        .values_list("version__questionnaire_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    recorded = 0
    for feed in feeds:
        if totals.get(feed.questionnaire_id, 0) != feed.responses or feed.fed_on is None:
            with transaction.atomic():
                recorded += refresh_feed(feed, today=today) is not None
    return recorded
