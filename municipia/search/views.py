from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from municipia.core.pagecache import public_page
from municipia.search import services

FACET_TITLES = {
    "type": _("Kind"),
    "network": _("Network"),
    "theme": _("Theme"),
    "sdg": _("Sustainable Development Goal"),
    "country": _("Country"),
    "city": _("Local government"),
    "language": _("Language"),
    "year": _("Year"),
    "size": _("Size of the local government"),
}


@public_page
def search(request):
    """The public search page: a query in any language, filters and facet counts, one page."""
    query = request.GET.get("q", "")
    services.prepare(query)  # e5's embedding of the query, most of its time, starts first
    page = services.search(
        query,
        user=request.user,
        filters=services.parse_filters(request.GET),
        page=request.GET.get("page") or 1,
        languages=None,
        cut=request.GET.get("cut"),
    )
    facets = [(name, FACET_TITLES[name], page.facets.get(name, [])) for name in services.FACETS]
    template = "search/partials/results.html" if request.htmx else "search/search.html"
    return render(request, template, {"page": page, "facets": facets, "query": page.query})
