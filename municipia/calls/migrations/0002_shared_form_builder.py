"""Calls' application forms move into the shared form builder (municipia/forms).

Each call gets a `FormDefinition`; each of its questions becomes a `forms.FormField` under the
same id, so that every kept answer (`Application.answers`, keyed by the question's id) and every
attachment of a file question (`ApplicationFile.field`) still names its question. The questions'
history moves with them. Nothing is deleted before its copy is counted. Backwards, the questions
go back to calls under the same ids and the copies are removed.
"""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models

PURPOSE = "calls.call"
COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "position",
    "kind",
    "label",
    "help_text",
    "required",
    "visible_to_jury",
    "word_limits",
    "choices",
    "min_value",
    "max_value",
]
HISTORY_COLUMNS = [
    *COLUMNS,
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
]


def _values(row, columns):
    return {name: getattr(row, name) for name in columns}


def _reset_sequences(schema_editor, models_):
    connection = schema_editor.connection
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _constraints_now(schema_editor):
    # PostgreSQL refuses to alter a table with pending deferred foreign-key checks.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def move_forms_to_the_form_builder(apps, schema_editor):
    db = schema_editor.connection.alias
    Call = apps.get_model("calls", "Call")
    OldField = apps.get_model("calls", "FormField")
    OldHistory = apps.get_model("calls", "HistoricalFormField")
    Definition = apps.get_model("forms", "FormDefinition")
    Field = apps.get_model("forms", "FormField")
    History = apps.get_model("forms", "HistoricalFormField")

    definitions = {}
    for call in Call.objects.using(db).filter(form__isnull=True).order_by("pk"):
        definition = Definition.objects.using(db).create(purpose=PURPOSE)
        Call.objects.using(db).filter(pk=call.pk).update(form=definition)
        definitions[call.pk] = definition.pk
    definitions.update(
        Call.objects.using(db).exclude(form__isnull=True).values_list("pk", "form_id")
    )

    old = list(OldField.objects.using(db).order_by("pk"))
    Field.objects.using(db).bulk_create(
        [Field(definition_id=definitions[f.call_id], **_values(f, COLUMNS)) for f in old],
        batch_size=500,
    )
    history = list(OldHistory.objects.using(db).order_by("history_id"))
    History.objects.using(db).bulk_create(
        [
            History(definition_id=definitions.get(h.call_id), **_values(h, HISTORY_COLUMNS))
            for h in history
        ],
        batch_size=500,
    )
    _reset_sequences(schema_editor, [Definition, Field, History])

    moved = dict(Field.objects.using(db).values_list("pk", "definition_id"))
    for f in old:
        if moved.get(f.pk) != definitions[f.call_id]:
            raise RuntimeError(f"Form field {f.pk} was not moved; nothing is changed.")
    if History.objects.using(db).count() < len(history):
        raise RuntimeError("The history of the form fields was not moved; nothing is changed.")
    _constraints_now(schema_editor)


def move_forms_back_to_calls(apps, schema_editor):
    db = schema_editor.connection.alias
    Call = apps.get_model("calls", "Call")
    OldField = apps.get_model("calls", "FormField")
    OldHistory = apps.get_model("calls", "HistoricalFormField")
    Field = apps.get_model("forms", "FormField")
    History = apps.get_model("forms", "HistoricalFormField")

    calls = dict(Call.objects.using(db).exclude(form__isnull=True).values_list("form_id", "pk"))
    fields = list(Field.objects.using(db).filter(definition_id__in=calls).order_by("pk"))
    OldField.objects.using(db).bulk_create(
        [OldField(call_id=calls[f.definition_id], **_values(f, COLUMNS)) for f in fields],
        batch_size=500,
    )
    history = History.objects.using(db).filter(definition_id__in=calls).order_by("history_id")
    OldHistory.objects.using(db).bulk_create(
        [OldHistory(call_id=calls[h.definition_id], **_values(h, HISTORY_COLUMNS)) for h in history],
        batch_size=500,
    )
    _reset_sequences(schema_editor, [OldField, OldHistory])
    if OldField.objects.using(db).count() < len(fields):
        raise RuntimeError("The form fields were not moved back; nothing is changed.")
    _constraints_now(schema_editor)


def remove_the_copies(apps, schema_editor):
    """Backwards, once attachments name calls' questions again: the builder's copies go."""
    db = schema_editor.connection.alias
    Call = apps.get_model("calls", "Call")
    Definition = apps.get_model("forms", "FormDefinition")
    Field = apps.get_model("forms", "FormField")
    History = apps.get_model("forms", "HistoricalFormField")
    forms = list(Call.objects.using(db).exclude(form__isnull=True).values_list("form_id", flat=True))
    Call.objects.using(db).update(form=None)
    History.objects.using(db).filter(definition_id__in=forms).delete()
    Field.objects.using(db).filter(definition_id__in=forms).delete()
    Definition.objects.using(db).filter(pk__in=forms).delete()
    _constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("forms", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="form",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="call",
                to="forms.formdefinition",
                verbose_name="application form",
            ),
        ),
        migrations.AddField(
            model_name="historicalcall",
            name="form",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="forms.formdefinition",
                verbose_name="application form",
            ),
        ),
        migrations.RunPython(move_forms_to_the_form_builder, remove_the_copies),
        migrations.AlterField(
            model_name="applicationfile",
            name="field",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="forms.formfield",
            ),
        ),
        migrations.AlterField(
            model_name="call",
            name="form",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="call",
                to="forms.formdefinition",
                verbose_name="application form",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, move_forms_back_to_calls),
        migrations.DeleteModel(name="FormField"),
        migrations.DeleteModel(name="HistoricalFormField"),
    ]
