"""What the platform holds about a person, model by model, and what becomes of it on erasure.

Every app declares its models that refer to a person in a `privacy.py` module of its own (found
like `admin.py`, decision 0052):

    from municipia.privacy import registry as privacy

    privacy.register(
        "events.Registration",
        about=["user", "email"],            # the fields that say whose row it is
        erase=privacy.keep(                 # delete(…), anonymise(…) or keep(…)
            _("Attendance is part of the event's records."),
            full_name=privacy.ERASED, email="", user=None,
        ),
    )

`about` names relations to `accounts.User` or `directory.Person` (or "pk" for their own rows) and
e-mail fields matched against the person's addresses. `delete` removes the rows; `anonymise`
replaces the fields given (a value, or a function of the row); `keep` keeps the rows the law or
the network's records require, with the fields given replaced. The history of a declared model
follows the same rule. `blocks(subject)` says why the person's data cannot be erased now (a juror
on an open call). `tests/privacy/test_registry.py` walks every model and fails for one with
personal data that nobody declared, saying what to declare.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

DELETE, ANONYMISE, KEEP = "delete", "anonymise", "keep"
# What an erased name reads as, everywhere (a constant, not translated: it is stored).
ERASED = "[erased]"
# simple_history's author of each historical row: cleared for every history model at once.
HISTORY_AUTHOR = "history_user"
# Field names that are personal data on any model, whatever it refers to.
PERSONAL_FIELD_NAMES = {
    "email",
    "phone",
    "telephone",
    "mobile",
    "first_name",
    "last_name",
    "full_name",
    "payer_name",
    "recipients",
    "ip_address",
}


@dataclass(frozen=True)
class Rule:
    action: str
    reason: str
    fields: dict[str, Any] = field(default_factory=dict)


def delete(reason) -> Rule:
    """The rows go."""
    return Rule(DELETE, reason)


def anonymise(reason, **fields) -> Rule:
    """The rows stay with these fields replaced; nothing requires keeping them as they are."""
    return Rule(ANONYMISE, reason, fields)


def keep(reason, **fields) -> Rule:
    """The law or the network's records require the rows; they stay with these fields replaced."""
    return Rule(KEEP, reason, fields)


@dataclass(frozen=True)
class Retention:
    """Rows older than `days` (by `date_field`) are deleted by the daily retention task; the
    setting MUNICIPIA_PRIVACY_RETENTION_DAYS overrides the days per model label."""

    days: int
    date_field: str = "created_at"


@dataclass
class Subject:
    """The person whose data is looked for: their account, their directory entry, or both."""

    user: Any = None
    person: Any = None
    emails: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    @classmethod
    def for_user(cls, user) -> "Subject":
        from allauth.account.models import EmailAddress

        from municipia.directory.models import Person

        person = Person.objects.filter(user=user).first()
        emails = {
            user.email,
            *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
        }
        names = {user.full_name, f"{user.first_name} {user.last_name}"}
        if person is not None:
            emails.add(person.email)
            names.add(person.full_name)
        return cls(
            user=user,
            person=person,
            emails={e.strip().lower() for e in emails if e and e.strip()},
            names={n.strip() for n in names if n and n.strip()},
        )


@dataclass(frozen=True)
class Declaration:
    label: str
    about: tuple[str, ...]
    rule: Rule
    export: tuple[str, ...] | None = None  # None: every field; (): nothing (secrets)
    covers: tuple[str, ...] = ()  # further personal fields the rule handles without replacing
    # Fields that name who acted on a row about someone else: cleared where nullable, else left
    # pointing at the anonymised account; the row itself is not the person's.
    actors: tuple[str, ...] = ()
    blocks: Callable | None = None
    retention: Retention | None = None

    @property
    def model(self):
        return apps.get_model(self.label)

    @property
    def covered(self) -> set[str]:
        return {*self.about, *self.rule.fields, *self.covers, *self.actors}

    def condition(self, subject: Subject) -> Q | None:
        """Which rows are about `subject`; None when none can be."""
        user_model, _person_model = people_models()
        model = self.model
        found = Q()
        matched = False
        for name in self.about:
            if name == "pk":
                target = subject.user if model is user_model else subject.person
                if target is not None:
                    found |= Q(pk=target.pk)
                    matched = True
                continue
            model_field = model._meta.get_field(name)
            target = None
            if model_field.is_relation:
                target = subject.user if model_field.related_model is user_model else subject.person
                if target is not None:
                    found |= Q(**{name: target})
                    matched = True
            elif subject.emails:
                for email in subject.emails:
                    found |= Q(**{f"{name}__iexact": email})
                matched = True
        return found if matched else None

    def rows(self, subject: Subject):
        condition = self.condition(subject)
        manager = self.model._base_manager
        return manager.filter(condition) if condition is not None else manager.none()

    def acted_rows(self, subject: Subject, name: str):
        """The rows where `subject` is the actor named by field `name`."""
        user_model, _person = people_models()
        related = self.model._meta.get_field(name).related_model
        target = subject.user if related is user_model else subject.person
        manager = self.model._base_manager
        return manager.filter(**{name: target}) if target is not None else manager.none()


_declarations: dict[str, Declaration] = {}

# What the rows of a model that only records who acted export: the row as it reads.
AS_TEXT = ("__str__",)
ACTOR_REASON = _(
    "The record stays; it no longer says who acted (a required author stays as the anonymised "
    "account)."
)


def register(
    label: str,
    *,
    about,
    erase: Rule,
    export=None,
    covers=(),
    actors=(),
    blocks: Callable | None = None,
    retention: Retention | None = None,
) -> Declaration:
    """Declare what `label`'s rows about a person are and what erasure does to them."""
    declaration = Declaration(
        label=label,
        about=tuple(about),
        rule=erase,
        export=tuple(export) if export is not None else None,
        covers=tuple(covers),
        actors=tuple(actors),
        blocks=blocks,
        retention=retention,
    )
    _declarations[apps.get_model(label)._meta.label] = declaration
    return declaration


def actors(label: str, *fields: str, reason=None, **options) -> Declaration:
    """Declare a model whose rows only record who acted (recorded, approved, uploaded…): the
    rows stay, a nullable actor is cleared, a required one keeps pointing at the anonymised
    account."""
    options.setdefault("export", AS_TEXT)
    return register(label, about=(), erase=keep(reason or ACTOR_REASON), actors=fields, **options)


def unregister(label: str) -> Declaration | None:
    return _declarations.pop(apps.get_model(label)._meta.label, None)


@functools.cache
def _discover() -> None:
    autodiscover_modules("privacy")


def declarations() -> list[Declaration]:
    _discover()
    return list(_declarations.values())


def declaration_for(model) -> Declaration | None:
    _discover()
    return _declarations.get(model._meta.label)


def people_models():
    return apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("directory", "Person")


def history_model(model):
    """The simple_history table of `model`, or None."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attribute).model if attribute else None


def history_models() -> list:
    """Every simple_history table."""
    from simple_history.models import registered_models

    found = (history_model(model) for model in registered_models.values())
    return [history for history in found if history is not None]


def base_of_history(model):
    """The model whose history `model` keeps, or None."""
    return getattr(model, "instance_type", None)


def is_personal_field(model_field) -> bool:
    if model_field.is_relation:
        return (
            not model_field.auto_created or model_field.concrete
        ) and model_field.related_model in people_models()
    if isinstance(model_field, models.EmailField | models.GenericIPAddressField):
        return True
    text = isinstance(model_field, models.CharField | models.TextField | models.JSONField)
    return text and model_field.name in PERSONAL_FIELD_NAMES


def personal_fields(model) -> list:
    """The fields of `model` that refer to a person or hold personal data."""
    return [
        f
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and is_personal_field(f)
    ]


def covered_fields(model) -> set[str]:
    """The personal fields of `model` some declaration handles (a history model's are those of the
    model it keeps, plus its author)."""
    base = base_of_history(model)
    covered: set[str] = set()
    if base is not None:
        covered.add(HISTORY_AUTHOR)
        declared = declaration_for(base)
        if declared is not None:
            covered |= declared.covered
    declared = declaration_for(model)
    if declared is not None:
        covered |= declared.covered
    return covered


def models_with_personal_data() -> list:
    """Every concrete model (history and many-to-many tables included) with personal fields, or
    that is a person itself."""
    found = []
    user_model, person_model = people_models()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue  # the same table as its concrete model, declared there
        if model in (user_model, person_model) or personal_fields(model):
            found.append(model)
    return found


def missing_declarations() -> list[str]:
    """One explanation per model whose personal data nobody declared: what to write, and where."""
    problems = []
    for model in models_with_personal_data():
        covered = covered_fields(model)
        missing = [f for f in personal_fields(model) if f.name not in covered]
        if not missing:
            continue
        problems.append(_explain(model, missing))
    return problems


def _explain(model, missing) -> str:
    base = base_of_history(model)
    target = base or model
    module = target.__module__.rsplit(".models", 1)[0].split(".")
    where = (
        f"{'/'.join(module[:2])}/privacy.py"
        if module[0] == "municipia"
        else "municipia/privacy/privacy.py (models of apps we do not own)"
    )
    described = ", ".join(
        f"'{f.name}' ("
        + (f"relation to {f.related_model._meta.label}" if f.is_relation else "personal data")
        + ")"
        for f in missing
    )
    about = [f.name for f in missing if f.is_relation or isinstance(f, models.EmailField)]
    others = {f.name: "privacy.ERASED" for f in missing if f.name not in about}
    replaced = "".join(f", {name}={value}" for name, value in others.items())
    history = f" (the history table {model._meta.label} follows its model)" if base else ""
    return (
        f"{model._meta.label}: {described} not declared. Add to {where}{history}:\n"
        f'    privacy.register("{target._meta.label}", about={about or ["<field naming the person>"]}, '
        f'erase=privacy.delete(_("why")) | privacy.anonymise(_("why"){replaced}) '
        f'| privacy.keep(_("legal reason"){replaced}))'
    )
