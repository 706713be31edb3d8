"""Forms of the staff pages: a questionnaire's settings and a list of people to invite. They parse
input only; `services` decides."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import FormMixin, LocalDateField
from municipia.forms.forms import TranslatedFieldsMixin
from municipia.surveys.models import Questionnaire
from municipia.surveys.targets import target_choices

MAX_INVITED = 5000


class QuestionnaireForm(FormMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": (_("Title"), forms.TextInput, False),
        "intro": (_("Introduction"), forms.Textarea(attrs={"rows": 2}), False),
    }
    closes_on = LocalDateField(label=_("Closes on"), required=False)
    target_kind = forms.ChoiceField(label=_("About"), required=False)

    class Meta:
        model = Questionnaire
        fields = [
            "network",
            "original_language",
            "anonymous",
            "public",
            "min_results",
            "closes_on",
            "target_kind",
            "target_id",
            "is_template",
        ]
        labels = {"target_id": _("Number of what it is about")}

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["target_kind"].choices = [("", _("A list of people")), *target_choices()]
        self._add_translated_fields()
        if self.instance.pk and self.instance.sent_at:
            self.fields["anonymous"].disabled = True  # fixed once sent: see the model

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"title_{code}") for code, _name in settings.LANGUAGES):
            self.add_error(None, _("Give the questionnaire a title."))
        if cleaned.get("target_kind") and not cleaned.get("target_id"):
            self.add_error("target_id", _("Say which one it is about."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)


class InviteForm(FormMixin, forms.Form):
    people = forms.CharField(
        label=_("People to invite"),
        help_text=_('One per line: "e-mail, name, language", e.g. "ana@example.org, Ana, es".'),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_people(self):
        languages = {code for code, _name in settings.LANGUAGES}
        people = []
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), start=1):
            if not line.strip():
                continue
            email, name, language = ([p.strip() for p in line.split(",")] + ["", ""])[:3]
            try:
                validate_email(email)
            except ValidationError:
                raise forms.ValidationError(
                    _("Line %(line)s: enter an e-mail address.") % {"line": number}
                ) from None
            if language and language not in languages:
                raise forms.ValidationError(
                    _("Line %(line)s: the language is one of %(codes)s.")
                    % {"line": number, "codes": ", ".join(sorted(languages))}
                )
            people.append((None, email, name, language))
        if len(people) > MAX_INVITED:
            raise forms.ValidationError(
                _("Invite at most %(count)s people at once.") % {"count": MAX_INVITED}
            )
        return people


class IndicatorFeedForm(FormMixin, forms.Form):
    """Which of the plan's indicators a question feeds, and with which figure."""

    indicator = forms.TypedChoiceField(label=_("Indicator of the plan"), coerce=int)
    question = forms.TypedChoiceField(label=_("Question"), coerce=int)
    measure = forms.ChoiceField(label=_("Figure"))

    def __init__(self, *args, indicators, questions, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, str(i)) for i in indicators]
        self.fields["question"].choices = [(f.pk, f.label_text) for f in questions]
        self.fields["measure"].choices = measures
