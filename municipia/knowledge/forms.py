from crispy_forms.layout import HTML
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.core.widgets import AutocompleteSelectMultiple
from municipia.directory.models import LocalGovernment, Network
from municipia.knowledge.models import ExperienceTranslation, SdgTarget, Theme

MAX_LINKS = 20


class SdgTargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.title[:110]}"


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ExperienceForm(Form):
    fieldsets = (
        (_("The experience"), ("city", "language", "title", "summary", "body", "results")),
        (_("Where it is shared"), ("networks", "themes")),
        (
            _("Sustainable Development Goals"),
            (HTML('{% include "knowledge/partials/sdg_suggest.html" %}'), "sdg_targets"),
        ),
        (_("Partners and period"), ("partner_cities", "started_on", "ended_on")),
        (_("Budget and funding"), ("budget", "currency", "funders")),
        (_("Contacts and links"), ("contacts", "links")),
    )

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
        queryset=Theme.objects.select_related("network"),
        required=False,
        label=_("Themes"),
        help_text=_("The themes of the networks ticked above."),
        widget=AutocompleteSelectMultiple("api:ac-themes", depends_on="networks"),
    )
    sdg_targets = SdgTargetChoiceField(
        queryset=SdgTarget.objects.all(),
        required=False,
        label=_("SDG targets"),
        help_text=_("Type a target's number (11.2) or words of its title."),
        widget=AutocompleteSelectMultiple("api:ac-sdg-targets"),
    )
    partner_cities = PlaceChoiceField(
        queryset=LocalGovernment.objects.select_related("country"),
        required=False,
        label=_("Partner local governments"),
        help_text=_("Type the first letters of a name, in any language."),
        widget=AutocompleteSelectMultiple("api:ac-places"),
    )
    started_on = LocalDateField(required=False, label=_("Start"))
    ended_on = LocalDateField(required=False, label=_("End"))
    budget = LocalDecimalField(
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
            only = list(cities[:2])
            if len(only) == 1:  # the usual case: an officer of one city
                self.fields["city"].initial = only[0].pk
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
        networks, themes = data.get("networks"), data.get("themes")
        if networks is not None and themes:
            outside = [theme for theme in themes if theme.network not in networks]
            if outside:
                self.add_error(
                    "themes",
                    _("“%(theme)s” is a theme of a network the experience is not shared in.")
                    % {"theme": outside[0].name},
                )
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


class TranslationForm(Form):
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


class ReturnForm(Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        label=_("What should the authors change?"),
    )


class AttachmentForm(Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
