"""A stored file handed to the person who may see it: as an attachment, never run by the browser."""

from django.http import FileResponse, Http404


def attachment_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """Stream `field_file` (a FileField's file) as a download named `filename`; 404 when the
    storage has lost it."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
