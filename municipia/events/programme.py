"""Writing an event and its programme from the staff pages: the event with its text, rooms,
sessions and speakers, and its publication or cancellation. Each write is whole or nothing, and
refuses what would make the programme wrong (a session outside its event, two sessions in one
room at once)."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from municipia.core.log import log_action
from municipia.core.uploads import (
    JPEG,
    PNG,
    FileType,
    UploadRejected,
    read_checked,
    sniff,
    stored_name,
)
from municipia.events.models import Event, EventTranslation, Session, Speaker
from municipia.events.services import EventError

CERTIFICATE_IMAGE_BYTES = 2 * 1024 * 1024
CERTIFICATE_IMAGE_PIXELS = 4000 * 4000
CERTIFICATE_IMAGES = {"signature": "certificate_signature", "logo": "certificate_logo"}


def checked_image(upload) -> tuple[bytes, FileType]:
    """(content, type) of an uploaded PNG or JPEG for certificates: its type read from its
    content (core.uploads), at most 2 MB, and an image Pillow can read of at most 16 megapixels
    (a certificate must never fail to draw, nor inflate a small file into gigabytes)."""
    try:
        content = read_checked(upload, CERTIFICATE_IMAGE_BYTES)
    except UploadRejected as refused:
        raise EventError(str(refused)) from refused
    try:
        file_type = sniff(content)
    except UploadRejected:
        file_type = None
    if file_type not in (PNG, JPEG):
        raise EventError(_("Signatures and logos are PNG or JPEG images."))
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > CERTIFICATE_IMAGE_PIXELS:
                raise EventError(_("This image is too large: at most 4,000 by 4,000 pixels."))
            image.verify()
    except EventError:
        raise
    except Exception as broken:  # Pillow raises many kinds for a damaged file
        raise EventError(_("This image cannot be read: it may be damaged.")) from broken
    return content, file_type


@transaction.atomic
def save_event(form, *, by) -> Event:
    """Save the event of a valid EventForm with its text in its original language, and the
    certificates' signature and logo (checked before anything is written)."""
    data = form.cleaned_data
    images = {}
    for name, field in CERTIFICATE_IMAGES.items():
        upload = data.get(f"{name}_image")
        if upload:
            content, file_type = checked_image(upload)
            images[field] = ContentFile(content, name=stored_name(file_type))
    event = form.save(commit=False)
    if event.pk is None:
        event.created_by = by
    elif (
        event.sessions.filter(starts_at__lt=event.starts_at).exists()
        or event.sessions.filter(ends_at__gt=event.ends_at).exists()
    ):
        raise EventError(_("Some sessions would fall outside the event's new dates."))
    for name, field in CERTIFICATE_IMAGES.items():
        if field in images:
            getattr(event, field).save(images[field].name, images[field], save=False)
        elif data.get(f"remove_{name}"):
            setattr(event, field, "")
    event.save()
    form.save_m2m()
    EventTranslation.objects.update_or_create(
        event=event,
        language=event.original_language,
        defaults={"title": data["title"], "summary": data["summary"], "theme": data["theme"]},
    )
    log_action(event, "events.event.saved", user=by)
    return event


def _check_session(session: Session, event: Event) -> None:
    if session.starts_at < event.starts_at or session.ends_at > event.ends_at:
        raise EventError(_("A session must take place within the event's dates."))
    if session.room_id is not None:
        clash = (
            Session.objects.filter(
                room_id=session.room_id,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
            )
            .exclude(pk=session.pk)
            .first()
        )
        if clash is not None:
            raise EventError(
                _("%(room)s already holds “%(session)s” at that time.")
                % {"room": session.room, "session": clash.title}
            )


@transaction.atomic
def save_session(form, *, event: Event, by) -> Session:
    """Save the session of a valid SessionForm, within its event and in a free room."""
    Event.objects.select_for_update(of=("self",)).get(pk=event.pk)  # one writer of the programme
    session = form.save(commit=False)
    session.event = event
    _check_session(session, event)
    session.save()
    form.save_m2m()
    log_action(event, "events.session.saved", user=by, data={"session": session.pk})
    return session


@transaction.atomic
def save_speaker(form, *, session: Session, by) -> Speaker:
    speaker = form.save(commit=False)
    speaker.session = session
    if form.cleaned_data.get("bio_consent"):
        speaker.bio_consent_at = speaker.bio_consent_at or timezone.now()
    else:
        speaker.bio_consent_at, speaker.bio_consent_evidence = None, ""
    if (
        Speaker.objects.filter(session=session, person=speaker.person)
        .exclude(pk=speaker.pk)
        .exists()
    ):
        raise EventError(_("%(name)s already speaks at this session.") % {"name": speaker.person})
    speaker.save()
    log_action(session.event, "events.speaker.saved", user=by, data={"speaker": speaker.pk})
    return speaker


@transaction.atomic
def set_status(event: Event, status: str, *, by) -> Event:
    """Publish a draft, or cancel a published event (registrations stay, for the record)."""
    allowed = {
        Event.Status.PUBLISHED: (Event.Status.DRAFT,),
        Event.Status.CANCELLED: (Event.Status.DRAFT, Event.Status.PUBLISHED),
    }
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status not in allowed.get(status, ()):
        raise EventError(
            _("This event cannot go from %(from)s to %(to)s.")
            % {
                "from": event.get_status_display(),
                "to": Event.Status(status).label if status in Event.Status.values else status,
            }
        )
    event.status = status
    event.save(update_fields=["status", "updated_at"])
    log_action(event, "events.event.status", user=by, data={"status": status})
    return event
