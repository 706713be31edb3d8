"""Forms of the classroom's pages; they parse input, the services decide."""

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from municipia.accounts.models import Role, User
from municipia.directory.models import Organisation
from municipia.learning.models import Course, CourseRun, Material
from municipia.surveys.models import Questionnaire


class CourseForm(forms.ModelForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    languages = forms.MultipleChoiceField(
        label=_("Languages of teaching"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    signature_image = forms.FileField(
        label=_("Signature (PNG or JPEG)"), required=False, help_text=_("Printed on certificates.")
    )
    logo_image = forms.FileField(label=_("Logo (PNG or JPEG)"), required=False)

    class Meta:
        model = Course
        fields = [
            "network",
            "slug",
            "original_language",
            "languages",
            "audience",
            "hours",
            "level",
            "partner_university",
            "credits",
            "signatory",
            "is_published",
        ]

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["partner_university"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.UNIVERSITY
        ).order_by("name")
        if self.instance.pk:
            self.fields["network"].disabled = True
            self.fields["slug"].disabled = True
            text = self.instance.text(self.instance.original_language)
            if text is not None:
                self.initial.setdefault("title", text.title)
                self.initial.setdefault("description", text.description)


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))


class RunForm(forms.ModelForm):
    class Meta:
        model = CourseRun
        fields = [
            "name",
            "starts_on",
            "ends_on",
            "mode",
            "place",
            "capacity",
            "requires_approval",
            "is_open",
            "min_grade",
            "min_attendance",
            "questionnaire",
            "tutors",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "tutors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(
            network=course.network, is_template=False
        )
        # Tutors are the network's experts and staff (and whoever tutors the run already).
        self.fields["tutors"].queryset = (
            User.objects.filter(
                Q(roles__kind=Role.Kind.EXPERT, roles__is_active=True)
                | Q(roles__kind=Role.Kind.NETWORK_STAFF, roles__network=course.network)
                | Q(tutored_runs=self.instance.pk or 0)
            )
            .distinct()
            .order_by("full_name", "email")
        )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A run ends on or after the day it starts."))
        return data


class TextInLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)


class ModuleForm(TextInLanguageForm):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MaterialForm(TextInLanguageForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Material.Kind.choices)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Formatting and links are kept; scripts are removed."),
    )
    url = forms.URLField(
        label=_("Web address of the video or link"), required=False, assume_scheme="https"
    )
    file = forms.FileField(label=_("File"), required=False)
    item = forms.IntegerField(
        label=_("Number of the experience or publication"), required=False, min_value=1
    )


class AssignmentForm(TextInLanguageForm):
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 4})
    )


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("Your work"), help_text=_("PDF, office document or image."))


class GradeForm(forms.Form):
    grade = forms.DecimalField(
        label=_("Grade (0 to 100)"), min_value=0, max_value=100, decimal_places=1
    )
    feedback = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    url = forms.URLField(label=_("Online address"), required=False, assume_scheme="https")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
