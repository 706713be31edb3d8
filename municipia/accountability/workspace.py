"""What the books put on "my work": for the secretariat, each network's year in progress, with a
warning where it heads for a deficit."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accountability.ledger import networks_year_accounts
from municipia.accountability.models import AccountingSettings
from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core import workspace
from municipia.finance.templatetags.finance import money

workspace.link(
    workspace.STAFF,
    "accountability:index",
    gettext_lazy("Budget and accounts"),
    when=works_for_a_secretariat,
    order=22,
)


@workspace.section(role=workspace.STAFF, order=52)
def budget_outlook(request):
    """The year's projected result of every network whose books the person keeps (nine queries,
    however many networks)."""
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    books = AccountingSettings.objects.select_related("network").order_by("network__name")
    if not is_superuser(user):
        books = books.filter(network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF))
    currencies = {b.network: b.currency for b in books}
    if not currencies:
        return None
    year = timezone.localdate().year
    figures = networks_year_accounts(currencies, year)
    entries = []
    for network in currencies:
        accounts = figures[network.pk]
        if accounts.version is None:
            detail, tone = _("No budget approved for %(year)s") % {"year": year}, ""
        elif accounts.heads_for_deficit:
            detail = _("Heading for a deficit of %(amount)s") % {
                "amount": money(accounts.projected_deficit, accounts.currency)
            }
            tone = "danger"
        else:
            detail = _("Projected result: %(amount)s") % {
                "amount": money(accounts.result_projected, accounts.currency)
            }
            tone = "success"
        entries.append(
            workspace.Entry(
                str(network),
                reverse("accountability:budget", args=[network.slug, year]),
                detail=detail,
                tone=tone,
            )
        )
    return workspace.Section(title=_("Budget %(year)s") % {"year": year}, entries=entries)
