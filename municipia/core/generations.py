"""Generations: the version of the data that cached pages and figures are keyed by.

Every INSERT, UPDATE, DELETE or TRUNCATE that goes through Django's database connection is seen by
an execute wrapper installed on each connection. Once its transaction commits (at once in
autocommit), the generation of the written table's *scope* goes up by one, in the database, so
every process sees it. A cached value whose key holds the generations it was built from is then
never read again: nothing has to find and delete it (docs/decisions/0026-page-cache-and-figures.md).

A scope is the table's app label ("directory", "knowledge"). Tables that no page cached for the
public shows get the scope "<label>:private": an app lists them on its AppConfig as
`cache_private_models` (or "__all__"), and third-party apps' tables (accounts, tokens, MFA) are
private too. Pages for the public depend on every non-private scope; API ETags of logged-in users
on every scope. Sessions and the admin's log change no content and are not watched at all.

Reading the generations is one query, made at most once per request (`GenerationsMiddleware`).
A value read inside a transaction that has written watched tables is never stored: it may be
rolled back.
"""

import contextlib
import contextvars
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K")
PRIVATE = ":private"
ALL_SCOPES = "*"
IGNORED_TABLES = frozenset({"django_session", "django_admin_log", "core_cachegeneration"})
# What Django (and hand-written SQL in this project) sends to change rows; group 1 is the table.
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?([\w.]+)",
    re.IGNORECASE,
)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "TRUNCATE")
_MISSING = object()

# Per request, the generations read once (None outside requests: always read afresh).
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("generations", default=None)


# --- Which scope a table belongs to ---


def _model_scope(model) -> str:
    model = getattr(model, "instance_type", model)  # a historical (audit) model: its model's
    config = apps.get_app_config(model._meta.app_label)
    # Rows no page or fragment reads (a newsletter's delivery log): written once per message
    # sent, they would bump a generation per message for nothing.
    if model._meta.object_name in getattr(config, "cache_untracked_models", ()):
        return ""
    private = getattr(config, "cache_private_models", ())
    if not config.name.startswith("municipia.") or private == "__all__":
        return model._meta.app_label + PRIVATE
    if model._meta.object_name in private:
        return model._meta.app_label + PRIVATE
    return model._meta.app_label


_table_scopes: dict[str, str] = {}


def table_scope(table: str) -> str | None:
    """The scope a write to `table` changes; None (or "") for tables no content depends on."""
    if table in IGNORED_TABLES:
        return None
    if not _table_scopes:
        _table_scopes.update(
            {
                model._meta.db_table: _model_scope(model)
                for model in apps.get_models(include_auto_created=True)
            }
        )
    scope = _table_scopes.get(table)
    if scope is None:  # a table without a model (full-text index): its app's, else "other"
        label = table.partition("_")[0]
        scope = label if label in apps.app_configs else "other"
        _table_scopes[table] = scope
    return scope


def scopes_written(sql: str) -> frozenset[str]:
    """The scopes a statement changes: empty for a read."""
    head = sql.lstrip()[:8].upper()
    if not head.startswith(_WRITE_VERBS):
        return frozenset()
    if head.startswith("TRUNCATE"):  # only test databases are emptied this way
        return frozenset({ALL_SCOPES})
    match = _WRITE.match(sql)
    scope = table_scope(match.group(1).strip('"`').split(".")[-1]) if match else "other"
    return frozenset({scope}) if scope else frozenset()


# --- Seeing writes and bumping generations once they are committed ---


class _PendingBump:
    """The scopes written in one transaction, bumped once when it commits."""

    def __init__(self, hooks: list):
        self.hooks = hooks  # the connection's on-commit list of this transaction (identity)
        self.scopes: set[str] = set()
        self.done = False

    def __call__(self):
        if not self.done:
            self.done = True
            bump(self.scopes)  # robust: an error is logged, the commit stands


def note_write(scopes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that `scopes` changed: bumped now in autocommit, else when the transaction commits.
    Writes that bypass Django's cursor (PostgreSQL COPY) call this themselves."""
    conn = connections[using]
    scopes = set(scopes)
    if not scopes:
        return
    if not conn.in_atomic_block:
        try:
            bump(scopes)
        except DatabaseError:  # the write stands; pages cached before it live out their time
            logger.exception("cache generations of %s not bumped", ", ".join(sorted(scopes)))
        return
    pending = getattr(conn, "_municipia_pending_bump", None)
    if pending is None or pending.done or pending.hooks is not conn.run_on_commit:
        # A new transaction, or a savepoint was rolled back (Django then builds a new list).
        pending = _PendingBump(conn.run_on_commit)
        conn._municipia_pending_bump = pending
    pending.scopes |= scopes
    last = conn.run_on_commit[-1] if conn.run_on_commit else None
    # Registered again at each savepoint level, so that rolling one back keeps the outer ones.
    if last is None or last[1] is not pending or last[0] != set(conn.savepoint_ids):
        conn.on_commit(pending, robust=True)


def note_model_write(model, using: str = DEFAULT_DB_ALIAS) -> None:
    scope = table_scope(model._meta.db_table)
    if scope:
        note_write({scope}, using)


_migrating = False  # `migrate` writes before the generations' table may exist; it bumps at the end


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: a statement that changed a watched table bumps its scope's generation."""
    result = execute(sql, params, many, context)
    if not _migrating:
        scopes = scopes_written(sql)
        if scopes:
            note_write(scopes, context["connection"].alias)
    return result


def install_watcher(sender, connection, **kwargs) -> None:
    """On `connection_created`: watch every statement of the default database's connections."""
    if connection.alias == DEFAULT_DB_ALIAS and watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def has_uncommitted_writes(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the current transaction wrote watched tables: what it reads may be rolled back."""
    conn = connections[using]
    if not conn.in_atomic_block:
        return False
    return any(
        isinstance(func, _PendingBump) and not func.done
        for _sids, func, _robust in conn.run_on_commit
    )


def bump(scopes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> None:
    """Add one to the generation of each scope (every known one for ALL_SCOPES).

    One plain statement each, no transaction of its own: it may run right after a write in
    autocommit, while that write's statement is still open (SQLite then commits both together)."""
    scopes = set(scopes)
    conn = connections[using]
    table = conn.ops.quote_name("core_cachegeneration")
    with conn.cursor() as cursor:
        if ALL_SCOPES in scopes:
            scopes.discard(ALL_SCOPES)
            cursor.execute(f"UPDATE {table} SET value = value + 1")  # noqa: S608 (our names)
        if scopes:
            ordered = sorted(scopes)  # the same order everywhere: no deadlock between writers
            rows = ", ".join(["(%s, 1)"] * len(ordered))
            cursor.execute(
                f"INSERT INTO {table} (scope, value) VALUES {rows} "  # noqa: S608 (our names)
                f"ON CONFLICT (scope) DO UPDATE SET value = {table}.value + 1",
                ordered,
            )
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def pause_for_migrations(**kwargs) -> None:
    """On `pre_migrate`."""
    global _migrating
    _migrating = True


def bump_all(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """On `post_migrate`: a deploy may change what pages and lists say, so nothing cached stays."""
    global _migrating
    _migrating = False
    try:
        bump({ALL_SCOPES})
    except DatabaseError:  # migrated back to before the table existed
        logger.info("cache generations not bumped: no table in database %s", using)


# --- Reading generations, and values cached under them ---


@contextlib.contextmanager
def request_memo():
    """Within it, the generations are read from the database at most once (until a bump)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def current() -> dict[str, int]:
    memo = _memo.get()
    if memo is not None and "values" in memo:
        return memo["values"]
    from municipia.core.models import CacheGeneration  # models import after the app registry

    values = dict(CacheGeneration.objects.values_list("scope", "value"))
    if memo is not None:
        memo["values"] = values
    return values


def token(scopes: Iterable[str] | None = None, *, public: bool = False) -> str:
    """A short text that changes whenever one of `scopes` is written. `public`: every scope pages
    for the public depend on; neither: every scope."""
    values = current()
    if public:
        items = sorted((s, v) for s, v in values.items() if not s.endswith(PRIVATE))
    elif scopes is None:
        items = sorted(values.items())
    else:
        items = [(scope, values.get(scope, 0)) for scope in sorted(set(scopes))]
    text = ",".join(f"{scope}={value}" for scope, value in items)
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def cache_seconds() -> int:
    return settings.MUNICIPIA_CACHE_SECONDS


def cached(name: str, build: Callable[[], T], *, scopes: Iterable[str] | None, timeout=None) -> T:
    """`build()`, kept in the cache until one of `scopes` (None: any scope) is written (or
    `timeout` passes)."""
    key = f"gen:{name}:{token(scopes)}"  # read before the data `build` reads: never older
    value: Any = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        if not has_uncommitted_writes():
            cache.set(key, value, timeout or cache_seconds())
    return value


def cached_many(
    name: str,
    keys: Iterable[K],
    build: Callable[[list[K]], dict[K, T]],
    *,
    scopes: Iterable[str] | None = None,
    public: bool = False,
    timeout=None,
    keep: Callable[[K], bool] | None = None,
) -> dict[K, T]:
    """The value of each of `keys` that `build(missing keys)` gives, each kept in the cache (one
    read for all) until one of `scopes` (None: any scope; `public`: any public one) is written.
    A key `build` leaves out is left out here and asked again next time (an object no longer
    shown); so is a key for which `keep(key)`, asked after `build`, is false (a draft)."""
    keys = list(dict.fromkeys(keys))
    prefix = f"gen:{name}:{token(scopes, public=public)}:"
    names = {
        key: prefix + hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest()
        for key in keys
    }
    found = cache.get_many(list(names.values())) if keys else {}
    values = {key: found[names[key]] for key in keys if names[key] in found}
    missing = [key for key in keys if key not in values]
    if missing:
        built = build(missing)
        if built and not has_uncommitted_writes():
            cache.set_many(
                {
                    names[key]: value
                    for key, value in built.items()
                    if key in names and (keep is None or keep(key))
                },
                timeout or cache_seconds(),
            )
        values.update(built)
    return values
