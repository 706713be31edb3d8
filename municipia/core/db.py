"""Writes that a unique constraint guards, when two requests make the same row at the same instant.

A check such as `if exists(): refuse` cannot see a row another transaction has not committed yet, so
both requests pass it and the database refuses the second write with an `IntegrityError`. Services
write such rows inside `refuse_duplicates(...)`: the write runs in a savepoint, and a unique violation
becomes the same user-facing error a later request gets from the check.
"""

import secrets
from collections.abc import Callable
from contextlib import contextmanager

from django.db import IntegrityError, transaction

# SQLSTATE unique_violation (PostgreSQL); SQLite names its extended result codes.
_PG_UNIQUE = "23505"
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether the database refused a duplicate (not a missing foreign key, a null or a check)."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if code:
        return code == _PG_UNIQUE
    name = getattr(cause, "sqlite_errorname", None)
    if name:
        return name in _SQLITE_UNIQUE
    return "unique" in str(error).lower()


@contextmanager
def refuse_duplicates(refusal: Exception | Callable[[], Exception]):
    """Run the block in a savepoint; if a unique constraint refuses its write, undo only the block and
    raise `refusal` instead (or what `refusal()` returns: it is called after the undo, so it may read
    the row the other request made). Other integrity errors pass through unchanged."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        raise (refusal() if callable(refusal) else refusal) from error


def save_with_unique_slug(obj, make_slug: Callable[[], str], *, attempts: int = 6) -> None:
    """Save a new `obj` with the slug `make_slug()` chooses among those not taken yet; when a
    concurrent request takes the same slug first, choose again rather than fail (after two tries,
    with a random ending, so that many writers at once do not keep choosing the same next slug)."""
    for attempt in range(attempts):
        obj.slug = make_slug()
        if attempt >= 2:
            obj.slug = f"{obj.slug}-{secrets.token_hex(3)}"
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as error:
            if not is_unique_violation(error) or attempt == attempts - 1:
                raise
        else:
            return
