"""A copy of everything the platform holds about a person: the rows every app declared, as JSON
(for machines) and as a PDF (for reading), in the person's language."""

import datetime
import decimal
import io
import json
import uuid
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph, Spacer

from municipia.core.jobs import set_progress
from municipia.core.reports import pdf
from municipia.privacy import registry
from municipia.privacy.registry import Subject

MAX_ROWS_PER_MODEL = 5000  # a person's rows in one table; more would be a fault, not their data


def _value(row, name: str):
    if name == "__str__":
        return str(row)
    model_field = row._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(row, name)
        return str(related) if related is not None else None
    value = getattr(row, model_field.attname)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _fields(declaration) -> list[str]:
    if declaration.export is not None:
        return list(declaration.export)
    return [f.name for f in declaration.model._meta.concrete_fields if not f.primary_key]


def _history_section(declaration, names: list[str], pks: list) -> dict | None:
    """The earlier versions of the person's rows, as the model's history table keeps them."""
    history = registry.history_model(declaration.model)
    if history is None or not pks:
        return None
    present = {f.name for f in history._meta.get_fields()}
    kept = [n for n in names if n in present]
    pk_name = declaration.model._meta.pk.attname
    versions = history.objects.filter(**{f"{pk_name}__in": pks}).order_by("history_date")
    rows = [
        {
            "history_date": _value(version, "history_date"),
            "history_type": version.get_history_type_display(),
            **{name: _value(version, name) for name in kept},
        }
        for version in versions[:MAX_ROWS_PER_MODEL]
    ]
    if not rows:
        return None
    model = declaration.model
    fields = {"history_date": _("Changed on"), "history_type": _("Change")}
    fields.update({name: str(model._meta.get_field(name).verbose_name) for name in kept})
    return {
        "model": history._meta.label,
        "name": _("Earlier versions: %(records)s")
        % {"records": str(model._meta.verbose_name_plural)},
        "fields": fields,
        "rows": rows,
    }


def _authored_changes(subject: Subject) -> dict | None:
    """Every change the person made that a history table recorded: what, when and how."""
    if subject.user is None:
        return None
    rows = []
    for history in registry.history_models():
        base = registry.base_of_history(history)
        found = history.objects.filter(**{registry.HISTORY_AUTHOR: subject.user})
        for version in found.order_by("history_date")[:MAX_ROWS_PER_MODEL]:
            rows.append(
                {
                    "record": str(base._meta.verbose_name) if base else history._meta.label,
                    "history_date": _value(version, "history_date"),
                    "history_type": version.get_history_type_display(),
                    "__str__": str(version.instance) if base else str(version),
                }
            )
    if not rows:
        return None
    return {
        "model": "history",
        "name": _("Changes you made"),
        "fields": {
            "record": _("Record"),
            "history_date": _("Changed on"),
            "history_type": _("Change"),
            "__str__": _("Entry"),
        },
        "rows": rows,
    }


def collect(subject: Subject, job=None) -> dict:
    """{"person": …, "sections": [{"model", "name", "rows": [{field: value}]}]}"""
    declarations = [d for d in registry.declarations() if d.export != ()]
    sections = []
    for done, declaration in enumerate(declarations, start=1):
        names = _fields(declaration)
        rows = []
        querysets = [declaration.rows(subject)] if declaration.about else []
        querysets += [declaration.acted_rows(subject, name) for name in declaration.actors]
        relations = [
            n for n in names if n != "__str__" and declaration.model._meta.get_field(n).many_to_one
        ]
        pks = []
        for queryset in querysets:
            for row in queryset.select_related(*relations)[:MAX_ROWS_PER_MODEL]:
                rows.append({name: _value(row, name) for name in names})
                pks.append(row.pk)
        if rows:
            model = declaration.model
            sections.append(
                {
                    "model": declaration.label,
                    "name": str(model._meta.verbose_name_plural),
                    "fields": {
                        name: (
                            _("Entry")
                            if name == "__str__"
                            else str(model._meta.get_field(name).verbose_name)
                        )
                        for name in names
                    },
                    "rows": rows,
                }
            )
            history = _history_section(declaration, names, pks)
            if history is not None:
                sections.append(history)
        if job is not None and done % 10 == 0:
            set_progress(job, done, len(declarations) + 1)
    authored = _authored_changes(subject)
    if authored is not None:
        sections.append(authored)
    user = subject.user
    return {
        "generated_at": timezone.now().isoformat(),
        "person": {"email": user.email if user else "", "name": user.full_name if user else ""},
        "sections": sections,
    }


def render_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def render_pdf(data: dict, language: str) -> bytes:
    with translation.override(language):
        styles = pdf.styles()
        buffer = io.BytesIO()
        document = pdf.document(
            buffer,
            title=_("Your personal data"),
            author=settings.MUNICIPIA_SITE_NAME,
            language=language,
        )
        width = document.width
        story = [
            Paragraph(escape(_("Your personal data")), styles["title"]),
            Paragraph(
                escape(
                    _("Everything the platform holds about %(name)s, on %(date)s.")
                    % {
                        "name": data["person"]["name"] or data["person"]["email"],
                        "date": data["generated_at"][:10],
                    }
                ),
                styles["subtitle"],
            ),
        ]
        for section in data["sections"]:
            story.append(Paragraph(escape(section["name"].capitalize()), styles["h2"]))
            labels = section["fields"]
            for row in section["rows"]:
                cells = [
                    [
                        Paragraph(escape(_("Field")), styles["head"]),
                        Paragraph(escape(_("Value")), styles["head"]),
                    ]
                ]
                for name, label in labels.items():
                    shown = row.get(name)
                    text = "" if shown in (None, "") else str(shown)
                    cells.append(
                        [
                            Paragraph(escape(str(label)), styles["cell"]),
                            Paragraph(escape(text[:2000]), styles["cell"]),
                        ]
                    )
                story.append(pdf.table(cells, [width * 0.3, width * 0.7]))
                story.append(Spacer(1, 4))
        if not data["sections"]:
            story.append(
                Paragraph(escape(_("The platform holds nothing about you.")), styles["body"])
            )
        document.build(story)
        return buffer.getvalue()


def write_export(export, subject: Subject, language: str, job=None) -> None:
    """Build both files and store them on the export (rewritten if the job runs again)."""
    data = collect(subject, job)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    for stored in (export.json_file, export.pdf_file):
        if stored:
            stored.delete(save=False)
    export.json_file.save(f"personal-data-{stamp}.json", ContentFile(render_json(data)), save=False)
    export.pdf_file.save(
        f"personal-data-{stamp}.pdf", ContentFile(render_pdf(data, language)), save=False
    )
    export.save(update_fields=["json_file", "pdf_file"])
