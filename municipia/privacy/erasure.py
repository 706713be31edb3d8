"""Erasure: what it would do (a preview, with what blocks it now), and doing it everywhere.

Each app's declarations (registry) say what becomes of its rows; after them a sweep replaces any
remaining mention of the person's names and e-mail addresses in every text column of every table
(free text, logs, history), the search index is rewritten for the entries that mentioned them,
the cache forgets what named them, and their files on disk go.
"""

import gzip
import json
import pickle
import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.functions import Cast

from municipia.core import generations, nearcache
from municipia.core.background import enqueue
from municipia.privacy import registry
from municipia.privacy.registry import DELETE, ERASED, KEEP, Subject

# A name shorter than this is too common a string to replace in other people's text.
MIN_NAME_LENGTH = 5


class ErasureBlocked(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass
class Item:
    label: str
    name: str
    count: int
    action: str
    reason: str


@dataclass
class Preview:
    items: list[Item]
    blockers: list[str]

    @property
    def can_erase_now(self) -> bool:
        return not self.blockers

    def as_dict(self) -> dict:
        return {
            "can_erase_now": self.can_erase_now,
            "blockers": [str(reason) for reason in self.blockers],
            "items": [
                {
                    "model": item.label,
                    "name": item.name,
                    "count": item.count,
                    "action": item.action,
                    "reason": item.reason,
                }
                for item in self.items
            ],
        }


def preview_erasure(subject: Subject) -> Preview:
    """What erasing `subject` would delete, anonymise or keep (and why), and what stops it now."""
    items, blockers = [], []
    for declaration in registry.declarations():
        name = str(declaration.model._meta.verbose_name_plural)
        count = declaration.rows(subject).count() if declaration.about else 0
        if count:
            rule = declaration.rule
            items.append(Item(declaration.label, name, count, rule.action, str(rule.reason)))
        for field_name in declaration.actors:
            acted = declaration.acted_rows(subject, field_name).count()
            if acted:
                reason = str(
                    registry.ACTOR_REASON if declaration.about else declaration.rule.reason
                )
                items.append(Item(declaration.label, name, acted, KEEP, reason))
        if declaration.blocks is not None:
            blockers.extend(str(reason) for reason in declaration.blocks(subject))
    return Preview(items, blockers)


def _needles(subject: Subject) -> list[str]:
    names = [name for name in subject.names if len(name) >= MIN_NAME_LENGTH]
    return sorted({*names, *subject.emails}, key=len, reverse=True)


def erase_subject(subject: Subject) -> dict:
    """Erase everything about `subject` that nothing requires keeping; keep the rest anonymised.

    Refused (ErasureBlocked) while a declaration says why not now. Returns counts per model."""
    blockers = preview_erasure(subject).blockers
    if blockers:
        raise ErasureBlocked(blockers)
    needles = _needles(subject)
    counts: dict[str, int] = {}
    files: list = []
    with transaction.atomic():
        for declaration in _subjects_last(registry.declarations()):
            done = _apply(declaration, subject, files)
            if done:
                counts[declaration.label] = done
        _clear_history_authors(subject)
        if subject.user is not None:
            _end_sessions(subject.user)
        counts["sweep"] = sweep_mentions(needles)
        transaction.on_commit(lambda: delete_files(files))
    forget_cached_mentions(needles)
    return counts


def _subjects_last(declarations):
    """The person's own rows (their account, their entry) after everything that points at them."""
    user_model, person_model = registry.people_models()
    own = {user_model._meta.label, person_model._meta.label}
    return sorted(declarations, key=lambda d: d.label in own)


def _apply(declaration, subject: Subject, files: list) -> int:
    model = declaration.model
    history = registry.history_model(model)
    for field_name in declaration.actors:
        if model._meta.get_field(field_name).null:
            acted = declaration.acted_rows(subject, field_name)
            pks = list(acted.values_list("pk", flat=True))
            acted.update(**{field_name: None})
            _replace_history(history, model, pks, {field_name: None})
    if not declaration.about:
        return 0
    pks = list(declaration.rows(subject).values_list("pk", flat=True))
    if not pks:
        return 0
    rows = model._base_manager.filter(pk__in=pks)
    if declaration.rule.action == DELETE:
        files.extend(files_of(rows))
        if history is not None:
            history.objects.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
        rows.delete()
    else:
        _replace(rows, declaration.rule.fields)
        _replace_history(history, model, pks, declaration.rule.fields)
    return len(pks)


def _replace(rows, fields: dict) -> None:
    constants = {name: value for name, value in fields.items() if not callable(value)}
    computed = {name: value for name, value in fields.items() if callable(value)}
    if constants:
        rows.update(**constants)
    if computed:
        for row in rows:
            values = {name: function(row) for name, function in computed.items()}
            type(row)._base_manager.filter(pk=row.pk).update(**values)


def _replace_history(history, model, pks: list, fields: dict) -> None:
    if history is None or not pks:
        return
    present = {f.name for f in history._meta.get_fields()}
    kept = {name: value for name, value in fields.items() if name in present}
    if kept:
        _replace(history.objects.filter(**{f"{model._meta.pk.attname}__in": pks}), kept)


def _clear_history_authors(subject: Subject) -> None:
    """No historical row names the person as its author any more."""
    if subject.user is None:
        return
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        if registry.base_of_history(model) is not None and registry.HISTORY_AUTHOR in fields:
            model._base_manager.filter(**{registry.HISTORY_AUTHOR: subject.user}).update(
                **{registry.HISTORY_AUTHOR: None}
            )


def _end_sessions(user) -> None:
    """Log the person out everywhere: their sessions name their account."""
    key = str(user.pk)
    doomed = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    Session.objects.filter(session_key__in=doomed).delete()
    for session_key in doomed:
        cache.delete(f"django.contrib.sessions.cached_db{session_key}")


def files_of(rows) -> list:
    file_fields = [
        f.name for f in rows.model._meta.concrete_fields if isinstance(f, models.FileField)
    ]
    found = []
    for row in rows.only("pk", *file_fields) if file_fields else []:
        for name in file_fields:
            stored = getattr(row, name)
            if stored:
                found.append((stored.storage, stored.name))
    return found


def delete_files(files) -> None:
    for storage, name in files:
        storage.delete(name)


# --- the sweep -----------------------------------------------------------------------------------


def _text_fields(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.primary_key
        and not f.choices
    ]


def _json_forms(needle: str) -> set[str]:
    # A JSON column may hold the text with non-ASCII letters escaped (SQLite) or not (PostgreSQL).
    return {needle, json.dumps(needle)[1:-1]}


def _condition(model_field, needles) -> tuple[dict, models.Q]:
    if isinstance(model_field, models.JSONField):
        alias = f"_{model_field.name}_text"
        q = models.Q()
        for needle in needles:
            for form in _json_forms(needle):
                q |= models.Q(**{f"{alias}__icontains": form})
        return {alias: Cast(model_field.name, models.TextField())}, q
    q = models.Q()
    for needle in needles:
        q |= models.Q(**{f"{model_field.name}__icontains": needle})
    return {}, q


def _scrubbed(value, pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrubbed(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, pattern) for key, item in value.items()}
    return value


def mentions(needles, model) -> list:
    """The rows of `model` whose text columns mention one of `needles`, with those columns."""
    found = []
    for model_field in _text_fields(model):
        annotations, q = _condition(model_field, needles)
        rows = model._base_manager.annotate(**annotations).filter(q)
        pks = list(rows.values_list("pk", flat=True))
        if pks:
            found.append((model_field, pks))
    return found


def sweep_mentions(needles) -> int:
    """Replace every remaining mention of `needles` in every text column of every table; the search
    entries that mentioned them are removed and rebuilt from their (now clean) objects."""
    from municipia.search.backends import get_backend
    from municipia.search.models import SearchEntry
    from municipia.search.tasks import reindex_object

    if not needles:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model is SearchEntry:
            continue
        for model_field, pks in mentions(needles, model):
            for row in model._base_manager.filter(pk__in=pks).only("pk", model_field.attname):
                value = _scrubbed(getattr(row, model_field.attname), pattern)
                model._base_manager.filter(pk=row.pk).update(**{model_field.attname: value})
                changed += 1
    keys = set()
    for _model_field, pks in mentions(needles, SearchEntry):
        keys.update(SearchEntry.objects.filter(pk__in=pks).values_list("key", flat=True))
    if keys:
        get_backend().remove(sorted(keys))
        for key in sorted(keys):
            label, _sep, pk = key.partition(":")
            enqueue(reindex_object, label=label, pk=int(pk))
        changed += len(keys)
    return changed


def forget_cached_mentions(needles) -> int:
    """Make every cached page unreachable (their keys hold the generations), and delete the cached
    values that name the person where the cache can be read through (in memory, Redis); any
    other cache is cleared. Other processes' copies of kept pages (`core.nearcache`) are
    unreachable at once too, and gone when they expire (MUNICIPIA_CACHE_SECONDS at most)."""
    generations.bump({generations.ALL_SCOPES})
    nearcache.pages.clear()
    if not needles:
        return 0
    forms = [form.encode() for needle in needles for form in {needle, needle.lower()}]
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):  # LocMemCache: pickled values by key
        doomed = [key for key, value in list(store.items()) if _names(value, forms)]
        for key in doomed:
            store.pop(key, None)
        return len(doomed)
    client = getattr(store, "get_client", None)
    if client is not None:  # Django's RedisCache
        redis = client(write=True)
        doomed = [key for key in redis.scan_iter() if _names(redis.get(key) or b"", forms)]
        if doomed:
            redis.delete(*doomed)
        return len(doomed)
    cache.clear()
    return 0


def _names(raw: bytes, forms) -> bool:
    if any(form in raw for form in forms):
        return True
    try:  # a pickled str is UTF-8 inside; a compressed or nested value is read whole
        value = pickle.loads(raw)  # noqa: S301 - our own cache's values
        text = repr(value)
        if isinstance(value, dict) and isinstance(value.get("gzip"), bytes):
            text += gzip.decompress(value["gzip"]).decode("utf-8", "replace")  # a kept page
    except Exception:
        return False
    return any(form.decode() in text for form in forms)
