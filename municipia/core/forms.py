"""The one way a form of the site is built and rendered (docs/decisions/0029-forms-rendering.md).

Every form derives from `Form` or `ModelForm` here (or mixes `FormMixin` into a package's form)
and a template renders it with `{% include "core/partials/form_fields.html" %}`: crispy-forms with
its Bootstrap 5 pack writes the label above the input, the help text and the errors under it, a
mark on required fields, and one fieldset per entry of `fieldsets` for long forms. The `<form>`
element, the CSRF token and the buttons stay in the page's template.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.functional import cached_property

from municipia.core.widgets import LocalDateInput


class FormMixin:
    # ((legend, ("field", "field", ...)), ...): long forms group their fields; a field named in no
    # group is rendered after them, so a field added later is never lost. An entry may also be a
    # crispy layout object (HTML("{% include … %}")) for a button or a note inside a group.
    fieldsets: tuple = ()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper(self)
        helper.form_tag = False
        helper.disable_csrf = True
        helper.render_unmentioned_fields = True
        if self.fieldsets:
            helper.layout = Layout(
                *(
                    Fieldset(
                        legend,
                        *[
                            name
                            for name in names
                            if not isinstance(name, str) or name in self.fields
                        ],
                        css_class="form-section",
                    )
                    for legend, names in self.fieldsets
                )
            )
        return helper


class LocalDateField(forms.DateField):
    """A date typed in the user's language: 31/01/2026 on the Catalan site (ISO is understood too)."""

    widget = LocalDateInput


class LocalDecimalField(forms.DecimalField):
    """An amount typed and shown with the language's decimal separator (1234,50 in Catalan)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return super().widget_attrs(widget) | {"inputmode": "decimal"}


class Form(FormMixin, forms.Form):
    pass


class ModelForm(FormMixin, forms.ModelForm):
    pass
