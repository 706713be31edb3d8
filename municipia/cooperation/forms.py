"""The forms of cooperation (rendered like every form of the site, core/forms.py): filters of the project list and the staff's and partners'
actions. Every form hands its cleaned data to a service, which makes the business checks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.models import Project, ProjectReport
from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.directory.models import Country, Network
from municipia.finance.currencies import currency_choices
from municipia.knowledge.models import SdgGoal, Theme


class ProjectFilterForm(Form):
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


class StatusForm(Form):
    to = forms.ChoiceField(choices=Project.Status.choices, label=_("New status"))
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CommitmentForm(Form):
    amount = LocalDecimalField(max_digits=14, decimal_places=2, label=_("Amount"))
    currency = forms.ChoiceField(choices=(), label=_("Currency"))
    exchange_rate = LocalDecimalField(
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


class TrancheForm(Form):
    commitment = forms.ModelChoiceField(queryset=None, label=_("Commitment"))
    label = forms.CharField(max_length=120, label=_("Label"))
    amount = LocalDecimalField(max_digits=14, decimal_places=2, label=_("Amount"))
    planned_on = LocalDateField(label=_("Planned for"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = project.commitments.all()


class ReleaseForm(Form):
    report = forms.ModelChoiceField(queryset=None, label=_("Against the accepted report"))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = project.reports.filter(
            status=ProjectReport.Status.ACCEPTED, tranche__isnull=True
        )


class ReportForm(Form):
    kind = forms.ChoiceField(choices=ProjectReport.Kind.choices, label=_("Kind"))
    title = forms.CharField(max_length=250, label=_("Title"))
    period_start = LocalDateField(required=False, label=_("From"))
    period_end = LocalDateField(required=False, label=_("To"))
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}))
    document = forms.FileField(required=False, label=_("Document"))


class ReviewForm(Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return"))], label=_("Decision")
    )
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class IatiImportForm(Form):
    file = forms.FileField(
        label=_("IATI activity file"),
        help_text=_(
            "An IATI activity XML file, version 2.01 to 2.03, published by a funder or another "
            "network. Activities already imported are updated, not added twice."
        ),
    )
    fund = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Fund"),
        help_text=_("The fund the new projects belong to, if any."),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = network.cooperation_funds.order_by("name")

    def clean_file(self):
        from municipia.cooperation.iati_import import max_bytes, too_large

        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError(_("Please upload an .xml file."))
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large())
        return upload
