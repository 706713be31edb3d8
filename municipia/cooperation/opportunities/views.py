"""Pages of funding opportunities: the public lists (all networks, one network) with their exports
and feeds, an opportunity's page (with the matching members for its network's staff), the staff's
forms and import, the officer's page of opportunities for their city, and the unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from municipia.accounts.permissions import can_manage_network
from municipia.cooperation.opportunities import imports, services
from municipia.cooperation.opportunities.forms import (
    FollowForm,
    ImportForm,
    OpportunityFilterForm,
    OpportunityForm,
    TranslationForm,
)
from municipia.cooperation.opportunities.models import OpportunityImport, OpportunityMatch
from municipia.cooperation.opportunities.permissions import (
    can_manage_opportunity,
    get_network_for_opportunities,
    get_opportunity_for_management,
    get_opportunity_for_view,
    officer_city_ids,
)
from municipia.cooperation.opportunities.queries import (
    export_rows,
    filtered_opportunities,
    followable_themes,
    list_prefetch,
    matches_for_cities,
)
from municipia.cooperation.services import CooperationError
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.pagecache import changes_at, public_page
from municipia.directory.models import LocalGovernment, Network
from municipia.knowledge.models import Experience, Theme

PAGE_SIZE = 25
EXPORT_HEADERS = [
    "title",
    "funder",
    "programme",
    "network",
    "deadline",
    "time_zone",
    "status",
    "applicants",
    "regions",
    "countries",
    "themes",
    "sdg_targets",
    "cofinancing_rate",
    "currency",
    "amount_min",
    "amount_max",
    "link",
    "page",
]


@public_page
def opportunity_list(request, network=None):
    network = get_object_or_404(Network, slug=network) if network else None
    form = OpportunityFilterForm(request.GET or None, network=network)
    data = form.cleaned_data if form.is_valid() else None
    opportunities = filtered_opportunities(request.user, data, network=network)
    if (fmt := request.GET.get("format")) in FORMATS:
        rows = export_rows(opportunities, request.build_absolute_uri("/").rstrip("/"))
        name = f"opportunities-{network.slug}" if network else "opportunities"
        return export_response(rows, headers=EXPORT_HEADERS, filename=name, fmt=fmt)
    page = Paginator(list_prefetch(opportunities), PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        # The page lists open opportunities: it changes by itself when the first one closes.
        changes_at(request, min(o.deadline for o in page.object_list))
    return render(
        request,
        "cooperation/opportunities/list.html",
        {
            "form": form,
            "page": page,
            "network": network,
            "query": query_without_page(request),
            "can_manage": network is not None and can_manage_network(request.user, network),
        },
    )


def _matches(opportunity):
    return (
        OpportunityMatch.objects.filter(opportunity=opportunity)
        .select_related("local_government__country")
        .prefetch_related(
            Prefetch(
                "experience",
                Experience.objects.prefetch_related("translations", "themes"),
            ),
            Prefetch("project__translations"),
            Prefetch("project__themes"),
        )
        .order_by("rank")
    )


@public_page
def opportunity_detail(request, slug):
    opportunity = get_opportunity_for_view(request.user, slug)
    manage = can_manage_opportunity(request.user, opportunity)
    if opportunity.is_open:
        changes_at(request, opportunity.deadline)
    matches = list(_matches(opportunity)) if manage else None
    themes = {t.pk for t in opportunity.themes.all()}
    for match in matches or ():
        match.shared_themes = [t.name for t in match.item.themes.all() if t.pk in themes]
    return render(
        request,
        "cooperation/opportunities/detail.html",
        {
            "opportunity": opportunity,
            "text": opportunity.text(request.GET.get("lang")),
            "can_manage": manage,
            "matches": matches,
        },
    )


def _save(request, form, save):
    """Call `save(values)` with the form's data; show the service's refusal on the form."""
    if not form.is_valid():
        return None
    values = dict(form.cleaned_data)
    try:
        return save(values)
    except CooperationError as error:
        form.add_error(None, str(error))
        return None


@login_required
def opportunity_create(request, network):
    network = get_network_for_opportunities(request.user, network)
    form = OpportunityForm(request.POST or None, network=network)
    if request.method == "POST":
        opportunity = _save(
            request,
            form,
            lambda values: services.create_opportunity(network, by=request.user, **values),
        )
        if opportunity is not None:
            messages.success(request, _("The opportunity is saved."))
            return redirect(opportunity)
    return render(
        request,
        "cooperation/opportunities/form.html",
        {"form": form, "network": network, "opportunity": None},
    )


@login_required
def opportunity_edit(request, slug):
    opportunity = get_opportunity_for_management(request.user, slug)
    form = OpportunityForm(
        request.POST or None, network=opportunity.network, opportunity=opportunity
    )
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda values: services.update_opportunity(opportunity, by=request.user, **values),
        )
        if saved is not None:
            messages.success(request, _("The opportunity is saved."))
            return redirect(saved)
    return render(
        request,
        "cooperation/opportunities/form.html",
        {"form": form, "network": opportunity.network, "opportunity": opportunity},
    )


@login_required
def opportunity_translate(request, slug):
    opportunity = get_opportunity_for_management(request.user, slug)
    form = TranslationForm(request.POST or None)
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda values: services.translate_opportunity(opportunity, by=request.user, **values),
        )
        if saved is not None:
            messages.success(request, _("The translation is saved."))
            return redirect(opportunity)
    return render(
        request,
        "cooperation/opportunities/translate.html",
        {"form": form, "opportunity": opportunity},
    )


@login_required
@require_POST
def opportunity_delete(request, slug):
    opportunity = get_opportunity_for_management(request.user, slug)
    network = opportunity.network
    services.delete_opportunity(opportunity, by=request.user)
    messages.success(request, _("The opportunity is deleted."))
    return redirect("cooperation:opportunity-network-list", network.slug)


@login_required
def opportunity_import(request, network):
    network = get_network_for_opportunities(request.user, network)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = imports.store_upload(network, form.cleaned_data["file"], by=request.user)
        except CooperationError as error:
            form.add_error("file", str(error))
        else:
            return redirect("cooperation:opportunity-import-preview", stored.pk)
    return render(
        request, "cooperation/opportunities/import.html", {"form": form, "network": network}
    )


def _import_for(user, pk) -> OpportunityImport:
    stored = get_object_or_404(OpportunityImport.objects.select_related("network"), pk=pk)
    get_network_for_opportunities(user, stored.network.slug)
    return stored


@login_required
def opportunity_import_preview(request, pk):
    stored = _import_for(request.user, pk)
    return render(
        request,
        "cooperation/opportunities/import_preview.html",
        {"stored": stored, "preview": imports.preview_import(stored), "network": stored.network},
    )


@login_required
@require_POST
def opportunity_import_write(request, pk):
    stored = _import_for(request.user, pk)
    try:
        created = imports.write_import(stored, by=request.user)
    except CooperationError as error:
        messages.error(request, str(error))
        return redirect("cooperation:opportunity-import-preview", stored.pk)
    count = len(created)
    messages.success(
        request,
        ngettext(
            "%(count)s opportunity was written.", "%(count)s opportunities were written.", count
        )
        % {"count": count},
    )
    return redirect("cooperation:opportunity-network-list", stored.network.slug)


@login_required
def my_opportunities(request):
    """An officer's page: the opportunities that match their cities' work, and the themes they
    follow for the digest."""
    cities = officer_city_ids(request.user)
    if not cities:
        raise PermissionDenied
    themes = followable_themes(cities)
    followed = Theme.objects.filter(funding_followers__user=request.user)
    form = FollowForm(
        request.POST if request.method == "POST" else None,
        themes=themes,
        initial={"themes": list(followed)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["themes"])
        for theme in themes:
            if theme in chosen:
                services.follow_theme(request.user, theme)
            else:
                services.unfollow_theme(request.user, theme)
        messages.success(request, _("Your themes are saved."))
        return redirect("cooperation:opportunity-mine")
    return render(
        request,
        "cooperation/opportunities/mine.html",
        {
            "groups": matches_for_cities(cities, timezone.now()),
            "cities": LocalGovernment.objects.filter(pk__in=cities).order_by("name"),
            "form": form,
        },
    )


@csrf_exempt  # the signed token is the proof; mail programs post here without a session
def unsubscribe(request, token):
    if request.method == "POST":
        try:
            services.unsubscribe_by_token(token)
        except CooperationError as error:
            return render(
                request,
                "cooperation/opportunities/unsubscribe.html",
                {"error": str(error)},
                status=400,
            )
        return render(request, "cooperation/opportunities/unsubscribe.html", {"done": True})
    return render(request, "cooperation/opportunities/unsubscribe.html", {"token": token})
