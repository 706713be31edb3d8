from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form, ModelForm
from municipia.core.widgets import LocalDateInput
from municipia.directory.models import (
    Country,
    LocalGovernment,
    MemberField,
    Membership,
    Network,
)
from municipia.directory.place_names import country_choices

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("ca", _("Catalan")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ko", _("Korean")),
    ("nl", _("Dutch")),
]


def _language_choices(current: list[str]) -> list[tuple[str, str]]:
    known = dict(LANGUAGE_CHOICES)
    return LANGUAGE_CHOICES + [(code, code) for code in current if code not in known]


class MemberFilterForm(Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *Membership.Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Active")), *Membership.Status.choices]
    )

    def __init__(self, *args, countries=(), regions=(), staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from countries the caller already holds, so the form costs no query.
        self.fields["country"].choices = [
            ("", _("Any")),
            *country_choices(countries),
        ]
        self.fields["region"].choices = [("", _("Any")), *list(regions)]
        if not staff:
            del self.fields["status"]


class LocalGovernmentProfileForm(ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    official_languages = forms.MultipleChoiceField(
        label=_("Official languages"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LocalGovernment
        fields = ["description", "website", "population", "official_languages"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official_languages"].choices = _language_choices(
            self.instance.official_languages or []
        )


class LocalGovernmentCreateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            c for c in LocalGovernment.Kind.choices if c[0] != LocalGovernment.Kind.MUNICIPALITY
        ]
        + [(LocalGovernment.Kind.MUNICIPALITY, LocalGovernment.Kind.MUNICIPALITY.label)],
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), to_field_name="code"
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=LocalGovernment.objects.exclude(kind=LocalGovernment.Kind.MUNICIPALITY),
        required=False,
        to_field_name="slug",
        help_text=_("A region or federated state it belongs to, if any."),
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    other_names = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, as “language: name”, e.g. “ca: Àrea Metropolitana de Barcelona”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].label_from_instance = lambda country: (
            f"{country.name} ({country.code})"
        )

    def clean_other_names(self):
        names = []
        for line in self.cleaned_data["other_names"].splitlines():
            if not line.strip():
                continue
            language, sep, name = line.partition(":")
            if not sep or not name.strip() or len(language.strip()) > 10:
                raise forms.ValidationError(
                    _("Write each other name as “language: name”; this line is not: %(line)s"),
                    params={"line": line},
                )
            names.append((name.strip(), language.strip().lower()))
        return names


class MembershipApplicationForm(Form):
    fieldsets = ((_("Your application"), ("network", "category", "message")),)
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none())
    category = forms.ChoiceField(label=_("Category"), choices=Membership.Category.choices)
    message = forms.CharField(
        label=_("Message to the network"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = (
            networks if networks is not None else Network.objects.published()
        )


class MembershipDecisionForm(Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("refuse", _("Refuse")),
        ("suspend", _("Suspend")),
        ("reinstate", _("Reinstate")),
        ("end", _("End membership")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Required to refuse or suspend; the member reads it."),
    )


class MentoringForm(Form):
    mentee = forms.ModelChoiceField(label=_("New member"), queryset=Membership.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor city"), queryset=Membership.objects.none())
    started_on = forms.DateField(label=_("From"), widget=LocalDateInput)
    ends_on = forms.DateField(label=_("Planned until"), required=False, widget=LocalDateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            network.memberships.filter(local_government__isnull=False)
            .select_related("local_government__country")
            .order_by("local_government__name")
        )
        self.fields["mentee"].queryset = members.filter(
            status__in=[Membership.Status.APPLICANT, Membership.Status.ACTIVE]
        )
        self.fields["mentor"].queryset = members.filter(status=Membership.Status.ACTIVE)
        for name in ("mentee", "mentor"):
            self.fields[name].label_from_instance = lambda m: (
                f"{m.member} ({m.member.country.code})"
            )


class MemberImportForm(Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_(
            "CSV, TSV or XLSX. Columns: the name and country of each local government, and if "
            "you have them region or province, coordinates, population, category, status and "
            "date of joining. You can say which column is which after the upload."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".tsv", ".txt", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv, .tsv or .xlsx file."))
        limit = settings.MUNICIPIA_MEMBER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(max)s MB at most).")
                % {"max": f"{limit / 1024 / 1024:.0f}"}
            )
        return upload


class ImportColumnsForm(Form):
    """Which field each column of a member list holds, and which row names the columns."""

    heading_row = forms.IntegerField(
        label=_("Row with the column names"),
        min_value=0,
        help_text=_("The row number as your spreadsheet shows it; 0 if the file has none."),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(
        self,
        *args,
        heading: list[str],
        sample: list[list[str]],
        fields=MemberField,
        required=("name", "country"),
        **kwargs,
    ):
        """`fields`: the TextChoices a column may hold (a member list's by default); `required`:
        those that some column must hold."""
        super().__init__(*args, **kwargs)
        self.field_choices, self.required_fields = fields, required
        choices = [("", _("Leave out")), *fields.choices]
        self.column_names = []
        for index, cell in enumerate(heading):
            examples = ", ".join(row[index] for row in sample if index < len(row) and row[index])[
                :120
            ]
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=cell or _("Column %(number)d") % {"number": index + 1},
                choices=choices,
                required=False,
                help_text=_("For example: %(values)s") % {"values": examples} if examples else "",
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.column_names.append(name)

    def clean(self):
        data = super().clean()
        chosen = [data.get(name, "") for name in self.column_names]
        picked = [field for field in chosen if field]
        if len(picked) != len(set(picked)):
            raise forms.ValidationError(_("Each field can be given to one column only."))
        missing = [
            str(self.field_choices(f).label) for f in self.required_fields if f not in picked
        ]
        if missing:
            raise forms.ValidationError(
                _("Please say which column holds: %(fields)s.") % {"fields": ", ".join(missing)}
            )
        data["columns"] = chosen
        return data


class ImportWriteForm(Form):
    create_missing = forms.TypedChoiceField(
        label=_("Local governments not in the gazetteer"),
        choices=[
            ("0", _("Leave them out")),
            ("1", _("Create them from the file's data, marked for review")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial="0",
    )
