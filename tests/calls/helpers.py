"""Small helpers the call tests share: files made in memory, and a complete application."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from municipia.calls.models import Application, FormField
from municipia.calls.services.applications import attach_file, save_answers


def pdf_bytes(author: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if author:
        writer.add_metadata({"/Author": author, "/Title": f"Budget of {author}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "budget.pdf", author: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(author), content_type="application/pdf")


def docx_bytes(author: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr(
            "docProps/core.xml",
            f"<cp:coreProperties><dc:creator>{author}</dc:creator></cp:coreProperties>",
        )
    return out.getvalue()


def complete(application: Application, *, by, words: int = 5) -> Application:
    """Answer every required question of the application's call, attaching a PDF where asked."""
    answers = {}
    for field in application.call.fields.all():
        if field.kind == FormField.Kind.FILE:
            if field.required:
                attach_file(application, by=by, uploaded=pdf_upload(), field=field)
        elif field.required:
            answers[field.key] = {
                FormField.Kind.TEXT: " ".join(["word"] * words),
                FormField.Kind.NUMBER: "12",
                FormField.Kind.MONEY: "1000",
                FormField.Kind.DATE: "2026-05-01",
                FormField.Kind.EXPERIENCE: "https://example.org/experiences/1",
                FormField.Kind.CHOICE: (field.choices or [{"value": ""}])[0]["value"],
            }[field.kind]
    save_answers(application, by=by, answers=answers)
    application.refresh_from_db()
    return application
