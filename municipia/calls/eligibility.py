"""Who may apply to a call: the call's rules checked for local governments and organisations.

This module is the one place the rules live. The apply page asks it which of the user's members to
offer (and why the others are not offered), and the services ask it before opening a draft and again
before submitting, so a member is never offered what would then be refused.
"""

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.calls.models import Application, Call
from municipia.directory.models import LocalGovernment, Membership
from municipia.finance.standing import members_in_good_standing


def member_key(member) -> tuple[int | None, int | None]:
    if isinstance(member, LocalGovernment):
        return (member.pk, None)
    return (None, member.pk)


def _members_filter(keys, prefix: str = "") -> Q:
    lgs = [lg for lg, _org in keys if lg is not None]
    orgs = [org for _lg, org in keys if org is not None]
    return Q(**{f"{prefix}local_government_id__in": lgs}) | Q(
        **{f"{prefix}organisation_id__in": orgs}
    )


def eligibility_by_member(
    call: Call,
    members: Sequence,
    *,
    on: datetime.date | None = None,
    ignore: Application | None = None,
) -> dict[tuple[int | None, int | None], list[str]]:
    """For each member, the reasons `call` does not accept its application (empty when it does).

    Keys are (local government id, organisation id). A fixed number of queries whatever the number of
    members. `ignore` is the application being checked, so that it does not count against itself
    under the one-application-per-member rule.
    """
    on = on or timezone.localdate()
    keys = [member_key(member) for member in members]
    if not keys:
        return {}
    memberships = {
        (m.local_government_id, m.organisation_id): m
        for m in Membership.objects.filter(network=call.network)
        .filter(_members_filter(keys))
        .only("local_government_id", "organisation_id", "category", "status")
    }
    in_good_standing = set()
    if call.requires_good_standing:
        in_good_standing = set(
            members_in_good_standing(call.network, on=on)
            .filter(_members_filter(keys))
            .values_list("local_government_id", "organisation_id")
        )
    countries = {c.pk for c in call.countries.all()}
    applied = set()
    if call.one_per_member:
        others = Application.objects.for_call(call).active().filter(_members_filter(keys))
        if ignore is not None:
            others = others.exclude(pk=ignore.pk)
        applied = set(others.values_list("local_government_id", "organisation_id"))
    return {
        key: _problems(
            call, member, key, memberships.get(key), key in in_good_standing, countries, applied
        )
        for member, key in zip(members, keys, strict=True)
    }


def _problems(call, member, key, membership, in_good_standing, countries, applied) -> list[str]:
    is_local_government = key[0] is not None
    found = []
    if is_local_government and call.applicants == Call.Applicants.ORGANISATIONS:
        found.append(_("This call is open to organisations only."))
    if not is_local_government and call.applicants == Call.Applicants.LOCAL_GOVERNMENTS:
        found.append(_("This call is open to local governments only."))

    if call.requires_good_standing and not in_good_standing:
        if membership is None or membership.status not in (
            Membership.Status.ACTIVE,
            Membership.Status.SUSPENDED,
        ):
            found.append(_("Not a member of %(network)s.") % {"network": call.network})
        elif membership.status == Membership.Status.SUSPENDED:
            found.append(
                _("The membership of %(network)s is suspended.") % {"network": call.network}
            )
        else:
            found.append(
                _("Dues to %(network)s are not in good standing.") % {"network": call.network}
            )
    if call.categories and (membership is None or membership.category not in call.categories):
        allowed = ", ".join(str(Membership.Category(c).label) for c in call.categories)
        found.append(_("This call is open to these membership categories: %(c)s.") % {"c": allowed})

    if countries and member.country_id not in countries:
        found.append(_("This call is not open to members from this country."))

    if call.min_population is not None or call.max_population is not None:
        population = getattr(member, "population", None) if is_local_government else None
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

    if key in applied:
        found.append(_("%(member)s has already applied to this call.") % {"member": member})
    return found


def eligibility_problems(
    call: Call,
    *,
    local_government=None,
    organisation=None,
    on: datetime.date | None = None,
    ignore: Application | None = None,
) -> list[str]:
    """The reasons `call` does not accept an application from this member; empty when it does."""
    member = local_government or organisation
    if member is None:
        raise ValueError("name the applicant: a local government or an organisation")
    return eligibility_by_member(call, [member], on=on, ignore=ignore)[member_key(member)]
