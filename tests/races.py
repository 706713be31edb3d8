"""Run one action in many threads at once, each with its own database connection.

Tests that use it need real transactions (`pytest.mark.django_db(transaction=True)`): the threads
commit, and each sees only what the others have committed, as concurrent requests would.
"""

import sqlite3
import tempfile
import threading
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path

from django.db import connection, connections
from django.test import Client


def race(count: int, action) -> list:
    """Call `action(i)` for i in range(count) in `count` threads released together; return what each
    call returned, or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = action(i)
        except BaseException as error:  # handed back to the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    with sqlite_on_disk():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return results


@contextmanager
def sqlite_on_disk():
    """SQLite's test database lives in shared-cache memory, where a writer makes the others fail at
    once ("database table is locked") instead of waiting its turn as they do on the file a site uses.
    Move it to a file (WAL, the site's settings) for the block, then copy the result back."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "race.sqlite3"
        with closing(sqlite3.connect(path)) as disk:
            memory.backup(disk)
        connection.settings_dict["NAME"] = str(path)  # shared by every thread's connection
        connection.connection = None
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = name
            connection.connection = memory
            with closing(sqlite3.connect(path)) as disk:
                disk.backup(memory)


def clients_for(user, count: int) -> list[Client]:
    """`count` clients logged in as `user`, answering 500 (not raising) when a view fails."""
    clients = []
    for _ in range(count):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def status_codes(results: list) -> Counter:
    """How many responses had each status code (an exception counts under its class name)."""
    return Counter(getattr(r, "status_code", type(r).__name__) for r in results)


def outcomes(results: list) -> Counter:
    """How many calls returned normally ("ok") and how many raised each exception class."""
    return Counter(type(r).__name__ if isinstance(r, BaseException) else "ok" for r in results)
