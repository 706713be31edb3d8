"""Forms of funding opportunities (rendered like every form of the site, core/forms.py): the list's
filters, the staff's form, following themes and the import upload. The forms parse; the service
makes the business checks and its refusal is shown on the form."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.opportunities.models import ApplicantKind, Opportunity
from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.core.zones import ZonedDateTimeField, make_aware_in, zone_choices
from municipia.directory.models import Country, Network, Organisation, region_name
from municipia.finance.currencies import currency_choices
from municipia.knowledge.models import SdgGoal, SdgTarget, Theme

# The world regions and sub-regions of UN M49 that funders name.
REGIONS = (
    "002",  # Africa
    "202",  # Sub-Saharan Africa
    "015",  # Northern Africa
    "019",  # Americas
    "419",  # Latin America and the Caribbean
    "021",  # Northern America
    "142",  # Asia
    "145",  # Western Asia
    "150",  # Europe
    "009",  # Oceania
)


def region_choices():
    return [(code, region_name(code)) for code in REGIONS]


class OpportunityFilterForm(Form):
    network = forms.ModelChoiceField(
        Network.objects.order_by("name"), required=False, to_field_name="slug", label=_("Network")
    )
    theme = forms.ModelChoiceField(Theme.objects.all(), required=False, label=_("Theme"))
    sdg = forms.ModelChoiceField(SdgGoal.objects.all(), required=False, label=_("SDG"))
    region = forms.ChoiceField(choices=(), required=False, label=_("Region"))
    country = forms.ModelChoiceField(
        Country.objects.order_by("code"), required=False, to_field_name="code", label=_("Country")
    )
    deadline_before = LocalDateField(required=False, label=_("Deadline before"))

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *region_choices()]
        if network is not None:
            del self.fields["network"]
            self.fields["theme"].queryset = Theme.objects.filter(network=network)


class OpportunityForm(Form):
    fieldsets = (
        (_("The opportunity"), ("funder", "programme", "language", "title", "summary", "url")),
        (_("Deadline"), ("deadline", "time_zone")),
        (_("Who may apply"), ("applicant_kinds", "regions", "countries")),
        (_("Themes"), ("themes", "sdg_targets")),
        (
            _("Money"),
            ("cofinancing_rate", "currency", "amount_min", "amount_max"),
        ),
        (_("Publication"), ("is_published",)),
    )

    funder = forms.ModelChoiceField(
        Organisation.objects.order_by("name"),
        label=_("Funder"),
        help_text=_("An organisation of the directory."),
    )
    programme = forms.CharField(max_length=250, label=_("Programme"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the text"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    url = forms.URLField(required=False, max_length=500, assume_scheme="https", label=_("Link"))
    deadline = ZonedDateTimeField(
        label=_("Deadline"), help_text=_("On the clock of the zone below.")
    )
    time_zone = forms.ChoiceField(choices=(), initial="Europe/Brussels", label=_("Time zone"))
    applicant_kinds = forms.MultipleChoiceField(
        choices=ApplicantKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Who may apply"),
        help_text=_("None ticked: any applicant."),
    )
    regions = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Eligible regions"),
        help_text=_("None ticked and no country: worldwide."),
    )
    countries = forms.ModelMultipleChoiceField(
        Country.objects.order_by("code"), required=False, label=_("Eligible countries")
    )
    themes = forms.ModelMultipleChoiceField(Theme.objects.none(), required=False, label=_("Themes"))
    sdg_targets = forms.ModelMultipleChoiceField(
        SdgTarget.objects.select_related("goal"), required=False, label=_("SDG targets")
    )
    cofinancing_rate = LocalDecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        label=_("Co-financing rate (%)"),
        help_text=_("The share of the costs the funder pays."),
    )
    currency = forms.ChoiceField(choices=(), required=False, label=_("Currency"))
    amount_min = LocalDecimalField(
        max_digits=14, decimal_places=2, required=False, label=_("Smallest grant")
    )
    amount_max = LocalDecimalField(
        max_digits=14, decimal_places=2, required=False, label=_("Largest grant")
    )
    is_published = forms.BooleanField(required=False, initial=True, label=_("Published"))

    def __init__(self, *args, network, opportunity: Opportunity | None = None, **kwargs):
        if opportunity is not None:
            kwargs.setdefault("initial", initial_for(opportunity))
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
        self.fields["regions"].choices = region_choices()
        self.fields["currency"].choices = [("", "—"), *currency_choices()]
        self.fields["themes"].queryset = Theme.objects.filter(network=network)
        if opportunity is not None:
            # The text's language stays the original's; translations have their own form.
            del self.fields["language"]
            self.fields["deadline"].zone = opportunity.time_zone

    def clean(self):
        data = super().clean()
        deadline = data.get("deadline")
        if deadline is not None and data.get("time_zone"):
            try:
                data["deadline"] = make_aware_in(deadline, data["time_zone"])
            except forms.ValidationError as error:
                self.add_error("deadline", error)
        return data


def initial_for(opportunity: Opportunity) -> dict:
    text = opportunity.text(opportunity.original_language)
    return {
        "funder": opportunity.funder_id,
        "programme": opportunity.programme,
        "title": text.title if text else "",
        "summary": text.summary if text else "",
        "url": opportunity.url,
        "deadline": opportunity.deadline,
        "time_zone": opportunity.time_zone,
        "applicant_kinds": opportunity.applicant_kinds,
        "regions": opportunity.regions,
        "countries": list(opportunity.countries.all()),
        "themes": list(opportunity.themes.all()),
        "sdg_targets": list(opportunity.sdg_targets.all()),
        "cofinancing_rate": opportunity.cofinancing_rate,
        "currency": opportunity.currency,
        "amount_min": opportunity.amount_min,
        "amount_max": opportunity.amount_max,
        "is_published": opportunity.is_published,
    }


class TranslationForm(Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))


class FollowForm(Form):
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Themes you follow"),
        help_text=_("You receive an e-mail when a new opportunity on one of them suits your city."),
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = themes


class ImportForm(Form):
    file = forms.FileField(
        label=_("Table of opportunities"),
        help_text=_("CSV or XLSX, one opportunity per row, with a heading row."),
    )
