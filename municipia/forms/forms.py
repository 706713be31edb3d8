"""Django forms of the form builder: a field as staff edit it, and a form's questions as people
answer them. They parse input only; owners' services decide and refuse."""

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import FormMixin
from municipia.core.widgets import LocalDateInput
from municipia.forms.answers import NO, YES, chosen_values
from municipia.forms.models import FormField

LANGUAGE_CHOICES = settings.LANGUAGES


class TranslatedFieldsMixin:
    """Shows a JSON {language: text} model field as one input per site language."""

    translated_fields: dict[str, tuple] = {}  # name → (label, widget, required in English)

    def _add_translated_fields(self):
        for name, (label, widget, required) in self.translated_fields.items():
            current = (getattr(self.instance, name, None) or {}) if self.instance else {}
            for code, language in LANGUAGE_CHOICES:
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{label} ({language})",
                    required=required and code == settings.LANGUAGE_CODE,
                    widget=widget,
                    initial=current.get(code, ""),
                    max_length=5000,
                )

    def _pack_translated_fields(self, instance):
        for name in self.translated_fields:
            values = {
                code: self.cleaned_data.get(f"{name}_{code}", "").strip()
                for code, _language in LANGUAGE_CHOICES
            }
            setattr(instance, name, {code: text for code, text in values.items() if text})


def parse_lines(text: str) -> list[tuple[str, str]]:
    """Lines of "key | value" (or "key = value") as pairs; blank lines skipped."""
    pairs = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("|")
        if not sep:
            key, sep, value = line.partition("=")
        pairs.append((key.strip(), value.strip()))
    return pairs


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


class FormFieldForm(FormMixin, TranslatedFieldsMixin, forms.ModelForm):
    """One question as staff write it: labels and help in each language, limits and options.

    Options are typed in the editor's language; the labels of the other languages already given
    for an option are kept."""

    translated_fields = {
        "label": (_("Question"), forms.TextInput, True),
        "help_text": (_("Help"), forms.TextInput, False),
    }
    word_limits_text = forms.CharField(
        label=_("Word limits"),
        required=False,
        help_text=_(
            'One per line, "language = words", e.g. "en = 300"; "* = 300" for any language.'
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        help_text=_('For a choice: one per line, "value | label".'),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = FormField
        fields = ["position", "kind", "required", "visible_to_jury", "min_value", "max_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields()
        if self.instance.pk:
            self.initial["word_limits_text"] = "\n".join(
                f"{k} = {v}" for k, v in self.instance.word_limits.items()
            )
            self.initial["choices_text"] = "\n".join(
                f"{c['value']} | {c['label'].get(get_language() or 'en', '')}"
                for c in self.instance.choices
            )

    def clean_word_limits_text(self):
        limits = {}
        known = {code for code, _name in LANGUAGE_CHOICES} | {"*"}
        for key, value in parse_lines(self.cleaned_data.get("word_limits_text", "")):
            if key not in known or not value.isdigit() or int(value) < 1:
                raise forms.ValidationError(
                    _('Write each limit as "language = words", e.g. "en = 300".')
                )
            limits[key] = int(value)
        return limits

    def clean_choices_text(self):
        language = _language()
        earlier = {c["value"]: dict(c.get("label") or {}) for c in self.instance.choices or []}
        choices = []
        for key, label in parse_lines(self.cleaned_data.get("choices_text", "")):
            if key:
                labels = earlier.get(key, {})
                labels[language] = label or key
                choices.append({"value": key, "label": labels})
        if len({c["value"] for c in choices}) != len(choices):
            raise forms.ValidationError(_("Each option needs its own value."))
        return choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in FormField.CHOICE_KINDS and not cleaned.get("choices_text"):
            self.add_error("choices_text", _("A choice needs options."))
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum is below the minimum."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)
        self.instance.word_limits = self.cleaned_data.get("word_limits_text", {})
        self.instance.choices = self.cleaned_data.get("choices_text", [])


class DateAnswerField(forms.CharField):
    """A date answer typed in the user's language and kept as ISO (2026-01-31); text that is not a
    date is kept as typed, for the submission check to point out (answers are never refused)."""

    widget = LocalDateInput

    def prepare_value(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return value

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return forms.DateField().to_python(value).isoformat()
        except forms.ValidationError:
            return value


class MultipleAnswerField(forms.MultipleChoiceField):
    """Several options, kept one value per line; values no longer offered are kept to be pointed
    out by the submission check rather than dropped."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        return chosen_values(value) if isinstance(value, str) else value

    def to_python(self, value):
        return "\n".join(super().to_python(value))

    def validate(self, value):
        """Nothing is refused here: see the class."""


class AnswersForm(FormMixin, forms.Form):
    """A form's questions as a Django form; nothing is required here, submission checks
    completeness. Inputs are named `q<field id>`."""

    def __init__(self, *args, fields, answers=None, currency="", **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = list(fields)
        self.currency = currency
        answers = answers or {}
        for field in self.form_fields:
            self.fields[f"q{field.pk}"] = self._field_for(field, answers.get(field.key, ""))

    def _field_for(self, field: FormField, initial: str):
        common = {
            "label": field.label_text + ("" if field.required else f" ({_('optional')})"),
            "help_text": field.help,
            "required": False,
            "initial": initial,
        }
        kind = field.kind
        Kind = FormField.Kind
        decimal = forms.TextInput(attrs={"inputmode": "decimal"})
        if kind == Kind.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), **common)
        if kind == Kind.LINE:
            return forms.CharField(**common)
        if kind == Kind.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *field.choice_options()], **common)
        if kind == Kind.MULTIPLE:
            return MultipleAnswerField(choices=field.choice_options(), **common)
        if kind == Kind.YES_NO:
            options = [("", "—"), (YES, _("Yes")), (NO, _("No"))]
            return forms.ChoiceField(choices=options, **common)
        if kind == Kind.NUMBER:
            return forms.CharField(widget=decimal, **common)
        if kind == Kind.MONEY:
            common["label"] = f"{common['label']} · {self.currency or 'EUR'}"
            return forms.CharField(widget=decimal, **common)
        if kind == Kind.DATE:
            return DateAnswerField(**common)
        if kind == Kind.EMAIL:
            return forms.CharField(widget=forms.EmailInput, max_length=254, **common)
        if kind in (Kind.URL, Kind.EXPERIENCE):
            return forms.CharField(
                widget=forms.URLInput(attrs={"placeholder": "https://"}), max_length=500, **common
            )
        del common["initial"]
        return forms.FileField(**common)

    def answers(self) -> dict[str, str]:
        return {
            field.key: self.cleaned_data.get(f"q{field.pk}") or ""
            for field in self.form_fields
            if field.kind != FormField.Kind.FILE
        }

    def uploads(self) -> list[tuple[FormField, object]]:
        return [
            (field, self.cleaned_data[f"q{field.pk}"])
            for field in self.form_fields
            if field.kind == FormField.Kind.FILE and self.cleaned_data.get(f"q{field.pk}")
        ]
