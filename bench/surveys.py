"""Questionnaires at scale, through Django's test client on PostgreSQL: a questionnaire of 40
questions with 20,000 responses; the results page (server time, queries) and the XLSX export of
its aggregates, then 1,000 answers submitted at once from threads, each to be stored once.

    nice -n 10 .venv/bin/python bench/surveys.py --small   # 500 responses, 100 concurrent answers
    nice -n 10 .venv/bin/python bench/surveys.py           # the sizes of issue 16

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (another server:
DATABASE_URL=...). A throwaway database (`test_<name>`) is created, filled with COPY (the
answers) and its tallies counted once, and dropped at the end; with `--reuse` it is kept, and a
later `--reuse` run of the same size skips the build. The 40 questions mix every kind (scales, 0
to 10, choices, matrices, rankings, numbers, dates, free text). The results page and the XLSX of
its aggregates are asked `--runs` times with the cache emptied before each request (the cold
case: every aggregate read from the database and every chart drawn), then as many times cached;
the page filtered on free text (a word in a quarter of the texts, a word in none: every text read)
with the cache emptied.
Printed: median and 95th percentile in ms, the queries of one request, and the load average
beside them; then 1,000 answers from 20 threads to a questionnaire of their own, checked stored
once each and counted exactly in the tallies. `--profile` prints where one cold page spends its
time.
"""

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/municipia_bench_surveys")

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = {
    "full": {"responses": 20_000, "concurrent": 1_000},
    "small": {"responses": 500, "concurrent": 100},
}
KINDS = [
    "scale",
    "nps",
    "choice",
    "multiple",
    "matrix",
    "ranking",
    "number",
    "date",
    "text",
    "line",
]


def build(responses: int, rng):
    """The bench network, its staff, the questionnaire of 40 questions and its responses, loaded
    with COPY (a million answer rows), then its tallies computed once from the answers."""
    from municipia.accounts.models import Role, User
    from municipia.directory.models import Network
    from municipia.surveys import services, tallies
    from municipia.surveys.models import Answer, Questionnaire, Response

    network = Network.objects.create(name="Bench network", slug="bench")
    staff = User.objects.create_user(email="staff@bench.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    q = _questionnaire(network, staff, "Bench")
    version = services.current_version(q)
    fields = services.questions(version)
    today = timezone.localdate()
    response_columns = ["id", "version_id", "submitted_on", "via", "language", "answers"]
    answer_columns = ["response_id", "field_id", "item", "value", "number", "text"]
    raw = connection.connection  # the psycopg connection under Django's
    batch = 2000
    with transaction.atomic():
        for start in range(0, responses, batch):
            response_rows, answer_rows = [], []
            for _n in range(min(batch, responses - start)):
                rid = uuid.uuid4()
                answers = {}
                for field in fields:
                    value = _answer(field.kind, rng)
                    answers[field.key] = value
                    for row in services.answer_rows(field, value):
                        answer_rows.append(
                            (
                                rid,
                                field.pk,
                                row.get("item", ""),
                                row.get("value", ""),
                                row.get("number"),
                                row.get("text", ""),
                            )
                        )
                response_rows.append((rid, version.pk, today, "public", "", json.dumps(answers)))
            with raw.cursor() as cursor:
                for table, columns, rows in (
                    (Response._meta.db_table, response_columns, response_rows),
                    (Answer._meta.db_table, answer_columns, answer_rows),
                ):
                    copy = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                    with cursor.copy(copy) as loading:
                        for row in rows:
                            loading.write_row(row)
    tallies.rebuild(version.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    q.status = Questionnaire.Status.OPEN
    q.save()
    return q, staff


def _questionnaire(network, staff, title):
    from municipia.forms.models import FormField
    from municipia.surveys import services
    from municipia.surveys.models import Questionnaire

    q = services.create_questionnaire(
        network, by=staff, title={"en": title}, original_language="en"
    )
    version = services.current_version(q)
    options = [{"value": v, "label": {"en": v}} for v in ("a", "b", "c", "d")]
    FormField.objects.bulk_create(
        FormField(
            definition=version.form,
            position=n,
            kind=KINDS[n % len(KINDS)],
            label={"en": f"Question {n}"},
            required=False,
            choices=options if KINDS[n % len(KINDS)] in ("choice", "multiple", "ranking") else [],
            items=options[:3] if KINDS[n % len(KINDS)] == "matrix" else [],
        )
        for n in range(40)
    )
    q.status = Questionnaire.Status.OPEN
    q.save()
    return q


def built(responses: int):
    """The questionnaire of an earlier run kept with --reuse, when it has the size asked."""
    from municipia.accounts.models import User
    from municipia.surveys.models import Questionnaire, Response

    q = Questionnaire.objects.filter(network__slug="bench", title__en="Bench").first()
    if q is None or Response.objects.filter(version__questionnaire=q).count() != responses:
        return None
    return q, User.objects.get(email="staff@bench.example")


def _answer(kind, rng):
    if kind == "scale":
        return str(rng.randint(1, 5))
    if kind == "nps":
        return str(rng.randint(0, 10))
    if kind == "choice":
        return rng.choice("abcd")
    if kind == "multiple":
        return "\n".join(rng.sample("abcd", 2))
    if kind == "matrix":
        return "\n".join(f"{i}={rng.randint(1, 5)}" for i in "abc")
    if kind == "ranking":
        order = rng.sample("abcd", 4)
        return "\n".join(f"{o}={n + 1}" for n, o in enumerate(order))
    if kind == "number":
        return str(rng.randint(0, 100))
    if kind == "date":
        return f"2026-10-{rng.randint(1, 28):02d}"
    return (
        rng.choice(["Good.", "Too long.", "Great visits.", "More time for questions."])
        + f" {rng.randint(1, 999)}"
    )


def measure(client, url, runs, cold):
    timings, queries = [], 0
    for n in range(runs + 1):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if n:  # the first is a warm-up
            timings.append(elapsed)
        queries = len(captured)
    timings.sort()
    return statistics.median(timings), timings[max(0, math.ceil(len(timings) * 0.95) - 1)], queries


def profile(client, url):
    """Where one cold request spends its time (after a first one that loads templates and
    catalogues): the 25 costliest calls, cumulatively."""
    client.get(url)
    cache.clear()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def concurrent_answers(network, staff, count, rng):
    """`count` answers from 20 threads to a fresh questionnaire of the same 40 questions, all
    sharing its tallies' rows: each must be stored once, and the tallies kept as they came must
    equal the ones computed again from the stored answers."""
    from municipia.surveys import services, tallies
    from municipia.surveys.models import Answer, Response, Tally

    q = _questionnaire(network, staff, "Bench, answered at once")
    fields = services.questions(services.current_version(q))
    answers = [{f.key: _answer(f.kind, rng) for f in fields} for _ in range(count)]
    expected_rows = sum(len(services.answer_rows(f, a[f.key])) for a in answers for f in fields)
    failures = []

    def submit(chunk):
        try:
            for a in chunk:
                try:
                    services.submit_response(q, answers=a, language="en", via="public")
                except Exception as error:  # counted and shown below
                    failures.append(repr(error))
        finally:
            connections.close_all()

    chunks = [answers[n::20] for n in range(20)]
    started = time.perf_counter()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(submit, chunks))
    elapsed = time.perf_counter() - started
    version = services.current_version(q)
    stored = Response.objects.filter(version=version).count()
    rows = Answer.objects.filter(response__version=version).count()

    def snapshot():
        return sorted(
            Tally.objects.filter(version=version).values_list(
                "field_id", "kind", "item", "value", "count", "total"
            )
        )

    kept = snapshot()
    tallies.rebuild(version.pk)
    return {
        "stored": stored,
        "rows_ok": rows == expected_rows,
        "tallies_ok": kept == snapshot(),
        "failures": failures,
        "seconds": elapsed,
    }


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--responses", type=int, help="another number of responses")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the test database, and use the questionnaire built by an earlier --reuse run "
        "when it has the size asked (the concurrent answers go to a questionnaire of their own)",
    )
    parser.add_argument("--profile", action="store_true", help="profile one cold results page")
    args = parser.parse_args()
    size = dict(SIZES["small" if args.small else "full"])
    if args.responses:
        size["responses"] = args.responses
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    try:
        rng = random.Random(16)
        started = time.perf_counter()
        found = built(size["responses"]) if args.reuse else None
        if found is None:
            if args.reuse:
                _forget_bench()
            found = build(size["responses"], rng)
            print(
                f"built {size['responses']} responses of 40 questions in "
                f"{time.perf_counter() - started:.1f} s (load {load()})"
            )
        else:
            print(f"reused the {size['responses']} responses of an earlier run")
        q, staff = found
        client = Client()
        client.force_login(staff)
        url = reverse("surveys:questionnaire-results", args=[q.pk])
        if args.profile:
            profile(client, url)
        print(f"{'measure':30} {'median ms':>10} {'p95 ms':>10} {'queries':>8}  load average")
        for label, target, cold in (
            ("results page, cache emptied", url, True),
            ("results page, cached", url, False),
            ("  filter matching 1/4 texts", url + "?q=great", True),
            ("  filter matching no text", url + "?q=nowhere", True),
            ("aggregates XLSX, cache emptied", url + "?format=xlsx", True),
            ("aggregates XLSX, cached", url + "?format=xlsx", False),
        ):
            median, p95, queries = measure(client, target, args.runs, cold)
            print(f"{label:30} {median:10.1f} {p95:10.1f} {queries:8d}  {load()}")
        done = concurrent_answers(q.network, staff, size["concurrent"], rng)
        print(
            f"{size['concurrent']} answers from 20 threads at once: {done['stored']} stored in "
            f"{done['seconds']:.1f} s; answer rows exact: {done['rows_ok']}; tallies equal to "
            f"a count from the answers: {done['tallies_ok']}; refused: {len(done['failures'])} "
            f"(load {load()})"
        )
        for failure in done["failures"][:5]:
            print("  ", failure)
        ok = done["stored"] == size["concurrent"] and done["rows_ok"] and done["tallies_ok"]
        return 0 if ok else 1
    finally:
        connections.close_all()
        if not args.reuse:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _forget_bench():
    """Empty the kept database of an earlier run of another size before building again."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
