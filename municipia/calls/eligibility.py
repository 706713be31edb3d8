"""Who may apply to a call: the call's rules checked for one local government or organisation."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls.models import Application, Call
from municipia.directory.models import Membership
from municipia.finance.standing import is_in_good_standing


def eligibility_problems(
    call: Call,
    *,
    local_government=None,
    organisation=None,
    on: datetime.date | None = None,
    ignore: Application | None = None,
) -> list[str]:
    """The reasons `call` does not accept an application from this member; empty when it does.

    `ignore` is the application being checked, so that it does not count against itself under the
    one-application-per-member rule.
    """
    member = local_government or organisation
    if member is None:
        raise ValueError("name the applicant: a local government or an organisation")
    on = on or timezone.localdate()
    found = []
    if local_government is not None and call.applicants == Call.Applicants.ORGANISATIONS:
        found.append(_("This call is open to organisations only."))
    if organisation is not None and call.applicants == Call.Applicants.LOCAL_GOVERNMENTS:
        found.append(_("This call is open to local governments only."))

    membership = (
        Membership.objects.filter(
            network=call.network, local_government=local_government, organisation=organisation
        )
        .only("category", "status")
        .first()
    )
    if call.requires_good_standing and not is_in_good_standing(
        call.network, local_government=local_government, organisation=organisation, on=on
    ):
        found.append(
            _("%(member)s is not a member in good standing of %(network)s.")
            % {"member": member, "network": call.network}
        )
    if call.categories and (membership is None or membership.category not in call.categories):
        allowed = ", ".join(str(Membership.Category(c).label) for c in call.categories)
        found.append(_("This call is open to these membership categories: %(c)s.") % {"c": allowed})

    countries = {c.pk for c in call.countries.all()}
    if countries and member.country_id not in countries:
        found.append(_("This call is not open to members from this country."))

    if call.min_population is not None or call.max_population is not None:
        population = getattr(local_government, "population", None)
        if population is None:
            found.append(_("This call depends on population, and none is recorded for the member."))
        elif call.min_population is not None and population < call.min_population:
            found.append(
                _("This call is for places of at least %(n)s inhabitants.")
                % {"n": f"{call.min_population:,}"}
            )
        elif call.max_population is not None and population > call.max_population:
            found.append(
                _("This call is for places of at most %(n)s inhabitants.")
                % {"n": f"{call.max_population:,}"}
            )

    if call.one_per_member:
        others = Application.objects.for_call(call).active()
        others = others.filter(local_government=local_government, organisation=organisation)
        if ignore is not None:
            others = others.exclude(pk=ignore.pk)
        if others.exists():
            found.append(_("%(member)s has already applied to this call.") % {"member": member})
    return found
