from celery import shared_task

from municipia.search import services


@shared_task(name="municipia.search.tasks.reindex_object")
def reindex_object(*, label: str, pk: int) -> None:
    """Index the object's current texts, or take it out of the index if it may not be found.

    Idempotent: it writes the object's current state, in one transaction, as an upsert on the
    entry's unique (key, language) and its texts' digests, so running it again changes nothing.
    """
    services.reindex_object(label, pk)


@shared_task(name="municipia.search.tasks.reindex_objects")
def reindex_objects(*, label: str, pks: list[int]) -> None:
    """Index the objects' current texts, or take out those that may not be found (or are gone).

    Idempotent like `reindex_object`: it writes the objects' current state."""
    services.reindex_objects(label, pks)


@shared_task(name="municipia.search.tasks.build_search_base")
def build_search_base(*, models: list[str], using: str = "default", centre: bool = True) -> None:
    """Build the shared index base from the database and swap it in (search.store).

    Idempotent: a base that already holds every logged change is left as it is, and a second
    builder finds the lock taken and does nothing."""
    from municipia.search import store

    store.build(models, using=using, centre=centre)
