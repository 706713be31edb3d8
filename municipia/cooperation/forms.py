"""Plain Django forms of cooperation: filters of the project list and the staff's and partners'
actions. Every form hands its cleaned data to a service, which makes the business checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.models import Project, ProjectReport
from municipia.directory.models import Country, Network
from municipia.finance.currencies import currency_choices
from municipia.knowledge.models import SdgGoal, Theme


class StyledForm:
    """Gives every widget the Bootstrap class that matches it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")


class ProjectFilterForm(StyledForm, forms.Form):
    network = forms.ModelChoiceField(
        Network.objects.order_by("name"), required=False, to_field_name="slug", label=_("Network")
    )
    country = forms.ModelChoiceField(
        Country.objects.order_by("code"), required=False, to_field_name="code", label=_("Country")
    )
    theme = forms.ModelChoiceField(Theme.objects.all(), required=False, label=_("Theme"))
    sdg = forms.ModelChoiceField(SdgGoal.objects.all(), required=False, label=_("SDG"))
    status = forms.ChoiceField(
        choices=[("", "—"), *Project.Status.choices], required=False, label=_("Status")
    )
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200, label=_("Year"))


class StatusForm(StyledForm, forms.Form):
    to = forms.ChoiceField(choices=Project.Status.choices, label=_("New status"))
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CommitmentForm(StyledForm, forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, label=_("Amount"))
    currency = forms.ChoiceField(choices=(), label=_("Currency"))
    exchange_rate = forms.DecimalField(
        max_digits=20,
        decimal_places=10,
        required=False,
        label=_("Exchange rate"),
        help_text=_("Units of the fund's currency for one unit of this currency."),
    )
    note = forms.CharField(required=False, label=_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()


class TrancheForm(StyledForm, forms.Form):
    commitment = forms.ModelChoiceField(queryset=None, label=_("Commitment"))
    label = forms.CharField(max_length=120, label=_("Label"))
    amount = forms.DecimalField(max_digits=14, decimal_places=2, label=_("Amount"))
    planned_on = forms.DateField(
        label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = project.commitments.all()


class ReleaseForm(StyledForm, forms.Form):
    report = forms.ModelChoiceField(queryset=None, label=_("Against the accepted report"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = project.reports.filter(
            status=ProjectReport.Status.ACCEPTED, tranche__isnull=True
        )


class ReportForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(choices=ProjectReport.Kind.choices, label=_("Kind"))
    title = forms.CharField(max_length=250, label=_("Title"))
    period_start = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))
    document = forms.FileField(required=False, label=_("Document"))


class ReviewForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return"))], label=_("Decision")
    )
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )
