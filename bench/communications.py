"""A newsletter to 50,000 subscribers across five languages, on PostgreSQL, sent to a real SMTP
server on this machine (aiosmtpd, in a process of its own).

    nice -n 10 .venv/bin/python bench/communications.py --small   # 5,000 subscribers
    nice -n 10 .venv/bin/python bench/communications.py           # 50,000 subscribers

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (another server:
DATABASE_URL=...). A throwaway database (`test_<name>`) is created from the models, filled with
`bulk_create` (30 public news posts, 10,000 subscribers per language) and dropped at the end.

Printed: the time to assemble and render the five issues (target under 10 s), then the sending of
every issue (`--send N`: the first N) in batches by one process, as one worker sends (target 200 messages/s or more), its
peak resident memory before and after the sending (bounded: it must not grow with the number of
recipients), the messages the server received and the duplicates among them (must be 0), and the
load average beside the figures.
"""

import argparse
import collections
import datetime
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.test")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/municipia_bench_communications"
)

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

LANGUAGES = ["en", "es", "fr", "ca", "pt"]
SIZES = {"full": 50_000, "small": 5_000}


def _serve(port: int, ready, stop, results) -> None:
    """The SMTP server's process: count each recipient until told to stop, then report."""
    from tests.communications.smtp_sink import SmtpSink

    with SmtpSink(port=port) as sink:
        ready.set()
        stop.wait()
        results.send((sink.messages, dict(sink.received)))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(subscribers: int):
    from municipia.accounts.models import Role, User
    from municipia.communications.models import (
        NewsPost,
        NewsTranslation,
        Subscriber,
        Subscription,
    )
    from municipia.directory.models import Network

    network = Network.objects.create(name="Bench network", slug="bench")
    staff = User.objects.create_user(email="staff@bench.example", password="x")
    Role.objects.create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    now = timezone.now()
    posts = NewsPost.objects.bulk_create(
        NewsPost(
            network=network,
            original_language="en",
            status=NewsPost.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        for n in range(30)
    )
    NewsTranslation.objects.bulk_create(
        NewsTranslation(
            post=post,
            language=language,
            title=f"News {post.pk} [{language}]",
            summary="A summary of the news, two lines long in most mail readers. " * 2,
            body="<p>Body.</p>",
        )
        for post in posts
        for language in LANGUAGES
    )
    rows = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@bench.example", status=Subscriber.Status.ACTIVE, confirmed_at=now
            )
            for n in range(subscribers)
        ),
        batch_size=5000,
    )
    Subscription.objects.bulk_create(
        (
            Subscription(subscriber=row, network=network, language=LANGUAGES[n % len(LANGUAGES)])
            for n, row in enumerate(rows)
        ),
        batch_size=5000,
    )
    return network, staff


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--subscribers", type=int, help="another number of subscribers")
    parser.add_argument(
        "--send", type=int, default=5, help="send this many of the five issues (all by default)"
    )
    args = parser.parse_args()
    subscribers = args.subscribers or SIZES["small" if args.small else "full"]

    # The tables straight from the models (no migrations to replay), as the tests make them.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)

    from municipia.communications.models import Delivery
    from municipia.communications.services import newsletters
    from tests.communications.smtp_sink import free_port

    port = free_port()
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=_serve, args=(port, ready, stop, send), daemon=True)
    server.start()
    ready.wait(30)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        started = time.perf_counter()
        network, staff = build(subscribers)
        print(f"built {subscribers:,} subscribers in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        issues = []
        for language in LANGUAGES:
            issue = newsletters.assemble_issue(network, by=staff, language=language)
            newsletters.render_issue(issue)
            issues.append(issue)
        assembled = time.perf_counter() - started
        items = sum(len(issue.items) for issue in issues)
        print(
            f"assembled and rendered {len(issues)} issues ({items} items) in {assembled:.2f} s "
            f"(target < 10 s)"
        )
        rss_before = peak_rss_mb()

        from municipia.core import jobs

        started = time.perf_counter()
        for issue in issues[: args.send]:
            job = jobs.create_job(kind=newsletters.JOB_KIND, owner=staff, subject=issue)
            newsletters.deliver_issue(job)
        elapsed = time.perf_counter() - started
        # Read before the checks below load every address and delivery into this process.
        rss_after = peak_rss_mb()
        stop.set()
        messages, received = receive.recv()
        server.join(10)
        rate = messages / elapsed if elapsed else 0.0
        duplicates = sum(count - 1 for count in received.values() if count > 1)
        counts = collections.Counter(Delivery.objects.values_list("status", flat=True))
        print(
            f"sent {messages:,} messages in {elapsed:.1f} s: {rate:.0f} messages/s by one process "
            f"(target >= 200), batches of {settings.MUNICIPIA_NEWSLETTER_BATCH}"
        )
        print(f"peak RSS: {rss_before:.0f} MB before sending, {rss_after:.0f} MB after")
        print(
            f"server received {len(received):,} addresses; duplicates: {duplicates}; "
            f"deliveries: {dict(counts)}"
        )
        print("load average:", " ".join(f"{v:.2f}" for v in os.getloadavg()))
        expected = Delivery.objects.count()
        return 0 if duplicates == 0 and len(received) == expected else 1
    finally:
        stop.set()
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
