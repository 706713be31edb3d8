from celery import shared_task

from municipia.translation import services


@shared_task(name="municipia.translation.tasks.translate_object")
def translate_object(*, label: str, pk: int) -> dict:
    """Bring one page's machine translations up to date.

    Idempotent: it writes each text's current translation as an upsert keyed by object, field and
    language, and translates only texts whose digest changed, so running it again changes nothing.
    """
    return services.translate_object(label, pk)
