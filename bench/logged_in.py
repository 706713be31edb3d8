"""Logged-in pages of each role on the demo, through Django's test client: queries and server time.

    DATABASE_URL=postgres://…/db CACHE_URL=redis://127.0.0.1:6379/13 SECRET_KEY=… \\
        ALLOWED_HOSTS=testserver .venv/bin/python bench/logged_in.py [--profile] [--only TEXT]

The database must hold the demo (`python -m municipia load_demo`) and its static files collected;
an expert account linked to a consenting person of the demo is added if missing (the demo has
none). Each page is fetched twice to warm the caches, then 7 times: the median is printed, with
the queries of one more request as it is served then. `--profile` prints cProfile's top for each.
Read the load average printed with it: on a shared machine times move by several times.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "municipia.settings.base")
EXPERT_EMAIL = "expert.bench@municipia.example"
JUROR_EMAIL = "ana.ferreira@municipia.example"


def pages() -> dict[str, list[str]]:
    from municipia.accounts.models import Role, User
    from municipia.demo.accounts import DEMO_EMAIL
    from municipia.demo.calls import OFFICER_EMAIL
    from municipia.directory.models import Consent, Person
    from municipia.plans.models import Plan

    if not User.objects.filter(email=EXPERT_EMAIL).exists():
        expert = User.objects.create_user(email=EXPERT_EMAIL, full_name="Bench expert (fictional)")
        Role.objects.create(user=expert, kind=Role.Kind.EXPERT)
        person = Person.objects.filter(
            consents__scope=Consent.Scope.EXPERT_DIRECTORY, user__isnull=True
        ).first()
        person.user = expert
        person.save()
    network = Role.objects.filter(user__email=DEMO_EMAIL, kind="network_staff").first().network
    plan = Plan.objects.filter(local_government__isnull=False).first()
    experts = Consent.objects.filter(scope="expert_directory").exclude(network=None).first()
    return {
        DEMO_EMAIL: [
            "/en/",
            "/en/work/",
            f"/en/manage/networks/{network.slug}/memberships/",
            "/api/v1/experiences/",
            f"/en/networks/{network.slug}/members/",
        ],
        OFFICER_EMAIL: ["/en/work/", "/en/experiences/mine/", plan.get_absolute_url()],
        JUROR_EMAIL: ["/en/work/", "/en/calls/reviews/"],
        EXPERT_EMAIL: ["/en/work/", f"/en/networks/{experts.network.slug}/experts/"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from municipia.accounts.models import User

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for email, urls in pages().items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for url in urls:
            if args.only not in url and args.only not in email:
                continue
            for _n in range(2):
                client.get(url, secure=True)
            times = []
            for _n in range(7):
                start = time.perf_counter()
                response = client.get(url, secure=True)
                times.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(url, secure=True)
            print(
                f"{email.split('@')[0]:14} {url[:64]:64} {response.status_code} "
                f"queries {len(captured):3}  median {statistics.median(times):7.1f} ms"
            )
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _n in range(5):
                    client.get(url, secure=True)
                profile.disable()
                text = io.StringIO()
                pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
                print(text.getvalue())
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
