from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "description": _("Description"),
}
MAX_LENGTHS = {"title": 300, "summary": 20000, "description": 20000}


class HumanTranslationForm(forms.Form):
    """A person's translation of an object's texts into one language other than the original."""

    language = forms.ChoiceField(
        label=_("Language"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, units, source_language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code != source_language
        ]
        for unit in units:
            self.fields[unit.field] = forms.CharField(
                label=FIELD_LABELS.get(unit.field, unit.field),
                required=False,
                max_length=MAX_LENGTHS.get(unit.field, 20000),
                strip=True,
                widget=forms.TextInput(attrs={"class": "form-control"})
                if unit.field == "title"
                else forms.Textarea(attrs={"class": "form-control", "rows": 5}),
                help_text=unit.text,
            )

    def clean(self):
        cleaned = super().clean()
        texts = [cleaned.get(unit.field) for unit in self.units]
        if not self.errors and not any(texts):
            raise forms.ValidationError(_("Write the translation of at least one text."))
        for unit in self.units:
            text = cleaned.get(unit.field) or ""
            if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
                self.add_error(unit.field, _("The text holds characters that cannot be shown."))
        return cleaned

    def texts(self) -> dict[str, str]:
        return {unit.field: self.cleaned_data.get(unit.field) or "" for unit in self.units}
