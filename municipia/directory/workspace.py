"""What the directory puts on "my work": membership applications for the secretariat, a city's
officers' own local governments, and an expert's profile and consents."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_expert,
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core import workspace
from municipia.directory.models import Consent, LocalGovernment, Membership, Network, Person

workspace.link(
    workspace.STAFF,
    "directory:membership-manage-index",
    gettext_lazy("Memberships"),
    when=works_for_a_secretariat,
    order=10,
)


@workspace.section(role=workspace.STAFF, order=20)
def membership_applications(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    networks = Network.objects.all()
    if not is_superuser(user):
        staffed = network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        # Staff of a network decide on its sub-networks' members too (can_manage_members).
        networks = networks.filter(Q(pk__in=staffed) | Q(parent_id__in=staffed))
    rows = (
        networks.annotate(
            waiting=Count("memberships", filter=Q(memberships__status=Membership.Status.APPLICANT))
        )
        .filter(waiting__gt=0)
        .order_by("name")
        .values_list("slug", "name", "waiting")
    )
    entries = [
        workspace.Entry(
            name,
            reverse("directory:membership-manage-list", args=[slug]) + "?status=applicant",
            waiting,
        )
        for slug, name, waiting in rows
    ]
    return workspace.Section(
        title=_("Membership applications"),
        entries=entries,
        empty=_("No application for membership waits for a decision."),
        more_url=reverse("directory:membership-manage-index"),
        more_label=_("All members"),
    )


@workspace.section(role=workspace.OFFICER, order=10)
def your_local_governments(request):
    ids = local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER)
    if not ids:
        return None
    cities = (
        LocalGovernment.objects.filter(pk__in=ids)
        .select_related("country")
        .annotate(
            networks=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
        )
        .order_by("name")
    )
    entries = [
        workspace.Entry(
            city.name,
            city.get_absolute_url(),
            detail=(
                ngettext(
                    "%(country)s · member of %(count)s network",
                    "%(country)s · member of %(count)s networks",
                    city.networks,
                )
                % {"country": city.country, "count": city.networks}
            ),
        )
        for city in cities
    ]
    return workspace.Section(title=_("Your local governments"), entries=entries)


@workspace.section(role=workspace.EXPERT, order=10)
def expert_profile(request):
    user = request.user
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        if not is_expert(user):
            return None
        return workspace.Section(
            title=_("Your expert profile"),
            entries=[],
            empty=_(
                "No profile in the directory is linked to your account yet: the secretariat of "
                "your network links it."
            ),
        )
    consents = list(
        Consent.objects.active()
        .filter(person=person)
        .select_related("network")
        .order_by("scope", "network__name")
    )
    if not consents and not is_expert(user):
        return None
    entries = [workspace.Entry(_("Your public profile"), person.get_absolute_url())]
    for consent in consents:
        label = consent.get_scope_display()
        if consent.network_id:
            label = f"{label}: {consent.network.name}"
        entries.append(
            workspace.Entry(
                label,
                detail=_("Agreed on %(date)s")
                % {"date": formats.date_format(timezone.localtime(consent.given_at).date())},
            )
        )
    if not consents:
        entries.append(workspace.Entry(_("You have given no consent to be listed.")))
    return workspace.Section(title=_("Your expert profile and consents"), entries=entries)
