from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "municipia.calls"
    verbose_name = _("Calls and juries")
    navigation = [("network", "calls:call-list", _("Calls"))]
    # Applications, juries and reviews: written as applicants type and jurors score, shown to no
    # page for the public (the results page counts submissions and says so: extra_scopes).
    cache_private_models = [
        "Application",
        "ApplicationFile",
        "OrganisationRepresentative",
        "JuryMember",
        "Conflict",
        "Assignment",
        "Review",
        "Score",
        "Deliberation",
        "Deliberation_attendees",
    ]
