"""The forms of agreements (rendered like every form of the site, core/forms.py): the list's
filters, recording and editing an agreement, its status, its documents and an import. Each form
hands its cleaned data to a service, which makes the business checks."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.accounts.permissions import local_government_ids_with_role
from municipia.cooperation.agreements.models import Agreement
from municipia.cooperation.agreements.permissions import author_networks
from municipia.cooperation.agreements.services import FIELDS
from municipia.cooperation.forms import CachedChoicesMixin
from municipia.cooperation.models import Project
from municipia.core.forms import Form, LocalDateField
from municipia.core.widgets import AutocompleteSelectMultiple, LongSelect
from municipia.directory.models import Country, LocalGovernment, Network, Organisation, Person
from municipia.plans.models import Activity


class AgreementFilterForm(CachedChoicesMixin, Form):
    kind = forms.ChoiceField(
        choices=[("", "—"), *Agreement.Kind.choices], required=False, label=_("Type")
    )
    status = forms.ChoiceField(
        choices=[("", "—"), *Agreement.Status.choices], required=False, label=_("Status")
    )
    country = forms.ModelChoiceField(
        Country.objects.order_by("code"),
        required=False,
        to_field_name="code",
        label=_("Country of a party"),
        widget=LongSelect,
    )
    network = forms.ModelChoiceField(
        Network.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        label=_("Network"),
        widget=LongSelect,
    )
    year = forms.IntegerField(
        required=False, min_value=1900, max_value=2200, label=_("Year of signature")
    )


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.code


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.objective.plan} · {obj.description[:80]}"


class AgreementForm(Form):
    fieldsets = (
        (_("The agreement"), ("network", "kind", "title", "summary", "language", "status")),
        (_("Parties and signatories"), ("cities", "organisations", "signatories")),
        (
            _("Period and renewal"),
            ("signed_on", "starts_on", "ends_on", "duration_months", "renewal", "renewal_months"),
        ),
        (_("What it covers"), ("projects", "activities", "document", "is_public")),
    )

    network = forms.ModelChoiceField(queryset=None, label=_("Recorded by the network"))
    kind = forms.ChoiceField(choices=Agreement.Kind.choices, label=_("Type"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(
        required=False, label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(
        choices=[("", "—"), *settings.LANGUAGES], required=False, label=_("Language of the text")
    )
    status = forms.ChoiceField(
        choices=[
            (Agreement.Status.DRAFT, Agreement.Status.DRAFT.label),
            (Agreement.Status.IN_FORCE, Agreement.Status.IN_FORCE.label),
        ],
        label=_("Status"),
    )
    cities = PlaceChoiceField(
        queryset=LocalGovernment.objects.select_related("country"),
        required=False,
        label=_("Local governments"),
        help_text=_("Type the first letters of a name, in any language."),
        widget=AutocompleteSelectMultiple("api:ac-places"),
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("Organisations"),
        help_text=_("Networks, universities, international institutions, funders."),
    )
    signatories = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(),
        required=False,
        label=_("Signatories"),
        widget=AutocompleteSelectMultiple("api:ac-people"),
    )
    signed_on = LocalDateField(required=False, label=_("Signed on"))
    starts_on = LocalDateField(required=False, label=_("In force from"))
    ends_on = LocalDateField(required=False, label=_("Ends on"))
    duration_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1200,
        label=_("Duration (months)"),
        help_text=_("Where the text gives a duration rather than an end date."),
    )
    renewal = forms.ChoiceField(choices=Agreement.Renewal.choices, label=_("Renewal"))
    renewal_months = forms.IntegerField(
        required=False, min_value=1, max_value=1200, label=_("Renewed for (months)")
    )
    projects = ProjectChoiceField(queryset=None, required=False, label=_("Projects covered"))
    activities = ActivityChoiceField(
        queryset=None, required=False, label=_("Plan activities covered")
    )
    document = forms.FileField(required=False, label=_("Document"))
    is_public = forms.BooleanField(
        required=False,
        label=_("Public"),
        help_text=_("Shown to everyone, on the parties' pages and in the API once in force."),
    )

    def __init__(self, *args, user, agreement: Agreement | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        networks = author_networks(user)
        self.fields["network"].queryset = networks.order_by("name")
        self.fields["projects"].queryset = Project.objects.visible_to(user).only("id", "code")
        cities = local_government_ids_with_role(user, "city_officer")
        self.fields["activities"].queryset = Activity.objects.filter(
            Q(objective__plan__network__in=networks)
            | Q(objective__plan__local_government_id__in=cities)
        ).select_related("objective__plan")
        self.fields["signatories"].queryset = Person.objects.visible_to(user)
        if agreement is not None:
            del self.fields["network"], self.fields["status"]

    @staticmethod
    def initial_for(agreement: Agreement) -> dict:
        parties = list(agreement.parties.all())
        return {
            **{field: getattr(agreement, field) for field in FIELDS},
            "cities": [p.local_government_id for p in parties if p.local_government_id],
            "organisations": [p.organisation_id for p in parties if p.organisation_id],
            "signatories": list(agreement.signatories.values_list("person_id", flat=True)),
            "projects": list(agreement.projects.values_list("pk", flat=True)),
            "activities": list(agreement.activities.values_list("pk", flat=True)),
        }

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in FIELDS}

    def parties(self) -> list:
        return [*self.cleaned_data["cities"], *self.cleaned_data["organisations"]]


class AgreementStatusForm(Form):
    to = forms.ChoiceField(choices=Agreement.Status.choices, label=_("New status"))
    ends_on = LocalDateField(
        required=False,
        label=_("New end date"),
        help_text=_("For a renewal; left empty, the renewal period is added to the end."),
    )
    note = forms.CharField(
        required=False, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class AgreementDocumentForm(Form):
    document = forms.FileField(label=_("Document"))


class AgreementImportForm(Form):
    network = forms.ModelChoiceField(queryset=None, label=_("Network"))
    file = forms.FileField(
        label=_("File"), help_text=_("CSV or XLSX, one agreement a row, with a heading row.")
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks.order_by("name")


class ImportChoicesForm(Form):
    """The candidates chosen for the ambiguous parties: `party-<row>-<index>` → a place's id."""

    def __init__(self, *args, agreement_import, **kwargs):
        super().__init__(*args, **kwargs)
        for row in agreement_import.rows:
            for index, party in enumerate(row["parties"]):
                if party["outcome"] == "choose":
                    self.fields[f"party-{row['line']}-{index}"] = forms.ChoiceField(
                        required=False,
                        choices=[("", "—")] + [(c["key"], c["label"]) for c in party["candidates"]],
                        label=_("Row %(line)s: %(name)s")
                        % {"line": row["line"], "name": party["name"]},
                        initial=party.get("key") or "",
                    )
