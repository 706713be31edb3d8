from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form
from municipia.verification.services import MAX_REASON_CHARS


class LookupForm(Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the document, e.g. 7K3M-Q9TX-2HC; capitals or not."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RevokeForm(Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        max_length=MAX_REASON_CHARS,
        help_text=_("Shown to anyone who checks the code."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
