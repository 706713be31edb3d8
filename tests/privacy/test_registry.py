"""Every model that refers to a person, or holds personal data, is declared by its app; a new one
fails here with what to declare."""

import contextlib

import pytest

from municipia.privacy import registry

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def forgotten(label):
    """The registry as if `label`'s app had not declared it."""
    declaration = registry.unregister(label)
    try:
        yield
    finally:
        registry._declarations[declaration.model._meta.label] = declaration


def test_every_model_with_personal_data_is_declared():
    problems = registry.missing_declarations()
    assert problems == [], "\n\n".join(problems)


def test_history_and_many_to_many_tables_are_walked():
    labels = {model._meta.label for model in registry.models_with_personal_data()}
    assert {
        "accounts.HistoricalUser",
        "directory.HistoricalPerson_expertise",
        "directory.Person_expertise",
        "accounts.User_groups",
        "events.HistoricalRegistration",
        "admin.LogEntry",
    } <= labels
    assert len(labels) >= 150


def test_a_forgotten_model_is_named_with_what_to_declare():
    with forgotten("events.CalendarToken"):
        problems = registry.missing_declarations()
    assert len(problems) == 1
    assert "events.CalendarToken: 'user' (relation to accounts.User) not declared" in problems[0]
    assert "municipia/events/privacy.py" in problems[0]
    assert "privacy.register(\"events.CalendarToken\", about=['user']" in problems[0]


def test_a_forgotten_history_points_at_its_model():
    with forgotten("events.Registration"):
        problems = registry.missing_declarations()
    history = next(p for p in problems if p.startswith("events.HistoricalRegistration"))
    assert 'privacy.register("events.Registration"' in history
    assert "'full_name' (personal data)" in history


def test_a_model_of_an_app_we_do_not_own_is_declared_here():
    with forgotten("authtoken.Token"):
        problems = registry.missing_declarations()
    assert "municipia/privacy/privacy.py (models of apps we do not own)" in problems[0]


def test_every_declared_field_exists():
    for declaration in registry.declarations():
        model = declaration.model
        names = {f.name for f in model._meta.get_fields()} | {"pk"}
        unknown = (declaration.covered - names) | (
            set(declaration.export or ()) - names - {"__str__"}
        )
        assert not unknown, f"{declaration.label}: {unknown}"
