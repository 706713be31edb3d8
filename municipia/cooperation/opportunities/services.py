"""Business actions on funding opportunities: create, change, translate and delete them (a
network's staff), follow and unfollow themes (officers), and the one-click unsubscribe.

Every function checks everything first and writes in one transaction, so a refusal
(`CooperationError`, a translated sentence) leaves the database as it was. After a change the
opportunity is indexed for search and its matches are computed again, once the transaction commits.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.cooperation.models import ZERO
from municipia.cooperation.opportunities.models import (
    ApplicantKind,
    Opportunity,
    OpportunityTranslation,
    ThemeFollow,
)
from municipia.cooperation.services import CooperationError, _currency, _decimal
from municipia.core.background import enqueue
from municipia.core.log import log_action
from municipia.core.zones import available_zones
from municipia.directory.models import region_name
from municipia.finance.currencies import quantize
from municipia.search.services import index_object

LANGUAGES = {code for code, _name in settings.LANGUAGES}
HUNDRED = Decimal(100)
# Every field a change may carry; the many-to-many ones are set after the row.
FIELDS = (
    "funder",
    "programme",
    "deadline",
    "time_zone",
    "applicant_kinds",
    "regions",
    "cofinancing_rate",
    "currency",
    "amount_min",
    "amount_max",
    "url",
    "is_published",
)
RELATIONS = ("countries", "themes", "sdg_targets")
UNSUBSCRIBE_SALT = "cooperation.opportunities.unsubscribe"


def check_language(code: str) -> str:
    code = (code or "").strip().lower()
    if code not in LANGUAGES:
        raise CooperationError(_("“%(code)s” is not a language of the site.") % {"code": code})
    return code


def check_text(title: str, summary: str) -> tuple[str, str]:
    title, summary = (title or "").strip(), (summary or "").strip()
    if not title:
        raise CooperationError(_("Give the opportunity a title."))
    if len(title) > 300:
        raise CooperationError(_("The title is longer than 300 characters."))
    if not summary:
        raise CooperationError(_("Describe the opportunity."))
    return title, summary


def _optional_money(value, currency: str, not_a_number: str, not_positive: str):
    if value in (None, ""):
        return None
    amount = _decimal(value, not_a_number)
    if amount <= ZERO:
        raise CooperationError(not_positive)
    if currency and amount != quantize(amount, currency):
        raise CooperationError(
            _("The amount has too many decimal places for %(currency)s.") % {"currency": currency}
        )
    return amount


def check_values(values: dict, *, creating: bool, now=None) -> dict:
    """`values` checked and normalised: raises `CooperationError` at the first problem."""
    now = now or timezone.now()
    clean = dict(values)
    if creating:
        clean.setdefault("currency", "")
    if "programme" in clean:
        clean["programme"] = (clean["programme"] or "").strip()
        if not clean["programme"]:
            raise CooperationError(_("Name the funder's programme."))
    if "time_zone" in clean:
        clean["time_zone"] = (clean["time_zone"] or "UTC").strip()
        if clean["time_zone"] not in available_zones():
            raise CooperationError(
                _("%(value)s is not a known time zone.") % {"value": clean["time_zone"]}
            )
    if "deadline" in clean:
        deadline = clean["deadline"]
        if not isinstance(deadline, datetime.datetime) or timezone.is_naive(deadline):
            raise CooperationError(_("Give the deadline as a date and a time in a time zone."))
        if deadline <= now:
            raise CooperationError(_("The deadline has already passed."))
    if "cofinancing_rate" in clean and clean["cofinancing_rate"] not in (None, ""):
        rate = _decimal(clean["cofinancing_rate"], _("The co-financing rate must be a number."))
        if not ZERO <= rate <= HUNDRED:
            raise CooperationError(_("The co-financing rate must be between 0 and 100 per cent."))
        clean["cofinancing_rate"] = rate.quantize(Decimal("0.01"))
    elif "cofinancing_rate" in clean:
        clean["cofinancing_rate"] = None
    if "currency" in clean:
        clean["currency"] = _currency(clean["currency"]) if clean["currency"] else ""
    currency = clean.get("currency", "")
    messages = {
        "amount_min": (
            _("The smallest grant must be a number."),
            _("The smallest grant must be greater than zero."),
        ),
        "amount_max": (
            _("The largest grant must be a number."),
            _("The largest grant must be greater than zero."),
        ),
    }
    for name, (not_a_number, not_positive) in messages.items():
        if name in clean:
            clean[name] = _optional_money(clean[name], currency, not_a_number, not_positive)
    low, high = clean.get("amount_min"), clean.get("amount_max")
    if (low is not None or high is not None) and "currency" in clean and not currency:
        raise CooperationError(_("Give the currency of the amounts."))
    if low is not None and high is not None and low > high:
        raise CooperationError(_("The smallest grant is larger than the largest."))
    if "applicant_kinds" in clean:
        kinds = list(dict.fromkeys(clean["applicant_kinds"] or []))
        unknown = [kind for kind in kinds if kind not in ApplicantKind.values]
        if unknown:
            raise CooperationError(
                _("“%(kind)s” is not a kind of applicant.") % {"kind": unknown[0]}
            )
        clean["applicant_kinds"] = kinds
    if "regions" in clean:
        regions = list(dict.fromkeys(str(code).strip().zfill(3) for code in clean["regions"] or []))
        unknown = [code for code in regions if region_name(code, "en") == code]
        if unknown:
            raise CooperationError(
                _("“%(code)s” is not a UN M49 region code.") % {"code": unknown[0]}
            )
        clean["regions"] = regions
    if creating:
        for required in ("funder", "programme", "deadline"):
            if not clean.get(required):
                raise CooperationError(_("Name the funder, the programme and the deadline."))
    return clean


def _check_relations(network, relations: dict) -> None:
    themes = relations.get("themes")
    if themes and any(theme.network_id != network.pk for theme in themes):
        raise CooperationError(_("Choose themes of the network that keeps the opportunity."))


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:100] or "opportunity"
    candidate, n = slug, 2
    while Opportunity.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def after_change(opportunity: Opportunity) -> None:
    from municipia.cooperation.opportunities import tasks  # tasks imports this module

    index_object(opportunity)
    enqueue(tasks.match_opportunity, pk=opportunity.pk)


@transaction.atomic
def create_opportunity(
    network, *, language: str, title: str, summary: str, by=None, now=None, **values
) -> Opportunity:
    language = check_language(language)
    title, summary = check_text(title, summary)
    relations = {name: list(values.pop(name)) for name in RELATIONS if name in values}
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    clean = check_values(values, creating=True, now=now)
    _check_relations(network, relations)
    opportunity = Opportunity.objects.create(
        network=network,
        slug=_unique_slug(title),
        original_language=language,
        created_by=by if by is not None and by.is_authenticated else None,
        **clean,
    )
    OpportunityTranslation.objects.create(
        opportunity=opportunity, language=language, title=title, summary=summary
    )
    for name, items in relations.items():
        getattr(opportunity, name).set(items)
    log_action(opportunity, "opportunity.created", user=by)
    after_change(opportunity)
    return opportunity


@transaction.atomic
def update_opportunity(
    opportunity: Opportunity, *, by=None, title=None, summary=None, now=None, **values
) -> Opportunity:
    """Change the given fields (and the original text when `title` or `summary` is given). A
    deadline moved into the past is refused like a new one."""
    relations = {name: list(values.pop(name)) for name in RELATIONS if name in values}
    if "deadline" in values and values["deadline"] == opportunity.deadline:
        values.pop("deadline")
    merged = {
        field: values.get(field, getattr(opportunity, field))
        for field in ("currency", "amount_min", "amount_max")
    }
    clean = check_values({**values, **merged}, creating=False, now=now)
    _check_relations(opportunity.network, relations)
    if title is not None or summary is not None:
        original = opportunity.text(opportunity.original_language)
        new_title, new_summary = check_text(
            title if title is not None else (original.title if original else ""),
            summary if summary is not None else (original.summary if original else ""),
        )
        OpportunityTranslation.objects.update_or_create(
            opportunity=opportunity,
            language=opportunity.original_language,
            defaults={"title": new_title, "summary": new_summary},
        )
    for field, value in clean.items():
        setattr(opportunity, field, value)
    opportunity.save()
    for name, items in relations.items():
        getattr(opportunity, name).set(items)
    log_action(opportunity, "opportunity.updated", user=by)
    after_change(opportunity)
    return opportunity


@transaction.atomic
def translate_opportunity(
    opportunity: Opportunity, *, language: str, title: str, summary: str, by=None
) -> OpportunityTranslation:
    language = check_language(language)
    title, summary = check_text(title, summary)
    text, _created = OpportunityTranslation.objects.update_or_create(
        opportunity=opportunity, language=language, defaults={"title": title, "summary": summary}
    )
    log_action(opportunity, "opportunity.translated", user=by, data={"language": language})
    after_change(opportunity)
    return text


@transaction.atomic
def delete_opportunity(opportunity: Opportunity, *, by=None) -> None:
    from municipia.search import tasks as search_tasks

    pk = opportunity.pk
    log_action(opportunity.network, "opportunity.deleted", user=by, data={"slug": opportunity.slug})
    opportunity.delete()
    # The search entry goes once the deletion commits (reindexing a missing object removes it).
    enqueue(search_tasks.reindex_object, label="cooperation.opportunity", pk=pk)


# --- Following themes -----------------------------------------------------------------------------


def follow_theme(user, theme) -> ThemeFollow:
    follow, _created = ThemeFollow.objects.get_or_create(user=user, theme=theme)
    return follow


def unfollow_theme(user, theme) -> int:
    deleted, _rows = ThemeFollow.objects.filter(user=user, theme=theme).delete()
    return deleted


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_by_token(token: str) -> int:
    """Stop every digest of the person the signed `token` names; how many themes they followed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise CooperationError(_("This unsubscribe link is not valid.")) from error
    deleted, _rows = ThemeFollow.objects.filter(user_id=data.get("u")).delete()
    return deleted
