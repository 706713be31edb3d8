import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.accounts.models import User


def _time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("time zone"), choices=_time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "language", "timezone"]
