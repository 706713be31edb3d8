from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.directory.models import Network
from municipia.privacy.models import PrivacyRequest


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=PrivacyRequest.Kind.choices)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should be corrected, or which use of your data you object to."),
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.order_by("name"),
        required=False,
        empty_label=_("The platform's administrators"),
        help_text=_("The secretariat that should answer."),
    )


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (PrivacyRequest.Status.DONE, _("Done")),
            (PrivacyRequest.Status.REFUSED, _("Refused")),
        ],
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
