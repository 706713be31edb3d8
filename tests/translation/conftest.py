"""A real LibreTranslate-like HTTP server in a thread, Apertium when installed, and settings that
choose the backends."""

import json
import os
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from municipia.knowledge.models import Experience
from municipia.plans.models import Plan
from municipia.translation import engine
from tests.factories.directory import MembershipFactory
from tests.factories.knowledge import ExperienceFactory
from tests.factories.plans import ActivityFactory, ObjectiveFactory, PlanFactory

LANGUAGES = ["en", "es", "fr", "ca", "pt"]
TITLE = "Movilidad sostenible en el centro"
SUMMARY = "La ciudad ha cerrado el centro histórico a los coches durante los fines de semana."
BODY = "<p>El ayuntamiento trabajó con los comercios y los vecinos durante dos años.</p>"


def use_backends(settings, names, **options) -> None:
    settings.MUNICIPIA_TRANSLATION = {"BACKENDS": list(names), "OPTIONS": options}


@pytest.fixture(autouse=True)
def _no_failing_backends():
    """Each test starts with no backend known to be failing (that state is kept per process)."""
    engine._failing.clear()
    yield
    engine._failing.clear()


@pytest.fixture
def apertium(settings):
    """Apertium with the Spanish, Catalan, French, Portuguese and English pairs, as CI installs
    them; skipped where it is missing, except on CI."""
    listing, command = "", shutil.which("apertium")
    if command:
        listing = subprocess.run(
            [command, "-l"], capture_output=True, text=True, check=False
        ).stdout
    if "spa-cat" not in listing or "es-pt" not in listing or "fr-es" not in listing:
        if os.environ.get("CI"):
            pytest.fail("CI installs apertium and its pairs (.ci/run); they are missing")
        pytest.skip("apertium and its es-ca, es-pt and fr-es pairs are not installed")
    use_backends(settings, ["apertium"], apertium={"timeout": 60})


class FakeTranslator(BaseHTTPRequestHandler):
    """Answers like LibreTranslate: `/languages` and `/translate`, the latter as `server.mode`
    says: "ok" (a translation: the target code before each text), "slow", "empty", "same",
    "long", "error" (HTTP 500) or "not json"."""

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self, status: int, body: bytes, content_type="application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/languages":
            return self._answer(404, b"{}")
        languages = [
            {"code": code, "name": code, "targets": [t for t in LANGUAGES if t != code]}
            for code in LANGUAGES
        ]
        return self._answer(200, json.dumps(languages).encode())

    def do_POST(self):
        server = self.server
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server.requests.append(payload)
        texts = payload["q"]
        mode = server.mode
        if mode == "slow":
            time.sleep(3)
            translated = [f"[{payload['target']}] {text}" for text in texts]
        elif mode == "empty":
            translated = ["" for _text in texts]
        elif mode == "same":
            translated = list(texts)
        elif mode == "long":
            translated = [text * 6 for text in texts]
        elif mode == "error":
            return self._answer(500, b'{"error": "boom"}')
        elif mode == "not json":
            return self._answer(200, b"<html>maintenance</html>", "text/html")
        else:
            translated = [f"[{payload['target']}] {text}" for text in texts]
        return self._answer(200, json.dumps({"translatedText": translated}).encode())


@pytest.fixture
def libretranslate(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTranslator)
    server.mode = "ok"
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    use_backends(settings, ["libretranslate"], libretranslate={"url": url, "timeout": 1})
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def submitted(network, city):
    MembershipFactory(network=network, local_government=city)
    return ExperienceFactory(
        city=city,
        network=network,
        original_language="es",
        status=Experience.Status.SUBMITTED,
        texts={"es": (TITLE, SUMMARY, BODY)},
    )


@pytest.fixture
def spanish_plan(network):
    plan = PlanFactory(
        network=network,
        languages=["es"],
        title="Plan de acción 2025",
        title_translations={"fr": "Plan d'action 2025"},
        summary="Lo que la red hará este año para sus ciudades miembros.",
        status=Plan.Status.ADOPTED,
    )
    objective = ObjectiveFactory(
        plan=plan,
        title="Reforzar la cooperación entre ciudades",
        description="Más intercambios entre los técnicos de las ciudades.",
    )
    ActivityFactory(objective=objective, description="Organizar dos visitas de estudio al año.")
    return plan
