"""Questionnaires at scale, through Django's test client on PostgreSQL: a questionnaire of 40
questions with 20,000 responses; the results page (server time, queries) and the XLSX export of
its aggregates, then 1,000 answers submitted at once from threads, each to be stored once.

    nice -n 10 .venv/bin/python bench/surveys.py --small   # 500 responses, 100 concurrent answers
    nice -n 10 .venv/bin/python bench/surveys.py           # the sizes of issue 16

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (another server:
DATABASE_URL=...). A throwaway database (`test_<name>`) is created, filled with `bulk_create` and
dropped at the end. The 40 questions mix every kind (scales, 0 to 10, choices, matrices, rankings,
numbers, dates, free text). The results page is asked `--runs` times with the cache emptied before
each request (the cold case: every aggregate computed in the database), then once warm. Printed:
median and 95th percentile in ms, the queries of one request, and the load average beside them.
"""

import argparse
import os
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
from django.db import connection, connections  # noqa: E402
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
    from municipia.accounts.models import Role, User
    from municipia.directory.models import Network
    from municipia.forms.models import FormField
    from municipia.surveys import services
    from municipia.surveys.models import Answer, Questionnaire, Response

    network = Network.objects.create(name="Bench network", slug="bench")
    staff = User.objects.create_user(email="staff@bench.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    q = services.create_questionnaire(
        network, by=staff, title={"en": "Bench"}, original_language="en"
    )
    version = services.current_version(q)
    options = [{"value": v, "label": {"en": v}} for v in ("a", "b", "c", "d")]
    fields = []
    for n in range(40):
        kind = KINDS[n % len(KINDS)]
        fields.append(
            FormField.objects.create(
                definition=version.form,
                position=n,
                kind=kind,
                label={"en": f"Question {n}"},
                required=False,
                choices=options if kind in ("choice", "multiple", "ranking") else [],
                items=options[:3] if kind == "matrix" else [],
            )
        )
    q.status = Questionnaire.Status.OPEN
    q.save()
    today = timezone.localdate()
    batch = 1000
    for start in range(0, responses, batch):
        rows, answers = [], []
        for _ in range(min(batch, responses - start)):
            response = Response(
                id=uuid.uuid4(),
                version=version,
                submitted_on=today,
                via="public",
                language="",
                answers={},
            )
            rows.append(response)
            for field in fields:
                value = _answer(field.kind, rng)
                response.answers[field.key] = value
                answers.extend(
                    Answer(response=response, field=field, **row)
                    for row in services.answer_rows(field, value)
                )
        Response.objects.bulk_create(rows)
        Answer.objects.bulk_create(answers, batch_size=5000)
    return q, staff, fields


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
    return (
        statistics.median(timings),
        timings[int(len(timings) * 0.95) - 1 if len(timings) > 1 else 0],
        queries,
    )


def concurrent_answers(q, fields, count, rng):
    from municipia.surveys import services
    from municipia.surveys.models import Response

    before = Response.objects.filter(version__questionnaire=q).count()
    answers = [{f.key: _answer(f.kind, rng) for f in fields} for _ in range(count)]

    def submit(chunk):
        try:
            for a in chunk:
                services.submit_response(q, answers=a, language="en", via="public")
        finally:
            connections.close_all()

    chunks = [answers[n::20] for n in range(20)]
    started = time.perf_counter()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(submit, chunks))
    elapsed = time.perf_counter() - started
    stored = Response.objects.filter(version__questionnaire=q).count() - before
    return stored, elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--responses", type=int, help="another number of responses")
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="use the test database as it is (say, a copy of a migrated one) and keep it",
    )
    args = parser.parse_args()
    size = dict(SIZES["small" if args.small else "full"])
    if args.responses:
        size["responses"] = args.responses
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb)
    try:
        rng = random.Random(16)
        started = time.perf_counter()
        q, staff, fields = build(size["responses"], rng)
        print(
            f"built {size['responses']} responses of 40 questions in {time.perf_counter() - started:.1f} s"
        )
        client = Client()
        client.force_login(staff)
        url = reverse("surveys:questionnaire-results", args=[q.pk])
        for label, target, cold in (
            ("results page, cold", url, True),
            ("results page, cached", url, False),
            ("aggregates XLSX", url + "?format=xlsx", True),
        ):
            median, p95, queries = measure(
                client, url if target == url else target, args.runs, cold
            )
            print(f"{label:24} median {median:7.1f} ms  p95 {p95:7.1f} ms  {queries} queries")
        stored, elapsed = concurrent_answers(q, fields, size["concurrent"], rng)
        print(
            f"{size['concurrent']} concurrent answers from 20 threads: {stored} stored in {elapsed:.1f} s"
        )
        print("load average:", " ".join(f"{v:.2f}" for v in os.getloadavg()))
        return 0 if stored == size["concurrent"] else 1
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keepdb)


if __name__ == "__main__":
    sys.exit(main())
