"""Forms for calls: they parse input only; the services decide and refuse."""

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from municipia.calls.models import Call, Criterion, Decision, JuryMember
from municipia.core.forms import FormMixin
from municipia.core.widgets import LocalDateInput, SearchableSelectMultiple
from municipia.core.zones import ZonedDateTimeField, in_zone, make_aware_in, zone_choices
from municipia.directory.models import Country, LocalGovernment, Membership, Organisation
from municipia.forms.forms import AnswersForm as FormAnswersForm
from municipia.forms.forms import TranslatedFieldsMixin, parse_lines

LANGUAGE_CHOICES = settings.LANGUAGES


class CallForm(FormMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "title": (_("Title"), forms.TextInput, True),
        "description": (_("Description"), forms.Textarea(attrs={"rows": 3}), False),
    }
    fieldsets = (
        (
            _("Title and description"),
            [f"title_{code}" for code, _name in LANGUAGE_CHOICES]
            + [f"description_{code}" for code, _name in LANGUAGE_CHOICES],
        ),
        (
            _("Network, dates and languages"),
            ("network", "kind", "slug", "time_zone", "opens_at", "closes_at", "languages"),
        ),
        (
            _("Who may apply"),
            (
                "applicants",
                "requires_good_standing",
                "categories",
                "countries",
                "min_population",
                "max_population",
                "one_per_member",
                "currency",
            ),
        ),
        (
            _("Review"),
            ("blind_review", "reviewers_per_application", "same_country_conflict", "max_load"),
        ),
    )
    opens_at = ZonedDateTimeField(label=_("Opens at (in the call's time zone)"))
    closes_at = ZonedDateTimeField(label=_("Closes at (in the call's time zone)"))
    languages = forms.MultipleChoiceField(
        label=_("Languages of the applications"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("Membership categories that may apply"),
        choices=Membership.Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: any category."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=())

    class Meta:
        model = Call
        fields = [
            "network",
            "kind",
            "slug",
            "languages",
            "time_zone",
            "opens_at",
            "closes_at",
            "applicants",
            "requires_good_standing",
            "categories",
            "countries",
            "min_population",
            "max_population",
            "one_per_member",
            "blind_review",
            "reviewers_per_application",
            "same_country_conflict",
            "max_load",
            "currency",
        ]
        widgets = {"countries": SearchableSelectMultiple}

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
        if networks is not None:
            self.fields["network"].queryset = networks
        if self.instance.pk:
            self.fields["network"].disabled = True
            # Shown on the call's clock; read, on saving, on the clock of the zone then chosen.
            for name in ("opens_at", "closes_at"):
                value = in_zone(getattr(self.instance, name), self.instance.time_zone)
                self.initial[name] = value.replace(tzinfo=None)
        self.fields["countries"].queryset = Country.objects.order_by("code")
        self._add_translated_fields()

    def clean_currency(self):
        currency = self.cleaned_data.get("currency", "").strip().upper()
        if currency and (len(currency) != 3 or not currency.isalpha()):
            raise forms.ValidationError(_("Give the currency as a three-letter code, such as EUR."))
        return currency

    def clean(self):
        cleaned = super().clean()
        zone = cleaned.get("time_zone") or "UTC"
        for name in ("opens_at", "closes_at"):
            if cleaned.get(name) is None:
                continue
            try:
                cleaned[name] = make_aware_in(cleaned[name], zone)
            except forms.ValidationError as error:
                self.add_error(name, error)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("A call must close after it opens."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)


class CriterionForm(FormMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "name": (_("Criterion"), forms.TextInput, True),
        "description": (_("What jurors look for"), forms.TextInput, False),
    }
    guidance_text = forms.CharField(
        label=_("Guidance per level"),
        required=False,
        help_text=_('One per line, "level | what it means", in your language.'),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Criterion
        fields = ["position", "weight", "scale_min", "scale_max"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translated_fields()
        if self.instance.pk:
            language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
            self.initial["guidance_text"] = "\n".join(
                f"{level} | {texts.get(language, '')}"
                for level, texts in self.instance.guidance.items()
            )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", _("The highest score must be above the lowest."))
            return cleaned
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        guidance = dict(self.instance.guidance or {})
        for level, text in parse_lines(cleaned.get("guidance_text", "")):
            if not level.lstrip("-").isdigit() or not (low <= int(level) <= high):
                self.add_error("guidance_text", _("Each level must be a score on the scale."))
                return cleaned
            guidance.setdefault(level, {})[language] = text
        cleaned["guidance"] = guidance
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)
        if "guidance" in self.cleaned_data:
            self.instance.guidance = self.cleaned_data["guidance"]


class ApplicationStartForm(FormMixin, forms.Form):
    applicant = forms.ChoiceField(label=_("Applying for"))
    language = forms.ChoiceField(label=_("Language of the application"))
    title = forms.CharField(label=_("Title"), max_length=250)

    def __init__(self, *args, call: Call, applicants: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicants = {self._key(a): a for a in applicants}
        self.fields["applicant"].choices = [(k, str(a)) for k, a in self.applicants.items()]
        names = dict(LANGUAGE_CHOICES)
        self.fields["language"].choices = [(code, names[code]) for code in call.languages]

    @staticmethod
    def _key(member) -> str:
        prefix = "lg" if isinstance(member, LocalGovernment) else "org"
        return f"{prefix}-{member.pk}"

    def member(self) -> dict:
        chosen = self.applicants[self.cleaned_data["applicant"]]
        if isinstance(chosen, LocalGovernment):
            return {"local_government": chosen}
        return {"organisation": chosen}


class AnswersForm(FormAnswersForm):
    """The call's questions and the application's title; nothing is required here, submission
    checks completeness."""

    def __init__(self, *args, call: Call, fields, application=None, **kwargs):
        super().__init__(
            *args,
            fields=fields,
            answers=application.answers if application is not None else {},
            currency=call.currency,
            **kwargs,
        )
        self.call = call
        self.fields = {
            "title": forms.CharField(
                label=_("Title"),
                max_length=250,
                required=False,
                initial=application.title if application else "",
            ),
            **self.fields,
        }


class AttachmentForm(FormMixin, forms.Form):
    file = forms.FileField(label=_("Other attachment"))


class ReturnForm(FormMixin, forms.Form):
    note = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 3}))


class JuryMemberForm(FormMixin, forms.ModelForm):
    email = forms.EmailField(label=_("E-mail of the juror's account"))
    local_government = forms.ModelChoiceField(
        label=_("City or local government"),
        queryset=LocalGovernment.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.TextInput,
        help_text=_("Its identifier in the directory (slug), if any."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.TextInput,
        help_text=_("Its identifier in the directory (slug), if any."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages read"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = JuryMember
        fields = [
            "country",
            "local_government",
            "organisation",
            "languages",
            "expertise",
            "is_chair",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("code")

    def clean_email(self):
        from municipia.accounts.models import User  # only this form looks users up

        user = User.objects.filter(email__iexact=self.cleaned_data["email"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("No account uses this e-mail address."))
        return user


class ManualAssignmentForm(FormMixin, forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=None)
    juror = forms.ModelChoiceField(label=_("Juror"), queryset=None)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = call.applications.filter(status="submitted")
        self.fields["juror"].queryset = call.jury.filter(is_active=True).select_related("user")


def _score_choices(criterion: Criterion):
    return [("", "—")] + [
        (str(v), str(v)) for v in range(criterion.scale_min, criterion.scale_max + 1)
    ]


class ReviewForm(FormMixin, forms.Form):
    """One score (a whole number on the criterion's scale) and comment per criterion."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {s.criterion_id: s for s in review.scores.all()} if review else {}
        if review is not None:
            self.fields["comment"].initial = review.comment
        for criterion in self.criteria:
            score = existing.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=criterion.name_text,
                required=False,
                initial=score.value if score else "",
                widget=forms.NumberInput(
                    attrs={"min": criterion.scale_min, "max": criterion.scale_max, "step": 1}
                ),
                help_text=_("From %(min)s to %(max)s")
                % {"min": criterion.scale_min, "max": criterion.scale_max},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.name_text},
                required=False,
                initial=score.comment if score else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}", "") for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}

    def pairs(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class RecusalForm(FormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (seen by the secretariat only)"), max_length=300)


class DeliberationForm(FormMixin, forms.Form):
    held_at = ZonedDateTimeField(label=_("Held at (in the call's time zone)"))
    attendees = forms.ModelMultipleChoiceField(
        label=_("Jurors present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["attendees"].queryset = call.jury.filter(is_active=True).select_related("user")
        self.fields["held_at"].zone = call.time_zone


class DecisionForm(FormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = [
            "outcome",
            "amount",
            "currency",
            "partner_local_governments",
            "partner_organisations",
            "period_start",
            "period_end",
            "deliberation",
            "note",
        ]
        widgets = {
            "period_start": LocalDateInput(),
            "period_end": LocalDateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "partner_local_governments": forms.SelectMultiple(attrs={"size": 4}),
            "partner_organisations": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.for_network(call.network).active()
        self.fields["partner_local_governments"].queryset = LocalGovernment.objects.filter(
            pk__in=members.values("local_government")
        )
        self.fields["partner_organisations"].queryset = Organisation.objects.filter(
            pk__in=members.values("organisation")
        )
        self.fields["deliberation"].queryset = call.deliberations.all()
        if not self.initial.get("currency"):
            self.initial["currency"] = call.currency
