"""Results of a questionnaire's version, aggregated in the database in a fixed number of queries
whatever the number of answers, and kept in the cache for a minute.

Nothing is shown below the questionnaire's threshold of answers, and free text is listed in the
order of its words, never in the order it came in.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from municipia.forms.answers import shown_answer
from municipia.forms.models import FormField
from municipia.plans.charts import progress_bars
from municipia.surveys.models import Answer, Response
from municipia.surveys.services import questions

TEXTS_SHOWN = 50
TEXT_KINDS = {FormField.Kind.TEXT, FormField.Kind.LINE, FormField.Kind.EMAIL, FormField.Kind.URL}
NPS_PROMOTER, NPS_DETRACTOR = 9, 6
FRESH_SECONDS = 60


@dataclass
class Row:
    value: str
    label: str
    count: int
    percent: int


@dataclass
class ItemResult:
    label: str
    mean: Decimal | None
    rows: list[Row]
    chart: str = ""


@dataclass
class QuestionResult:
    field: FormField
    answered: int = 0
    rows: list[Row] = dataclass_field(default_factory=list)
    mean: Decimal | None = None
    nps: int | None = None
    items: list[ItemResult] = dataclass_field(default_factory=list)
    texts: list[str] = dataclass_field(default_factory=list)
    others: list[str] = dataclass_field(default_factory=list)
    chart: str = ""
    compared: "QuestionResult | None" = None


@dataclass
class Results:
    version: object
    responses: int
    threshold: int
    shown: bool
    questions: list[QuestionResult] = dataclass_field(default_factory=list)


def _percent(count, total):
    return round(100 * count / total) if total else 0


def results(version, *, text_filter: str = "") -> Results:
    questionnaire = version.questionnaire
    threshold = questionnaire.results_threshold
    responses = Response.objects.filter(version=version).count()
    if responses < max(1, threshold):
        return Results(version, responses, threshold, shown=False)
    # While answers come in, the aggregates are computed again at most once a minute; the number
    # of answers on the page is always the live one.
    key = f"surveys:results:{version.pk}:{text_filter[:60]}"
    found = cache.get(key)
    if found is None:
        found = _compute(version, responses, threshold, text_filter)
        cache.set(key, found, FRESH_SECONDS)
    found.responses = responses
    return found


def _compute(version, responses, threshold, text_filter) -> Results:
    fields = [f for f in questions(version) if f.asks]
    ids = [f.pk for f in fields]
    rows = Answer.objects.filter(field_id__in=ids)
    # One pass over the answers: the rows of each (question, item, value), with the sum of their
    # numbers; then people who answered the questions kept in several rows per response.
    counts, sums = {}, {}
    for field_id, item, value, n, total in (
        rows.values_list("field_id", "item", "value")
        .annotate(n=Count("id"), total=Sum("number"))
        .order_by()
    ):
        counts.setdefault((field_id, item), {})[value] = n
        if total is not None:
            sums[(field_id, item)] = [
                a + b for a, b in zip(sums.get((field_id, item), [0, 0]), [total, n], strict=True)
            ]
    means = {key: total / n for key, (total, n) in sums.items() if n}
    several = [f.pk for f in fields if f.kind in (FormField.Kind.MULTIPLE, *FormField.ITEM_KINDS)]
    answered = {
        f.pk: sum(counts.get((f.pk, ""), {}).values()) for f in fields if f.pk not in several
    }
    if several:
        answered.update(
            rows.filter(field_id__in=several)
            .values_list("field_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        )
    texts = {}
    text_rows = rows.filter(Q(field__kind__in=TEXT_KINDS) | Q(value="other"), ~Q(text=""))
    if text_filter:
        text_rows = text_rows.filter(text__icontains=text_filter)
    # The first texts of each question, chosen in the database: every text of thousands of
    # answers read into Python was most of a cold page.
    ranked = (
        text_rows.annotate(
            rank=Window(RowNumber(), partition_by=[F("field_id")], order_by=[F("text").asc()])
        )
        .filter(rank__lte=TEXTS_SHOWN)
        .values_list("field_id", "text")
    )
    for field_id, text in ranked:
        texts.setdefault(field_id, []).append(text)
    for listed in texts.values():
        listed.sort()
    shown = [
        _question(f, answered.get(f.pk, 0), counts, means, texts.get(f.pk, [])) for f in fields
    ]
    return Results(version, responses, threshold, shown=True, questions=shown)


def _distribution(options, counts, total) -> list[Row]:
    return [
        Row(v, label, counts.get(v, 0), _percent(counts.get(v, 0), total)) for v, label in options
    ]


def _question(field, answered, counts, means, texts) -> QuestionResult:
    Kind = FormField.Kind
    result = QuestionResult(field=field, answered=answered)
    mine = counts.get((field.pk, ""), {})
    if field.kind in FormField.CHOICE_KINDS:
        options = field.choice_options() + ([("other", _("Other"))] if field.allow_other else [])
        result.rows = _distribution(options, mine, answered)
        result.others = texts
    elif field.kind in FormField.SCALE_KINDS:
        result.rows = _distribution(field.scale_points(), mine, answered)
        result.mean = means.get((field.pk, ""))
        if field.kind == Kind.NPS and answered:
            promoters = sum(n for v, n in mine.items() if int(v) >= NPS_PROMOTER)
            detractors = sum(n for v, n in mine.items() if int(v) <= NPS_DETRACTOR)
            result.nps = round(100 * (promoters - detractors) / answered)
    elif field.kind == Kind.YES_NO:
        result.rows = _distribution([("yes", _("Yes")), ("no", _("No"))], mine, answered)
    elif field.kind == Kind.MATRIX:
        for index, (item, label) in enumerate(field.item_options()):
            item_counts = counts.get((field.pk, item), {})
            rows = _distribution(field.scale_points(), item_counts, sum(item_counts.values()))
            chart = progress_bars(
                [(r.label[:28], r.percent) for r in rows],
                title=f"{field.label_text} · {label}",
                chart_id=f"q{field.pk}-{index}",
                label_width=200,
            )
            result.items.append(ItemResult(label, means.get((field.pk, item)), rows, chart))
    elif field.kind == Kind.RANKING:
        # Mean rank per option: the lower, the more preferred.
        for option, label in field.choice_options():
            result.items.append(ItemResult(label, means.get((field.pk, option)), []))
        result.items.sort(key=lambda i: i.mean if i.mean is not None else Decimal(10**6))
    elif field.kind == Kind.NUMBER:
        result.mean = means.get((field.pk, ""))
    elif field.kind == Kind.DATE:
        result.rows = [
            Row(v, shown_answer(field, v), n, _percent(n, answered))
            for v, n in sorted(mine.items())
        ]
    else:
        result.texts = texts
    if result.rows and field.kind != Kind.DATE:
        result.chart = progress_bars(
            [(r.label[:28], r.percent) for r in result.rows],
            title=field.label_text,
            chart_id=f"q{field.pk}",
            label_width=200,
        )
    return result


def compare(found: Results, earlier: Results) -> None:
    """Set beside each question the same question of another run (this year's congress against
    last year's): the one at the same place and of the same kind."""
    by_place = {(q.field.position, q.field.kind): q for q in earlier.questions}
    for question in found.questions:
        question.compared = by_place.get((question.field.position, question.field.kind))


def aggregate_rows(found: Results):
    """The aggregates as rows for a CSV or XLSX file: question, item, answer, count, %, mean."""
    for question in found.questions:
        label = question.field.label_text
        for row in question.rows:
            yield [label, "", row.label, row.count, row.percent, ""]
        if question.mean is not None:
            yield [label, "", _("Mean"), question.answered, "", float(question.mean)]
        if question.nps is not None:
            yield [label, "", _("Net promoter score"), question.answered, "", question.nps]
        for item in question.items:
            for row in item.rows:
                yield [label, item.label, row.label, row.count, row.percent, ""]
            if item.mean is not None:
                yield [label, item.label, _("Mean"), "", "", float(item.mean)]
        for text in question.texts + question.others:
            yield [label, "", text, 1, "", ""]


def raw_rows(version):
    """One row per response (non-anonymous questionnaires only): who, when, and each answer."""
    fields = [f for f in questions(version) if f.asks]
    header = [_("Answered on"), _("Respondent"), _("Language")] + [f.label_text for f in fields]
    responses = (
        Response.objects.filter(version=version)
        .select_related("respondent")
        .order_by("submitted_on", "respondent__email")
    )

    def rows():
        for response in responses.iterator(chunk_size=2000):
            who = response.respondent.email if response.respondent else ""
            yield [response.submitted_on.isoformat(), who, response.language] + [
                shown_answer(f, response.answers.get(f.key, "")) for f in fields
            ]

    return header, rows()
