from django import forms
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form
from municipia.events.governance.models import Ballot, BodyMember, Minutes, Motion, Result


class AgendaItemForm(Form):
    title = forms.CharField(max_length=300, label=_("Title"))
    description = forms.CharField(required=False, widget=forms.Textarea, label=_("Description"))


class AgendaDocumentForm(Form):
    item = forms.ModelChoiceField(queryset=None, label=_("Agenda item"))
    document = forms.FileField(label=_("Document"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda.all()


class MotionForm(Form):
    item = forms.ModelChoiceField(queryset=None, label=_("Agenda item"))
    amends = forms.ModelChoiceField(queryset=None, required=False, label=_("Amends the motion"))
    text = forms.CharField(widget=forms.Textarea, label=_("Text"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda.all()
        self.fields["amends"].queryset = Motion.objects.filter(item__meeting=meeting)


class BallotForm(Form):
    item = forms.ModelChoiceField(queryset=None, label=_("Agenda item"))
    title = forms.CharField(max_length=300, label=_("Question"))
    kind = forms.ChoiceField(choices=Ballot.Kind.choices, label=_("Kind"))
    secret = forms.BooleanField(required=False, label=_("Secret ballot"))
    seats = forms.IntegerField(min_value=1, max_value=100, initial=1, label=_("Seats"))
    candidates = forms.CharField(
        required=False, widget=forms.Textarea, label=_("Candidates, one per line")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.agenda.all()


class ProxyForm(Form):
    giver = forms.ModelChoiceField(queryset=None, label=_("Member giving its proxy"))
    holder = forms.ModelChoiceField(queryset=None, label=_("Present member holding it"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = BodyMember.objects.filter(body=meeting.body).select_related(
            "local_government", "person"
        )
        self.fields["giver"].queryset = members
        self.fields["holder"].queryset = members


class MinutesForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20}), label=_("Minutes"))


class DecisionForm(Form):
    text = forms.CharField(widget=forms.Textarea, label=_("Decision"))
    result = forms.ModelChoiceField(queryset=None, required=False, label=_("From the vote"))
    activities = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Activities of the action plan")
    )

    def __init__(self, *args, meeting, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = Result.objects.filter(ballot__item__meeting=meeting)
        self.fields["activities"].queryset = activities


class ApproveMinutesForm(Form):
    minutes = forms.ModelChoiceField(queryset=None, label=_("Minutes of an earlier meeting"))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].queryset = Minutes.objects.filter(
            meeting__body=meeting.body,
            status=Minutes.Status.DRAFT,
            meeting__event__starts_at__lt=meeting.event.starts_at,
        ).select_related("meeting__event", "meeting__body")


class VoteForm(Form):
    member = forms.ModelChoiceField(queryset=None, label=_("On behalf of"))
    choice = forms.ChoiceField(
        choices=(), required=False, widget=forms.RadioSelect, label=_("Your vote")
    )
    candidates = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Your vote")
    )

    def __init__(self, *args, ballot, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["member"].queryset = BodyMember.objects.filter(pk__in=[m.pk for m in members])
        if ballot.kind == Ballot.Kind.YES_NO:
            self.fields["choice"].choices = [
                ("yes", _("Yes")),
                ("no", _("No")),
                ("abstain", _("Abstain")),
            ]
            del self.fields["candidates"]
        else:
            self.fields["candidates"].choices = [(c.key, c.name) for c in ballot.candidates.all()]
            del self.fields["choice"]

    def chosen(self) -> list[str]:
        if "choice" in self.fields:
            return [self.cleaned_data["choice"]]
        return self.cleaned_data["candidates"]
