"""RSS and Atom feeds of a public plan's progress updates (Django's syndication framework)."""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.feeds import SyndicationFeed, atom_of
from municipia.plans.models import Plan, ProgressUpdate
from municipia.plans.permissions import get_plan_for_view


class PlanUpdatesFeed(SyndicationFeed):
    guid_prefix = "plans-update"

    def get_object(self, request, slug):
        plan = get_plan_for_view(request.user, slug)
        if not plan.is_published:
            raise Http404  # feeds are for published plans only, even for their staff
        return plan

    def title(self, plan: Plan) -> str:
        return _("%(plan)s: progress updates") % {"plan": plan.display_title}

    def link(self, plan: Plan) -> str:
        return plan.get_absolute_url()

    def description(self, plan: Plan) -> str:
        return _("What %(owner)s reports on its plan “%(plan)s”.") % {
            "owner": plan.owner,
            "plan": plan.display_title,
        }

    def items(self, plan: Plan):
        return (
            ProgressUpdate.objects.filter(activity__objective__plan=plan)
            .select_related("activity__objective__plan")
            .order_by("-reported_on", "-pk")[:50]
        )

    def item_title(self, item: ProgressUpdate) -> str:
        activity = item.activity.description
        short = activity if len(activity) <= 90 else activity[:89] + "…"
        return f"{item.percentage} % · {short}"

    def item_description(self, item: ProgressUpdate) -> str:
        return item.text

    def item_link(self, item: ProgressUpdate) -> str:
        # The plan's page opens its branches on demand: link to the activity's own branch.
        branch_url = reverse(
            "plans:plan-branch",
            args=[item.activity.objective.plan.slug, "objective", item.activity.objective_id],
        )
        return f"{branch_url}#activity-{item.activity_id}"

    def item_pubdate(self, item: ProgressUpdate) -> datetime.datetime:
        return datetime.datetime.combine(item.reported_on, datetime.time(12), tzinfo=datetime.UTC)

    def item_updateddate(self, item: ProgressUpdate) -> datetime.datetime:
        return item.updated_at or timezone.now()


PlanUpdatesAtomFeed = atom_of(PlanUpdatesFeed)
