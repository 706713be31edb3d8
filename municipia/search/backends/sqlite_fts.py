"""Lexical search with SQLite FTS5 (bm25), over the external-content table of migration 0002."""

import json

from django.db import connections

from municipia.search import text
from municipia.search.backends.base import CatalogueBackend


class SqliteFtsEngine:
    vendor = "sqlite"

    def __init__(self, using: str = "default"):
        self.using = using

    def __repr__(self):
        return "SqliteFtsEngine()"

    def candidates(self, query, *, languages, visibility, limit, within=None):
        expression = text.fts5_query(query)
        if not expression or not visibility:
            return [], []
        marks = ", ".join(["%s"] * len(visibility))
        restrict, extra = "", []
        if within is not None:
            # Only these entries are ranked: matches outside them are dropped before the join and
            # bm25. The unary plus keeps SQLite from handing the list to FTS5 as rowid lookups,
            # which would evaluate the whole expression once per listed entry (1.8 s for 1,000).
            restrict = "AND +search_entry_fts.rowid IN (SELECT value FROM json_each(%s)) "
            extra = [json.dumps(within)]
        # Title matches weigh twice the body's; bm25() is negative, better matches lower.
        # Only placeholders are interpolated into the statement.
        sql = (
            "SELECT e.id, -bm25(search_entry_fts, 2.0, 1.0) AS score "  # noqa: S608
            "FROM search_entry_fts JOIN search_searchentry e ON e.id = search_entry_fts.rowid "
            f"WHERE search_entry_fts MATCH %s {restrict}AND e.visibility IN ({marks}) "
            "ORDER BY bm25(search_entry_fts, 2.0, 1.0) LIMIT %s"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [expression, *extra, *visibility, limit])
            rows = cursor.fetchall()
        return [r[0] for r in rows], [float(r[1]) for r in rows]


class SqliteFtsBackend(CatalogueBackend):
    def __init__(self, using: str = "default", **options):
        options.pop("models", None)
        super().__init__(lexical=SqliteFtsEngine(using), using=using, **options)
