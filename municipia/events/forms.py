from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form
from municipia.core.widgets import LongSelect
from municipia.directory.models import LocalGovernment, Network
from municipia.events.models import Event, Registration


class CalendarFilterForm(Form):
    network = forms.ModelChoiceField(
        Network.objects.published(), required=False, to_field_name="slug", label=_("Network")
    )
    kind = forms.ChoiceField(
        choices=[("", _("Any kind")), *Event.Kind.choices], required=False, label=_("Kind")
    )
    region = forms.CharField(required=False, max_length=3, label=_("World region (UN M49 code)"))
    language = forms.ChoiceField(
        choices=[("", _("Any language")), *settings.LANGUAGES], required=False, label=_("Language")
    )
    past = forms.BooleanField(required=False, label=_("Past events"))


class RegistrationForm(Form):
    """Registering oneself: as a member (with one's member city) or not."""

    category = forms.ChoiceField(label=_("I come as"))
    local_government = forms.ModelChoiceField(
        LocalGovernment.objects.none(), required=False, label=_("On behalf of")
    )

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_government"].queryset = LocalGovernment.objects.filter(pk__in=cities)
        choices = [(Registration.Category.NON_MEMBER, Registration.Category.NON_MEMBER.label)]
        if cities:
            choices.insert(0, (Registration.Category.MEMBER, Registration.Category.MEMBER.label))
        self.fields["category"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("category") == Registration.Category.MEMBER and not data.get(
            "local_government"
        ):
            self.add_error("local_government", _("Choose the member city you come for."))
        if data.get("category") == Registration.Category.NON_MEMBER:
            data["local_government"] = None
        return data


class DelegateForm(Form):
    """One person of a member city's delegation, registered by its officer."""

    full_name = forms.CharField(max_length=200, label=_("Full name"))
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the e-mails"))
    local_government = forms.ModelChoiceField(LocalGovernment.objects.none(), label=_("City"))

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_government"].queryset = LocalGovernment.objects.filter(pk__in=cities)


class CheckInForm(Form):
    q = forms.CharField(max_length=200, label=_("Name or code from the badge"))
    # Where the people found are checked in: chosen once for the door or the room one stands at,
    # not once per person found (a congress has hundreds of sessions).
    at = forms.ChoiceField(
        required=False,
        label=_("Checking in at"),
        widget=LongSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].choices = [("", _("At the door")), *sessions]


class DocumentForm(Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    file = forms.FileField(label=_("File"))
