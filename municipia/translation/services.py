"""Translate published content in the background, keep the texts, and give pages their language.

`schedule(obj)` (called by the content's services when something is published or a published text
changes) queues `translate_object` after the commit; with no backend configured it queues nothing.
The task translates only what changed since the last time (the source's digest), reuses a
translation of the same text made elsewhere, never writes over a human translation, and removes a
machine text whose source changed when no new one could be made, so that the original is shown.
"""

import logging
from collections import defaultdict
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from municipia.core.background import enqueue
from municipia.core.log import log_action
from municipia.translation import engine
from municipia.translation.backends import configured_backends
from municipia.translation.models import TextTranslation, source_digest

logger = logging.getLogger(__name__)


class TranslationError(Exception):
    """A user-facing reason why a translation cannot be saved."""


def _content():
    from municipia.translation import content  # imported late: it imports the content's models

    return content


def schedule(instance) -> None:
    """Translate the page `instance` is shown on once the transaction commits, if a backend is
    configured and the page is public."""
    if not configured_backends():
        return
    found = _content().owner_of(instance)
    if found is None:
        return
    spec, obj = found
    if not spec.is_public(obj):
        return
    from municipia.translation import tasks  # imported here: tasks imports this module

    enqueue(tasks.translate_object, label=spec.label, pk=obj.pk)


def _content_types(units) -> dict[str, ContentType]:
    models = {type(unit.instance) for unit in units}
    return {
        m._meta.label_lower: ct for m, ct in ContentType.objects.get_for_models(*models).items()
    }


def translate_object(label: str, pk: int) -> dict[str, int]:
    """Bring the object's machine translations up to date; return {language: texts translated}."""
    content = _content()
    spec = content.TRANSLATABLES[label]
    obj = spec.load(pk)
    if obj is None or not spec.is_public(obj) or not configured_backends():
        return {}
    source = spec.source_language(obj)
    units = content.units_by_key(spec.units(obj))
    if not units:
        return {}
    group = content.group_of(spec, obj)
    types = _content_types(units.values())
    existing = {
        (row.content_type_id, row.object_id, row.field, row.language): row
        for row in TextTranslation.objects.filter(group=group)
    }
    done: dict[str, int] = {}
    changed = False
    for target, _name in settings.LANGUAGES:
        if target == source:
            continue
        done[target], stored = _translate_language(
            spec, obj, units, types, existing, group, source, target
        )
        changed = changed or stored
    _after_update(spec, obj, group)
    if changed and spec.finished is not None:
        spec.finished(obj)
    return done


def _translate_language(
    spec, obj, units, types, existing, group, source, target
) -> tuple[int, bool]:
    human = spec.human(obj, target)
    wanted: dict[tuple, tuple] = {}  # key -> (unit, digest)
    stale: list[TextTranslation] = []
    current: dict[tuple, str] = {}  # the machine texts that stay, for `stored`
    for key, unit in units.items():
        row = existing.get((types[key[0]].pk, key[1], key[2], target))
        if key in human or (row is not None and not row.is_machine):
            continue  # a person translated it: it wins
        if not unit.text.strip():
            if row is not None:
                stale.append(row)
            continue
        digest = source_digest(unit.text, html=unit.html)
        if row is not None and row.source_digest == digest and row.source_language == source:
            current[key] = row.text
            continue
        wanted[key] = (unit, digest)
        if row is not None:
            stale.append(row)
    translated = _translations(wanted, source, target)
    labels = {content_type.pk: label for label, content_type in types.items()}
    with transaction.atomic():
        for row in stale:
            if (labels[row.content_type_id], row.object_id, row.field) not in translated:
                row.delete()  # its source changed and no new text came: show the original
        for key, (text, backend) in translated.items():
            unit, digest = wanted[key]
            TextTranslation.objects.update_or_create(
                content_type=types[key[0]],
                object_id=key[1],
                field=key[2],
                language=target,
                defaults={
                    "group": group,
                    "origin": TextTranslation.Origin.MACHINE,
                    "source_language": source,
                    "source_digest": digest,
                    "backend": backend,
                    "text": text,
                    "translated_by": None,
                },
            )
            current[key] = text
    stored = bool(translated or stale)  # the shared table is what the page reads…
    if spec.stored is not None and stored:
        stored = spec.stored(obj, target, current)  # …unless the content keeps its own rows
    return len(translated), stored


def _translations(wanted: dict, source: str, target: str) -> dict[tuple, tuple[str, str]]:
    """{key: (text, backend)} for the wanted units: reused where the same text was translated
    before by a configured backend, else translated now (one batch per kind of text)."""
    if not wanted:
        return {}
    names = [backend.name for backend in configured_backends()]
    known = {
        digest: (text, backend)
        for digest, text, backend in TextTranslation.objects.filter(
            origin=TextTranslation.Origin.MACHINE,
            source_language=source,
            language=target,
            backend__in=names,
            source_digest__in={digest for _unit, digest in wanted.values()},
        ).values_list("source_digest", "text", "backend")
    }
    found: dict[tuple, tuple[str, str]] = {}
    missing: dict[bool, list[tuple]] = defaultdict(list)
    for key, (unit, digest) in wanted.items():
        if digest in known:
            found[key] = known[digest]
        else:
            missing[unit.html].append(key)
    for html, keys in missing.items():
        result = engine.translate([wanted[k][0].text for k in keys], source, target, html=html)
        if result is None:
            continue  # logged by the engine; the original stays shown
        for key, text in zip(keys, result.texts, strict=True):
            found[key] = (text, result.backend)
    return found


def _after_update(spec, obj, group) -> None:
    if spec.label == "plans.plan":
        languages = sorted(
            set(TextTranslation.objects.filter(group=group).values_list("language", flat=True))
        )
        if languages != (obj.translated_languages or []):
            type(obj).objects.filter(pk=obj.pk).update(translated_languages=languages)


# --- Human translations ---------------------------------------------------------------------


@transaction.atomic
def save_human_texts(obj, *, by, language: str, texts: dict[tuple, str]) -> int:
    """Store people's translations of the page's texts in `language`; they replace machine ones
    and are never replaced by them. An empty text removes the human one. Return how many changed."""
    content = _content()
    found = content.owner_of(obj)
    if found is None:
        raise TranslationError(_("This content is not translated here."))
    spec, page = found
    if not spec.can_manage(by, page):
        raise TranslationError(_("You may not translate this content."))
    source = spec.source_language(page)
    if language == source or language not in {code for code, _n in settings.LANGUAGES}:
        raise TranslationError(_("Choose a language other than the original one."))
    units = content.units_by_key(spec.units(page))
    unknown = [key for key in texts if key not in units]
    if unknown:
        raise TranslationError(_("These texts are not part of this page."))
    group = content.group_of(spec, page)
    types = _content_types([units[key] for key in texts])
    changed = 0
    for key, text in texts.items():
        text = (text or "").strip()
        unit = units[key]
        lookup = {
            "content_type": types[key[0]],
            "object_id": key[1],
            "field": key[2],
            "language": language,
        }
        if not text:
            changed += TextTranslation.objects.filter(
                **lookup, origin=TextTranslation.Origin.HUMAN
            ).delete()[0]
            continue
        TextTranslation.objects.update_or_create(
            **lookup,
            defaults={
                "group": group,
                "origin": TextTranslation.Origin.HUMAN,
                "source_language": source,
                "source_digest": source_digest(unit.text, html=unit.html),
                "backend": "",
                "text": text,
                "translated_by": by,
            },
        )
        changed += 1
    log_action(
        page,
        "translation.human.saved",
        user=by,
        data={"language": language, "texts": [".".join(map(str, key)) for key in texts]},
    )
    _after_update(spec, page, group)
    if changed and spec.finished is not None:
        spec.finished(page)  # search reads the new texts too
    schedule(page)  # a text emptied above gets its machine translation back
    return changed


# --- Reading --------------------------------------------------------------------------------


def texts_for(group: str, language: str) -> dict[tuple, TextTranslation]:
    """{(model label, pk, field): row} of one page's translated texts in `language`: one query."""
    rows = TextTranslation.objects.filter(group=group, language=language).select_related(
        "content_type"
    )
    return {
        (f"{row.content_type.app_label}.{row.content_type.model}", row.object_id, row.field): row
        for row in rows
    }


def apply_texts(page, instances, language: str, *, original: bool = False) -> list[TextTranslation]:
    """Give each instance shown on `page` its `translated_texts` ({field: row}) in `language`;
    return the machine rows used (empty when the page is read in its own language or `original`).

    One query, and none at all for a plan read in its own language or with no translated text in
    the reader's (`Plan.translated_languages`)."""
    spec, _page = _content().owner_of(page)
    if original or language == spec.source_language(page):
        return []
    known = getattr(page, "translated_languages", None)  # a plan says which it has
    if known is not None and language not in known:
        return []
    by_instance: dict[tuple, dict] = defaultdict(dict)
    for (label, pk, field), row in texts_for(_content().group_of(spec, page), language).items():
        by_instance[(label, pk)][field] = row
    used = []
    for instance in [page, *instances]:
        mine = by_instance.get((instance._meta.label_lower, instance.pk), {})
        instance.translated_texts = mine
        used += [row for row in mine.values() if row.is_machine]
    return used


def machine_text(obj, language: str, fields: tuple[str, ...]) -> SimpleNamespace | None:
    """The object's machine translation in `language` as one text (`.title`, `.summary`…,
    `.language`, `.origin`), when every field has one; one query."""
    spec, page = _content().owner_of(obj)
    rows = {
        key[2]: row
        for key, row in texts_for(_content().group_of(spec, page), language).items()
        if key[0] == obj._meta.label_lower and key[1] == obj.pk
    }
    if not all(field in rows for field in fields):
        return None
    return SimpleNamespace(
        language=language,
        origin=TextTranslation.Origin.MACHINE,
        **{field: rows[field].text for field in fields},
    )


def translate_published(stdout=None) -> int:
    """Bring every public page's machine translations up to date (the demo loader, or after a
    backend is configured); unchanged texts cost nothing. Return how many texts were translated."""
    if not configured_backends():
        return 0
    content = _content()
    pages = [
        ("knowledge.experience", content.Experience.objects.published()),
        ("knowledge.publication", content.Publication.objects.published()),
        ("plans.plan", content.Plan.objects.public()),
    ]
    total = 0
    for label, queryset in pages:
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            total += sum(translate_object(label, pk).values())
    if stdout is not None:
        stdout.write(f"  machine translations: {total} texts translated")
    return total
