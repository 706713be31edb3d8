"""Template helpers for calls: translated labels (answers: forms_tags of the form builder).

Dates in the call's time zone: `{% zoned %}` of the `zones` library (municipia/core)."""

from django import template

from municipia.core.i18n import translated

register = template.Library()


@register.filter
def label(values):
    """A {language: text} label in the active language."""
    return translated(values)


@register.filter
def get_item(mapping, key):
    return mapping.get(str(key), "") if mapping else ""
