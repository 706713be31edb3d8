from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipia.core.forms import Form, LocalDecimalField, ModelForm
from municipia.core.widgets import LocalDateInput
from municipia.finance.currencies import currency_choices
from municipia.finance.models import FeeBand, FeeSchedule, Invoice, Payment
from municipia.finance.reports import BUCKETS


class FeeScheduleForm(ModelForm):
    class Meta:
        model = FeeSchedule
        fields = ["year", "currency", "due_on", "grace_days", "notes"]
        widgets = {
            "due_on": LocalDateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["currency"].widget = forms.Select(choices=currency_choices())
        if self.instance.pk:
            self.fields["year"].disabled = True

    def clean_year(self):
        year = self.cleaned_data["year"]
        others = FeeSchedule.objects.filter(network=self.instance.network, year=year)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("%(network)s already has a fee schedule for %(year)s.")
                % {"network": self.instance.network, "year": year}
            )
        return year


class FeeBandForm(ModelForm):
    class Meta:
        model = FeeBand
        fields = ["position", "label", "category", "min_population", "max_population", "amount"]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_population"), data.get("max_population")
        if low is not None and high is not None and low >= high:
            raise forms.ValidationError(_("The population range ends before it begins."))
        return data


class BaseFeeBandFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("A fee schedule needs at least one band."))


FeeBandFormSet = forms.inlineformset_factory(
    FeeSchedule,
    FeeBand,
    form=FeeBandForm,
    formset=BaseFeeBandFormSet,
    extra=3,
    can_delete=True,
)


class IssueInvoicesForm(Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]


class PaymentForm(Form):
    amount = LocalDecimalField(label=_("Amount received"), max_digits=14, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        help_text=_("ISO 4217 code, e.g. EUR, USD, ARS."),
        widget=forms.TextInput(attrs={"list": "currency-codes", "autocomplete": "off"}),
    )
    exchange_rate = LocalDecimalField(
        label=_("Exchange rate"),
        max_digits=20,
        decimal_places=10,
        required=False,
        help_text=_(
            "Only for another currency: how much of the invoice currency one unit was worth."
        ),
    )
    received_on = forms.DateField(label=_("Received on"), widget=LocalDateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, invoice: Invoice, **kwargs):
        kwargs.setdefault(
            "initial", {"currency": invoice.currency, "received_on": timezone.localdate()}
        )
        super().__init__(*args, **kwargs)

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()


class WaiverForm(Form):
    amount = LocalDecimalField(
        label=_("Amount to waive"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to waive the whole balance."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class InstalmentForm(Form):
    due_on = forms.DateField(label=_("Due on"), widget=LocalDateInput())
    amount = LocalDecimalField(label=_("Amount"), max_digits=14, decimal_places=2)


InstalmentFormSet = forms.formset_factory(InstalmentForm, extra=4, max_num=24)


class PaymentPlanForm(Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For instance why the member cannot pay at once, or how it will pay."),
    )


class CancelForm(Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class InvoiceFilterForm(Form):
    year = forms.IntegerField(label=_("Year"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Invoice.Status.choices]
    )
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)
    q = forms.CharField(label=_("Member or number"), required=False, max_length=100)

    def clean_country(self):
        return self.cleaned_data["country"].upper()


class ArrearsFilterForm(Form):
    on = forms.DateField(
        label=_("As on"),
        required=False,
        widget=LocalDateInput(),
    )
    year = forms.IntegerField(label=_("Year"), required=False)
    bucket = forms.ChoiceField(
        label=_("Aging"),
        required=False,
        choices=[("", _("Any")), *((b.key, b.label) for b in BUCKETS)],
    )
    country = forms.CharField(label=_("Country code"), required=False, max_length=2)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    q = forms.CharField(label=_("Member or number"), required=False, max_length=100)
    affecting_standing = forms.BooleanField(
        label=_("Only those that affect good standing"), required=False
    )

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


class BankDetailsForm(Form):
    """The network's account and its payment instructions in each language; the IBAN and the BIC
    are checked (country, length, format, check digits) and kept in their electronic form."""

    account_holder = forms.CharField(label=_("Account holder"), max_length=200, required=False)
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        required=False,
        help_text=_("Spaces are allowed; it is checked before it is saved."),
    )
    bic = forms.CharField(label=_("BIC (SWIFT code)"), max_length=20, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=200, required=False)

    def __init__(self, *args, details=None, **kwargs):
        from django.conf import settings

        initial = kwargs.pop("initial", None) or {}
        if details is not None and details.pk:
            initial.update(
                account_holder=details.account_holder,
                iban=details.iban_grouped,
                bic=details.bic,
                bank_name=details.bank_name,
                **{f"instructions_{k}": v for k, v in (details.instructions or {}).items()},
            )
        super().__init__(*args, initial=initial, **kwargs)
        self.languages = [code for code, _name in settings.LANGUAGES]
        for code, name in settings.LANGUAGES:
            self.fields[f"instructions_{code}"] = forms.CharField(
                label=_("How to pay (%(language)s)") % {"language": name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean_iban(self):
        from municipia.finance.banking import clean_iban

        value = self.cleaned_data.get("iban", "")
        return clean_iban(value) if value.strip() else ""

    def clean(self):
        from municipia.finance.banking import clean_bic

        cleaned = super().clean()
        iban = cleaned.get("iban", "")
        bic = (cleaned.get("bic") or "").strip()
        if bic:
            try:
                cleaned["bic"] = clean_bic(bic, iban=iban or "")
            except forms.ValidationError as error:
                self.add_error("bic", error)
        if iban and not (cleaned.get("account_holder") or "").strip():
            self.add_error("account_holder", _("Give the name the account is held in."))
        if (bic or (cleaned.get("bank_name") or "").strip()) and "iban" in cleaned and not iban:
            self.add_error("iban", _("Give the IBAN of the account."))
        cleaned["instructions"] = {
            code: text
            for code in self.languages
            if (text := (cleaned.get(f"instructions_{code}") or "").strip())
        }
        return cleaned
