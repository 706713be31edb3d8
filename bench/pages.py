"""Every page under gunicorn on PostgreSQL, with wrk, beside a plain Django page in the same run.

    nice -n 10 .venv/bin/python bench/pages.py              # demo + 30,000 members + 100,000 entries
    nice -n 10 .venv/bin/python bench/pages.py --quick      # 3,000 members, 5,000 entries, short runs
    .venv/bin/python bench/pages.py --workers 2 --threads 4 --only search   # another configuration

Set-up: PostgreSQL on 127.0.0.1:5432 reachable as `postgres` without a password (trust), Redis on
127.0.0.1:6379 (its database 9 is the bench's cache, emptied at each run), gunicorn (the
`production` extra: `pip install ".[production]"`) and wrk, the Debian package
(`apt-get install wrk`; any wrk 4 on the PATH will do).

The data is built once, in the database `municipia_bench` (`municipia_bench_quick` with `--quick`),
and kept for later runs; `--rebuild` builds it again. It holds the demo, a network of 30,000 members
(the most populous GeoNames cities, bench/builders.py), 300 experiences shared in it, and 100,000
search entries with both models' vectors for 20,000 published experiences (bench/search.py's
corpus). Static files are collected under var/bench-pages/.

The server is the production one: `municipia.settings.base` with DEBUG off and Redis
(`REDIS_URL`) as cache, run by gunicorn with deploy/gunicorn.conf.py (`--gunicorn-config`,
`--workers`, `--threads`, `--worker-class` change it); the settings module bench/pages_settings.py
only adds `/bench/plain/`, a plain Django page (one query, a 20-row table, same middleware). wrk
sends `X-Forwarded-Proto: https`, as the reverse proxy does, and `Accept-Encoding` as browsers do. The API throttles are raised (through
their settings) so that 64 connections from one address measure the server, not the throttle.

For each page it prints:
- "1 client ms": the median latency of wrk with one connection (server time plus the loopback);
  for the search rows, the median of a sequential loop of distinct queries, each embedded afresh
  (the page, the API, their runs at 64 connections and the warm-up ask disjoint sets of phrases;
  a loaded run that outlasts its set asks them again, from the cache);
- "queries": the queries of one request as the server answers it under load (a cached page: the
  generations' query), then of one built from scratch (cache emptied), counted with Django's test
  client in this process;
- "req/s @64", "errors @64": wrk with 64 connections, the median of `--repeat` runs (3) for the
  pages (one for the searches), and the errors of all (non-2xx/3xx answers and socket errors);
- "ratio": req/s against the plain page's (the mean of its runs at the start and at the end).
Targets: 1-client median < 25 ms; anonymous pages from the cache ratio >= 1.0, other pages and
API lists >= 0.3; 0 errors; search p95 < 50 ms through HTTP. The load average is printed at the
start and at the end: on a shared machine, read the ratios rather than the absolute figures.
"""

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_DIR = ROOT / "var" / "bench-pages"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/9"
PORT = 8765
EXPERT_EMAIL = "expert.bench@municipia.example"
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "bench.pages_settings",
    "SECRET_KEY": "bench-pages-only-not-a-production-key",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "MUNICIPIA_DATA_DIR": str(DATA_DIR),
    "MUNICIPIA_API_ANON_RATE": "1000000/minute",
    "MUNICIPIA_API_USER_RATE": "1000000/minute",
    "LOG_LEVEL": "WARNING",
    "EMAIL_URL": "dummymail://",  # the demo's e-mails go nowhere
}
# As the reverse proxy and a browser send them: pages kept compressed in the cache are sent so.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}


class Case:
    def __init__(self, name, url, kind, cookie=None, queries=None, loaded=None):
        self.name, self.url, self.kind, self.cookie = name, url, kind, cookie
        self.search_texts = queries  # distinct queries: a varied search, never from the cache
        self.loaded_texts = loaded or queries  # those of the run at 64 connections
        self.queries = self.queries_built = None
        self.median = self.p95 = self.rate = None
        self.errors = 0
        self.status = None

    @property
    def target(self) -> float:
        return 1.0 if self.kind == "public" else 0.3


# --- the data ----------------------------------------------------------------------------------
def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        return bool(
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def built(name: str) -> dict | None:
    import psycopg

    if not database_exists(name):
        return None
    with psycopg.connect(f"{POSTGRES}/{name}", autocommit=True) as connection:
        if not connection.execute("SELECT to_regclass('bench_pages_built')").fetchone()[0]:
            return None
        row = connection.execute("SELECT members, entries FROM bench_pages_built").fetchone()
    return {"members": row[0], "entries": row[1]} if row else None


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def build(members: int, entries: int) -> None:
    """The demo, the network, its experiences, the search bank and the role users (Django set up)."""
    from django.core.management import call_command
    from django.db import connection

    from bench import search as search_bench
    from bench.builders import EXPERIENCES, add_experiences, load_members

    quiet = open(os.devnull, "w")  # noqa: SIM115 (for the whole build)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=quiet)
    print(f"  demo loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    network = load_members(members)
    add_experiences(network, EXPERIENCES)
    print(f"  {members:,} members ({time.perf_counter() - started:.0f} s)", flush=True)
    documents, _queries = search_bench.build_corpus(None, 0)
    search_bench.RESULTS.mkdir(parents=True, exist_ok=True)
    vectors = {m: search_bench.embed_corpus(documents, m)[0] for m in search_bench.MODELS}
    bank, synthetic = search_bench.published_collection(documents, vectors, entries)
    search_bench.insert(bank, synthetic, start_id=10_000_000, batch=5000)
    print(f"  {len(bank):,} search entries ({time.perf_counter() - started:.0f} s)", flush=True)
    roles(network)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("CREATE TABLE bench_pages_built (members integer, entries integer)")
        cursor.execute("INSERT INTO bench_pages_built VALUES (%s, %s)", [members, len(bank)])
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def roles(network) -> None:
    """The demo staff account also staffs the big network; an expert account is added."""
    from allauth.account.models import EmailAddress

    from municipia.accounts.models import Role, User
    from municipia.demo.accounts import DEMO_EMAIL

    staff = User.objects.get(email=DEMO_EMAIL)
    Role.objects.get_or_create(user=staff, kind=Role.Kind.NETWORK_STAFF, network=network)
    expert, _created = User.objects.get_or_create(
        email=EXPERT_EMAIL, defaults={"full_name": "Bench expert (fictional)"}
    )
    EmailAddress.objects.get_or_create(
        user=expert, email=EXPERT_EMAIL, defaults={"verified": True, "primary": True}
    )
    Role.objects.get_or_create(user=expert, kind=Role.Kind.EXPERT, network=network)


# --- what is measured --------------------------------------------------------------------------
def first_link(client, page: str, pattern: str) -> str | None:
    response = client.get(page, secure=True)
    match = re.search(pattern, response.content.decode()) if response.status_code == 200 else None
    return match.group(0) if match else None


def session_cookie(email: str) -> str:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def cases(page_texts, api_texts, page_loaded=None, api_loaded=None) -> list[Case]:
    from django.test import Client

    from municipia.demo.accounts import DEMO_EMAIL
    from municipia.demo.knowledge import OFFICER_EMAIL
    from municipia.knowledge.models import Experience

    client = Client()
    networks = re.findall(
        r'href="(/en/networks/[\w-]+/)"', client.get("/en/networks/", secure=True).content.decode()
    )
    experts = person = None
    for network in dict.fromkeys(networks):
        person = first_link(client, network + "experts/", r"/en/people/[\w-]+/")
        if person:
            experts = network + "experts/"
            break
    from municipia.directory.models import LocalGovernment

    place = LocalGovernment.objects.filter(slug__startswith="bench-").order_by("pk").first()
    place = place.get_absolute_url() if place else None
    publication = first_link(client, "/en/publications/", r"/en/publications/\d+/")
    plan = first_link(
        client,
        "/en/plans/",
        r"/en/plans/(?!new/|import/|comments/|sections/|objectives/|activities/|indicators/)[\w-]+/",
    )
    calls = client.get("/en/calls/", secure=True).content.decode()
    call = re.search(r"/en/calls/(?!mine/|reviews/|manage/|applications/|files/)[\w-]+/", calls)
    results = None
    for slug in dict.fromkeys(re.findall(r"/en/calls/([\w-]+)/", calls)):
        results = first_link(client, f"/en/calls/{slug}/", rf"/en/calls/{slug}/results/")
        if results:
            break
    experience = (
        Experience.objects.filter(status="published", city__slug__startswith="bench-")
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    public = [
        ("home", "/en/"),
        ("networks", "/en/networks/"),
        ("network page (30,000 members)", "/en/networks/bench/"),
        ("member list", "/en/networks/bench/members/"),
        ("member list, name search", "/en/networks/bench/members/?q=san&page=2"),
        ("member map data", "/en/networks/bench/map.json"),
        ("experts", experts),
        ("places", "/en/places/"),
        ("place page", place),
        ("person page", person),
        ("bank in figures", "/en/bank/"),
        ("experience page", f"/en/experiences/{experience}/" if experience else None),
        ("publications", "/en/publications/"),
        ("publication page", publication),
        ("plans", "/en/plans/"),
        ("plan page", plan),
        ("plan history", f"{plan}history/" if plan else None),
        ("calls", "/en/calls/"),
        ("call page", call.group(0) if call else None),
        ("call results", results),
        ("search page, one query", "/en/search/?q=water"),
    ]
    api = [
        ("API networks", "/api/v1/networks/"),
        ("API memberships", "/api/v1/memberships/?network=bench"),
        ("API experiences", "/api/v1/experiences/"),
        ("API publications", "/api/v1/publications/"),
        ("API places, network members", "/api/v1/local-governments/?network=bench&page=50"),
        ("API countries", "/api/v1/countries/"),
        ("API people", "/api/v1/people/"),
        ("API plans", "/api/v1/plans/"),
        ("API calls", "/api/v1/calls/"),
        ("API search, one query", "/api/v1/search/?q=water"),
    ]
    staff = session_cookie(DEMO_EMAIL)
    officer = session_cookie(OFFICER_EMAIL)
    juror = session_cookie("ana.ferreira@municipia.example")
    expert = session_cookie(EXPERT_EMAIL)
    personal = [
        ("staff: home", "/en/", staff),
        ("staff: my work", "/en/work/", staff),
        ("staff: members to manage (30,000)", "/en/manage/networks/bench/memberships/", staff),
        ("staff: API experiences", "/api/v1/experiences/", staff),
        ("city officer: my work", "/en/work/", officer),
        ("city officer: own experiences", "/en/experiences/mine/", officer),
        ("city officer: plan page", plan, officer),
        ("juror: reviews", "/en/calls/reviews/", juror),
        ("expert: experts", experts, expert),
    ]
    out = [Case("plain Django page", "/bench/plain/", "plain")]
    out += [Case(name, url, "public") for name, url in public]
    out += [Case(name, url, "api") for name, url in api]
    out += [Case(name, url, "logged in", cookie) for name, url, cookie in personal]
    out.append(
        Case(
            "search page, distinct queries",
            "/en/search/?",
            "search",
            queries=page_texts,
            loaded=page_loaded,
        )
    )
    out.append(
        Case(
            "API search, distinct queries",
            "/api/v1/search/?",
            "search",
            queries=api_texts,
            loaded=api_loaded,
        )
    )
    return out


def count_queries(case: Case) -> None:
    """Queries of one request as served under load, and of one built from an empty cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if case.cookie:
        name, _sep, value = case.cookie.partition("=")
        client.cookies[name] = value
    cache.clear()
    if case.search_texts:  # two queries never asked: the second finds the figures cached
        urls = [case.url + urlencode({"q": text}) for text in case.search_texts[-2:]]
    else:  # the second request is served as under load, from the cache where it may be
        urls = [case.url, case.url]
    with CaptureQueriesContext(connection) as built_queries:
        response = client.get(urls[0], secure=True)
    case.status = response.status_code
    with CaptureQueriesContext(connection) as served:
        client.get(urls[1], secure=True)
    case.queries, case.queries_built = len(served), len(built_queries)


# --- the server and the load generator ---------------------------------------------------------
def start_server(args, environment) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "municipia.wsgi:application",
        "--config",
        str(args.gunicorn_config),
        "--bind",
        f"127.0.0.1:{PORT}",
    ]
    for option in ("workers", "threads", "worker_class"):
        value = getattr(args, option)
        if value is not None:
            command += [f"--{option.replace('_', '-')}", str(value)]
    if args.preload is not None:
        command.append("--preload" if args.preload == "on" else "--no-preload")
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if fetch("/healthz")[0] in (200, 503):
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 120 s")


def fetch(path: str, cookie: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    headers = dict(HEADERS)
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def workers_memory(server: subprocess.Popen) -> list[tuple[int, int]]:
    """(RSS, PSS) in MB of each of the server's workers."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != server.pid:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        kb = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]}
        out.append((kb.get("Rss", 0) // 1024, kb.get("Pss", 0) // 1024))
    return out


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, connections: int, seconds: float, cookie=None, script=None) -> dict:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--latency",
    ]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    command.append(f"http://127.0.0.1:{PORT}{url}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    median = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
        "median": _ms(median.group(1)) if median else None,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def lua_script(case: Case, directory: str, offset: int = 0) -> str:
    """A wrk script that asks each query of `case`'s loaded run once, threads starting far apart
    (past the end of the list it starts again: answers from the cache)."""
    paths = [case.url + urlencode({"q": text}) for text in case.loaded_texts]
    quoted = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    path = Path(directory) / f"{abs(hash(case.url))}-{offset}.lua"
    path.write_text(
        f"local paths = {{\n{quoted}\n}}\n"
        "local threads = 0\n"
        "function setup(thread) threads = threads + 1; thread:set('offset', threads * 397) end\n"
        f"function init(args) position = (offset or 0) + {offset} end\n"
        "function request()\n"
        "  position = position % #paths + 1\n"
        "  return wrk.format('GET', paths[position])\n"
        "end\n"
    )
    return str(path)


def sequential(case: Case, texts: list[str]) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        status, _body = fetch(case.url + urlencode({"q": text}), case.cookie)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            case.errors += 1
    return timings


def warm_up(search: Case, args, scratch: str) -> None:
    """Distinct searches from many connections until each worker has loaded its search index
    and models (the first search of a process), so that no page's figures include that."""
    started = time.perf_counter()
    script = lua_script(search, scratch, offset=7919)
    while time.perf_counter() - started < 600:
        result = wrk(search.url, 16, 10, script=script)
        if result["median"] is not None and result["median"] < 2000 and result["requests"] > 32:
            break
    print(f"  warm-up: searches in every worker, {time.perf_counter() - started:.0f} s", flush=True)


def measure(case: Case, args, scratch: str) -> None:
    if case.search_texts:
        texts = case.search_texts
        sequential(case, texts[: args.warm_queries])  # each worker loads its catalogue
        timings = sorted(
            sequential(case, texts[args.warm_queries : args.warm_queries + args.search_queries])
        )
        case.median = statistics.median(timings)
        case.p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        script = lua_script(case, scratch)
        loaded = wrk(case.url, 64, args.seconds, script=script)
    else:
        wrk(case.url, 8, args.warm, cookie=case.cookie)  # every worker builds what it caches
        one = wrk(case.url, 1, args.one_client, cookie=case.cookie)
        if one["requests"] < 10:  # a worker was still busy with the warm-up's last requests
            one = wrk(case.url, 1, args.one_client * 2, cookie=case.cookie)
        case.median = one["median"]
        # The median of several runs at 64 connections: one run's rate swung by half from one
        # run to the next on a quiet machine (how the connections fell between the workers).
        runs = [wrk(case.url, 64, args.seconds, cookie=case.cookie) for _ in range(args.repeat)]
        loaded = {
            "rate": statistics.median(run["rate"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
        }
    case.rate, case.errors = loaded["rate"], case.errors + loaded["errors"]


# --- the run -----------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, shorter runs")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--build-only", action="store_true", help="build the database if needed, measure nothing"
    )
    parser.add_argument("--members", type=int)
    parser.add_argument("--entries", type=int)
    parser.add_argument(
        "--gunicorn-config", type=Path, default=ROOT / "deploy" / "gunicorn.conf.py"
    )
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--worker-class")
    parser.add_argument("--preload", choices=["on", "off"])
    parser.add_argument("--seconds", type=float, help="wrk run at 64 connections")
    parser.add_argument(
        "--repeat", type=int, default=3, help="wrk runs at 64 connections per page (median kept)"
    )
    parser.add_argument("--port", type=int, default=8765, help="the server's port on 127.0.0.1")
    parser.add_argument(
        "--only",
        help="measure only the pages whose name holds one of these texts (comma-separated)",
    )
    args = parser.parse_args()
    global PORT
    PORT = args.port
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian) or put wrk 4 on PATH")
    quick = args.quick
    args.members = args.members or (3_000 if quick else 30_000)
    args.entries = args.entries or (5_000 if quick else 100_000)
    args.seconds = args.seconds or (3 if quick else 10)
    args.warm, args.one_client = (1, 2) if quick else (2, 5)
    args.search_queries, args.warm_queries = (40, 10) if quick else (200, 20)
    name = "municipia_bench_quick" if quick else "municipia_bench"
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)

    database = {"DATABASE_URL": f"{POSTGRES}/{name}"}
    os.environ.update(ENVIRONMENT | database | {"CACHE_URL": REDIS})
    os.environ.pop("REDIS_URL", None)  # tasks of the build run in this process
    wanted = {"members": args.members, "entries": args.entries}
    if args.rebuild or built(name) != wanted:
        print(
            f"building {name}: demo, {args.members:,} members, {args.entries:,} search entries",
            flush=True,
        )
        recreate_database(name)
        import django

        django.setup()
        build(args.members, args.entries)
    elif args.build_only:
        print(f"{name} is built already")
    else:
        import django

        django.setup()
    if args.build_only:
        return 0
    from bench import search as search_bench

    _documents, query_sets = search_bench.build_corpus(None, 10_000)
    # Disjoint sets of phrases: the page's and the API's sequential loops, their runs at 64
    # connections, and the warm-up. A query asked once leaves its vectors and an anonymous answer
    # in the shared cache: with one set for all, the API's searches found most of their query
    # embeddings made by the page's run before them, and the loaded runs read cached pages.
    texts = [q["text"] for q in query_sets["phrases"]][::-1]
    size = args.warm_queries + args.search_queries
    page_texts, api_texts = texts[:size], texts[size : 2 * size]
    rest = texts[2 * size :]
    third = len(rest) // 3
    page_loaded, api_loaded, warm_texts = rest[:third], rest[third : 2 * third], rest[2 * third :]
    all_cases = cases(page_texts, api_texts, page_loaded, api_loaded)
    plain = all_cases[0]
    wanted_names = [part.strip() for part in (args.only or "").split(",") if part.strip()]
    selected = [
        c
        for c in all_cases
        if c.kind == "plain" or not wanted_names or any(part in c.name for part in wanted_names)
    ]
    missing = [c.name for c in selected if c.url is None]
    selected = [c for c in selected if c.url is not None]
    # The first search of a process opens the search index (its reads would be counted against
    # whichever page asks first: the experience page's related items).
    from django.test import Client

    Client().get("/en/search/?q=water", secure=True)
    for case in selected:
        count_queries(case)
    from django.core.cache import cache

    cache.clear()
    from django.db import connections

    connections.close_all()

    environment = os.environ | ENVIRONMENT | database | {"REDIS_URL": REDIS}
    environment.pop("CACHE_URL", None)
    server = start_server(args, environment)
    scratch = tempfile.mkdtemp(prefix="municipia-bench-pages-")
    try:
        warm_up(Case("warm-up", "/api/v1/search/?", "search", queries=warm_texts), args, scratch)
        plain_end = Case(plain.name, plain.url, "plain")
        for case in [*selected, plain_end]:
            status, _body = fetch(
                case.url if not case.search_texts else case.url + "q=water", case.cookie
            )
            if status != 200:
                print(f"  {case.name}: HTTP {status} at {case.url}", flush=True)
            measure(case, args, scratch)
            print(
                f"  measured {case.name}: {case.median:.1f} ms, {case.rate:.0f} req/s", flush=True
            )
        memory = workers_memory(server)
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(scratch, ignore_errors=True)
    reference = (plain.rate + plain_end.rate) / 2
    report(selected, reference, plain_end, args, memory, missing)
    return 0


def report(selected, reference, plain_end, args, memory, missing) -> None:
    config = f"{args.gunicorn_config.relative_to(ROOT) if args.gunicorn_config.is_relative_to(ROOT) else args.gunicorn_config}"
    overrides = ", ".join(
        f"{o}={getattr(args, o)}"
        for o in ("workers", "threads", "worker_class", "preload")
        if getattr(args, o) is not None
    )
    print()
    print(
        f"gunicorn: {config}{' (' + overrides + ')' if overrides else ''}; {args.members:,} members, {args.entries:,} search entries; wrk {args.seconds:.0f} s at 64 connections"
    )
    header = (
        "| page | kind | 1 client ms | queries (built) | req/s @64 | errors @64 | ratio | targets |"
    )
    print(header)
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    missed = 0
    for case in selected:
        ratio = case.rate / reference
        misses = []
        if case.kind != "plain":
            if case.median >= 25:
                misses.append("time")
            if ratio < case.target:
                misses.append(f"ratio < {case.target}")
            if case.errors:
                misses.append("errors")
            if case.p95 is not None and case.p95 >= 50:
                misses.append("p95")
        missed += bool(misses)
        median = f"{case.median:.1f}" + (f" (p95 {case.p95:.1f})" if case.p95 is not None else "")
        status = "" if case.status in (200, None) else f" [HTTP {case.status} in the test client]"
        print(
            f"| {case.name}{status} | {case.kind} | {median} | {case.queries} ({case.queries_built}) | {case.rate:.0f} | {case.errors} | {ratio:.2f} | {'missed: ' + ', '.join(misses) if misses else ('met' if case.kind != 'plain' else '-')} |"
        )
    print()
    print(
        f"plain page: {selected[0].rate:.0f} req/s at the start, {plain_end.rate:.0f} at the end (reference {reference:.0f})"
    )
    if memory:
        rss = ", ".join(f"{r}" for r, _p in memory)
        pss = ", ".join(f"{p}" for _r, p in memory)
        print(f"workers' memory at the end, MB: RSS {rss}; PSS {pss}")
    if missing:
        print(f"not found in the data, not measured: {', '.join(missing)}")
    print(f"{missed} of {len(selected) - 1} pages missed a target")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
