"""Calls' application forms move into the shared form builder without losing an answer, an
attachment's question or a question's history, and move back the same way."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from municipia.forms.models import FormDefinition, FormField
from tests.factories.accounts import UserFactory
from tests.factories.directory import LocalGovernmentFactory

BEFORE = [("calls", "0001_initial")]
AFTER = [("calls", "0002_shared_form_builder")]
WHEN = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _call(apps, network, slug):
    return apps.get_model("calls", "Call").objects.create(
        network_id=network.pk,
        kind="award",
        slug=slug,
        title={"en": slug},
        languages=["en", "fr"],
        opens_at=WHEN,
        closes_at=WHEN + datetime.timedelta(days=30),
    )


def _old_world(apps, network):
    """Two calls with questions of every kind calls had, applications with answers and files."""
    Field = apps.get_model("calls", "FormField")
    Application = apps.get_model("calls", "Application")
    File = apps.get_model("calls", "ApplicationFile")
    user = UserFactory()
    city = LocalGovernmentFactory()
    world = {"answers": {}, "files": {}, "fields": {}}
    for slug in ("green-award", "fund-2025"):
        call = _call(apps, network, slug)
        fields = [
            Field.objects.create(
                call=call,
                position=position,
                kind=kind,
                label={"en": f"{kind} question", "fr": f"question {kind}"},
                help_text={"en": "Help"},
                required=position % 2 == 0,
                visible_to_jury=kind != "number",
                word_limits={"en": 300, "*": 330} if kind == "text" else {},
                choices=[{"value": "a", "label": {"en": "A"}}] if kind == "choice" else [],
                min_value=1 if kind == "money" else None,
            )
            for position, kind in enumerate(
                ["text", "choice", "number", "money", "date", "file", "experience"]
            )
        ]
        apps.get_model("calls", "HistoricalFormField").objects.create(
            id=fields[0].pk,
            call_id=call.pk,
            kind="text",
            label={"en": "An earlier wording"},
            history_date=WHEN,
            history_type="+",
            created_at=WHEN,
            updated_at=WHEN,
        )
        for n in range(3):
            answers = {
                str(fields[0].pk): f"Trees on square {n} — «ça pousse»",
                str(fields[1].pk): "a",
                str(fields[2].pk): "twelve" if n == 1 else "12",  # a draft keeps what was typed
                str(fields[3].pk): "1000.50",
                str(fields[4].pk): "2025-05-01",
                str(fields[6].pk): "https://example.org/experiences/1",
            }
            application = Application.objects.create(
                call=call,
                code=f"{slug}-{n}",
                local_government_id=city.pk,
                created_by_id=user.pk,
                language="fr" if n else "en",
                title=f"Application {n}",
                answers=answers,
            )
            attachment = File.objects.create(
                application=application,
                field=fields[5],
                file=f"calls/{call.pk}/x{n}",
                original_name="budget.pdf",
                content_type="application/pdf",
                extension="pdf",
                size=10,
                uploaded_by_id=user.pk,
            )
            world["answers"][application.pk] = answers
            world["files"][attachment.pk] = fields[5].pk
        world["fields"].update({f.pk: (call.pk, f.kind, f.label, f.position) for f in fields})
    return world


@pytest.mark.django_db(transaction=True)
def test_forms_answers_files_and_history_survive_the_move_and_the_way_back(network):
    try:
        old = _migrate(BEFORE)
        world = _old_world(old, network)

        new = _migrate(AFTER)
        Call = new.get_model("calls", "Call")
        Field = new.get_model("forms", "FormField")
        forms = dict(Call.objects.values_list("pk", "form_id"))
        assert len(set(forms.values())) == len(forms) == 2  # one form per call
        assert {
            f.pk: (Call.objects.get(form_id=f.definition_id).pk, f.kind, f.label, f.position)
            for f in Field.objects.all()
        } == world["fields"]
        for application in new.get_model("calls", "Application").objects.all():
            assert application.answers == world["answers"][application.pk]
            keys = set(application.answers)
            form_keys = {
                str(pk)
                for pk in Field.objects.filter(
                    definition_id=forms[application.call_id]
                ).values_list("pk", flat=True)
            }
            assert keys <= form_keys  # every answer still names its question
        assert (
            dict(new.get_model("calls", "ApplicationFile").objects.values_list("pk", "field_id"))
            == world["files"]
        )
        history = new.get_model("forms", "HistoricalFormField").objects.all()
        assert sorted(h.label["en"] for h in history) == ["An earlier wording"] * 2

        # A question added afterwards takes a fresh id, never one of the moved questions'.
        added = Field.objects.create(definition_id=forms[min(forms)], kind="text", label={})
        assert added.pk > max(world["fields"])
        added.delete()

        back = _migrate(BEFORE)
        OldField = back.get_model("calls", "FormField")
        assert {
            f.pk: (f.call_id, f.kind, f.label, f.position) for f in OldField.objects.all()
        } == world["fields"]
        assert {
            a.pk: a.answers for a in back.get_model("calls", "Application").objects.all()
        } == world["answers"]
        assert (
            dict(back.get_model("calls", "ApplicationFile").objects.values_list("pk", "field_id"))
            == world["files"]
        )
        # The builder's tables stay (forms 0001 is applied), emptied of the copies.
        assert not FormField.objects.exists()
        assert not FormDefinition.objects.exists()
        assert back.get_model("calls", "HistoricalFormField").objects.count() == 2

        again = _migrate(AFTER)  # and forward once more, as a rolled-back deployment would
        assert again.get_model("forms", "FormField").objects.count() == len(world["fields"])
    finally:
        _latest()
