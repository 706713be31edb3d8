"""Lexical search with PostgreSQL full text: a tsvector per entry analysed in its own language.

The query is analysed once per site language (so "residus" finds the Catalan stem and "résidus" the
French one) and its words are OR-ed: ts_rank_cd then prefers the entries with more of them.
"""

from django.conf import settings
from django.db import connections

from municipia.search import text
from municipia.search.backends.base import CatalogueBackend


class PostgresFtsEngine:
    vendor = "postgresql"

    def __init__(self, using: str = "default"):
        self.using = using

    def __repr__(self):
        return "PostgresFtsEngine()"

    def candidates(self, query, *, languages, visibility, limit, within=None):
        words = " ".join(text.terms(query))
        if not words or not visibility:
            return [], []
        languages = list(languages) or [code for code, _name in settings.LANGUAGES]
        # plainto_tsquery ignores any operator the user typed; its AND becomes OR. The query is
        # built first, so that the search below compares with a constant and uses the GIN index.
        parts = " || ".join(
            "replace(plainto_tsquery(search_entry_regconfig(%s), %s)::text, '&', '|')::tsquery"
            for _language in languages
        )
        params = [value for language in languages for value in (language, words)]
        marks = ", ".join(["%s"] * len(visibility))
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT ({parts})::text", params)
            tsquery = cursor.fetchone()[0]
            if not tsquery:
                return [], []
            # Only these entries are ranked (found by primary key, then matched).
            restrict = "AND t.entry_id = ANY(%s) " if within is not None else ""
            extra = [list(within)] if within is not None else []
            cursor.execute(
                "SELECT t.entry_id, ts_rank_cd(t.tsv, %s::tsquery) AS score "  # noqa: S608
                "FROM search_entry_tsv t JOIN search_searchentry e ON e.id = t.entry_id "
                f"WHERE t.tsv @@ %s::tsquery AND e.visibility IN ({marks}) {restrict}"
                "ORDER BY score DESC, t.entry_id LIMIT %s",
                [tsquery, tsquery, *visibility, *extra, limit],
            )
            rows = cursor.fetchall()
        return [r[0] for r in rows], [float(r[1]) for r in rows]


class PostgresFtsBackend(CatalogueBackend):
    def __init__(self, using: str = "default", **options):
        options.pop("models", None)
        super().__init__(lexical=PostgresFtsEngine(using), using=using, **options)
