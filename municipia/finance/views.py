"""Pages for dues.

Staff pages (schedules, invoices, payments, waivers, plans and arrears) ask `get_network_for_dues`
first: only the network's staff (and superusers) get past it. Member pages (a local government's
invoices, each invoice and the receipt of a paid one) ask `get_local_government_for_dues`: only the
city's officers (and superusers); they show and change nothing of any other member.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.db import refuse_duplicates
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.finance import services
from municipia.finance.currencies import currency_codes
from municipia.finance.forms import (
    ArrearsFilterForm,
    BankDetailsForm,
    CancelForm,
    FeeBandFormSet,
    FeeScheduleForm,
    InstalmentFormSet,
    InvoiceFilterForm,
    IssueInvoicesForm,
    PaymentForm,
    PaymentPlanForm,
    WaiverForm,
)
from municipia.finance.models import BankDetails, FeeSchedule, Invoice, PaymentPlan
from municipia.finance.permissions import (
    get_invoice_for_dues,
    get_invoice_for_member,
    get_local_government_for_dues,
    get_network_for_dues,
    has_receipt,
    networks_for_dues,
)
from municipia.finance.receipts import RECEIPT_KIND, receipt_facts, receipt_pdf
from municipia.finance.reports import (
    ARREARS_HEADERS,
    BUCKETS,
    affects_standing,
    arrears,
    arrears_rows,
    arrears_totals,
)
from municipia.verification.services import issue_code

PAGE_SIZE = 50


@login_required
def dues_index(request):
    networks = list(networks_for_dues(request.user))
    if len(networks) == 1:
        return redirect("finance:network-dues", networks[0].slug)
    return render(request, "finance/dues_index.html", {"networks": networks})


@login_required
def network_dues(request, network):
    network = get_network_for_dues(request.user, network)
    schedules = (
        FeeSchedule.objects.for_network(network)
        .annotate(
            band_count=Count("bands", distinct=True),
        )
        .order_by("-year")
    )
    totals = (
        Invoice.objects.for_network(network)
        .values("year", "currency")
        .annotate(
            issued=Count("pk"),
            open=Count("pk", filter=Q(status=Invoice.Status.OPEN)),
            amount=Sum("amount", filter=~Q(status=Invoice.Status.CANCELLED)),
            paid=Sum("amount_paid"),
            waived=Sum("amount_waived"),
        )
        .order_by("-year", "currency")
    )
    issue_form = IssueInvoicesForm(years=[s.year for s in schedules])
    return render(
        request,
        "finance/network_dues.html",
        {"network": network, "schedules": schedules, "totals": totals, "issue_form": issue_form},
    )


@login_required
def schedule_edit(request, network, year=None):
    network = get_network_for_dues(request.user, network)
    schedule = (
        get_object_or_404(FeeSchedule, network=network, year=year) if year is not None else None
    )
    form = FeeScheduleForm(request.POST or None, instance=schedule, network=network)
    formset = FeeBandFormSet(request.POST or None, instance=form.instance, prefix="bands")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # A concurrent request may have made this year's schedule since the form checked.
        taken = ValidationError(
            _("%(network)s already has a fee schedule for %(year)s.")
            % {"network": network, "year": form.cleaned_data["year"]}
        )
        try:
            with transaction.atomic(), refuse_duplicates(taken):
                schedule = form.save()
                formset.instance = schedule
                formset.save()
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(
                request, _("The fee schedule for %(year)s is saved.") % {"year": schedule.year}
            )
            return redirect("finance:network-dues", network.slug)
    return render(
        request,
        "finance/schedule_form.html",
        {"network": network, "form": form, "formset": formset, "schedule": schedule},
    )


@login_required
def bank_details_edit(request, network):
    """The network's account and payment instructions, printed wherever a fee is asked for."""
    network = get_network_for_dues(request.user, network)
    details = BankDetails.objects.filter(network=network).first()
    form = BankDetailsForm(request.POST or None, details=details)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bank_details(network, form.cleaned_data, by=request.user)
        except services.FinanceError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The bank details are saved."))
            return redirect("finance:bank-details", network.slug)
    return render(
        request,
        "finance/bank_details.html",
        {"network": network, "form": form, "details": details},
    )


@login_required
@require_POST
def invoices_issue(request, network):
    network = get_network_for_dues(request.user, network)
    years = FeeSchedule.objects.for_network(network).values_list("year", flat=True)
    form = IssueInvoicesForm(request.POST, years=list(years))
    if not form.is_valid():
        messages.error(request, _("Choose a year that has a fee schedule."))
        return redirect("finance:network-dues", network.slug)
    try:
        result = services.issue_invoices(network, form.cleaned_data["year"], by=request.user)
    except services.FinanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "%(created)s invoices issued; %(already)s were already issued, %(exempt)s members "
                "are exempt and %(without)s fit no band."
            )
            % {
                "created": result.created,
                "already": result.already_issued,
                "exempt": result.exempt,
                "without": len(result.without_band),
            },
        )
    return redirect("finance:network-dues", network.slug)


INVOICE_HEADERS = [
    gettext_lazy("Invoice"),
    gettext_lazy("Year"),
    gettext_lazy("Member"),
    gettext_lazy("Country"),
    gettext_lazy("Status"),
    gettext_lazy("Currency"),
    gettext_lazy("Amount"),
    gettext_lazy("Paid"),
    gettext_lazy("Waived"),
    gettext_lazy("Balance"),
    gettext_lazy("Issued on"),
    gettext_lazy("Due on"),
]


def _invoice_rows(invoices):
    """Export rows from plain values, so a network's whole year exports without model objects."""
    statuses = {value: str(label) for value, label in Invoice.Status.choices}
    values = invoices.values_list(
        "number",
        "year",
        "membership__local_government__name",
        "membership__organisation__name",
        "membership__local_government__country__code",
        "membership__organisation__country__code",
        "payer_name",
        "status",
        "currency",
        "amount",
        "amount_paid",
        "amount_waived",
        "issued_on",
        "due_on",
    )
    for row in values.iterator(chunk_size=2000):
        (number, year, city, organisation, city_country, organisation_country, payer) = row[:7]
        status, currency, amount, paid, waived, issued_on, due_on = row[7:]
        yield [
            number,
            year,
            city or organisation or payer,
            city_country or organisation_country or "",
            statuses[status],
            currency,
            amount,
            paid,
            waived,
            amount - paid - waived,
            issued_on.isoformat(),
            due_on.isoformat(),
        ]


@login_required
def invoice_list(request, network):
    network = get_network_for_dues(request.user, network)
    form = InvoiceFilterForm(request.GET or None)
    invoices = Invoice.objects.for_network(network).select_related(
        "network", "membership__local_government__country", "membership__organisation__country"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            invoices = invoices.filter(year=data["year"])
        if data["status"]:
            invoices = invoices.filter(status=data["status"])
        if data["country"]:
            invoices = invoices.filter(
                Q(membership__local_government__country__code=data["country"])
                | Q(membership__organisation__country__code=data["country"])
            )
        if data["q"]:
            invoices = invoices.filter(
                Q(number__icontains=data["q"])
                | Q(membership__local_government__name__icontains=data["q"])
                | Q(membership__organisation__name__icontains=data["q"])
                | Q(payer_name__icontains=data["q"])
            )
    invoices = invoices.order_by("-year", "sequence")
    if (fmt := request.GET.get("format")) in FORMATS:
        return export_response(
            _invoice_rows(invoices),
            headers=INVOICE_HEADERS,
            filename=f"{network.slug}-invoices",
            fmt=fmt,
        )
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/invoice_list.html",
        {"network": network, "form": form, "page": page, "query": query_without_page(request)},
    )


def _detail_context(request, network, invoice, **forms):
    plans = list(
        invoice.plans.select_related("agreed_by")
        .prefetch_related("instalments")
        .order_by("-agreed_on")
    )
    context = {
        "network": network,
        "invoice": invoice,
        "payments": invoice.payments.select_related("recorded_by"),
        "waivers": invoice.waivers.select_related("approved_by"),
        "plans": plans,
        "active_plan": next((p for p in plans if p.status == PaymentPlan.Status.ACTIVE), None),
        "reminders": invoice.reminders.all()[:10],
        "payment_form": PaymentForm(invoice=invoice),
        "waiver_form": WaiverForm(),
        "plan_form": PaymentPlanForm(),
        "instalment_formset": InstalmentFormSet(prefix="instalments"),
        "cancel_form": CancelForm(),
        "currency_codes": sorted(currency_codes()),
        "today": timezone.localdate(),
    }
    context.update(forms)
    return context


@login_required
def invoice_detail(request, network, number):
    network = get_network_for_dues(request.user, network)
    invoice = get_invoice_for_dues(request.user, network, number)
    return render(
        request, "finance/invoice_detail.html", _detail_context(request, network, invoice)
    )


def _action(request, network, number, form, call, success: str, form_name: str, extra=None):
    """Run a service from a POSTed form: on success redirect with a message, otherwise show the
    detail page again with the form, its errors and the service's refusal."""
    network = get_network_for_dues(request.user, network)
    invoice = get_invoice_for_dues(request.user, network, number)
    bound = form(request.POST, **(extra(invoice) if extra else {}))
    if bound.is_valid():
        try:
            call(invoice, bound.cleaned_data)
        except services.FinanceError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(invoice)
    context = _detail_context(request, network, invoice, **{form_name: bound})
    return render(request, "finance/invoice_detail.html", context, status=400)


@login_required
@require_POST
def payment_record(request, network, number):
    def call(invoice, data):
        services.record_payment(invoice, by=request.user, **data)

    return _action(
        request,
        network,
        number,
        PaymentForm,
        call,
        _("The payment is recorded."),
        "payment_form",
        extra=lambda invoice: {"invoice": invoice},
    )


@login_required
@require_POST
def waiver_create(request, network, number):
    def call(invoice, data):
        services.waive_invoice(
            invoice, amount=data["amount"], reason=data["reason"], by=request.user
        )

    return _action(
        request, network, number, WaiverForm, call, _("The waiver is recorded."), "waiver_form"
    )


@login_required
@require_POST
def invoice_cancel(request, network, number):
    def call(invoice, data):
        services.cancel_invoice(invoice, reason=data["reason"], by=request.user)

    return _action(
        request, network, number, CancelForm, call, _("The invoice is cancelled."), "cancel_form"
    )


@login_required
@require_POST
def plan_create(request, network, number):
    network = get_network_for_dues(request.user, network)
    invoice = get_invoice_for_dues(request.user, network, number)
    form = PaymentPlanForm(request.POST)
    formset = InstalmentFormSet(request.POST, prefix="instalments")
    if form.is_valid() and formset.is_valid():
        instalments = [
            (f.cleaned_data["due_on"], f.cleaned_data["amount"]) for f in formset if f.cleaned_data
        ]
        try:
            services.agree_payment_plan(
                invoice, instalments=instalments, note=form.cleaned_data["note"], by=request.user
            )
        except services.FinanceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The payment plan is agreed."))
            return redirect(invoice)
    context = _detail_context(request, network, invoice, plan_form=form, instalment_formset=formset)
    return render(request, "finance/invoice_detail.html", context, status=400)


@login_required
@require_POST
def plan_cancel(request, network, number, plan):
    network = get_network_for_dues(request.user, network)
    invoice = get_invoice_for_dues(request.user, network, number)
    payment_plan = get_object_or_404(PaymentPlan, invoice=invoice, pk=plan)
    try:
        services.cancel_payment_plan(
            payment_plan, by=request.user, reason=request.POST.get("reason", "")
        )
    except services.FinanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The payment plan is cancelled."))
    return redirect(invoice)


@login_required
def arrears_report(request, network):
    network = get_network_for_dues(request.user, network)
    form = ArrearsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    on = data.get("on") or timezone.localdate()
    invoices = arrears(
        network,
        on=on,
        year=data.get("year"),
        bucket=data.get("bucket"),
        country=data.get("country"),
        currency=data.get("currency"),
        search=data.get("q"),
        affecting_standing=data.get("affecting_standing", False),
    )
    if (fmt := request.GET.get("format")) in FORMATS:
        return export_response(
            arrears_rows(invoices, on=on),
            headers=ARREARS_HEADERS,
            filename=f"{network.slug}-arrears-{on.isoformat()}",
            fmt=fmt,
        )
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    for invoice in page:
        invoice.affects_standing = affects_standing(invoice, on)
        invoice.days_past_due_on = invoice.days_past_due(on)
    return render(
        request,
        "finance/arrears_report.html",
        {
            "network": network,
            "form": form,
            "on": on,
            "page": page,
            "totals": arrears_totals(invoices, on=on),
            "buckets": BUCKETS,
            "query": query_without_page(request),
        },
    )


# --- A member's own dues --------------------------------------------------------------------------


@login_required
def member_invoice_list(request, slug):
    local_government = get_local_government_for_dues(request.user, slug)
    invoices = (
        Invoice.objects.filter(membership__local_government=local_government)
        .select_related("network")
        .order_by("-year", "network__name")
    )
    today = timezone.localdate()
    invoices = list(invoices)
    for invoice in invoices:
        invoice.has_receipt = has_receipt(invoice)
        invoice.is_past_due = invoice.status == Invoice.Status.OPEN and invoice.due_on < today
    owed = {}
    for invoice in invoices:
        if invoice.status == Invoice.Status.OPEN:
            owed[invoice.currency] = owed.get(invoice.currency, 0) + invoice.balance
    return render(
        request,
        "finance/member_invoice_list.html",
        {"local_government": local_government, "invoices": invoices, "owed": sorted(owed.items())},
    )


@login_required
def member_invoice_detail(request, slug, network, number):
    invoice = get_invoice_for_member(request.user, slug, network, number)
    plan = (
        invoice.plans.filter(status=PaymentPlan.Status.ACTIVE)
        .prefetch_related("instalments")
        .first()
    )
    return render(
        request,
        "finance/member_invoice_detail.html",
        {
            "local_government": invoice.membership.local_government,
            "invoice": invoice,
            "payments": invoice.payments.all(),
            "plan": plan,
            "has_receipt": has_receipt(invoice),
            "today": timezone.localdate(),
            "bank_lines": services.payment_details(invoice.network_id, get_language())
            if invoice.status == Invoice.Status.OPEN
            else [],
        },
    )


def _receipt_invoice(request, slug, network, number):
    invoice = get_invoice_for_member(request.user, slug, network, number)
    if not has_receipt(invoice):
        raise Http404  # no receipt before the invoice is paid
    return invoice


@login_required
def member_receipt(request, slug, network, number):
    invoice = _receipt_invoice(request, slug, network, number)
    return render(
        request,
        "finance/member_receipt.html",
        {
            "local_government": invoice.membership.local_government,
            "invoice": invoice,
            "facts": receipt_facts(invoice),
            "payments": invoice.payments.all(),
            "verification": issue_code(RECEIPT_KIND, invoice.pk, by=request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def member_receipt_pdf(request, slug, network, number):
    invoice = _receipt_invoice(request, slug, network, number)
    code = issue_code(RECEIPT_KIND, invoice.pk, by=request.user)
    bank_lines = services.payment_details(invoice.network_id, get_language())
    response = HttpResponse(
        receipt_pdf(invoice, invoice.payments.all(), code, bank_lines=bank_lines), "application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="receipt-{invoice.number}.pdf"'
    return response
