"""What dues put on "my work": invoices past due for the secretariat, and what a member city owes
(with its invoices and receipts) for the city's officers."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    local_government_ids_with_role,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core import workspace
from municipia.directory.models import LocalGovernment
from municipia.finance.models import Invoice
from municipia.finance.templatetags.finance import money

workspace.link(
    workspace.STAFF, "finance:index", gettext_lazy("Dues"), when=works_for_a_secretariat, order=20
)


@workspace.section(role=workspace.STAFF, order=50)
def invoices_past_due(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    invoices = Invoice.objects.past_due(timezone.localdate())
    if not is_superuser(user):
        invoices = invoices.filter(
            network_id__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
        )
    rows = (
        invoices.order_by()
        .values("network__slug", "network__name")
        .annotate(count=Count("pk"))
        .order_by("network__name")
    )
    entries = [
        workspace.Entry(
            row["network__name"],
            reverse("finance:arrears", args=[row["network__slug"]]),
            row["count"],
            tone="danger",
        )
        for row in rows
    ]
    return workspace.Section(
        title=_("Invoices past due"),
        entries=entries,
        empty=_("No invoice is past due."),
    )


@workspace.section(role=workspace.OFFICER, order=30)
def dues_owed(request):
    ids = local_government_ids_with_role(request.user, Role.Kind.CITY_OFFICER)
    if not ids:
        return None
    cities = {
        pk: (slug, name)
        for pk, slug, name in LocalGovernment.objects.filter(pk__in=ids)
        .order_by("name")
        .values_list("pk", "slug", "name")
    }
    owed = (
        Invoice.objects.open()
        .filter(membership__local_government_id__in=ids)
        .with_balance()
        .order_by()
        .values("membership__local_government_id", "membership__local_government__name", "currency")
        .annotate(count=Count("pk"), total=Sum("outstanding"))
        .order_by("membership__local_government__name", "currency")
    )
    entries = []
    shown = set()
    for row in owed:
        city = row["membership__local_government_id"]
        shown.add(city)
        entries.append(
            workspace.Entry(
                row["membership__local_government__name"],
                reverse("finance:member-invoice-list", args=[cities[city][0]]),
                row["count"],
                detail=_("%(amount)s still owed")
                % {"amount": money(row["total"], row["currency"])},
                tone="danger",
            )
        )
    for city, (slug, name) in cities.items():
        if city not in shown:
            entries.append(
                workspace.Entry(
                    name,
                    reverse("finance:member-invoice-list", args=[slug]),
                    detail=_("Nothing owed: invoices and receipts"),
                )
            )
    return workspace.Section(title=_("Dues"), entries=entries)
