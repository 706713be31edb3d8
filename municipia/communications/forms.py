from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.communications.models import CampaignMaterial, NewsPost
from municipia.core.forms import Form, LocalDateField


class NewsPostForm(Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Original language"))
    category = forms.ChoiceField(choices=NewsPost.Category.choices, label=_("Category"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), label=_("Text"))
    published_at = forms.DateTimeField(
        required=False,
        label=_("Publication date"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: the moment it is published."),
    )
    embargo_until = forms.DateTimeField(
        required=False,
        label=_("Embargo until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Nothing of the post is shown anywhere before this moment."),
    )
    image = forms.FileField(required=False, label=_("Image (PNG, JPEG, GIF or WebP)"))
    image_alt = forms.CharField(max_length=300, required=False, label=_("Image description"))


class NewsTranslationForm(Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))
    title = forms.CharField(max_length=300, label=_("Title"))
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Summary"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), label=_("Text"))


class SubscribeForm(Form):
    email = forms.EmailField(label=_("Your e-mail address"))
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of the newsletter"))


class AssembleIssueForm(Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language"))


class IssueForm(Form):
    subject = forms.CharField(max_length=200, label=_("Subject"))
    introduction = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), label=_("Introduction")
    )
    keep = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Items to keep"),
    )

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (index, f"{item['title']}") for index, item in enumerate(issue.items)
        ]


class ActivityForm(Form):
    city = forms.ChoiceField(label=_("Local government"))
    title = forms.CharField(max_length=300, label=_("Title"))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Description"))
    happens_on = LocalDateField(label=_("Date"))
    venue = forms.CharField(max_length=300, required=False, label=_("Venue"))
    link = forms.URLField(required=False, label=_("Link"), assume_scheme="https")

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = {str(city.pk): city for city in cities}
        self.fields["city"].choices = [(str(c.pk), str(c)) for c in cities]


class CampaignTextForm(Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    slogan = forms.CharField(max_length=300, label=_("Slogan"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label=_("Presentation"))


class MaterialForm(Form):
    kind = forms.ChoiceField(choices=CampaignMaterial.Kind.choices, label=_("Kind"))
    title = forms.CharField(max_length=200, label=_("Title"))
    language = forms.ChoiceField(
        choices=[("", _("Every language")), *settings.LANGUAGES],
        required=False,
        label=_("Language"),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, PNG, JPEG, GIF or WebP images, or office documents (Word, Excel, PowerPoint, "
            "OpenDocument)."
        ),
    )


class ExhibitionStopForm(Form):
    venue = forms.CharField(max_length=300, label=_("Venue"))
    city = forms.ChoiceField(label=_("Local government"))
    opens_on = LocalDateField(label=_("Opens on"))
    closes_on = LocalDateField(label=_("Closes on"))

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = {str(city.pk): city for city in cities}
        self.fields["city"].choices = [(str(c.pk), str(c)) for c in cities]

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The exhibition closes before it opens."))
        return data
