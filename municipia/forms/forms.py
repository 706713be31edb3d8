"""Django forms of the form builder: a field as staff edit it, and a form's questions as people
answer them. They parse input only; owners' services decide and refuse."""

import datetime

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import FormMixin
from municipia.core.widgets import LocalDateInput
from municipia.forms.answers import NO, OTHER, YES, chosen_values, is_other, pairs
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

    items_text = forms.CharField(
        label=_("Items"),
        required=False,
        help_text=_('For a matrix: the rows rated, one per line, "value | label".'),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = FormField
        fields = [
            "position",
            "kind",
            "required",
            "visible_to_jury",
            "min_value",
            "max_value",
            "allow_other",
        ]

    def __init__(self, *args, earlier_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields()
        if earlier_fields is not None:
            self._add_condition_fields(earlier_fields)
        if self.instance.pk:
            self.initial["items_text"] = "\n".join(
                f"{i['value']} | {i['label'].get(get_language() or 'en', '')}"
                for i in self.instance.items
            )
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

    def _add_condition_fields(self, earlier_fields):
        """A question may be asked only when an earlier one was answered with some values."""
        asked = [field for field in earlier_fields if field.asks and field.pk != self.instance.pk]
        self.fields["condition_field"] = forms.ChoiceField(
            label=_("Ask only when this earlier question…"),
            required=False,
            choices=[("", "—"), *((str(f.pk), f.label_text) for f in asked)],
            initial=str(self.instance.condition.get("field", "")),
        )
        self.fields["condition_values"] = forms.CharField(
            label=_("…was answered with one of these values"),
            required=False,
            help_text=_("Values separated by commas, e.g. 4, 5."),
            initial=", ".join(str(v) for v in self.instance.condition.get("values", [])),
        )

    def _labelled_lines(self, name, earlier_entries):
        language = _language()
        earlier = {e["value"]: dict(e.get("label") or {}) for e in earlier_entries or []}
        entries = []
        for key, label in parse_lines(self.cleaned_data.get(name, "")):
            if key:
                labels = earlier.get(key, {})
                labels[language] = label or key
                entries.append({"value": key, "label": labels})
        if len({e["value"] for e in entries}) != len(entries):
            raise forms.ValidationError(_("Each option needs its own value."))
        return entries

    def clean_choices_text(self):
        return self._labelled_lines("choices_text", self.instance.choices)

    def clean_items_text(self):
        return self._labelled_lines("items_text", self.instance.items)

    def _clean_condition(self, cleaned):
        if "condition_field" not in self.fields:
            return self.instance.condition
        field = cleaned.get("condition_field")
        values = [v.strip() for v in (cleaned.get("condition_values") or "").split(",")]
        values = [v for v in values if v]
        if field and not values:
            self.add_error("condition_values", _("Give the values that show this question."))
        return {"field": int(field), "values": values} if field and values else {}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") in FormField.OPTION_KINDS and not cleaned.get("choices_text"):
            self.add_error("choices_text", _("A choice needs options."))
        if cleaned.get("kind") == FormField.Kind.MATRIX and not cleaned.get("items_text"):
            self.add_error("items_text", _("A matrix needs items."))
        if cleaned.get("kind") == FormField.Kind.SCALE:
            low, high = cleaned.get("min_value"), cleaned.get("max_value")
            low = 1 if low is None else low
            high = 5 if high is None else high
            if low != int(low) or high != int(high) or not 2 <= high - low + 1 <= 11:
                self.add_error("max_value", _("A scale has from 2 to 11 whole points."))
        self.condition = self._clean_condition(cleaned)
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum is below the minimum."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)
        self.instance.word_limits = self.cleaned_data.get("word_limits_text", {})
        self.instance.choices = self.cleaned_data.get("choices_text", [])
        self.instance.items = self.cleaned_data.get("items_text", [])
        self.instance.condition = getattr(self, "condition", self.instance.condition)


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


OTHER_CHOICE = "__other__"


class AnswersForm(FormMixin, forms.Form):
    """A form's questions as a Django form; nothing is required here, submission checks
    completeness. Inputs are named `q<field id>`; a matrix or a ranking has one input per item
    (`q<id>_<n>`), an "other" answer its text in `q<id>_other`. Section headings group the
    questions that follow them; a conditional question's inputs carry the question and values
    that show it (`data-show-if`, `data-show-values`), read by `forms/conditions.js`."""

    def __init__(self, *args, fields, answers=None, currency="", **kwargs):
        super().__init__(*args, **kwargs)
        fields = list(fields)
        self.form_fields = [field for field in fields if field.asks]
        self.currency = currency
        answers = answers or {}
        groups, names = [], []
        for field in fields:
            if not field.asks:
                groups.append([field.label_text, []])
                continue
            value = answers.get(field.key, "")
            if field.kind in FormField.ITEM_KINDS:
                added = self._item_fields(field, value)
            else:
                added = {f"q{field.pk}": self._field_for(field, value)}
                if field.allow_other and field.kind in FormField.CHOICE_KINDS:
                    added[f"q{field.pk}_other"] = self._other_field(field, value)
            for name, form_field in added.items():
                self._add_condition(field, form_field)
                self.fields[name] = form_field
            (groups[-1][1] if groups else names).extend(added)
        if groups:
            self.fieldsets = (("", tuple(names)), *((legend, tuple(n)) for legend, n in groups))

    def _add_condition(self, field, form_field):
        condition = field.condition or {}
        if condition.get("field"):
            form_field.widget.attrs["data-show-if"] = f"q{condition['field']}"
            form_field.widget.attrs["data-show-values"] = "|".join(
                str(v) for v in condition.get("values", [])
            )

    def _other_field(self, field, value):
        others = [c[len(OTHER) :] for c in chosen_values(value) if is_other(c)]
        return forms.CharField(
            label=_("Other (write your answer)"),
            required=False,
            max_length=300,
            initial=others[0] if others else "",
        )

    def _item_fields(self, field, value):
        given = pairs(value)
        if field.kind == FormField.Kind.MATRIX:
            entries, choices = field.item_options(), field.scale_points()
            widget = forms.RadioSelect(attrs={"class": "scale-point"})
        else:
            entries = field.choice_options()
            choices = [("", "—"), *((str(n), str(n)) for n in range(1, len(entries) + 1))]
            widget = forms.Select
        return {
            f"q{field.pk}_{index}": forms.ChoiceField(
                label=f"{field.label_text} · {label}",
                help_text=field.help if index == 0 else "",
                choices=choices,
                required=False,
                initial=given.get(entry, ""),
                widget=widget,
            )
            for index, (entry, label) in enumerate(entries)
        }

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
        other = [(OTHER_CHOICE, _("Other"))] if field.allow_other else []
        if kind == Kind.CHOICE:
            if is_other(initial):
                common["initial"] = OTHER_CHOICE
            return forms.ChoiceField(choices=[("", "—"), *field.choice_options(), *other], **common)
        if kind == Kind.MULTIPLE:
            chosen = chosen_values(initial)
            if any(is_other(c) for c in chosen):
                common["initial"] = [c for c in chosen if not is_other(c)] + [OTHER_CHOICE]
            return MultipleAnswerField(choices=[*field.choice_options(), *other], **common)
        if kind in FormField.SCALE_KINDS:
            return forms.ChoiceField(
                choices=field.scale_points(),
                widget=forms.RadioSelect(attrs={"class": "scale-point"}),
                **common,
            )
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
            field.key: self._answer(field)
            for field in self.form_fields
            if field.kind != FormField.Kind.FILE
        }

    def _answer(self, field) -> str:
        data = self.cleaned_data
        if field.kind in FormField.ITEM_KINDS:
            entries = field.item_options() if field.kind == FormField.Kind.MATRIX else None
            entries = entries if entries is not None else field.choice_options()
            return "\n".join(
                f"{entry}={data[f'q{field.pk}_{index}']}"
                for index, (entry, _label) in enumerate(entries)
                if data.get(f"q{field.pk}_{index}")
            )
        value = data.get(f"q{field.pk}") or ""
        if field.allow_other and field.kind in FormField.CHOICE_KINDS:
            other = OTHER + (data.get(f"q{field.pk}_other") or "").strip()
            chosen = [other if c == OTHER_CHOICE else c for c in chosen_values(value)]
            value = "\n".join(chosen)
        return value

    def uploads(self) -> list[tuple[FormField, object]]:
        return [
            (field, self.cleaned_data[f"q{field.pk}"])
            for field in self.form_fields
            if field.kind == FormField.Kind.FILE and self.cleaned_data.get(f"q{field.pk}")
        ]
