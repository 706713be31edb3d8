"""The site's URLs plus the benchmark's reference: a plain Django page, never in production URLs.

`/bench/plain/` runs one query and renders a 20-row table with a small template, through the same
middleware as every page: what any Django page costs on this server, to which bench/pages.py
compares the site's pages.
"""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

from municipia.urls import urlpatterns as site_urlpatterns

TEMPLATE = Engine.get_default().from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Places</title></head>
<body><h1>Places</h1>
<table><thead><tr><th>Name</th><th>Country</th><th>Population</th></tr></thead>
<tbody>{% for place in places %}
<tr><td>{{ place.name }}</td><td>{{ place.country_id }}</td><td>{{ place.population }}</td></tr>
{% endfor %}</tbody></table></body></html>"""
)


def plain(request):
    from municipia.directory.models import LocalGovernment

    places = list(
        LocalGovernment.objects.order_by("pk").only("name", "country_id", "population")[:20]
    )
    return HttpResponse(TEMPLATE.render(Context({"places": places})))


urlpatterns = [path("bench/plain/", plain, name="bench-plain"), *site_urlpatterns]
