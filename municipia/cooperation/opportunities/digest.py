"""The e-mail digest of new funding opportunities for the officers who follow their themes.

A person is written to when they follow a theme of an open, published opportunity that one of the
cities they are an officer of may apply to (a member of its network, of an eligible kind, in an
eligible country or region) and that they were not sent before. Each person gets one e-mail with
all their new opportunities, in their own language, the deadline on the opportunity's clock and
theirs, and a signed one-click unsubscribe link (`List-Unsubscribe`, RFC 8058).

People are handled in batches of a few queries each. The deliveries of a person are recorded in the
same transaction as their e-mail is handed over, so a run that starts again (a worker that died)
never sends an opportunity twice to anyone: `DigestDelivery` is unique per person and opportunity.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from municipia.accounts.models import Role
from municipia.cooperation.opportunities.matching import eligibility
from municipia.cooperation.opportunities.models import (
    DigestDelivery,
    Opportunity,
    ThemeFollow,
)
from municipia.cooperation.opportunities.services import unsubscribe_token
from municipia.directory.models import LocalGovernment, Membership

BATCH = 200


@dataclass
class DigestResult:
    people: int = 0
    sent: int = 0
    opportunities: int = 0


def _followers():
    return (
        ThemeFollow.objects.filter(user__is_active=True, user__roles__kind=Role.Kind.CITY_OFFICER)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def send_digests(*, batch_size: int = BATCH, now=None) -> DigestResult:
    now = now or timezone.now()
    result = DigestResult()
    last = 0
    while True:
        ids = list(_followers().filter(user_id__gt=last)[:batch_size])
        if not ids:
            return result
        last = ids[-1]
        _send_batch(ids, now, result)


def _send_batch(user_ids: list[int], now, result: DigestResult) -> None:
    users = get_user_model().objects.in_bulk(user_ids)
    themes = defaultdict(set)
    for user_id, theme_id in ThemeFollow.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "theme_id"
    ):
        themes[user_id].add(theme_id)
    cities = defaultdict(set)
    for user_id, city_id in Role.objects.filter(
        user_id__in=user_ids, kind=Role.Kind.CITY_OFFICER, local_government__isnull=False
    ).values_list("user_id", "local_government_id"):
        cities[user_id].add(city_id)
    all_themes = set().union(*themes.values())
    opportunities = list(
        Opportunity.objects.public()
        .open(now)
        .filter(themes__in=all_themes)
        .distinct()
        .select_related("funder", "network")
        .prefetch_related("countries", "translations", "themes")
        .order_by("deadline", "pk")
    )
    if not opportunities:
        return
    sent = set(
        DigestDelivery.objects.filter(
            user_id__in=user_ids, opportunity__in=opportunities
        ).values_list("user_id", "opportunity_id")
    )
    all_cities = set().union(*cities.values())
    places = LocalGovernment.objects.select_related("country").in_bulk(all_cities)
    members = defaultdict(set)
    for network_id, city_id in (
        Membership.objects.active()
        .filter(
            local_government_id__in=all_cities, network__in={o.network_id for o in opportunities}
        )
        .values_list("network_id", "local_government_id")
    ):
        members[network_id].add(city_id)
    for user_id in user_ids:
        user = users.get(user_id)
        if user is None or not user.email:
            continue
        wanted = [
            opportunity
            for opportunity in opportunities
            if (user_id, opportunity.pk) not in sent
            and {t.pk for t in opportunity.themes.all()} & themes[user_id]
            and any(
                eligibility(opportunity, places[city], members[opportunity.network_id])
                for city in cities[user_id]
                if city in places
            )
        ]
        if wanted:
            _send(user, wanted)
            result.people += 1
            result.opportunities += len(wanted)
        result.sent += bool(wanted)


@transaction.atomic
def _send(user, opportunities: list[Opportunity]) -> None:
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(user=user, opportunity=o) for o in opportunities], ignore_conflicts=True
    )
    site_url = settings.MUNICIPIA_SITE_URL.rstrip("/")
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        unsubscribe = site_url + reverse(
            "cooperation:opportunity-unsubscribe", args=[unsubscribe_token(user)]
        )
        context = {
            "user": user,
            "opportunities": opportunities,
            "language": language,
            "site_name": settings.MUNICIPIA_SITE_NAME,
            "site_url": site_url,
            "unsubscribe_url": unsubscribe,
        }
        subject = render_to_string("cooperation/email/opportunity_digest_subject.txt", context)
        body = render_to_string("cooperation/email/opportunity_digest.txt", context)
    message = EmailMessage(
        " ".join(subject.split()),
        body,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
