from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form, ModelForm
from municipia.core.indicators import IndicatorFormBase
from municipia.core.widgets import LocalDateInput, SearchableSelectMultiple
from municipia.directory.models import Country, Network, region_name
from municipia.plans.importing import OUTLINE, Choice, Document, max_bytes
from municipia.plans.importing.tables import field_choices, suggest_columns
from municipia.plans.models import (
    DEFAULT_LEVELS,
    SDG_TARGET_PATTERN,
    Activity,
    ActivityLink,
    ConsultationComment,
    Indicator,
    Objective,
    Plan,
    Section,
)
from municipia.plans.permissions import owners_for
from municipia.plans.services import world_region_codes

DATE = LocalDateInput()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _language_choices():
    return list(settings.LANGUAGES)


class OwnerField(forms.ChoiceField):
    """A network or a local government the user may write plans for, as "network:ID" / "city:ID"."""

    def __init__(self, user, *args, **kwargs):
        networks, cities = owners_for(user)
        self.owners = {f"network:{n.pk}": ("network", n) for n in networks}
        self.owners |= {f"city:{c.pk}": ("local_government", c) for c in cities}
        choices = []
        if networks:
            choices.append((_("Networks"), [(f"network:{n.pk}", str(n)) for n in networks]))
        if cities:
            choices.append((_("Local governments"), [(f"city:{c.pk}", str(c)) for c in cities]))
        super().__init__(*args, choices=choices, label=_("Owner"), **kwargs)

    def owner_kwargs(self, value: str) -> dict:
        field, owner = self.owners[value]
        return {field: owner}


class PlanMetadataForm(Form):
    fieldsets = (
        (_("The plan"), ("owner", "title", "kind", "languages", "summary")),
        (_("Period"), ("starts_on", "ends_on")),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Plan.Kind.choices)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=_language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The first one checked is the language the plan is written in."),
    )
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owner = OwnerField(user)
        owner.widget.attrs["class"] = "form-select"
        self.fields = {"owner": owner, **self.fields}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The plan cannot end before it starts."))
        return data

    def plan_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "languages": data["languages"],
            "summary": data["summary"],
            **self.fields["owner"].owner_kwargs(data["owner"]),
        }


class PlanForm(ModelForm):
    fieldsets = (
        (_("The plan"), ("title", "summary", "kind", "languages")),
        (_("Period"), ("starts_on", "ends_on", "last_committee_on", "currency")),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=_language_choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Plan
        fields = [
            "title",
            "summary",
            "kind",
            "starts_on",
            "ends_on",
            "languages",
            "currency",
            "last_committee_on",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "ends_on": DATE,
            "last_committee_on": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = self.instance.levels or DEFAULT_LEVELS
        names = dict(settings.LANGUAGES)
        # One line per language of the plan: the names of its levels, top to activities.
        for code in self.instance.languages or [settings.LANGUAGE_CODE]:
            field = forms.CharField(
                label=_("Names of the levels (%(language)s)") % {"language": names.get(code, code)},
                required=False,
                initial=" / ".join(level.get(code, "") for level in levels),
                help_text=_(
                    "%(count)s names separated by “/”, from the top to the activities; while the "
                    "plan has no parts above its objectives, give more names to add levels."
                )
                % {"count": len(levels)},
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"levels_{code}"] = field

    def clean(self):
        data = super().clean()
        levels = [dict(level) for level in (self.instance.levels or DEFAULT_LEVELS)]
        given = {
            name.removeprefix("levels_"): [part.strip() for part in (value or "").split("/")]
            for name, value in data.items()
            if name.startswith("levels_") and name in self.changed_data and value
        }
        counts = {len(names) for names in given.values()}
        if counts and counts != {len(levels)}:
            # Another number of levels: only while no section hangs on the present ones.
            if len(counts) > 1 or self.instance.sections.exists():
                for code in given:
                    self.add_error(
                        f"levels_{code}",
                        _("Give %(count)s names separated by “/”.") % {"count": len(levels)},
                    )
                return data
            levels = [{} for _name in range(counts.pop())]
        for code, names in given.items():
            for level, label in zip(levels, names, strict=True):
                if label:
                    level[code] = label
                else:
                    level.pop(code, None)
        for name in self.changed_data:
            if name.startswith("levels_") and not data.get(name):
                code = name.removeprefix("levels_")
                for level in levels:
                    level.pop(code, None)
        data["levels"] = levels
        return data

    def plan_changes(self) -> dict:
        changes = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if not name.startswith("levels_")
        }
        if any(name.startswith("levels_") for name in self.changed_data):
            changes["levels"] = self.cleaned_data["levels"]
        return changes


class ImportForm(PlanMetadataForm):
    file = forms.FileField(
        label=_("Document with the table"),
        help_text=_("HTML, DOCX, XLSX, CSV, Markdown or tab-separated text."),
    )
    field_order = ["file", "owner", "title", "kind", "starts_on", "ends_on", "languages", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty, the document's own title is used.")
        self.order_fields(self.field_order)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
                params={
                    "size": f"{upload.size / 1048576:.1f}",
                    "limit": f"{max_bytes() / 1048576:.0f}",
                },
            )
        return upload


MAX_LEVEL_CHOICES = 8
HEADER_CHOICES = [
    ("auto", _("As recognised")),
    ("yes", _("Yes: the first row names the columns")),
    ("no", _("No: the first row is already part of the plan")),
]


def _column_choices():
    levels = [
        (f"level:{n}", _("Level %(number)s of the plan") % {"number": n + 1})
        for n in range(MAX_LEVEL_CHOICES)
    ]
    return [
        ("", _("Leave out")),
        (_("Levels (1 is the top)"), levels),
        (_("Fields of the activities"), field_choices()),
    ]


class ImportChoiceForm(Form):
    """On the import preview: where the plan is in the document, and what each column holds."""

    source = forms.ChoiceField(label=_("Read the plan from"), widget=forms.RadioSelect)
    header = forms.ChoiceField(
        label=_("Does the table's first row hold its headings?"),
        choices=HEADER_CHOICES,
        initial="auto",
        required=False,
    )
    levels = forms.CharField(
        label=_("Names of the levels, from the top, separated by “/”"),
        required=False,
        max_length=400,
        help_text=_(
            "For example: Axis / Line / Objective / Action. Left empty, the names come from the document."
        ),
    )
    columns_for = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        choices = [
            (str(t.index), _("Table %(number)s") % {"number": n})
            for n, t in enumerate(document.tables, start=1)
        ]
        if document.outline.depth >= 2:
            choices.append((OUTLINE, _("The headings and lists")))
        self.fields["source"].choices = choices
        self.table = None
        source = self.data.get("source") if self.is_bound else self.initial.get("source")
        self.table = next((t for t in document.tables if str(t.index) == source), None)
        if self.table is None:
            return
        initial = self.initial.get("columns") or {}
        if self.is_bound and self.data.get("columns_for") != source:
            # The columns shown were another table's: start from this table's suggestion.
            self.data = self.data.copy()
            self.data["columns_for"] = source
            self.data["levels"] = ""
            for index, value in suggest_columns(self.table).items():
                self.data[f"column_{index}"] = value
        for index, heading in enumerate(self.table.headings):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=heading,
                choices=_column_choices,
                required=False,
                initial=initial.get(index, ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.initial.setdefault("columns_for", source)

    def column_fields(self):
        return [self[name] for name in self.fields if name.startswith("column_")]

    def clean(self):
        data = super().clean()
        if self.table is not None:
            columns = {
                int(name.removeprefix("column_")): value
                for name, value in data.items()
                if name.startswith("column_") and value
            }
            named = [v for v in columns.values() if not v.startswith("level:")]
            if len(named) != len(set(named)):
                raise forms.ValidationError(_("Give each field to one column only."))
            levels = sorted(
                int(v.split(":")[1]) for v in columns.values() if v.startswith("level:")
            )
            if levels != list(range(len(levels))):
                raise forms.ValidationError(
                    _("Number the levels from 1 without gaps, each on one column.")
                )
            data["columns"] = columns
        return data

    def choice(self) -> Choice:
        data = self.cleaned_data
        names = [n.strip() for n in (data.get("levels") or "").split("/") if n.strip()]
        header = {"yes": True, "no": False}.get(data.get("header") or "auto")
        return Choice(
            source=data["source"],
            columns=data.get("columns", {}),
            header=header,
            levels=names or None,
        )


def choice_initial(choice: Choice, levels: list[str]) -> dict:
    return {
        "source": choice.source,
        "columns": choice.columns,
        "columns_for": choice.source,
        "header": "auto",
        "levels": " / ".join(levels),
    }


def _section_label(section: Section) -> str:
    return f"{section.plan.level_label(section.level)}: {section.title[:100]}"


class SectionForm(ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ObjectiveForm(ModelForm):
    """An objective; in a plan with sections, also the part (of the last level above) it is in."""

    class Meta:
        model = Objective
        fields = ["section", "title", "description"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["section"]
        if plan.section_depth:
            field.queryset = (
                plan.sections.filter(level=plan.section_depth - 1)
                .select_related("plan")
                .order_by("position", "pk")
            )
            field.label = plan.level_label(plan.section_depth - 1)
            field.label_from_instance = _section_label
            field.required = True
        else:
            del self.fields["section"]


class SdgTargetsField(forms.CharField):
    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value) or ""
        codes = [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]
        wrong = [c for c in codes if not SDG_TARGET_PATTERN.match(c)]
        if wrong:
            raise forms.ValidationError(
                _("These are not SDG target codes: %(codes)s."), params={"codes": ", ".join(wrong)}
            )
        return codes


class ActivityForm(ModelForm):
    sdg_targets = SdgTargetsField(
        label=_("SDG targets"), required=False, help_text=_("Codes separated by commas: 4.7, 11.3")
    )

    class Meta:
        model = Activity
        fields = [
            "description",
            "responsible",
            "responsible_network",
            "starts_on",
            "ends_on",
            "status",
            "drop_reason",
            "sdg_targets",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "drop_reason": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["responsible_network"]
        if plan.network_id:
            field.queryset = Network.objects.filter(
                Q(pk=plan.network_id) | Q(parent_id=plan.network_id)
            ).order_by("name")
        else:
            field.queryset = Network.objects.none()
            field.widget = forms.HiddenInput()


class ProgressUpdateForm(Form):
    reported_on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    percentage = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    evidence_url = forms.URLField(label=_("Evidence (link)"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(label=_("Evidence (file)"), required=False)

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Evidence files are limited to 10 MB."))
        return upload


class ActivityLinkForm(ModelForm):
    url = forms.URLField(label=_("Web address"), assume_scheme="https")

    class Meta:
        model = ActivityLink
        fields = ["kind", "title", "url"]


class IndicatorForm(IndicatorFormBase):
    subject = forms.ChoiceField(label=_("Measures"))

    class Meta(IndicatorFormBase.Meta):
        model = Indicator

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        objectives = list(plan.objectives.prefetch_related("activities"))
        choices = []
        for number, objective in enumerate(objectives, start=1):
            choices.append((f"objective:{objective.pk}", f"{number}. {objective.title[:90]}"))
            choices.extend(
                (f"activity:{a.pk}", f"    {number}.{n} {a.description[:80]}")
                for n, a in enumerate(objective.activities.all(), start=1)
            )
        self.fields["subject"].choices = choices
        self.subjects = {f"objective:{o.pk}": o for o in objectives} | {
            f"activity:{a.pk}": a for o in objectives for a in o.activities.all()
        }
        if self.instance.pk:
            del self.fields["subject"]

    def clean(self):
        data = super().clean()
        subject = self.subjects.get(data.get("subject"))
        if subject is not None:
            # The model checks that an indicator measures exactly one thing; tell it which.
            self.instance.plan = self.plan
            self.instance.objective = subject if isinstance(subject, Objective) else None
            self.instance.activity = subject if isinstance(subject, Activity) else None
        return data

    def subject_kwargs(self) -> dict:
        subject = self.subjects[self.cleaned_data["subject"]]
        return {"objective": subject} if isinstance(subject, Objective) else {"activity": subject}


class ConsultationOpenForm(Form):
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)


class CommentForm(Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=Objective.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ConsultationComment.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your comment or proposal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    on_behalf_of = forms.CharField(
        label=_("On behalf of (optional)"),
        max_length=200,
        required=False,
        help_text=_("The organisation you speak for, if any."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = plan.objectives.all()
        self.fields["objective"].label_from_instance = lambda o: o.title[:120]
        self.fields["kind"].initial = ConsultationComment.Kind.COMMENT


class HideCommentForm(Form):
    reason = forms.CharField(label=_("Reason, shown in place of the comment"), max_length=300)


class AnswerProposalForm(Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (c.value, c.label)
            for c in ConsultationComment.Answer
            if c != ConsultationComment.Answer.PENDING
        ],
    )
    text = forms.CharField(
        label=_("Explanation (required for a rejection)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    activity = forms.ModelChoiceField(
        label=_("Merged into"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.for_plan(plan).select_related(
            "objective"
        )
        self.fields["activity"].label_from_instance = lambda a: a.description[:100]


class GeographicPrioritiesForm(Form):
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        to_field_name="code",
        label=_("Priority countries"),
        widget=SearchableSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        required=False,
        label=_("Priority world regions"),
        help_text=_(
            "A project counts as in a priority area when one of its countries is named "
            "here, or lies in one of these regions."
        ),
        widget=SearchableSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].label_from_instance = lambda country: country.name
        self.fields["regions"].choices = sorted(
            ((code, region_name(code)) for code in world_region_codes()), key=lambda c: c[1]
        )
