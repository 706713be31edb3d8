"""Campaigns: their pages, member cities' activities, the kit, the declaration and the exhibition.

The declaration is drafted in the open with the plans' consultation: its draft is a plan of the
campaign's network whose objectives are the draft's articles, so members comment, propose and
support exactly as on a plan, and staff answer. Its final text is then published per language.
"""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.communications.models import (
    Campaign,
    CampaignActivity,
    CampaignMaterial,
    CampaignTranslation,
    ExhibitionStop,
)
from municipia.communications.permissions import (
    can_manage_communications,
    can_register_activity,
)
from municipia.communications.services import CommunicationsError
from municipia.core import uploads
from municipia.core.log import log_action
from municipia.plans import services as plans
from municipia.plans.models import Plan
from municipia.plans.services import PlanError

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _check_manager(by, network) -> None:
    if not can_manage_communications(by, network):
        raise CommunicationsError(_("Only the network's staff may run its campaigns."))


def _check_campaign_text(language: str, text: dict) -> dict:
    if language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    checked = {name: (text.get(name) or "").strip() for name in ("name", "slogan", "body")}
    if not all(checked.values()):
        raise CommunicationsError(_("A name, a slogan and a presentation are required."))
    checked["name"], checked["slogan"] = checked["name"][:200], checked["slogan"][:300]
    return checked


@transaction.atomic
def create_campaign(
    network, *, by, slug: str, original_language: str, starts_on, ends_on, text: dict
) -> Campaign:
    _check_manager(by, network)
    if ends_on < starts_on:
        raise CommunicationsError(_("The campaign ends before it starts."))
    if Campaign.objects.filter(slug=slug).exists():
        raise CommunicationsError(_("Another campaign already has this address."))
    checked = _check_campaign_text(original_language, text)
    campaign = Campaign.objects.create(
        network=network,
        slug=slug,
        original_language=original_language,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    CampaignTranslation.objects.create(campaign=campaign, language=original_language, **checked)
    log_action(campaign, "communications.campaign.created", user=by)
    return campaign


@transaction.atomic
def set_campaign_text(campaign: Campaign, *, by, language: str, text: dict) -> CampaignTranslation:
    """Write the campaign's page in one language (the original or a translation)."""
    _check_manager(by, campaign.network)
    row, _created = CampaignTranslation.objects.update_or_create(
        campaign=campaign, language=language, defaults=_check_campaign_text(language, text)
    )
    log_action(campaign, "communications.campaign.text", user=by, data={"language": language})
    return row


@transaction.atomic
def publish_campaign(campaign: Campaign, *, by, published: bool = True) -> Campaign:
    _check_manager(by, campaign.network)
    campaign.is_published = published
    campaign.save(update_fields=["is_published", "updated_at"])
    log_action(campaign, "communications.campaign.published", user=by, data={"on": published})
    return campaign


@transaction.atomic
def register_activity(
    campaign: Campaign,
    *,
    by,
    city,
    title: str,
    description: str,
    happens_on: datetime.date,
    venue: str = "",
    link: str = "",
) -> CampaignActivity:
    """A member city's officer registers what the city does for the campaign."""
    if not can_register_activity(by, campaign, city):
        raise CommunicationsError(
            _("Only the officers of a member local government may register its activities.")
        )
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise CommunicationsError(_("A title and a description are required."))
    if happens_on is None:
        raise CommunicationsError(_("Give the activity's date."))
    activity = CampaignActivity.objects.create(
        campaign=campaign,
        city=city,
        title=title[:300],
        description=description,
        happens_on=happens_on,
        venue=(venue or "").strip()[:300],
        link=link or "",
        created_by=by,
    )
    log_action(activity, "communications.activity.registered", user=by)
    return activity


def add_material(campaign: Campaign, upload, *, by, kind: str, title: str, language: str = ""):
    """Add a file to the campaign's kit, checked from its content and stored under a random name."""
    _check_manager(by, campaign.network)
    if kind not in CampaignMaterial.Kind.values:
        raise CommunicationsError(_("Choose the kind of material."))
    if language and language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    if not (title or "").strip():
        raise CommunicationsError(_("Give the material a title."))
    try:
        data = uploads.read_checked(upload, settings.MUNICIPIA_ATTACHMENT_MAX_BYTES)
        file_type = uploads.sniff(data)
    except uploads.UploadRejected as error:
        raise CommunicationsError(str(error)) from error
    with transaction.atomic():
        material = CampaignMaterial(
            campaign=campaign,
            kind=kind,
            language=language,
            title=title.strip()[:200],
            original_name=uploads.display_name(upload.name or ""),
            content_type=file_type.content_type,
            size=len(data),
        )
        material.file.save(uploads.stored_name(file_type), ContentFile(data), save=False)
        try:
            material.save()
        except Exception:
            material.file.delete(save=False)
            raise
        log_action(campaign, "communications.material.added", user=by, data={"pk": material.pk})
    return material


@transaction.atomic
def add_exhibition_stop(
    campaign: Campaign, *, by, venue: str, city, opens_on, closes_on
) -> ExhibitionStop:
    _check_manager(by, campaign.network)
    if not (venue or "").strip():
        raise CommunicationsError(_("Name the venue."))
    if city is None:
        raise CommunicationsError(_("Choose the local government."))
    if opens_on is None or closes_on is None:
        raise CommunicationsError(_("Give the dates the exhibition opens and closes."))
    if closes_on < opens_on:
        raise CommunicationsError(_("The exhibition closes before it opens."))
    stop = ExhibitionStop.objects.create(
        campaign=campaign,
        venue=venue.strip()[:300],
        city=city,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    log_action(campaign, "communications.exhibition.stop", user=by, data={"pk": stop.pk})
    return stop


def remove_material(campaign: Campaign, material_pk: int, *, by) -> None:
    """Take a file out of the kit; the stored file goes once the removal is committed."""
    _check_manager(by, campaign.network)
    with transaction.atomic():
        material = CampaignMaterial.objects.filter(campaign=campaign, pk=material_pk).first()
        if material is None:
            raise CommunicationsError(_("This material is not in the campaign's kit."))
        stored = material.file
        material.delete()
        log_action(campaign, "communications.material.removed", user=by, data={"pk": material_pk})
        transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def remove_exhibition_stop(campaign: Campaign, stop_pk: int, *, by) -> None:
    _check_manager(by, campaign.network)
    deleted, _rows = ExhibitionStop.objects.filter(campaign=campaign, pk=stop_pk).delete()
    if not deleted:
        raise CommunicationsError(_("This stop is not on the exhibition's itinerary."))
    log_action(campaign, "communications.exhibition.removed", user=by, data={"pk": stop_pk})


def exhibition_cities(campaign: Campaign) -> list:
    """Where the exhibition may stop: the active member local governments of the network."""
    from municipia.directory.models import Membership

    members = Membership.objects.active().filter(network=campaign.network)
    cities = {m.local_government for m in members.select_related("local_government")}
    return sorted(cities, key=lambda city: str(city))


@transaction.atomic
def draft_declaration(
    campaign: Campaign, *, by, title: str, articles: list[str], closes_at: datetime.datetime
) -> Plan:
    """Open the declaration's draft to members' comments: a plan of the campaign's network, one
    objective per article, in consultation until `closes_at`."""
    _check_manager(by, campaign.network)
    if campaign.declaration_draft_id is not None:
        raise CommunicationsError(_("The declaration already has a draft in consultation."))
    articles = [a.strip() for a in articles if a and a.strip()]
    if not (title or "").strip() or not articles:
        raise CommunicationsError(_("Give the draft a title and at least one article."))
    try:
        draft = plans.create_plan(
            by=by,
            title=title.strip(),
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            languages=[campaign.original_language],
            kind=Plan.Kind.STRATEGY,
            network=campaign.network,
        )
        for article in articles:
            plans.add_objective(draft, by=by, title=article)
        plans.open_consultation(draft, by=by, closes_at=closes_at)
    except PlanError as error:
        raise CommunicationsError(str(error)) from error
    campaign.declaration_draft = draft
    campaign.save(update_fields=["declaration_draft", "updated_at"])
    log_action(campaign, "communications.declaration.drafted", user=by, data={"plan": draft.pk})
    return draft


@transaction.atomic
def publish_declaration(campaign: Campaign, *, by, texts: dict[str, str]) -> Campaign:
    """Publish the declaration's final text, per language, once its consultation has closed."""
    _check_manager(by, campaign.network)
    draft = campaign.declaration_draft
    if draft is not None and draft.is_consultation_open:
        raise CommunicationsError(_("Publish the declaration once its consultation has closed."))
    texts = {language: (text or "").strip() for language, text in texts.items()}
    texts = {language: text for language, text in texts.items() if text}
    if not texts or any(language not in LANGUAGE_CODES for language in texts):
        raise CommunicationsError(_("Give the declaration's final text."))
    rows = {row.language: row for row in campaign.translations.all()}
    missing = sorted(set(texts) - set(rows))
    if missing:
        raise CommunicationsError(
            _("Write the campaign's page in %(languages)s before its declaration.")
            % {"languages": ", ".join(missing)}
        )
    for language, text in texts.items():
        rows[language].declaration = text
        rows[language].save(update_fields=["declaration"])
    campaign.declaration_published_at = timezone.now()
    campaign.save(update_fields=["declaration_published_at", "updated_at"])
    log_action(campaign, "communications.declaration.published", user=by)
    return campaign
