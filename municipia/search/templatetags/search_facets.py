"""The search page's facet checkboxes, written in Python: a page shows up to a hundred of them
(nine facets of twelve values), and Django's template engine spent more time on them than on the
twenty results beside them."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

SHOWN = 12  # values per facet; the rest are reached by the query or the other facets
CHECKED = mark_safe(" checked")

OPTION = (
    '<div class="form-check">'
    '<input class="form-check-input" type="checkbox" name="{}" value="{}" id="facet-{}-{}"{}>'
    '<label class="form-check-label small" for="facet-{}-{}"><span>{}{}</span> '
    '<span class="text-body-secondary">{}</span></label></div>'
)


@register.simple_tag
def facet_options(name: str, values) -> str:
    """One checkbox per value of facet `name` (the first `SHOWN`), with its label and count."""
    return format_html_join(
        "\n",
        OPTION,
        (
            (
                name,
                facet.value,
                name,
                n,
                CHECKED if facet.selected else "",
                name,
                n,
                format_html(
                    '<span class="badge sdg-badge sdg-{}" aria-hidden="true">&nbsp;</span> ',
                    facet.value,
                )
                if facet.colour
                else "",
                facet.label,
                facet.count,
            )
            for n, facet in enumerate(values[:SHOWN], start=1)
        ),
    )
