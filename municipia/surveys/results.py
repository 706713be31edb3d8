"""Results of a questionnaire's version, read from the running counts kept as answers are stored
(`tallies.py`) in a fixed number of queries whatever the number of answers, and kept in the cache
per version and number of answers.

Nothing is shown below the questionnaire's threshold of answers, and free text is listed in the
order of its words, never in the order it came in, a limited number per question.
"""

import hashlib
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import translation
from django.utils.translation import gettext as _

from municipia.forms.answers import shown_answer
from municipia.forms.models import FormField
from municipia.plans.charts import progress_bars
from municipia.surveys.models import Answer, Response, Tally
from municipia.surveys.services import questions

TEXTS_SHOWN = 50
TEXT_KINDS = {FormField.Kind.TEXT, FormField.Kind.LINE, FormField.Kind.EMAIL, FormField.Kind.URL}
NPS_PROMOTER, NPS_DETRACTOR = 9, 6
CACHED_SECONDS = 24 * 3600


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
    # Kept per version and number of answers: a new answer makes a new key, so the page is never
    # behind, and what was drawn (the charts above all) is reused until then.
    digest = hashlib.sha256(text_filter.encode()).hexdigest()[:16]
    key = f"surveys:results:{version.pk}:{responses}:{translation.get_language()}:{digest}"
    found = cache.get(key)
    if found is None:
        found = _compute(version, responses, threshold, text_filter)
        cache.set(key, found, CACHED_SECONDS)
    return found


def _compute(version, responses, threshold, text_filter) -> Results:
    fields = [f for f in questions(version) if f.asks]
    # The running counts of the version (`tallies.py`): one row per question, item and value,
    # a few hundred rows whatever the number of answers.
    counts, sums, answered = {}, {}, {}
    for field_id, kind, item, value, n, total in Tally.objects.filter(version=version).values_list(
        "field_id", "kind", "item", "value", "count", "total"
    ):
        if kind == Tally.Kind.QUESTION:
            answered[field_id] = n
            continue
        counts.setdefault((field_id, item), {})[value] = n
        if total is not None:
            done_total, done_n = sums.get((field_id, item), (0, 0))
            sums[(field_id, item)] = (done_total + total, done_n + n)
    means = {key: total / n for key, (total, n) in sums.items() if n}
    texts = _texts(fields, text_filter)
    shown = [
        _question(f, answered.get(f.pk, 0), counts, means, texts.get(f.pk, [])) for f in fields
    ]
    return Results(version, responses, threshold, shown=True, questions=shown)


def _texts(fields, text_filter) -> dict[int, list[str]]:
    """Up to `TEXTS_SHOWN` texts of each free-text question (and its "other" answers), listed in
    the order of their words. They are taken in the order of their response's key, which is random:
    never the order they came in, and read from an index instead of sorting thousands of texts."""
    asked = [f.pk for f in fields if f.kind in TEXT_KINDS or f.allow_other]
    if not asked:
        return {}
    if connection.vendor == "postgresql" and not text_filter:
        found = _texts_postgresql(asked, text_filter)
    else:
        # With a filter, one pass over the questions' texts beats walking the index in response
        # order, which reads every text of a question for a word that few or none hold.
        rows = Answer.objects.filter(field_id__in=asked).exclude(text="")
        if text_filter:
            rows = rows.filter(text__icontains=text_filter)
        found = (
            rows.annotate(
                rank=Window(RowNumber(), partition_by=[F("field_id")], order_by=[F("response_id")])
            )
            .filter(rank__lte=TEXTS_SHOWN)
            .values_list("field_id", "text")
        )
    texts = {}
    for field_id, text in found:
        texts.setdefault(field_id, []).append(text)
    for listed in texts.values():
        listed.sort(key=str.casefold)
    return texts


def _texts_postgresql(field_ids, text_filter) -> list[tuple[int, str]]:
    """One query: for each question, its first texts along (field, response), then the next."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    params: list = [field_ids]
    matching = ""
    if text_filter:
        matching = "AND a.text ILIKE %s"
        params.append(f"%{connection.ops.prep_for_like_query(text_filter)}%")
    params.append(TEXTS_SHOWN)
    sql = (
        "SELECT f.id, t.text FROM unnest(%s::bigint[]) AS f(id) CROSS JOIN LATERAL ("  # noqa: S608
        f"SELECT a.text FROM {table} a WHERE a.field_id = f.id AND a.text <> '' {matching} "
        "ORDER BY a.response_id LIMIT %s) t"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
