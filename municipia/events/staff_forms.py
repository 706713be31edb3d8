"""Forms of the staff pages that create and edit events, their rooms, sessions and speakers. They
parse input; `events.programme` decides and refuses (dates, clashes) and writes."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import FormMixin
from municipia.core.widgets import AutocompleteSelect, AutocompleteSelectMultiple, LongSelect
from municipia.core.zones import ZonedDateTimeField, in_zone, make_aware_in, zone_choices
from municipia.directory.models import LocalGovernment, Network, Person
from municipia.events.models import Event, Room, Session, Speaker
from municipia.forms.forms import TranslatedFieldsMixin
from municipia.knowledge.models import Experience

LANGUAGES = settings.LANGUAGES


class ZonedTimesMixin:
    """Start and end typed on the clock of the event's time zone."""

    zoned = ("starts_at", "ends_at")

    def _show_zoned(self, zone: str):
        for name in self.zoned:
            value = getattr(self.instance, name, None)
            if value is not None:
                self.initial[name] = in_zone(value, zone).replace(tzinfo=None)

    def _clean_zoned(self, cleaned, zone: str):
        for name in self.zoned:
            if cleaned.get(name) is None:
                continue
            try:
                cleaned[name] = make_aware_in(cleaned[name], zone)
            except forms.ValidationError as error:
                self.add_error(name, error)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned


class EventForm(FormMixin, ZonedTimesMixin, forms.ModelForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    online_url = forms.URLField(
        label=Event._meta.get_field("online_url").verbose_name,
        help_text=Event._meta.get_field("online_url").help_text,
        required=False,
        assume_scheme="https",
    )
    time_zone = forms.ChoiceField(label=_("Time zone of the venue"), choices=(), widget=LongSelect)
    starts_at = ZonedDateTimeField(label=_("Starts at (on the venue's clock)"))
    ends_at = ZonedDateTimeField(label=_("Ends at (on the venue's clock)"))
    registration_closes_at = ZonedDateTimeField(
        label=_("Registration closes at (on the venue's clock)"), required=False
    )
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    interpretation = forms.MultipleChoiceField(
        label=_("Interpretation into"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    signature_image = forms.FileField(
        label=_("Signature on certificates (PNG or JPEG)"),
        required=False,
        help_text=_("Replaces the one kept; at most 2 MB."),
    )
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)
    logo_image = forms.FileField(
        label=_("Logo on certificates (PNG or JPEG)"),
        required=False,
        help_text=_("Replaces the one kept; at most 2 MB."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    zoned = ("starts_at", "ends_at", "registration_closes_at")

    class Meta:
        model = Event
        fields = [
            "network",
            "kind",
            "slug",
            "original_language",
            "time_zone",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "host_city",
            "latitude",
            "longitude",
            "online_url",
            "working_languages",
            "interpretation",
            "capacity",
            "city_quota",
            "is_public",
            "requires_approval",
            "payment_required",
            "member_fee",
            "fee_currency",
            "registration_closes_at",
            "certificate_signatory",
        ]
        widgets = {"host_city": AutocompleteSelect("api:ac-places")}

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()
        self.fields["network"].required = True
        self.fields["network"].queryset = networks
        self.fields["host_city"].queryset = LocalGovernment.objects.all()
        if self.instance.pk:
            # The owner stays: a sub-network's or a city's event keeps its own.
            if self.instance.network_id is None:
                del self.fields["network"]
            else:
                self.fields["network"].queryset = Network.objects.filter(
                    pk=self.instance.network_id
                )
                self.fields["network"].disabled = True
            self._show_zoned(self.instance.time_zone)
            text = self.instance.text(self.instance.original_language)
            if text is not None:
                self.initial.update(title=text.title, summary=text.summary, theme=text.theme)

    def clean_fee_currency(self):
        return (self.cleaned_data.get("fee_currency") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        self._clean_zoned(cleaned, cleaned.get("time_zone") or "UTC")
        closes, ends = cleaned.get("registration_closes_at"), cleaned.get("ends_at")
        if closes and ends and closes > ends:
            self.add_error("registration_closes_at", _("Registration must close by the end."))
        if cleaned.get("member_fee") and not cleaned.get("fee_currency"):
            self.add_error("fee_currency", _("Give the currency of the fee."))
        if not cleaned.get("venue_name") and not cleaned.get("online_url"):
            self.add_error("venue_name", _("Give a venue or an online link."))
        return cleaned


class RoomForm(FormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "capacity"]


class SessionForm(FormMixin, ZonedTimesMixin, TranslatedFieldsMixin, forms.ModelForm):
    translated_fields = {
        "titles": (_("Title"), forms.TextInput, True),
        "descriptions": (_("Description"), forms.Textarea(attrs={"rows": 2}), False),
    }
    starts_at = ZonedDateTimeField(label=_("Starts at (on the venue's clock)"))
    ends_at = ZonedDateTimeField(label=_("Ends at (on the venue's clock)"))
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Session
        fields = ["kind", "room", "starts_at", "ends_at", "languages", "host_city", "experiences"]
        widgets = {
            "room": LongSelect,
            "host_city": AutocompleteSelect("api:ac-places"),
            "experiences": AutocompleteSelectMultiple("api:ac-experiences"),
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["room"].queryset = Room.objects.filter(event=event)
        self.fields["host_city"].queryset = LocalGovernment.objects.all()
        self.fields["experiences"].queryset = Experience.objects.published()
        self._show_zoned(event.time_zone)
        self._add_translated_fields()

    def clean(self):
        return self._clean_zoned(super().clean(), self.event.time_zone)

    def _post_clean(self):
        super()._post_clean()
        self._pack_translated_fields(self.instance)


class SpeakerForm(FormMixin, forms.ModelForm):
    person = forms.ModelChoiceField(
        Person.objects.all(), label=_("Person"), widget=AutocompleteSelect("api:ac-people")
    )
    bio_consent = forms.BooleanField(label=_("Agreed to a public biography"), required=False)

    class Meta:
        model = Speaker
        fields = ["person", "role", "position", "bio_consent", "bio_consent_evidence", "gender"]
        help_texts = {
            "gender": _("Only as the person declared it; counted in balance reports, never shown."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bio_consent") and not (cleaned.get("bio_consent_evidence") or "").strip():
            self.add_error("bio_consent_evidence", _("Say how the agreement was given."))
        return cleaned
