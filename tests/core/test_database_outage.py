"""A database that cannot be reached answers 503 with a short page and a Retry-After, logged once per
outage; errors of ordinary queries stay what they were."""

import logging
import socket
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from municipia.core import middleware

pytestmark = pytest.mark.django_db(transaction=True)

UNREACHABLE = "The site cannot reach its database. Please try again in a moment."


def _bad_sql(request):
    with connection.cursor() as cursor:
        cursor.execute("SELEC 1")  # a syntax error, not an outage
    return HttpResponse("unreachable")


urlpatterns = [path("bad-sql/", _bad_sql), path("api/bad-sql/", _bad_sql)]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once the socket closes: nothing listens there


@contextmanager
def database_unreachable(tmp_path):
    """Point the default connection where no database answers: a closed port (PostgreSQL) or a
    file in a missing directory (SQLite). The test database is kept and restored afterwards."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    memory = None
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        memory = connection.connection  # the in-memory test database lives while this is open
        connection.connection = None
        settings_dict["NAME"] = str(tmp_path / "missing" / "municipia.sqlite3")
    else:
        connection.close()
        settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        yield
    finally:
        if memory is None:
            connection.close()
        settings_dict.update(saved)
        if memory is not None:
            connection.connection = memory


@pytest.fixture(autouse=True)
def _no_outage_yet():
    middleware.outage.down = False
    yield
    middleware.outage.down = False


def _outage_records(caplog):
    return [r for r in caplog.records if r.name in ("municipia.database", "django.request")]


def test_pages_answer_503_with_retry_after_and_the_outage_is_logged_once(client, tmp_path, caplog):
    with caplog.at_level(logging.INFO), database_unreachable(tmp_path):
        pages = [client.get(url) for url in ("/en/", "/en/networks/", "/es/", "/en/")]

    assert [page.status_code for page in pages] == [503] * 4
    assert all(page["Retry-After"] == "30" for page in pages)
    assert UNREACHABLE in pages[0].content.decode()
    assert "No se puede acceder" in pages[2].content.decode()  # translated
    records = _outage_records(caplog)
    assert [(r.levelname, r.getMessage().split(":")[0]) for r in records] == [
        ("ERROR", "database unreachable")
    ]
    assert records[0].exc_info is None


def test_api_answers_503_in_json(client, tmp_path):
    with database_unreachable(tmp_path):
        response = client.get("/api/v1/networks/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"detail": UNREACHABLE}


def test_the_first_answer_after_the_outage_logs_that_the_database_is_back(client, tmp_path, caplog):
    with caplog.at_level(logging.INFO):
        with database_unreachable(tmp_path):
            client.get("/en/")
            client.get("/api/v1/networks/")
        answers = [client.get("/en/").status_code, client.get("/en/").status_code]

    assert answers == [200, 200]
    assert [r.getMessage().split(":")[0] for r in _outage_records(caplog)] == [
        "database unreachable",
        "database back",
    ]


def test_healthz_keeps_its_report_and_gives_the_same_retry_after(client, tmp_path, caplog):
    with caplog.at_level(logging.INFO), database_unreachable(tmp_path):
        responses = [client.get("/healthz") for _ in range(3)]

    assert [r.status_code for r in responses] == [503] * 3
    assert responses[0]["Retry-After"] == "30"
    assert responses[0].json()["checks"]["database"]["status"] == "down"
    assert len(_outage_records(caplog)) == 1


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/bad-sql/", "/api/bad-sql/"])
def test_a_query_error_is_not_taken_for_an_outage(url, tmp_path, caplog):
    from django.test import Client

    response = Client(raise_request_exception=False).get(url)

    assert response.status_code == 500
    assert not [r for r in caplog.records if r.name == "municipia.database"]
    assert middleware.outage.down is False
