from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from municipia.directory.models import LocalGovernment, Network
from municipia.knowledge.models import ExperienceTranslation, SdgTarget, Theme

MAX_LINKS = 20


class SdgTargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.title[:110]}"


class ExperienceForm(forms.Form):
    city = forms.ModelChoiceField(
        queryset=LocalGovernment.objects.none(), label=_("Local government")
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of this text"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label=_("Summary"),
        help_text=_("Two or three sentences: what was done, where and for whom."),
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=60000,
        label=_("Description"),
        help_text=_("Paragraphs, lists and links are kept; other formatting is removed."),
    )
    results = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
        label=_("Results"),
    )
    networks = forms.ModelMultipleChoiceField(
        queryset=Network.objects.filter(is_published=True),
        label=_("Share in networks"),
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.select_related("network"), required=False, label=_("Themes")
    )
    sdg_targets = SdgTargetChoiceField(
        queryset=SdgTarget.objects.all(),
        required=False,
        label=_("SDG targets"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    partner_cities = forms.ModelMultipleChoiceField(
        queryset=LocalGovernment.objects.all(), required=False, label=_("Partner local governments")
    )
    started_on = forms.DateField(
        required=False, label=_("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        required=False, label=_("End"), widget=forms.DateInput(attrs={"type": "date"})
    )
    budget = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label=_("Budget")
    )
    currency = forms.RegexField(
        regex=r"^[A-Z]{3}$",
        required=False,
        label=_("Currency"),
        help_text=_("Three-letter code, such as EUR."),
        error_messages={"invalid": _("Enter a three-letter currency code, such as EUR.")},
    )
    funders = forms.CharField(max_length=500, required=False, label=_("Funders"))
    contacts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label=_("Contacts"),
    )
    links = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Links"),
        help_text=_("One web address per line."),
    )

    def __init__(self, *args, cities=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is not None:
            self.fields["city"].queryset = cities
        if editing:
            for name in ("city", "language"):
                self.fields[name].required = False
                self.fields[name].disabled = True

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Give at most %(count)d links.") % {"count": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except ValidationError as error:
                raise ValidationError(
                    _("“%(link)s” is not a web address.") % {"link": line[:80]}
                ) from error
        return lines

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end of the period comes before its start."))
        return data

    def text(self) -> dict:
        return {
            name: self.cleaned_data.get(name, "")
            for name in ("title", "summary", "body", "results")
        }

    def facts(self) -> dict:
        names = ("started_on", "ended_on", "budget", "currency", "funders", "contacts", "links")
        return {name: self.cleaned_data.get(name) for name in names} | {
            "currency": self.cleaned_data.get("currency") or "",
            "funders": self.cleaned_data.get("funders") or "",
            "contacts": self.cleaned_data.get("contacts") or "",
        }


class TranslationForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    origin = forms.ChoiceField(
        choices=[
            (ExperienceTranslation.Origin.HUMAN, _("Human translation")),
            (ExperienceTranslation.Origin.MACHINE, _("Machine translation")),
        ],
        label=_("Translated by"),
    )
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label=_("Summary")
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}), max_length=60000, label=_("Description")
    )
    results = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
        label=_("Results"),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label=_("What should the authors change?"),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
