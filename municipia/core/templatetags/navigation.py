"""Breadcrumbs for inner pages, in one partial (`partials/breadcrumbs.html`).

    {% load navigation %}
    {% block breadcrumbs %}{% url 'directory:network-detail' network.slug as network_url %}
      {% breadcrumbs _("Networks") "directory:network-list" network.name network_url _("Members") %}
    {% endblock %}

The arguments are label, address pairs, ending with the current page's label alone. An address is a
URL or the name of a URL without arguments ("ns:name"); the trail always starts at the home page.
"""

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

register = template.Library()


def _resolve(address) -> str:
    address = str(address or "")
    if ":" in address and "/" not in address:
        try:
            return reverse(address)
        except NoReverseMatch:
            return address
    return address


@register.simple_tag
def breadcrumbs(*parts):
    *pairs, current = parts if len(parts) % 2 else (*parts, "")
    trail = [{"label": _("Home"), "url": reverse("home")}]
    trail += [
        {"label": pairs[i], "url": _resolve(pairs[i + 1])} for i in range(0, len(pairs) - 1, 2)
    ]
    return render_to_string("partials/breadcrumbs.html", {"trail": trail, "current": current})
