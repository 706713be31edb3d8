"""The forms of cooperation (rendered like every form of the site, core/forms.py): filters of the project list and the staff's and partners'
actions. Every form hands its cleaned data to a service, which makes the business checks."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.models import (
    BudgetLine,
    IatiPublisher,
    Income,
    Partner,
    Project,
    ProjectIndicator,
    ProjectReport,
    validate_iati_identifier,
)
from municipia.core import generations
from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.core.indicators import IndicatorFormBase
from municipia.core.widgets import AutocompleteSelect, LongSelect
from municipia.directory.models import Country, LocalGovernment, Network, Organisation
from municipia.finance.currencies import currency_choices
from municipia.knowledge.models import SdgGoal, Theme


class CachedChoicesMixin:
    """A filter form whose long selects of networks, countries, themes or goals are the same for
    every reader: their options are read once per language and change of those tables (core.
    generations), not built as hundreds of model instances on every request. Checking a choice
    still asks the field's queryset."""

    choice_scopes = ("directory", "knowledge")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelChoiceField) and isinstance(field.widget, LongSelect)
        ]
        cached = generations.cached(
            f"filter-choices:{type(self).__module__}.{type(self).__name__}:{get_language()}",
            lambda: {name: self._plain_choices(self.fields[name]) for name in names},
            scopes=self.choice_scopes,
        )
        for name in names:
            self.fields[name].widget.choices = cached[name]

    @staticmethod
    def _plain_choices(field) -> list[tuple[str, str]]:
        return [(str(getattr(value, "value", value)), str(label)) for value, label in field.choices]


class ProjectFilterForm(CachedChoicesMixin, Form):
    network = forms.ModelChoiceField(
        Network.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        label=_("Network"),
        widget=LongSelect,
    )
    country = forms.ModelChoiceField(
        Country.objects.order_by("code"),
        required=False,
        to_field_name="code",
        label=_("Country"),
        widget=LongSelect,
    )
    theme = forms.ModelChoiceField(
        Theme.objects.all(), required=False, label=_("Theme"), widget=LongSelect
    )
    sdg = forms.ModelChoiceField(
        SdgGoal.objects.all(), required=False, label=_("SDG"), widget=LongSelect
    )
    status = forms.ChoiceField(
        choices=[("", "—"), *Project.Status.choices], required=False, label=_("Status")
    )
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200, label=_("Year"))
    priority = forms.BooleanField(required=False, label=_("In priority areas"))


class StatusForm(Form):
    to = forms.ChoiceField(choices=Project.Status.choices, label=_("New status"))
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CurrencyField(forms.ChoiceField):
    """Every ISO 4217 currency, named in the reader's language; another code is refused."""

    default_error_messages = {
        "invalid_choice": _("“%(value)s” is not an ISO 4217 currency code."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Currency"))
        super().__init__(choices=currency_choices, **kwargs)


def _amount_field(**kwargs):
    return LocalDecimalField(max_digits=14, decimal_places=2, label=_("Amount"), **kwargs)


def _rate_field():
    return LocalDecimalField(
        max_digits=20,
        decimal_places=10,
        required=False,
        label=_("Exchange rate"),
        help_text=_("Units of the fund's currency for one unit of this currency."),
    )


class OnePartyForm(Form):
    """A local government (typed, found in the gazetteer) or an organisation: exactly one."""

    local_government = forms.ModelChoiceField(
        LocalGovernment.objects.all(),
        required=False,
        label=_("Local government"),
        widget=AutocompleteSelect("api:ac-places"),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.order_by("name"), required=False, label=_("Organisation")
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("local_government")) == bool(data.get("organisation")):
            raise forms.ValidationError(
                _("Choose either a local government or an organisation, not both.")
            )
        return data


class PartnerForm(OnePartyForm):
    role = forms.ChoiceField(choices=Partner.Role.choices, label=_("Role"))
    contribution = forms.CharField(
        required=False, label=_("What it brings"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CoFundingForm(OnePartyForm):
    currency = CurrencyField()
    amount = _amount_field()
    confirmed = forms.BooleanField(required=False, label=_("Confirmed"))
    note = forms.CharField(required=False, max_length=300, label=_("Note"))


class BudgetLineForm(Form):
    category = forms.ChoiceField(choices=BudgetLine.Category.choices, label=_("Category"))
    description = forms.CharField(max_length=300, label=_("Description"))
    currency = CurrencyField()
    amount = _amount_field()


class MilestoneForm(Form):
    title = forms.CharField(max_length=250, label=_("Title"))
    due_on = LocalDateField(label=_("Due on"))
    reached_on = LocalDateField(required=False, label=_("Reached on"))


class ProjectIndicatorForm(IndicatorFormBase):
    class Meta(IndicatorFormBase.Meta):
        model = ProjectIndicator


class IncomeForm(Form):
    source = forms.ModelChoiceField(
        Organisation.objects.order_by("name"),
        label=_("From"),
        help_text=_("The donor, the European Commission, a foundation…"),
    )
    kind = forms.ChoiceField(choices=Income.Kind.choices, label=_("Kind"))
    year = forms.IntegerField(min_value=1900, max_value=2200, label=_("Year"))
    received_on = LocalDateField(label=_("Received on"))
    currency = CurrencyField()
    amount = _amount_field()
    exchange_rate = _rate_field()
    reference = forms.CharField(required=False, max_length=120, label=_("Reference"))
    description = forms.CharField(
        required=False, label=_("Description"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CommitmentForm(Form):
    amount = _amount_field()
    currency = CurrencyField()
    exchange_rate = _rate_field()
    note = forms.CharField(required=False, label=_("Note"))


class TrancheForm(Form):
    commitment = forms.ModelChoiceField(queryset=None, label=_("Commitment"))
    label = forms.CharField(max_length=120, label=_("Label"))
    amount = _amount_field()
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


class StatementLanguageForm(Form):
    lang = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the statement"))


class IatiPublisherForm(Form):
    reporting_org_ref = forms.CharField(
        max_length=120,
        label=_("Reporting organisation identifier"),
        help_text=_("The network's identifier in the IATI registry, like XM-DAC-41114."),
        validators=[validate_iati_identifier],
    )
    reporting_org_type = forms.ChoiceField(
        choices=IatiPublisher.OrganisationType.choices, label=_("Reporting organisation type")
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
