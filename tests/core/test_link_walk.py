"""No page shows a link to an action its reader may not perform (decision 0030).

On the demo, as each role, walk the site breadth-first from the home page and "my work", following
every same-site link of every page (GET only): no answer may be 403, 404 or 500. To keep the walk
short, each URL pattern is visited a few times at most (its distinct pages are alike); every pattern
a role can reach is visited at least once.
"""

import collections
import html.parser
import time
import urllib.parse

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from municipia.accounts.models import Role, User
from municipia.demo.accounts import DEMO_EMAIL
from municipia.demo.calls import OFFICER_EMAIL
from municipia.directory.models import Consent, Person

pytestmark = pytest.mark.django_db

JUROR_EMAIL = "ana.ferreira@municipia.example"
EXPERT_EMAIL = "expert.walk@municipia.example"
PER_PATTERN = 2  # pages of one URL pattern visited at most, per role
MAX_PAGES = 600  # per role, a guard against a walk that never ends
START = ["/en/", "/en/work/"]
# Not pages: downloads, feeds, exports, the API, the admin, switching language or logging out.
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/", "/language/", "/en/admin/", "/healthz")
SKIP_IN_PATH = ("/feed/", "/files/", "/attachments/", "/logout/", "/map.json")
SKIP_SUFFIXES = (".pdf", ".docx", ".csv", ".xlsx", ".json", ".ods")
SKIP_QUERY_KEYS = {"format", "next", "language"}


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(page_url: str, text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    found = []
    for href in parser.hrefs:
        url = urllib.parse.urljoin(page_url, href)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path
        if not path.startswith("/en/") and path != "/en":
            continue  # other languages are the same pages
        if path.startswith(SKIP_PREFIXES) or any(part in path for part in SKIP_IN_PATH):
            continue
        if path.endswith(SKIP_SUFFIXES):
            continue
        query = urllib.parse.parse_qs(parts.query)
        if SKIP_QUERY_KEYS & set(query):
            continue
        found.append(urllib.parse.urlunsplit(("", "", path, parts.query, "")))
    return found


def _pattern(url: str) -> str:
    path = urllib.parse.urlsplit(url).path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name or match.route


def walk(client: Client, start: list[str]) -> tuple[list[tuple[str, int, str]], dict, set]:
    """Visit breadth-first; return the failures (url, status, page it was linked from), figures
    and the URL patterns visited."""
    queue = collections.deque((url, "(start)") for url in start)
    seen = set(start)
    per_pattern = collections.Counter()
    failures = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url, source = queue.popleft()
        pattern = _pattern(url)
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        visited += 1
        try:
            response = client.get(url)
        except Exception as error:  # a crash is a failure to report, with the page that linked it
            failures.append((url, 500, f"{source}: {error!r}"))
            continue
        if response.status_code in (301, 302):
            target = urllib.parse.urljoin(url, response["Location"])
            for link in _links(url, f'<a href="{target}">'):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, url))
            continue
        if response.status_code >= 400:
            failures.append((url, response.status_code, source))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    figures = {"pages": visited, "patterns": len(per_pattern), "left": len(queue)}
    return failures, figures, set(per_pattern)


@pytest.fixture
def demo(db, settings):
    settings.MUNICIPIA_REQUIRE_MFA_FOR_STAFF = False
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    expert = User.objects.create_user(email=EXPERT_EMAIL, full_name="Walking Expert (fictional)")
    Role.objects.create(user=expert, kind=Role.Kind.EXPERT)
    person = Person.objects.filter(
        consents__scope=Consent.Scope.EXPERT_DIRECTORY, user__isnull=True
    ).first()
    person.user = expert
    person.save()


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def test_every_page_links_only_to_what_its_reader_may_open(demo, capsys):
    roles = {
        "anonymous": None,
        "staff": DEMO_EMAIL,
        "officer": OFFICER_EMAIL,
        "juror": JUROR_EMAIL,
        "expert": EXPERT_EMAIL,
    }
    failures = {}
    figures = {}
    patterns = {}
    for role, email in roles.items():
        started = time.monotonic()
        found, figures[role], patterns[role] = walk(_client(email), START if email else START[:1])
        figures[role]["seconds"] = round(time.monotonic() - started, 1)
        failures[role] = found

    with capsys.disabled():
        for role, numbers in figures.items():
            print(f"\nlink walk {role}: {numbers}, refused or failed: {len(failures[role])}")  # noqa: T201
    assert failures == {role: [] for role in roles}
    # The walk reached the work of each role, not just the public pages.
    assert all(numbers["left"] == 0 for numbers in figures.values())
    assert {
        "core:workspace",
        "knowledge:workspace",
        "finance:arrears",
        "finance:invoice-detail",
        "calls:manage-call",
        "plans:plan-dashboard",
        "directory:membership-manage-list",
    } <= patterns["staff"]
    assert {
        "finance:member-invoice-list",
        "finance:member-invoice-detail",
        "finance:member-receipt",
        "calls:application-edit",
    } <= patterns["officer"]
    assert {"calls:review-list", "calls:review"} <= patterns["juror"]
    assert "directory:person-detail" in patterns["expert"]
