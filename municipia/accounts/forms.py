import zoneinfo

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.models import Login
from allauth.mfa.base.internal.flows import post_authentication
from allauth.utils import set_form_field_order
from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.accounts.adapter import SECOND_FACTOR_CHECKED
from municipia.accounts.models import User


def _time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("time zone"), choices=_time_zone_choices)
    new_email = forms.EmailField(
        label=_("New e-mail address"),
        required=False,
        help_text=_("We send a link to it; it replaces your address once you follow the link."),
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "timezone"]

    def clean_new_email(self):
        email = (self.cleaned_data.get("new_email") or "").strip().lower()
        if email and email == self.instance.email.lower():
            return ""
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another account uses this address."))
        return email


class LoginForm(AllauthLoginForm):
    """allauth's login, plus a second-factor code while the account's failed-login limit holds."""

    _authenticator = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.data.get("login", "") if self.is_bound else ""
        if login and get_adapter(self.request).is_login_locked(self.request, email=login.strip()):
            self.fields["code"] = forms.CharField(
                label=_("Code from your authenticator app"),
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )
            set_form_field_order(self, ["login", "password", "code", "remember"])

    def _clean_with_password(self, credentials):
        adapter = get_adapter(self.request)
        if not adapter.is_login_locked(self.request, **credentials):
            try:
                return super()._clean_with_password(credentials)
            except forms.ValidationError as error:  # locked meanwhile by another attempt
                if error.code != "account_locked":
                    raise
        user, self._authenticator = adapter.authenticate_with_second_factor(
            self.request, self.cleaned_data.get("code", ""), **credentials
        )
        self._login = Login(user=user, email=credentials.get("email"))
        self._login.state[SECOND_FACTOR_CHECKED] = True
        self.user = user
        return self.cleaned_data

    def login(self, request, redirect_url=None):
        response = super().login(request, redirect_url=redirect_url)
        if self._authenticator is not None:
            # Recorded as allauth's own second-factor page records it.
            post_authentication(request, self._authenticator)
        return response
