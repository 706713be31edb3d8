"""Public pages: networks with their map, members and experts; places; people."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from municipia.accounts.permissions import can_edit_local_government
from municipia.core import generations, pagecache
from municipia.core.exports import FORMATS, export_response
from municipia.core.pagecache import public_page
from municipia.directory import queries
from municipia.directory.forms import (
    LocalGovernmentProfileForm,
    MemberFilterForm,
    MembershipApplicationForm,
)
from municipia.directory.models import (
    Consent,
    Expertise,
    LocalGovernment,
    Membership,
    Network,
    Person,
    Position,
    region_name,
)
from municipia.directory.permissions import (
    can_apply_for_membership,
    can_create_local_government,
    can_manage_members,
    can_view_contact_details,
    get_local_government_for_edit,
    get_network_for_view,
)
from municipia.directory.place_names import also_known_as, names_in, sorted_by_name
from municipia.directory.sections import LOCAL_GOVERNMENT, NETWORK, page_sections
from municipia.directory.services import (
    DirectoryError,
    apply_for_membership,
    update_local_government_profile,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _page_size(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page_size", PAGE_SIZE)), MAX_PAGE_SIZE))
    except ValueError:
        return PAGE_SIZE


@public_page
def network_list(request):
    networks = Network.objects.visible_to(request.user).filter(parent__isnull=True).order_by("name")
    return render(
        request,
        "directory/network_list.html",
        {"networks": queries.with_member_counts(networks)},
    )


def _member_filters(request, network, figures):
    staff = can_manage_members(request.user, network)
    countries = [country for country, _n in figures["by_country"]]
    codes = {
        code
        for country in countries
        for code in (country.region, country.sub_region, country.intermediate_region)
        if code
    }
    form = MemberFilterForm(
        request.GET or None,
        countries=countries,
        regions=sorted_by_name(((code, region_name(code)) for code in codes), key=lambda c: c[1]),
        staff=staff,
    )
    filters = {"status": Membership.Status.ACTIVE}
    if form.is_bound:
        form.is_valid()  # a wrong value drops that filter only; the others still apply
        data = form.cleaned_data
        filters.update(
            q=data.get("q", ""),
            country=data.get("country", ""),
            region=data.get("region", ""),
            category=data.get("category", ""),
        )
        if staff and data.get("status"):
            filters["status"] = data["status"]
    return form, filters


NETWORK_PAGE_MEMBERS = 20  # the network page shows the first few; the member list pages through all


def _members_page(request, network, filters, figures, page_size=None):
    memberships = queries.member_rows(network, **filters)
    paginator = queries.IdPaginator(
        memberships,
        page_size or _page_size(request),
        rows=queries.member_rows(network),
        all_ids=bool(filters.get("q")),
    )
    if filters["status"] == Membership.Status.ACTIVE and not any(
        value for name, value in filters.items() if name != "status"
    ):
        paginator.count = figures["total"]  # known: no count of every member per page
    return paginator.get_page(request.GET.get("page"))


@public_page
def network_detail(request, slug):
    network = get_network_for_view(request.user, slug)
    figures = queries.network_figures(network)
    form, filters = _member_filters(request, network, figures)
    sub_networks = queries.with_member_counts(network.sub_networks.visible_to(request.user))
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "figures": figures,
            "country_names": {country.code: country.name for country, _n in figures["by_country"]},
            "form": form,
            "page": _members_page(request, network, filters, figures, NETWORK_PAGE_MEMBERS),
            "sub_networks": sub_networks,
            "positions": Position.objects.current()
            .filter(network=network)
            .select_related("person")
            .order_by("kind", "person__full_name"),
            "can_manage": can_manage_members(request.user, network),
            "sections": page_sections(NETWORK),
        },
    )


@public_page
def member_list(request, slug):
    """The filtered, paged member list; htmx swaps only the table, `?format=` exports it."""
    network = get_network_for_view(request.user, slug)
    figures = queries.network_figures(network)
    form, filters = _member_filters(request, network, figures)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            queries.export_rows(queries.member_rows(network, **filters)),
            headers=[
                _("Member"),
                _("Kind"),
                _("Country"),
                _("Region"),
                _("Category"),
                _("Status"),
                _("Joined on"),
                _("Left on"),
            ],
            filename=f"{network.slug}-members",
            fmt=fmt,
        )
    context = {
        "network": network,
        "form": form,
        "page": _members_page(request, network, filters, figures),
        "can_manage": can_manage_members(request.user, network),
    }
    if request.htmx:
        return render(request, "directory/partials/member_table.html", context)
    return render(request, "directory/member_list.html", context)


@public_page
def network_map(request, slug):
    """What the member map draws: member counts per country and a point per member city, built
    once per change of the directory (for tens of thousands of members it is the costly read)."""
    network = get_network_for_view(request.user, slug)

    def build() -> str:
        figures = queries.network_figures(network)
        data = {
            "countries": {country.code: n for country, n in figures["by_country"]},
            "points": queries.map_points(network),
            "place_url": LocalGovernment(slug="__slug__").get_absolute_url(),
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    body = generations.cached(
        f"directory:map:{network.pk}:{get_language()}", build, scopes=["directory"]
    )
    return HttpResponse(body, content_type="application/json")


@public_page
def expert_list(request, slug):
    network = get_network_for_view(request.user, slug)
    if not network.has_expert_community:
        raise Http404
    expertise = request.GET.get("expertise", "")

    def people():
        # Built only where it is read: the list's part usually comes from the cache.
        found = (
            Person.objects.experts_of(network)
            .with_contact_consent()
            .with_current_positions()
            .select_related("country")
            .prefetch_related("expertise")
            .order_by("full_name")
        )
        return found.filter(expertise__slug=expertise) if expertise else found

    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            _expert_rows(request.user, people()),
            headers=[
                _("Name"),
                _("Country"),
                _("Positions"),
                _("Expertise"),
                _("Languages"),
                _("E-mail"),
            ],
            filename=f"{network.slug}-experts",
            fmt=fmt,
        )

    def body() -> str:
        fields = Expertise.objects.filter(people__consents__network=network).distinct()
        page = Paginator(people(), PAGE_SIZE).get_page(request.GET.get("page"))
        for person in page:
            person.contact_visible = can_view_contact_details(
                request.user, person, consented=person.shows_contact
            )
        context = {"network": network, "page": page, "fields": fields, "expertise": expertise}
        return render_to_string("directory/partials/expert_list_body.html", context, request)

    # The list is the public's but for the contact details a reader may see beyond the consented
    # ones (their own card; all of them for a superuser): kept per reader, whose pages never come
    # from the page cache.
    user = request.user
    reader = f"{user.pk}:{user.is_superuser}" if user.is_authenticated else "public"
    if network.is_published:
        content = pagecache.fragment(request, f"experts:{network.pk}:{reader}", body)
    else:
        content = body()  # a network not yet published: nothing of it is kept
    return render(
        request,
        "directory/expert_list.html",
        {"network": network, "body": content},
    )


def _expert_rows(user, people):
    for person in people:
        shown = can_view_contact_details(user, person, consented=person.shows_contact)
        yield [
            person.full_name,
            person.country.code if person.country else "",
            "; ".join(f"{p.label}, {p.place}" for p in person.current_positions),
            ", ".join(field.name for field in person.expertise.all()),
            ", ".join(person.languages),
            person.email if shown else "",
        ]


@public_page
def local_government_list(request):
    """Find a place by its name in any language or script."""
    q = request.GET.get("q", "").strip()[:100]
    places = LocalGovernment.objects.none()
    if q:
        places = (
            LocalGovernment.objects.search(q)
            .select_related("country", "parent")
            .order_by("-population", "name")
        )
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        names = names_in()  # once: the rows are streamed after the request
        rows = (
            [
                names.get(p.pk) or p.name,
                p.get_kind_display(),
                p.country.code,
                p.population,
                p.geonames_id,
            ]
            for p in places[:5000]
        )
        return export_response(
            rows,
            headers=[_("Name"), _("Kind"), _("Country"), _("Population"), _("GeoNames id")],
            filename=f"places-{q}",
            fmt=fmt,
        )
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/local_government_list.html",
        {"q": q, "page": page, "can_create": can_create_local_government(request.user)},
    )


@public_page
def local_government_detail(request, slug):
    place = get_object_or_404(
        LocalGovernment.objects.select_related("country", "parent", "district_of"), slug=slug
    )
    memberships = (
        Membership.objects.visible_to(request.user)
        .filter(local_government=place)
        .select_related("network__parent")
        .order_by("network__name")
    )
    positions = (
        Position.objects.current()
        .filter(local_government=place)
        .select_related("person")
        .order_by("kind", "person__full_name")
    )
    return render(
        request,
        "directory/local_government_detail.html",
        {
            "place": place,
            "memberships": memberships,
            "positions": positions,
            "children": sorted_by_name(place.children.order_by("name")[:50]),
            "names": also_known_as(place),
            "region": region_name(place.country.area),
            "can_edit": can_edit_local_government(request.user, place),
            "can_apply": can_apply_for_membership(request.user, place),
            "sections": page_sections(LOCAL_GOVERNMENT),
        },
    )


@login_required
def local_government_edit(request, slug):
    place = get_local_government_for_edit(request.user, slug)
    form = LocalGovernmentProfileForm(request.POST or None, instance=place)
    if request.method == "POST" and form.is_valid():
        update_local_government_profile(
            place, by=request.user, **{name: form.cleaned_data[name] for name in form.fields}
        )
        messages.success(request, _("The profile has been saved."))
        return redirect(place)
    return render(request, "directory/local_government_edit.html", {"place": place, "form": form})


@login_required
def membership_apply(request, slug):
    place = get_local_government_for_edit(request.user, slug)
    taken = Membership.objects.filter(local_government=place).exclude(
        status__in=[Membership.Status.LEFT, Membership.Status.REFUSED]
    )
    networks = Network.objects.published().exclude(pk__in=taken.values("network_id"))
    form = MembershipApplicationForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            apply_for_membership(
                form.cleaned_data["network"],
                place,
                by=request.user,
                category=form.cleaned_data["category"],
                message=form.cleaned_data["message"],
            )
        except DirectoryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The application has been sent to the network's staff."))
            return redirect(place)
    return render(request, "directory/membership_apply.html", {"place": place, "form": form})


@public_page
def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.visible_to(request.user)
        .with_contact_consent()
        .select_related("country")
        .prefetch_related(
            "expertise",
            Prefetch(
                "positions",
                queryset=Position.objects.select_related(
                    "local_government", "organisation", "network"
                ).order_by("ended_on", "-started_on"),
            ),
        ),
        slug=slug,
    )
    listed_in = Network.objects.published().filter(
        consents__person=person,
        consents__scope=Consent.Scope.EXPERT_DIRECTORY,
        consents__withdrawn_at__isnull=True,
    )
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "contact_visible": can_view_contact_details(
                request.user, person, consented=person.shows_contact
            ),
            "listed_in": listed_in,
        },
    )
