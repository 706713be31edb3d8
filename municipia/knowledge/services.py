"""Business actions of the experience bank: writing, translating, reviewing and attaching.

The officers of a city write an experience (draft → submitted); the staff of a network it is shared
in publish it or return it with comments. Publishing, returning and editing a published experience
re-index it after the transaction commits.
"""

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.log import log_action
from municipia.directory.models import Membership
from municipia.knowledge import uploads
from municipia.knowledge.models import (
    Attachment,
    Experience,
    ExperienceTranslation,
    Publication,
    PublicationTranslation,
)
from municipia.knowledge.permissions import (
    can_create_experience,
    can_edit_experience,
    can_manage_publication,
    can_review_experience,
)
from municipia.search.services import index_object
from municipia.translation.services import schedule as schedule_translation

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
EXPERIENCE_FIELDS = (
    "started_on",
    "ended_on",
    "budget",
    "currency",
    "funders",
    "contacts",
    "links",
)
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class ExperienceError(Exception):
    """An expected, user-facing reason why an action on an experience cannot happen."""


def sanitise(markup: str) -> str:
    """Keep formatting and links; drop scripts, styles, event handlers and unknown tags."""
    return nh3.clean(
        markup or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def _check_text(language: str, text: dict) -> dict:
    if language not in LANGUAGE_CODES:
        raise ExperienceError(_("Choose one of the platform's languages."))
    title = (text.get("title") or "").strip()
    summary = (text.get("summary") or "").strip()
    body = sanitise(text.get("body") or "")
    if not title or not summary or not body:
        raise ExperienceError(_("A title, a summary and a description are required."))
    return {
        "title": title[:300],
        "summary": summary,
        "body": body,
        "results": sanitise(text.get("results") or ""),
    }


def _check_period(fields: dict) -> None:
    started, ended = fields.get("started_on"), fields.get("ended_on")
    if started and ended and ended < started:
        raise ExperienceError(_("The end of the period comes before its start."))


def _check_sharing(city, networks, themes) -> None:
    networks = list(networks)
    if not networks:
        raise ExperienceError(_("Share the experience in at least one network."))
    member_of = set(
        Membership.objects.active()
        .filter(local_government=city, network__in=networks)
        .values_list("network_id", flat=True)
    )
    outside = [n for n in networks if n.pk not in member_of]
    if outside:
        raise ExperienceError(
            _("%(city)s is not an active member of: %(networks)s.")
            % {"city": city, "networks": ", ".join(str(n) for n in outside)}
        )
    network_ids = {n.pk for n in networks}
    if any(theme.network_id not in network_ids for theme in themes):
        raise ExperienceError(_("Choose themes of the networks the experience is shared in."))


@transaction.atomic
def create_experience(
    *,
    city,
    by,
    language: str,
    text: dict,
    networks,
    themes=(),
    sdg_targets=(),
    partner_cities=(),
    **fields,
) -> Experience:
    """Create a draft experience with its original text; nothing is indexed until it is published."""
    if not can_create_experience(by, city):
        raise ExperienceError(_("You may not write experiences for this local government."))
    clean_text = _check_text(language, text)
    themes, networks = list(themes), list(networks)
    _check_sharing(city, networks, themes)
    _check_period(fields)
    experience = Experience.objects.create(
        city=city,
        original_language=language,
        created_by=by,
        **{name: value for name, value in fields.items() if name in EXPERIENCE_FIELDS},
    )
    ExperienceTranslation.objects.create(
        experience=experience,
        language=language,
        origin=ExperienceTranslation.Origin.ORIGINAL,
        **clean_text,
    )
    experience.networks.set(networks)
    experience.themes.set(themes)
    experience.sdg_targets.set(sdg_targets)
    experience.partner_cities.set([c for c in partner_cities if c.pk != city.pk])
    log_action(experience, "knowledge.experience.created", user=by, data={"language": language})
    return experience


@transaction.atomic
def update_experience(
    experience: Experience,
    *,
    by,
    text: dict | None = None,
    networks=None,
    themes=None,
    sdg_targets=None,
    partner_cities=None,
    **fields,
) -> Experience:
    """Change the facts and the original text of an experience its author may still edit."""
    if not can_edit_experience(by, experience):
        raise ExperienceError(_("This experience cannot be edited now."))
    _check_period(
        {
            "started_on": fields.get("started_on", experience.started_on),
            "ended_on": fields.get("ended_on", experience.ended_on),
        }
    )
    if networks is not None or themes is not None:
        _check_sharing(
            experience.city,
            networks if networks is not None else experience.networks.all(),
            themes if themes is not None else experience.themes.all(),
        )
    for name, value in fields.items():
        if name in EXPERIENCE_FIELDS:
            setattr(experience, name, value)
    experience.save()
    if text is not None:
        clean_text = _check_text(experience.original_language, text)
        ExperienceTranslation.objects.update_or_create(
            experience=experience, language=experience.original_language, defaults=clean_text
        )
    if networks is not None:
        experience.networks.set(networks)
    if themes is not None:
        experience.themes.set(themes)
    if sdg_targets is not None:
        experience.sdg_targets.set(sdg_targets)
    if partner_cities is not None:
        experience.partner_cities.set([c for c in partner_cities if c.pk != experience.city_id])
    log_action(experience, "knowledge.experience.updated", user=by)
    if experience.is_published:
        index_object(experience)
        schedule_translation(experience)
    return experience


@transaction.atomic
def add_translation(
    experience: Experience, *, by, language: str, text: dict, origin: str = "human"
) -> ExperienceTranslation:
    """Add or replace the text in one more language (the original keeps its own form)."""
    if not can_edit_experience(by, experience):
        raise ExperienceError(_("This experience cannot be edited now."))
    if language == experience.original_language:
        raise ExperienceError(_("Edit the original text in the experience form."))
    if origin not in ExperienceTranslation.Origin.values or origin == "original":
        raise ExperienceError(_("Say whether the translation is human or machine-made."))
    translation, created = ExperienceTranslation.objects.update_or_create(
        experience=experience,
        language=language,
        defaults={**_check_text(language, text), "origin": origin},
    )
    log_action(
        experience,
        "knowledge.experience.translated",
        user=by,
        data={"language": language, "created": created},
    )
    if experience.is_published:
        index_object(experience)
    return translation


@transaction.atomic
def submit_experience(experience: Experience, *, by) -> Experience:
    """Send a draft (or a returned experience) to the networks' staff for review."""
    if not can_edit_experience(by, experience) or experience.is_published:
        raise ExperienceError(_("This experience cannot be submitted now."))
    if experience.status == Experience.Status.SUBMITTED:
        raise ExperienceError(_("This experience is already waiting for review."))
    if not experience.networks.exists():
        raise ExperienceError(_("Share the experience in at least one network."))
    experience.status = Experience.Status.SUBMITTED
    experience.submitted_at = timezone.now()
    experience.save(update_fields=["status", "submitted_at", "updated_at"])
    log_action(experience, "knowledge.experience.submitted", user=by)
    return experience


@transaction.atomic
def publish_experience(experience: Experience, *, by) -> Experience:
    """Publish a submitted experience and index it once the transaction commits."""
    if not can_review_experience(by, experience):
        raise ExperienceError(_("Only the staff of a network it is shared in may publish it."))
    if experience.status != Experience.Status.SUBMITTED:
        raise ExperienceError(_("Only a submitted experience can be published."))
    experience.status = Experience.Status.PUBLISHED
    experience.published_at = timezone.now()
    experience.review_comment = ""
    experience.save(update_fields=["status", "published_at", "review_comment", "updated_at"])
    log_action(experience, "knowledge.experience.published", user=by)
    index_object(experience)
    schedule_translation(experience)
    return experience


@transaction.atomic
def return_experience(experience: Experience, *, by, comment: str) -> Experience:
    """Send a submitted (or published) experience back to its authors with comments."""
    if not can_review_experience(by, experience):
        raise ExperienceError(_("Only the staff of a network it is shared in may return it."))
    if experience.status not in (Experience.Status.SUBMITTED, Experience.Status.PUBLISHED):
        raise ExperienceError(_("Only a submitted or published experience can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ExperienceError(_("Say what the authors should change."))
    was_published = experience.is_published
    experience.status = Experience.Status.RETURNED
    experience.review_comment = comment[:5000]
    experience.save(update_fields=["status", "review_comment", "updated_at"])
    log_action(experience, "knowledge.experience.returned", user=by, data={"comment": comment})
    if was_published:
        index_object(experience)  # takes it out of search
    return experience


def add_attachment(experience: Experience, upload, *, by) -> Attachment:
    """Check the file from its content and store it under a random name; a refusal changes nothing."""
    if not can_edit_experience(by, experience):
        raise ExperienceError(_("This experience cannot be edited now."))
    try:
        data, file_type = uploads.read_checked(upload, settings.MUNICIPIA_ATTACHMENT_MAX_BYTES)
    except uploads.UploadRejected as error:
        raise ExperienceError(str(error)) from error
    with transaction.atomic():
        attachment = Attachment(
            experience=experience,
            original_name=uploads.display_name(upload.name or ""),
            content_type=file_type.content_type,
            size=len(data),
            uploaded_by=by,
        )
        attachment.file.save(uploads.stored_name(file_type), ContentFile(data), save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
        log_action(
            experience,
            "knowledge.attachment.added",
            user=by,
            data={"attachment": attachment.pk, "name": attachment.original_name},
        )
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    experience = attachment.experience
    if not can_edit_experience(by, experience):
        raise ExperienceError(_("This experience cannot be edited now."))
    name, pk = attachment.original_name, attachment.pk
    stored = attachment.file.name
    attachment.delete()
    storage = attachment.file.storage
    transaction.on_commit(lambda: storage.delete(stored))
    log_action(
        experience, "knowledge.attachment.removed", user=by, data={"attachment": pk, "name": name}
    )


@transaction.atomic
def save_publication(
    *,
    network,
    by,
    language: str,
    title: str,
    summary: str,
    year: int,
    kind: str = Publication.Kind.REPORT,
    link: str = "",
    themes=(),
    sdg_targets=(),
    publication: Publication | None = None,
) -> Publication:
    """Create or update a publication of a network with its text in one language."""
    publication = publication or Publication(network=network, original_language=language)
    if not can_manage_publication(by, publication):
        raise ExperienceError(_("Only the network's staff may edit its publications."))
    if language not in LANGUAGE_CODES:
        raise ExperienceError(_("Choose one of the platform's languages."))
    if not (title or "").strip() or not (summary or "").strip():
        raise ExperienceError(_("A title and a summary are required."))
    publication.kind, publication.year, publication.link = kind, year, link
    publication.save()
    PublicationTranslation.objects.update_or_create(
        publication=publication,
        language=language,
        defaults={"title": title.strip()[:300], "summary": summary.strip()},
    )
    publication.themes.set(themes)
    publication.sdg_targets.set(sdg_targets)
    log_action(publication, "knowledge.publication.saved", user=by, data={"language": language})
    if publication.is_published:
        index_object(publication)
        schedule_translation(publication)
    return publication


@transaction.atomic
def publish_publication(publication: Publication, *, by, published: bool = True) -> Publication:
    if not can_manage_publication(by, publication):
        raise ExperienceError(_("Only the network's staff may publish its publications."))
    publication.is_published = published
    publication.save(update_fields=["is_published", "updated_at"])
    log_action(
        publication,
        "knowledge.publication.published" if published else "knowledge.publication.withdrawn",
        user=by,
    )
    index_object(publication)
    schedule_translation(publication)
    return publication


@transaction.atomic
def delete_experience(experience: Experience, *, by) -> None:
    """Delete a draft (never a submitted or published experience) with its files."""
    if experience.status != Experience.Status.DRAFT or not can_edit_experience(by, experience):
        raise ExperienceError(_("Only a draft can be deleted."))
    stored = [a.file.name for a in experience.attachments.all()]
    storage = Attachment._meta.get_field("file").storage
    log_action(
        experience, "knowledge.experience.deleted", user=by, data={"title": experience.title}
    )
    experience.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in stored])
