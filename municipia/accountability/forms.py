"""The staff's forms: they parse input; `services` decides and writes."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from municipia.accountability.models import (
    Account,
    Audit,
    Finding,
    PublishedDocument,
    TransparencySection,
)
from municipia.core.forms import Form, LocalDateField, LocalDecimalField
from municipia.finance.currencies import currency_choices

CURRENCY_HELP = _("ISO 4217 code, e.g. EUR, USD, CHF.")


def _currency_field(label):
    return forms.CharField(
        label=label,
        max_length=3,
        min_length=3,
        help_text=CURRENCY_HELP,
        widget=forms.TextInput(attrs={"list": "currency-codes", "autocomplete": "off"}),
    )


class CurrencyForm(Form):
    currency = forms.ChoiceField(label=_("Accounting currency"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices()


class ExchangeRateForm(Form):
    currency = _currency_field(_("Currency"))
    valid_from = LocalDateField(label=_("Valid from"))
    rate = LocalDecimalField(
        label=_("Rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the accounting currency for one unit of this currency."),
    )


class AccountForm(Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind"), choices=Account.Kind.choices)
    source = forms.ChoiceField(
        label=_("Takes from the platform"),
        choices=[("", _("Manual entries only")), *Account.Source.choices],
        required=False,
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        for code in languages:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": names.get(code, code)},
                max_length=200,
                required=False,
            )
        self.languages = languages

    def names(self) -> dict:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code in self.languages}


class BudgetForm(Form):
    """One amount per account, with the decision that approves them."""

    decision = forms.ModelChoiceField(
        label=_("Approving decision"),
        queryset=None,
        required=False,
        help_text=_("The decision of the governing body that adopted this budget."),
    )
    approved_on = LocalDateField(label=_("Approved on"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, accounts, decisions, initial_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.meeting.event.starts_at:%Y-%m-%d} · {d.meeting.body.name} · {d.text[:90]}"
        )
        self.accounts = accounts
        for account in accounts:
            self.fields[f"account_{account.pk}"] = LocalDecimalField(
                label=str(account),
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=(initial_amounts or {}).get(account.pk),
            )

    def amounts(self) -> dict:
        return {
            account: self.cleaned_data.get(f"account_{account.pk}") or 0
            for account in self.accounts
        }


class ManualEntryForm(Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=None)
    booked_on = LocalDateField(label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300)
    currency = _currency_field(_("Currency"))
    amount = LocalDecimalField(label=_("Amount"), max_digits=14, decimal_places=2)
    exchange_rate = LocalDecimalField(
        label=_("Exchange rate"),
        max_digits=20,
        decimal_places=10,
        required=False,
        help_text=_("Only for another currency; empty to use the rate recorded for the date."),
    )
    document = forms.FileField(
        label=_("Document"), help_text=_("The invoice, receipt or statement behind the entry.")
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.filter(network=network)


class AuditForm(Form):
    auditor = forms.CharField(label=_("Auditor"), max_length=200)
    period_start = LocalDateField(label=_("Period from"))
    period_end = LocalDateField(label=_("Period to"))
    scope = forms.CharField(label=_("Scope"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Audit.Opinion.choices)
    text = forms.CharField(
        label=_("Opinion as worded"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    given_on = LocalDateField(label=_("Opinion given on"))
    report = forms.FileField(label=_("Audit report"), required=False)


class FindingForm(Form):
    title = forms.CharField(label=_("Finding"), max_length=300)
    recommendation = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Follow-up"), choices=Finding.Status.choices)
    follow_up = forms.CharField(
        label=_("Follow-up notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    activity = forms.ModelChoiceField(
        label=_("Plan activity answering it"), queryset=None, required=False
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class TransparencyForm(Form):
    sections = forms.MultipleChoiceField(
        label=_("Published sections"),
        choices=TransparencySection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        for code in languages:
            self.fields[f"intro_{code}"] = forms.CharField(
                label=_("Introduction (%(language)s)") % {"language": names.get(code, code)},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.languages = languages

    def introduction(self) -> dict:
        return {code: self.cleaned_data.get(f"intro_{code}", "") for code in self.languages}


class PublishedDocumentForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PublishedDocument.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    adopted_on = LocalDateField(label=_("Adopted on"))
    file = forms.FileField(label=_("File"))
