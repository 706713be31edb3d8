"""What personal data puts on "my work": the secretariat's queue of requests."""

from django.utils.translation import gettext_lazy

from municipia.core import workspace
from municipia.privacy.permissions import can_handle_requests

workspace.link(
    workspace.STAFF,
    "privacy:queue",
    gettext_lazy("Personal data requests"),
    when=can_handle_requests,
    order=90,
)
