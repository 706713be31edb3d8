"""Running counts of a version's answers (`Tally`), kept in the same transaction as each response.

Each response adds to its rows with one `INSERT … ON CONFLICT DO UPDATE` that adds in the database
(`count = count + excluded.count`): concurrent responses never overwrite each other's counts. The
rows of one statement are sorted by their key, so two transactions lock shared rows in the same
order and cannot deadlock. `rebuild` computes a version's counts again from its `Answer` rows
(after a bulk load, or to check them); it locks the version first, which waits for responses being
stored and holds back new ones until it is done.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum

ANSWER, QUESTION = "answer", "question"
_COLUMNS = ("version_id", "field_id", "kind", "item", "value", "count", "total")


def deltas(rows) -> dict[tuple, list]:
    """What a set of `Answer` rows (of one or several responses) adds to the tallies:
    {(field id, kind, item, value): [count, total]}. Each response counts once per question it
    answered, whatever its number of rows."""
    found: dict[tuple, list] = defaultdict(lambda: [0, None])
    answered = set()
    for row in rows:
        slot = found[(row.field_id, ANSWER, row.item, row.value)]
        slot[0] += 1
        if row.number is not None:
            slot[1] = (slot[1] or Decimal(0)) + Decimal(row.number)
        answered.add((row.field_id, row.response_id))
    for field_id, _response in answered:
        found[(field_id, QUESTION, "", "")][0] += 1
    return dict(found)


def add(version_id: int, found: dict[tuple, list]) -> None:
    """Add `found` (from `deltas`) to the version's tallies, in the current transaction."""
    from municipia.surveys.models import Tally

    if not found:
        return
    q = connection.ops.quote_name
    table = q(Tally._meta.db_table)
    columns = ", ".join(q(c) for c in _COLUMNS)
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"] * len(found))
    params = []
    for (field_id, kind, item, value), (count, total) in sorted(found.items()):
        params += [version_id, field_id, kind, item, value, count, total]
    count, total = q("count"), q("total")
    key = ", ".join(q(c) for c in _COLUMNS[:5])
    # Only quoted names of the model and placeholders are put in the text; values are parameters.
    insert = f"INSERT INTO {table} ({columns}) VALUES {placeholders}"  # noqa: S608
    added = f"{count} = {table}.{count} + excluded.{count}"
    summed = (
        f"{total} = COALESCE({table}.{total} + excluded.{total}, {table}.{total}, excluded.{total})"
    )
    sql = f"{insert} ON CONFLICT ({key}) DO UPDATE SET {added}, {summed}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rebuild(version_id: int, *, models=None) -> int:
    """Compute the version's tallies again from its answers; the number of rows written.
    `models` (Answer, Tally, QuestionnaireVersion, FormField) lets a migration pass its own."""
    if models is None:
        from municipia.forms.models import FormField
        from municipia.surveys.models import Answer, QuestionnaireVersion, Tally

        models = (Answer, Tally, QuestionnaireVersion, FormField)
    Answer, Tally, QuestionnaireVersion, FormField = models
    with transaction.atomic():
        version = QuestionnaireVersion.objects.select_for_update().get(pk=version_id)
        ids = list(
            FormField.objects.filter(definition_id=version.form_id).values_list("pk", flat=True)
        )
        answers = Answer.objects.filter(field_id__in=ids).order_by()
        tallies = [
            Tally(
                version_id=version_id,
                field_id=field_id,
                kind=ANSWER,
                item=item,
                value=value,
                count=n,
                total=total,
            )
            for field_id, item, value, n, total in answers.values_list("field_id", "item", "value")
            .annotate(n=Count("pk"), total=Sum("number"))
            .order_by()
        ]
        tallies += [
            Tally(version_id=version_id, field_id=field_id, kind=QUESTION, count=n)
            for field_id, n in answers.values_list("field_id")
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ]
        Tally.objects.filter(version_id=version_id).delete()
        Tally.objects.bulk_create(tallies, batch_size=2000)
    return len(tallies)
