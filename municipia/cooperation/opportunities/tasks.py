"""Background work of funding opportunities: matching after a change, the daily digest and the
daily removal from search of opportunities whose deadline has passed. Each is idempotent."""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from municipia.cooperation.opportunities import digest, matching
from municipia.cooperation.opportunities.documents import LABEL
from municipia.cooperation.opportunities.models import Opportunity
from municipia.search import services as search

logger = logging.getLogger(__name__)


@shared_task(name="municipia.cooperation.opportunities.tasks.match_opportunity")
def match_opportunity(*, pk: int) -> int:
    """Index the opportunity (its matches are found through its entry), then store its matches
    again. Idempotent: both steps rewrite what they write."""
    opportunity = Opportunity.objects.filter(pk=pk).prefetch_related("countries").first()
    if opportunity is None:
        return 0
    search.reindex_object(LABEL, pk)
    return matching.compute_matches(opportunity)


@shared_task(name="municipia.cooperation.opportunities.tasks.send_opportunity_digests")
def send_opportunity_digests() -> dict:
    """Daily: the digest of new matching opportunities (each sent once to each person)."""
    result = digest.send_digests()
    logger.info(
        "Opportunity digests: %s people, %s opportunities", result.people, result.opportunities
    )
    return {"people": result.people, "opportunities": result.opportunities}


@shared_task(name="municipia.cooperation.opportunities.tasks.close_passed_opportunities")
def close_passed_opportunities() -> int:
    """Daily: take out of search, and drop the matches of, opportunities closed in the last days."""
    now = timezone.now()
    passed = list(
        Opportunity.objects.filter(
            deadline__lte=now, deadline__gt=now - datetime.timedelta(days=3)
        ).values_list("pk", flat=True)
    )
    for pk in passed:
        search.reindex_object(LABEL, pk)
    matching.OpportunityMatch.objects.filter(opportunity_id__in=passed).delete()
    return len(passed)
