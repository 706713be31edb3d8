"""Writing, translating and publishing news posts, and their image.

A post is indexed for search once it is public: at publication when its date and embargo have
passed, else by the periodic `index_released_news` once they do.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.communications.models import NewsPost, NewsTranslation
from municipia.communications.permissions import can_manage_communications
from municipia.communications.services import CommunicationsError
from municipia.core import uploads
from municipia.core.log import log_action
from municipia.knowledge.services import sanitise
from municipia.search.services import index_object

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
IMAGE_TYPES = {uploads.PNG, uploads.JPEG, uploads.GIF, uploads.WEBP}
# The periodic release runs every few minutes; this window covers a missed run or two.
RELEASE_WINDOW = datetime.timedelta(hours=2)


def _check_text(language: str, text: dict) -> dict:
    if language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    title = (text.get("title") or "").strip()
    summary = (text.get("summary") or "").strip()
    body = sanitise(text.get("body") or "")
    if not title or not summary or not body:
        raise CommunicationsError(_("A title, a summary and a text are required."))
    return {"title": title[:300], "summary": summary, "body": body}


def _check_fields(fields: dict) -> dict:
    if fields.get("category") not in NewsPost.Category.values:
        raise CommunicationsError(_("Choose a category."))
    published_at, embargo = fields.get("published_at"), fields.get("embargo_until")
    if published_at and embargo and embargo < published_at:
        raise CommunicationsError(_("The embargo ends before the publication date."))
    return {
        "category": fields["category"],
        "published_at": published_at,
        "embargo_until": embargo,
        "image_alt": (fields.get("image_alt") or "").strip()[:300],
    }


@transaction.atomic
def create_post(network, *, by, original_language: str, text: dict, **fields) -> NewsPost:
    """A draft post with its original text."""
    if not can_manage_communications(by, network):
        raise CommunicationsError(_("Only the network's staff may write its news."))
    checked = _check_text(original_language, text)
    post = NewsPost.objects.create(
        network=network,
        original_language=original_language,
        created_by=by,
        **_check_fields(fields),
    )
    NewsTranslation.objects.create(
        post=post, language=original_language, origin=NewsTranslation.Origin.ORIGINAL, **checked
    )
    log_action(post, "communications.news.created", user=by)
    return post


@transaction.atomic
def update_post(post: NewsPost, *, by, text: dict, **fields) -> NewsPost:
    """Change the post's settings and its original text; a public post is re-indexed."""
    if not can_manage_communications(by, post.network):
        raise CommunicationsError(_("Only the network's staff may write its news."))
    checked = _check_text(post.original_language, text)
    for name, value in _check_fields(fields).items():
        setattr(post, name, value)
    post.save()
    NewsTranslation.objects.update_or_create(
        post=post, language=post.original_language, defaults=checked
    )
    log_action(post, "communications.news.updated", user=by)
    index_object(post)
    return post


@transaction.atomic
def add_news_translation(
    post: NewsPost, *, by, language: str, text: dict, origin: str = "human"
) -> NewsTranslation:
    """Add or replace the text in one more language."""
    if not can_manage_communications(by, post.network):
        raise CommunicationsError(_("Only the network's staff may write its news."))
    if language == post.original_language:
        raise CommunicationsError(_("Edit the original text in the post's form."))
    if origin not in (NewsTranslation.Origin.HUMAN, NewsTranslation.Origin.MACHINE):
        raise CommunicationsError(_("Say whether the translation is human or machine-made."))
    translation, _created = NewsTranslation.objects.update_or_create(
        post=post, language=language, defaults={**_check_text(language, text), "origin": origin}
    )
    log_action(post, "communications.news.translated", user=by, data={"language": language})
    index_object(post)
    return translation


@transaction.atomic
def publish_post(post: NewsPost, *, by, published: bool = True) -> NewsPost:
    """Publish (or withdraw) a post. Without a date it is dated now; an embargo still holds."""
    if not can_manage_communications(by, post.network):
        raise CommunicationsError(_("Only the network's staff may publish its news."))
    post.status = NewsPost.Status.PUBLISHED if published else NewsPost.Status.DRAFT
    if published and post.published_at is None:
        post.published_at = timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    log_action(
        post,
        "communications.news.published" if published else "communications.news.withdrawn",
        user=by,
    )
    index_object(post)  # indexed only once public; withdrawn, taken out
    return post


def set_post_image(post: NewsPost, upload, *, by) -> NewsPost:
    """Check the image from its content (PNG, JPEG, GIF, WebP) and store it under a random name."""
    if not can_manage_communications(by, post.network):
        raise CommunicationsError(_("Only the network's staff may write its news."))
    try:
        data = uploads.read_checked(upload, settings.MUNICIPIA_ATTACHMENT_MAX_BYTES)
    except uploads.UploadRejected as error:
        raise CommunicationsError(str(error)) from error
    try:
        file_type = uploads.sniff(data)
    except uploads.UploadRejected as error:
        raise CommunicationsError(_("Choose an image: PNG, JPEG, GIF or WebP.")) from error
    if file_type not in IMAGE_TYPES:
        raise CommunicationsError(_("Choose an image: PNG, JPEG, GIF or WebP."))
    old = post.image.name
    with transaction.atomic():
        post.image.save(uploads.stored_name(file_type), ContentFile(data), save=False)
        post.save(update_fields=["image", "updated_at"])
        log_action(post, "communications.news.image", user=by)
    if old:
        post.image.storage.delete(old)
    return post


def index_released_news(now=None) -> int:
    """Index the posts whose publication date or embargo has just passed; return how many.

    Idempotent: indexing a post again rewrites its documents.
    """
    now = now or timezone.now()
    recent = now - RELEASE_WINDOW
    released = NewsPost.objects.public(now).filter(
        published_at__gte=recent
    ) | NewsPost.objects.public(now).filter(embargo_until__gte=recent)
    count = 0
    for post in released.distinct():
        index_object(post)
        count += 1
    return count
