"""Background work of plans: keeping a plan's activities in search in step with the plan."""

from celery import shared_task

from municipia.plans.documents import LABEL
from municipia.plans.models import Activity
from municipia.search import services as search


@shared_task(name="municipia.plans.tasks.index_plan_activities")
def index_plan_activities(*, pk: int) -> int:
    """Write the search documents of the plan's activities while the public may read the plan,
    or take them out of search. Idempotent: it writes the activities' current state."""
    pks = list(Activity.objects.filter(objective__plan_id=pk).values_list("pk", flat=True))
    return search.reindex_objects(LABEL, pks)
