"""The forms of missions (rendered like every form of the site, core/forms.py): the mission, its
delegation, meetings and costs (inline formsets), the list's filters and the officers' choices of
what their international action page shows. Each hands its cleaned data to a service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.missions.models import DelegationMember, Meeting, Mission, MissionCost
from municipia.cooperation.models import Project
from municipia.core.forms import Form, LocalDateField, LocalDecimalField, ModelForm
from municipia.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from municipia.core.zones import ZonedDateTimeField, in_zone, make_aware_in, zone_choices
from municipia.directory.models import Country, LocalGovernment, Organisation, Person
from municipia.finance.currencies import currency_choices
from municipia.knowledge.forms import PlaceChoiceField

UNKNOWN_CURRENCY = _("“%(value)s” is not an ISO 4217 currency code.")


def _currency_field(label):
    return forms.ChoiceField(
        choices=(), label=label, error_messages={"invalid_choice": UNKNOWN_CURRENCY}
    )


class PlaceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class MissionForm(Form):
    fieldsets = (
        (_("Whose mission"), ("local_government", "network", "direction")),
        (_("The mission"), ("title", "purpose", "destinations", "projects")),
        (_("When"), ("time_zone", "starts_at", "ends_at")),
        (_("Results and publication"), ("outcomes", "currency", "is_public", "costs_public")),
    )

    local_government = PlaceChoice(
        queryset=LocalGovernment.objects.none(), required=False, label=_("Local government")
    )
    network = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Network"), help_text=_("Or the network's mission.")
    )
    direction = forms.ChoiceField(choices=Mission.Direction.choices, label=_("Direction"))
    title = forms.CharField(max_length=250, label=_("Title"))
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    destinations = PlaceChoiceField(
        queryset=LocalGovernment.objects.select_related("country"),
        label=_("Places"),
        help_text=_(
            "Where the delegation goes; for a visit received, where the visitors come from. Type "
            "the first letters of a name, in any language."
        ),
        widget=AutocompleteSelectMultiple("api:ac-places"),
    )
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), required=False, label=_("Cooperation projects")
    )
    time_zone = forms.ChoiceField(
        choices=(),
        required=False,
        label=_("Time zone"),
        help_text=_("The clock on which the dates are read; the first place's when left empty."),
    )
    starts_at = ZonedDateTimeField(label=_("Starts"))
    ends_at = ZonedDateTimeField(label=_("Ends"))
    outcomes = forms.CharField(
        required=False, label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 4})
    )
    currency = _currency_field(_("Currency of the accounts"))
    is_public = forms.BooleanField(
        required=False, label=_("Public"), help_text=_("Shown on the international action page.")
    )
    costs_public = forms.BooleanField(
        required=False,
        label=_("Costs public"),
        help_text=_("The costs are shown with the mission, once it is public."),
    )

    def __init__(
        self, *args, cities, networks, projects, search_cities=False, mission=None, **kwargs
    ):
        if mission is not None:
            kwargs.setdefault("initial", initial_for(mission))
        super().__init__(*args, **kwargs)
        self.fields["local_government"].queryset = cities.select_related("country")
        if search_cities:  # every place of the gazetteer: typed, not listed
            self.fields["local_government"].widget = AutocompleteSelect("api:ac-places")
        self.fields["network"].queryset = networks.order_by("name")
        self.fields["projects"].queryset = projects
        self.fields["time_zone"].choices = [("", "—"), *zone_choices()]
        self.fields["currency"].choices = currency_choices()
        self.fields["currency"].initial = self.fields["currency"].initial or "EUR"

    def clean(self):
        data = super().clean()
        if bool(data.get("local_government")) == bool(data.get("network")):
            raise forms.ValidationError(
                _("Choose the local government or the network whose mission it is (one).")
            )
        places = data.get("destinations") or []
        zone = data.get("time_zone") or (places[0].timezone if places else "") or "UTC"
        data["time_zone"] = zone
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                try:
                    data[name] = make_aware_in(data[name], zone)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The mission cannot end before it starts."))
        return data

    def mission_fields(self) -> dict:
        data = self.cleaned_data
        names = (
            "local_government",
            "network",
            "direction",
            "title",
            "purpose",
            "time_zone",
            "starts_at",
            "ends_at",
            "outcomes",
            "currency",
            "is_public",
            "costs_public",
        )
        return {name: data[name] for name in names}


def initial_for(mission: Mission) -> dict:
    return {
        "local_government": mission.local_government_id,
        "network": mission.network_id,
        "direction": mission.direction,
        "title": mission.title,
        "purpose": mission.purpose,
        "destinations": [p.pk for p in mission.destinations.all()],
        "projects": [p.pk for p in mission.projects.all()],
        "time_zone": mission.time_zone,
        # Shown on the mission's clock, not the reader's.
        "starts_at": in_zone(mission.starts_at, mission.time_zone).replace(tzinfo=None),
        "ends_at": in_zone(mission.ends_at, mission.time_zone).replace(tzinfo=None),
        "outcomes": mission.outcomes,
        "currency": mission.currency,
        "is_public": mission.is_public,
        "costs_public": mission.costs_public,
    }


class DelegationForm(ModelForm):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        label=_("Person"),
        widget=AutocompleteSelect("api:ac-people"),
    )

    class Meta:
        model = DelegationMember
        fields = ["person", "role"]


class MeetingForm(ModelForm):
    held_on = LocalDateField(label=_("Date"))
    local_government = PlaceChoice(
        queryset=LocalGovernment.objects.select_related("country"),
        required=False,
        label=_("Local government"),
        widget=AutocompleteSelect("api:ac-places"),
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "with_whom", "organisation", "local_government", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class CostForm(ModelForm):
    currency = _currency_field(_("Currency"))
    amount = LocalDecimalField(max_digits=14, decimal_places=2, label=_("Amount"))
    exchange_rate = LocalDecimalField(
        max_digits=20,
        decimal_places=10,
        required=False,
        label=_("Exchange rate"),
        help_text=_("Units of the mission's currency for one unit of this currency."),
    )

    class Meta:
        model = MissionCost
        fields = ["category", "description", "currency", "amount", "exchange_rate"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [("", "—"), *currency_choices()]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount of a cost must be greater than zero."))
        return amount

    def clean_exchange_rate(self):
        rate = self.cleaned_data["exchange_rate"]
        if rate is not None and rate <= 0:
            raise forms.ValidationError(_("The exchange rate must be greater than zero."))
        return rate


def _formset(model, form, extra):
    return forms.inlineformset_factory(Mission, model, form=form, extra=extra, can_delete=True)


DelegationFormSet = _formset(DelegationMember, DelegationForm, 3)
MeetingFormSet = _formset(Meeting, MeetingForm, 2)
CostFormSet = _formset(MissionCost, CostForm, 3)


def kept(formset) -> list[dict]:
    """The rows of a valid formset that stay: filled in and not ticked for deletion."""
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class MissionFilterForm(Form):
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200, label=_("Year"))
    direction = forms.ChoiceField(
        choices=[("", "—"), *Mission.Direction.choices], required=False, label=_("Direction")
    )
    country = forms.ModelChoiceField(
        Country.objects.order_by("code"), required=False, to_field_name="code", label=_("Country")
    )


class PageSettingsForm(Form):
    show_dues = forms.BooleanField(
        required=False,
        label=_("Show the dues paid to networks"),
        help_text=_("The amounts paid each year to the networks the city belongs to."),
    )
    introduction = forms.CharField(
        required=False,
        label=_("Introduction"),
        help_text=_("A few words for citizens on the city's international action."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
