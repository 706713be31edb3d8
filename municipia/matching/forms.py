"""What one asks suggestions for: parsed here, bounded, every refusal a translated sentence."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.cooperation.models import Project
from municipia.core.forms import Form
from municipia.directory.models import Expertise
from municipia.knowledge.models import SdgGoal, Theme

MAX_NEED = 5000  # longer needs are refused; search reads the first 500 characters anyway


class PartnerQueryForm(Form):
    need = forms.CharField(
        label=_("What do you look for?"),
        required=False,
        max_length=MAX_NEED,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('In any language: "reduce school drop-out among migrant youth".'),
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)
    sdg = forms.ModelChoiceField(
        label=_("Sustainable Development Goal"), queryset=SdgGoal.objects.all(), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Open project"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args, city, user, **kwargs):
        super().__init__(*args, **kwargs)
        networks = city.memberships.values("network_id")
        self.fields["theme"].queryset = Theme.objects.filter(network__in=networks)
        self.fields["project"].queryset = (
            Project.objects.visible_to(user)
            .filter(
                partners__local_government=city,
                status__in=[Project.Status.PROPOSED, *Project.ACTIVE],
            )
            .distinct()
        )


class ExpertQueryForm(Form):
    q = forms.CharField(
        label=_("Who knows about…"), required=False, max_length=MAX_NEED, strip=True
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"), queryset=Expertise.objects.all(), required=False
    )
    language = forms.MultipleChoiceField(
        label=_("Speaks"), choices=settings.LANGUAGES, required=False
    )
