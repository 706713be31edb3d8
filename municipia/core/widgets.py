"""Widgets shared by the forms of every app (docs/decisions/0029-forms-rendering.md).

- `LocalDateInput`: a date typed and shown in the active language's format (31/01/2026 on the
  Catalan site), never the browser's date picker, whose format follows the browser's locale.
- `LongSelect`: a `<select>` of a few hundred options (a filter by country) written in Python,
  the markup of Django's `Select` without a template rendered per option.
- `SearchableSelectMultiple`: a list of a few hundred options (countries) filtered as one types.
- `AutocompleteSelect` / `AutocompleteSelectMultiple`: a `<select>` holding only the chosen
  options, which `core/forms.js` turns into a Tom Select that asks an API endpoint for the others
  as the user types. A large choice set (every place of the gazetteer) never reaches the page, and
  a form sent back with errors shows the labels of what was chosen.
"""

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _


def date_pattern() -> str:
    """The active language's date format as a hint to the user: "dd/mm/aaaa" in Catalan."""
    pattern = formats.get_format("DATE_INPUT_FORMATS")[0]
    for code, letters in (
        # Translators: the day's two digits in a date pattern ("dd/mm/yyyy").
        ("%d", _("dd")),
        # Translators: the month's two digits in a date pattern ("dd/mm/yyyy").
        ("%m", _("mm")),
        # Translators: the year's four digits in a date pattern ("dd/mm/yyyy").
        ("%Y", _("yyyy")),
    ):
        pattern = pattern.replace(code, letters)
    return pattern


class LocalDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        # format=None: Django formats with the active language's first DATE_INPUT_FORMATS entry.
        super().__init__(attrs, format=None)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        attrs.setdefault("placeholder", date_pattern())
        attrs.setdefault("autocomplete", "off")
        attrs.setdefault("data-date-input", "")
        return context


class AutocompleteMixin:
    """Options come from `url_name`, an endpoint of api/views/autocomplete.py."""

    def __init__(self, url_name: str, *, depends_on: str = "", attrs=None, **kwargs):
        self.url_name = url_name
        self.depends_on = depends_on
        super().__init__(attrs, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-autocomplete"] = reverse(self.url_name)
        widget_attrs["data-placeholder"] = _("Type to search…")
        widget_attrs["data-no-results"] = _("Nothing found.")
        widget_attrs["data-type-more"] = _("Type at least two letters.")
        if self.depends_on:
            # The endpoint gets the values of this field (checked boxes or chosen options).
            widget_attrs["data-depends-on"] = self.depends_on
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the chosen options, labelled as the field labels them: one query, whatever the size
        # of the field's queryset.
        chosen = [v for v in value if v not in ("", None)]
        field_choices = self.choices
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not chosen, 0))
        if chosen and hasattr(field_choices, "queryset"):
            key = field_choices.field.to_field_name or "pk"
            try:
                objects = list(field_choices.queryset.filter(**{f"{key}__in": chosen}))
            except (ValueError, TypeError):
                objects = []
            for obj in objects:
                options.append(
                    self.create_option(
                        name,
                        str(getattr(obj, key)),
                        field_choices.field.label_from_instance(obj),
                        True,
                        len(options),
                    )
                )
        return [(None, options, 0)]


class AutocompleteSelect(AutocompleteMixin, forms.Select):
    pass


class AutocompleteSelectMultiple(AutocompleteMixin, forms.SelectMultiple):
    pass


class SearchableSelectMultiple(forms.SelectMultiple):
    """A few hundred options at most (countries), all in the page, filtered as the user types."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-searchable"] = ""
        context["widget"]["attrs"]["data-no-results"] = _("Nothing found.")
        return context


class LongSelect(forms.Select):
    """Django's `Select`, its options written in Python: a list of countries renders in a
    millisecond instead of a template per option (a tenth of a page's time). Grouped choices are
    left to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )
