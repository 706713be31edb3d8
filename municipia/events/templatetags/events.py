from django import template
from django.utils import timezone

from municipia.events.models import Event

register = template.Library()

SHOWN = 5


@register.simple_tag
def network_events(network, user):
    """The network's (and its sub-networks') coming events that `user` may see: two queries."""
    return list(
        Event.objects.visible_to(user)
        .exclude(status=Event.Status.DRAFT)
        .for_network(network)
        .filter(ends_at__gte=timezone.now())
        .select_related("host_city")
        .prefetch_related("translations")
        .order_by("starts_at", "pk")[:SHOWN]
    )
