"""gunicorn settings for Municipia: `gunicorn municipia.wsgi -c deploy/gunicorn.conf.py`.

Provisional; see docs/decisions/0028-gunicorn-workers.md.
"""

import multiprocessing
import os

bind = os.environ.get("MUNICIPIA_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = 4
preload_app = True
timeout = 60
keepalive = 5
