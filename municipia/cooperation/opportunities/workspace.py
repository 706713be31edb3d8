"""What funding opportunities put on "my work": for a city's officers, the open opportunities that
match their city's work (the page `cooperation:opportunity-mine` lists them with the reasons); for
the secretariat, a link to the list they keep."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.permissions import works_for_a_secretariat
from municipia.cooperation.opportunities.permissions import officer_city_ids
from municipia.cooperation.opportunities.queries import matches_for_cities
from municipia.core import workspace

SHOWN = 6

workspace.link(
    workspace.STAFF,
    "cooperation:opportunity-list",
    gettext_lazy("Funding opportunities"),
    when=works_for_a_secretariat,
    order=45,
)
workspace.link(
    workspace.OFFICER,
    "cooperation:opportunity-mine",
    gettext_lazy("Funding for your city"),
    when=lambda user: bool(officer_city_ids(user)),
    order=45,
)


@workspace.section(role=workspace.OFFICER, order=65)
def funding_for_your_city(request):
    cities = officer_city_ids(request.user)
    if not cities:
        return None
    groups = matches_for_cities(cities, timezone.now())
    entries = [
        workspace.Entry(
            opportunity.title,
            opportunity.get_absolute_url(),
            len(matches),
            detail=opportunity.funder.name,
            when=opportunity.deadline,
            zone=opportunity.time_zone,
        )
        for opportunity, matches in groups[:SHOWN]
    ]
    return workspace.Section(
        title=_("Funding opportunities for your city"),
        entries=entries,
        empty=_("No open funding opportunity matches your city's work yet."),
        more_url=reverse("cooperation:opportunity-mine"),
        more_label=_("Your funding opportunities and the themes you follow"),
    )
