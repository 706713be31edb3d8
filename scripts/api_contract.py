"""The API keeps its contract: schemathesis over every operation, as three roles, on the demo data.

python scripts/api_contract.py                   every operation as anonymous, network staff, city officer
python scripts/api_contract.py --examples 5      fewer generated requests per operation and role
python scripts/api_contract.py --include plans   only operations whose path contains "plans"

It makes a throwaway SQLite database in a temporary folder, migrates it, loads the demo (with the
full-text search backend, so no embedding of the demo texts), gives the demo staff account and the demo
city officer an API token, and calls the application in-process through WSGI: no server, no port.
Every operation, unsafe methods included, gets generated requests (valid ones, plus some invalid ones
for the operations that take input) with real identifiers of the demo's objects mixed in. Each answer
is checked: no 5xx, a documented status code and content type, and a body that matches the schema.
It prints a summary per role and exits 1 on any server error or schema violation.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("anonymous", "officer", "staff")  # staff last: its deletions do not starve the others
STAFF_EMAIL = "demo@municipia.example"
OFFICER_EMAIL = "officer@municipia.example"
TOKENS: dict[str, str] = {}  # role → API token key, once the database is ready


def setup_django(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "municipia.settings.test"
    os.environ["MUNICIPIA_DATA_DIR"] = str(data_dir)
    os.environ["MUNICIPIA_MEDIA_ROOT"] = str(data_dir / "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'contract.sqlite3'}"
    os.environ["MUNICIPIA_SEARCH_BACKEND"] = "lexical"
    # The demo accounts have no second factor: their tokens must still open the API here.
    os.environ["MUNICIPIA_REQUIRE_MFA_FOR_STAFF"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database() -> dict[str, str]:
    """Migrate, load the demo, and return an API token per authenticated role."""
    from io import StringIO

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from municipia.accounts.models import User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=StringIO())
    tokens = {}
    for role, email in (("staff", STAFF_EMAIL), ("officer", OFFICER_EMAIL)):
        token, _created = Token.objects.get_or_create(user=User.objects.get(email=email))
        tokens[role] = token.key
    return tokens


def keep_token(key: str) -> None:
    """POST /me/token/ rotates the caller's token: give the role its key back for the next request."""
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(key=key).exists():
        return
    from municipia.accounts.models import User

    user = User.objects.get(email=STAFF_EMAIL if key == TOKENS["staff"] else OFFICER_EMAIL)
    Token.objects.filter(user=user).delete()
    Token.objects.create(user=user, key=key)


def check_identity(role: str, headers: dict[str, str]) -> None:
    """Refuse to test a role the API does not recognise: a run of 403s would prove nothing."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost", **{f"HTTP_{k.upper()}": v for k, v in headers.items()})
    response = client.get("/api/v1/me/")
    expected = {"staff": STAFF_EMAIL, "officer": OFFICER_EMAIL}.get(role)
    email = response.json().get("email") if response.status_code == 200 else None
    if email != expected:
        raise SystemExit(f"{role}: /api/v1/me/ answers {response.status_code}, not {expected}")


def known_identifiers(schema, headers: dict[str, str]) -> dict[str, list]:
    """Identifiers of real objects, per list path, as the role's own list answers give them."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost", **{f"HTTP_{k.upper()}": v for k, v in headers.items()})
    found: dict[str, list] = {}
    for path in schema.raw_schema["paths"]:
        if "{" in path or "get" not in schema.raw_schema["paths"][path]:
            continue
        response = client.get(path, {"page_size": 100})
        if response.status_code != 200:
            continue
        body = response.json()
        rows = body.get("results", []) if isinstance(body, dict) else body
        found[path] = [
            {key: row[key] for key in ("id", "slug", "code") if key in row}
            for row in rows
            if isinstance(row, dict)
        ]
    return found


def real_values(operation, identifiers: dict[str, list]) -> list[dict]:
    """Path parameters naming real objects for an operation like /networks/{slug}/…"""
    path = operation.path
    if "{" not in path:
        return []
    prefix, _, rest = path.partition("{")
    name = rest.partition("}")[0]
    rows = identifiers.get(prefix, [])
    return [{name: row[name]} for row in rows if name in row]


def run_operation(operation, role, headers, identifiers, examples, report) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import FailureGroup
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
    from werkzeug.test import Client

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    real = real_values(operation, identifiers)
    label = f"{operation.method.upper()} {operation.path}"
    modes = [(GenerationMode.POSITIVE, examples)]
    if operation.body or operation.query:
        modes.append((GenerationMode.NEGATIVE, max(2, examples // 3)))
    for mode, count in modes:

        @settings(
            max_examples=count,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
        def test(case, data):
            if real and data.draw(st.integers(0, 3)):
                case.path_parameters = {**case.path_parameters, **data.draw(st.sampled_from(real))}
            # A client of its own: no cookie set by an earlier answer rides along.
            response = case.call(headers=headers, session=Client(case.operation.app))
            report["requests"][role] += 1
            report["statuses"][role][response.status_code // 100] += 1
            if role in TOKENS:
                keep_token(TOKENS[role])
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    kind = "server errors" if response.status_code >= 500 else "schema violations"
                    key = (label, failure.title, str(failure.message)[:300])
                    if key not in report[kind][role]:
                        report[kind][role][key] = case.as_curl_command(headers=headers)

        test()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=12, help="valid requests per operation")
    parser.add_argument("--include", default="", help="only paths containing this text")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated roles")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    started = time.monotonic()
    data_dir = Path(tempfile.mkdtemp(prefix="municipia-contract-"))
    setup_django(data_dir)
    TOKENS.update(prepare_database())
    print(f"database ready in {time.monotonic() - started:.0f} s ({data_dir})")

    import schemathesis
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # refusals are expected here
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    operations = [
        result.ok() for result in schema.get_all_operations() if args.include in result.ok().path
    ]
    # Destructive calls last, so that the reads and the updates still find the demo's objects.
    order = {"get": 0, "put": 1, "patch": 1, "post": 2, "delete": 3}
    operations.sort(key=lambda op: (order.get(op.method.lower(), 2), op.path))

    report = {
        "requests": Counter(),
        "statuses": defaultdict(Counter),
        "server errors": defaultdict(dict),
        "schema violations": defaultdict(dict),
    }
    failed = False
    for role in args.roles.split(","):
        role_started = time.monotonic()
        headers = {"Authorization": f"Token {TOKENS[role]}"} if role in TOKENS else {}
        # Schemathesis calls the app through a WSGI client that asks for gzip (requests' default
        # header) but does not decode it: anonymous answers kept compressed would be read raw.
        headers["Accept-Encoding"] = "identity"
        check_identity(role, headers)
        identifiers = known_identifiers(schema, headers)
        for operation in operations:
            run_operation(operation, role, headers, identifiers, args.examples, report)
        errors, violations = report["server errors"][role], report["schema violations"][role]
        statuses = ", ".join(f"{k}xx: {v}" for k, v in sorted(report["statuses"][role].items()))
        print(
            f"{role}: {len(operations)} operations, {report['requests'][role]} requests ({statuses}), "
            f"{len(errors)} server errors, {len(violations)} schema violations, "
            f"{time.monotonic() - role_started:.0f} s"
        )
        for (label, title, message), curl in [*errors.items(), *violations.items()]:
            failed = True
            print(f"  {label}: {title}\n    {message}\n    {curl}")
    print(f"API contract: {'FAILED' if failed else 'kept'} in {time.monotonic() - started:.0f} s")
    if not args.keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
