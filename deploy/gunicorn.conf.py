"""gunicorn for Municipia: `gunicorn municipia.wsgi -c deploy/gunicorn.conf.py`.

One process per core, four threads in each, the application loaded once before the workers fork
(docs/decisions/0028-gunicorn-workers.md gives the measurements). A flag on the command line or in
GUNICORN_CMD_ARGS overrides any of these (`--bind`, `--workers`, `--threads`).

- Processes, not threads, give a Python application more than one core: one per core. Each process
  loads the embedding models (about 150 MB for e5 and USE) and the search index the first time it
  searches, so every process more costs that memory again.
- Threads let a process go on with another request while one waits for PostgreSQL, Redis, or an
  embedding model (C code that releases the GIL). Four per process keep both cores busy on cached
  pages without queueing requests behind a search.
- `preload_app`: Django and the site's code are imported once and shared copy-on-write. Safe: no
  thread is started at import (the embedding models, which start OpenMP threads, load lazily in
  each process, municipia/search/embeddings.py), and no database connection is opened before the
  fork. Code changes then need a restart, not a HUP.
- No `max_requests`: a recycled worker loads the models and the search index again (seconds).
"""

import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", len(os.sched_getaffinity(0))))
worker_class = "gthread"
threads = 4
preload_app = True
# A sync worker's first search loads the index within the request; gthread's heartbeat does not wait
# for requests, so this only bounds a stuck process.
timeout = 60
graceful_timeout = 30
keepalive = 5  # behind the reverse proxy, which keeps its connections open


def when_ready(server):
    """In the master, before the first worker is forked: the model that tells a query's language
    (numpy arrays, no thread). Its pages are then shared by every worker (about 80 MB each loaded
    on its own), and no worker's first search loads it."""
    if os.environ.get("MUNICIPIA_WARM_UP", "1") == "0":
        return
    try:
        from municipia.search import language

        language.preload()
    except Exception as error:  # each worker loads it on its first search instead
        server.log.warning("query-language model not preloaded: %s", error)


def post_worker_init(worker):
    """Load the embedding models and map the search index in each worker once it is forked, in a
    thread, so that the worker serves pages at once and its first search does not pay for them.
    Never in the master: the models' OpenMP threads do not survive a fork (embeddings.warm_up)."""
    if os.environ.get("MUNICIPIA_WARM_UP", "1") == "0":
        return
    import threading

    def warm():
        from municipia.search.embeddings import warm_up

        try:
            warm_up()
        except Exception as error:  # the first search loads them instead
            worker.log.warning("search warm-up skipped: %s", error)

    threading.Thread(target=warm, name="municipia-warm-up", daemon=True).start()
