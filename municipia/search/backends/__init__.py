"""`get_backend()` builds the backend named by settings.MUNICIPIA_SEARCH, once per configuration."""

import functools
import json

from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string


def lexical_engine(using: str = "default"):
    """The full-text engine of the database behind `using`."""
    # imported here: both modules import base, which the backends package must not import first
    from municipia.search.backends.postgres_fts import PostgresFtsEngine
    from municipia.search.backends.sqlite_fts import SqliteFtsEngine

    vendor = connections[using].vendor
    if vendor == "sqlite":
        return SqliteFtsEngine(using)
    if vendor == "postgresql":
        return PostgresFtsEngine(using)
    raise ValueError(f"no full-text engine for the {vendor} database")


def lexical_backend_path(using: str = "default") -> str:
    vendor = connections[using].vendor
    return {
        "sqlite": "municipia.search.backends.sqlite_fts.SqliteFtsBackend",
        "postgresql": "municipia.search.backends.postgres_fts.PostgresFtsBackend",
    }[vendor]


@functools.cache
def _build(path: str, options_json: str):
    if path == "lexical":
        path = lexical_backend_path()
    return import_string(path)(**json.loads(options_json))


def get_backend():
    config = settings.MUNICIPIA_SEARCH
    return _build(config["BACKEND"], json.dumps(config.get("OPTIONS", {}), sort_keys=True))
