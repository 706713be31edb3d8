"""Pages of the books (staff) and of the transparency page (public).

Staff pages ask `get_network_for_accounts` first: only the network's staff (and superusers) get
past it. Public pages ask `get_transparency_page` / `get_published_section`: only what the network
chose to publish, to anyone.
"""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accountability import services, transparency
from municipia.accountability.forms import (
    AccountForm,
    AuditForm,
    BudgetForm,
    CurrencyForm,
    ExchangeRateForm,
    FindingForm,
    ManualEntryForm,
    OpinionForm,
    PublishedDocumentForm,
    TransparencyForm,
)
from municipia.accountability.ledger import accounting_currency, year_accounts
from municipia.accountability.models import (
    Account,
    Audit,
    Budget,
    BudgetVersion,
    ExchangeRate,
    ManualEntry,
    PublishedDocument,
    TransparencyPage,
)
from municipia.accountability.permissions import (
    get_audit_for_accounts,
    get_network_for_accounts,
    get_published_section,
    get_transparency_page,
    networks_for_accounts,
)
from municipia.accountability.reports import build_financial_report, render_docx, render_pdf
from municipia.core.exports import FORMATS, export_response
from municipia.core.reports import network_languages
from municipia.finance.currencies import currency_codes
from municipia.plans.models import Activity

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1990 <= year <= 2200:
        raise Http404
    return year


@login_required
def accounts_index(request):
    networks = list(networks_for_accounts(request.user))
    if len(networks) == 1:
        return redirect("accountability:books", networks[0].slug)
    return render(request, "accountability/index.html", {"networks": networks})


@login_required
def books(request, network):
    """The accounting currency, the rates and the chart of accounts; the years' budgets."""
    network = get_network_for_accounts(request.user, network)
    languages = network_languages(network)
    currency = accounting_currency(network)
    currency_form = CurrencyForm(initial={"currency": currency})
    rate_form = ExchangeRateForm()
    editing = _account_to_edit(network, request.GET.get("edit"))
    account_form = AccountForm(languages=languages, initial=_account_initial(editing))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "currency":
                currency_form = CurrencyForm(request.POST)
                if currency_form.is_valid():
                    services.set_accounting_currency(
                        network, currency_form.cleaned_data["currency"], by=request.user
                    )
                    messages.success(request, _("The accounting currency is saved."))
                    return redirect("accountability:books", network.slug)
            elif action == "rate":
                rate_form = ExchangeRateForm(request.POST)
                if rate_form.is_valid():
                    services.record_exchange_rate(
                        network, **rate_form.cleaned_data, by=request.user
                    )
                    messages.success(request, _("The exchange rate is recorded."))
                    return redirect("accountability:books", network.slug)
            elif action == "account":
                account_form = AccountForm(request.POST, languages=languages)
                if account_form.is_valid():
                    data = account_form.cleaned_data
                    services.save_account(
                        network,
                        code=data["code"],
                        kind=data["kind"],
                        name=account_form.names(),
                        source=data["source"],
                        position=data["position"],
                        by=request.user,
                    )
                    messages.success(request, _("The account is saved."))
                    return redirect("accountability:books", network.slug)
        except services.AccountabilityError as refused:
            messages.error(request, str(refused))
    budgets = Budget.objects.filter(network=network).prefetch_related("versions").order_by("-year")
    return render(
        request,
        "accountability/books.html",
        {
            "network": network,
            "currency": currency,
            "currency_form": currency_form,
            "rate_form": rate_form,
            "account_form": account_form,
            "editing": editing,
            "accounts": Account.objects.filter(network=network),
            "rates": ExchangeRate.objects.filter(network=network)[:50],
            "budgets": budgets,
            "this_year": timezone.localdate().year,
            "currency_codes": sorted(currency_codes()),
        },
    )


def _account_to_edit(network, pk) -> Account | None:
    if not (pk or "").isdigit():
        return None
    return Account.objects.filter(network=network, pk=int(pk)).first()


def _account_initial(account) -> dict:
    """The account form filled with an account of the chart, to change its names or order."""
    if account is None:
        return {}
    initial = {f"name_{code}": text for code, text in account.name.items()}
    initial.update(
        code=account.code, kind=account.kind, source=account.source, position=account.position
    )
    return initial


def _budget_rows(accounts):
    for side in (accounts.income, accounts.expenditure):
        for line in side.lines:
            yield [
                accounts.year,
                line.account.get_kind_display(),
                line.account.code,
                line.account.display_name(),
                accounts.currency,
                line.budget,
                *line.months,
                line.actual,
                line.variance,
                line.projected,
            ]


@login_required
def budget(request, network, year):
    """Budget against actuals, by line and month, with the projected year-end result."""
    network = get_network_for_accounts(request.user, network)
    year = _year(year)
    accounts = year_accounts(network, year)
    if accounts is None:
        messages.error(request, _("Set the network's accounting currency first."))
        return redirect("accountability:books", network.slug)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        months = [datetime.date(year, m, 1).strftime("%m") for m in range(1, 13)]
        return export_response(
            _budget_rows(accounts),
            headers=[
                _("Year"),
                _("Kind"),
                _("Code"),
                _("Account"),
                _("Currency"),
                _("Budget"),
                *months,
                _("Actual"),
                _("Variance"),
                _("Projected"),
            ],
            filename=f"{network.slug}-budget-{year}",
            fmt=fmt,
        )
    versions = (
        BudgetVersion.objects.filter(budget__network=network, budget__year=year)
        .select_related("decision__meeting__event", "decision__meeting__body", "recorded_by")
        .order_by("-number")
    )
    return render(
        request,
        "accountability/budget.html",
        {
            "network": network,
            "year": year,
            "accounts": accounts,
            "versions": versions,
            "languages": network_languages(network),
            "months": [datetime.date(year, month, 1) for month in range(1, 13)],
        },
    )


@login_required
def budget_edit(request, network, year):
    """Approve the year's budget, or revise it: every save is a new version with its decision."""
    network = get_network_for_accounts(request.user, network)
    year = _year(year)
    accounts = list(Account.objects.filter(network=network))
    current = (
        BudgetVersion.objects.filter(budget__network=network, budget__year=year)
        .order_by("-number")
        .first()
    )
    initial = dict(current.lines.values_list("account_id", "amount")) if current else {}
    form = BudgetForm(
        request.POST or None,
        accounts=accounts,
        decisions=services.decisions_for(network),
        initial_amounts=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_budget(
                network,
                year,
                amounts=form.amounts(),
                decision=form.cleaned_data["decision"],
                approved_on=form.cleaned_data["approved_on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except services.AccountabilityError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The budget is recorded."))
            return redirect("accountability:budget", network.slug, year)
    return render(
        request,
        "accountability/budget_form.html",
        {"network": network, "year": year, "form": form, "current": current},
    )


@login_required
@require_POST
def budget_close(request, network, year):
    network = get_network_for_accounts(request.user, network)
    year = _year(year)
    try:
        services.close_year(network, year, by=request.user)
    except services.AccountabilityError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The accounts of %(year)s are closed.") % {"year": year})
    return redirect("accountability:budget", network.slug, year)


def _report_response(accounts, fmt: str, language: str, network) -> HttpResponse:
    report = build_financial_report(accounts, language=language)
    if fmt == "pdf":
        content, content_type = render_pdf(report), "application/pdf"
    else:
        content, content_type = render_docx(report), DOCX_TYPE
    response = HttpResponse(content, content_type=content_type)
    name = f"{slugify(network.slug)[:60]}-financial-report-{accounts.year}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_language(request, network) -> str:
    languages = network_languages(network)
    language = request.GET.get("language") or languages[0]
    if language not in languages:
        raise Http404
    return language


@login_required
def financial_report(request, network, year, fmt):
    network = get_network_for_accounts(request.user, network)
    accounts = year_accounts(network, _year(year))
    if accounts is None:
        raise Http404
    return _report_response(accounts, fmt, _report_language(request, network), network)


@login_required
def entries(request, network):
    network = get_network_for_accounts(request.user, network)
    form = ManualEntryForm(request.POST or None, request.FILES or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_manual_entry(
                network,
                account=data["account"],
                booked_on=data["booked_on"],
                description=data["description"],
                currency=data["currency"],
                amount=data["amount"],
                exchange_rate=data["exchange_rate"],
                file=data["document"],
                by=request.user,
            )
        except services.AccountabilityError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The entry is recorded."))
            return redirect("accountability:entries", network.slug)
    rows = ManualEntry.objects.filter(network=network).select_related("account")
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            (
                [
                    e.booked_on.isoformat(),
                    e.account.code,
                    e.description,
                    e.currency,
                    e.amount,
                    e.exchange_rate,
                    e.amount_converted,
                    e.original_name,
                ]
                for e in rows
            ),
            headers=[
                _("Date"),
                _("Account"),
                _("Description"),
                _("Currency"),
                _("Amount"),
                _("Exchange rate"),
                _("Amount in the accounting currency"),
                _("Document"),
            ],
            filename=f"{network.slug}-entries",
            fmt=fmt,
        )
    return render(
        request,
        "accountability/entries.html",
        {
            "network": network,
            "form": form,
            "entries": rows[:200],
            "currency": accounting_currency(network),
            "currency_codes": sorted(currency_codes()),
        },
    )


@login_required
def entry_document(request, network, pk):
    network = get_network_for_accounts(request.user, network)
    entry = get_object_or_404(ManualEntry, network=network, pk=pk)
    return FileResponse(entry.file.open("rb"), as_attachment=True, filename=entry.original_name)


@login_required
def audits(request, network):
    network = get_network_for_accounts(request.user, network)
    form = AuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.record_audit(network, **form.cleaned_data, by=request.user)
        except services.AccountabilityError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The audit is recorded."))
            return redirect(audit)
    rows = Audit.objects.filter(network=network).prefetch_related("findings")
    return render(
        request, "accountability/audits.html", {"network": network, "form": form, "audits": rows}
    )


def _network_activities(network):
    return (
        Activity.objects.filter(objective__plan__network=network)
        .select_related("objective__plan")
        .order_by("objective__plan__title", "objective__position", "position", "pk")
    )


@login_required
def audit(request, network, pk):
    network = get_network_for_accounts(request.user, network)
    engagement = get_audit_for_accounts(request.user, network, pk)
    activities = _network_activities(network)
    opinion_form = OpinionForm(
        initial={
            "opinion": engagement.opinion,
            "text": engagement.opinion_text,
            "given_on": engagement.opinion_on,
        }
    )
    finding_form = FindingForm(activities=activities)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "opinion":
                opinion_form = OpinionForm(request.POST, request.FILES)
                if opinion_form.is_valid():
                    services.record_audit_opinion(
                        engagement,
                        opinion=opinion_form.cleaned_data["opinion"],
                        text=opinion_form.cleaned_data["text"],
                        given_on=opinion_form.cleaned_data["given_on"],
                        report=opinion_form.cleaned_data["report"],
                        by=request.user,
                    )
                    messages.success(request, _("The opinion is recorded."))
                    return redirect(engagement)
            else:
                finding_form = FindingForm(request.POST, activities=activities)
                if finding_form.is_valid():
                    services.record_finding(
                        engagement, **finding_form.cleaned_data, by=request.user
                    )
                    messages.success(request, _("The finding is recorded."))
                    return redirect(engagement)
        except services.AccountabilityError as refused:
            messages.error(request, str(refused))
    findings = engagement.findings.select_related("activity__objective__plan")
    return render(
        request,
        "accountability/audit.html",
        {
            "network": network,
            "audit": engagement,
            "findings": findings,
            "opinion_form": opinion_form,
            "finding_form": finding_form,
        },
    )


@login_required
def audit_report_download(request, network, pk):
    network = get_network_for_accounts(request.user, network)
    engagement = get_audit_for_accounts(request.user, network, pk)
    if not engagement.report:
        raise Http404
    return FileResponse(
        engagement.report.open("rb"), as_attachment=True, filename=engagement.report_name
    )


@login_required
def transparency_manage(request, network):
    network = get_network_for_accounts(request.user, network)
    languages = network_languages(network)
    page = TransparencyPage.objects.filter(network=network).first()
    initial = {"sections": page.sections if page else []}
    for code in languages:
        initial[f"intro_{code}"] = (page.introduction if page else {}).get(code, "")
    form = TransparencyForm(request.POST or None, languages=languages, initial=initial)
    document_form = PublishedDocumentForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "document":
                document_form = PublishedDocumentForm(request.POST, request.FILES)
                form = TransparencyForm(languages=languages, initial=initial)
                if document_form.is_valid():
                    services.add_published_document(
                        network, **document_form.cleaned_data, by=request.user
                    )
                    messages.success(request, _("The document is published."))
                    return redirect("accountability:transparency-manage", network.slug)
            elif form.is_valid():
                services.publish_sections(
                    network,
                    form.cleaned_data["sections"],
                    introduction=form.introduction(),
                    by=request.user,
                )
                messages.success(request, _("The transparency page is saved."))
                return redirect("accountability:transparency-manage", network.slug)
        except services.AccountabilityError as refused:
            messages.error(request, str(refused))
    return render(
        request,
        "accountability/transparency_manage.html",
        {
            "network": network,
            "page": page,
            "form": form,
            "document_form": document_form,
            "documents": PublishedDocument.objects.filter(network=network),
        },
    )


# --- Public ---------------------------------------------------------------------------------------


def transparency_page(request, network, year=None):
    page = get_transparency_page(network)
    year = _year(year) if year is not None else None
    tables = transparency.published_tables(page, year=year, request=request)
    if request.GET.get("format") == "json":
        return JsonResponse(
            _page_json(page, tables, year), json_dumps_params={"ensure_ascii": False}
        )
    return render(
        request,
        "accountability/transparency.html",
        {
            "page": page,
            "network": page.network,
            "year": year,
            "years": transparency.page_years(page),
            "tables": tables,
            "introduction": transparency.introduction(page),
            "changes": transparency.change_history(page, year=year),
        },
    )


def _page_json(page, tables, year) -> dict:
    return {
        "network": page.network.slug,
        "year": year,
        "sections": {
            t.key: {"title": t.title, "columns": dict(t.columns), "rows": t.rows} for t in tables
        },
        "changes": transparency.change_history(page, year=year),
    }


def transparency_data(request, network, section, fmt, year=None):
    page = get_published_section(network, section)
    year = _year(year) if year is not None else None
    table = transparency.section_table(page, section, year=year, request=request)
    if fmt == "json":
        return JsonResponse(
            {
                "network": page.network.slug,
                "section": section,
                "year": year,
                "title": table.title,
                "columns": dict(table.columns),
                "rows": table.rows,
            },
            json_dumps_params={"ensure_ascii": False},
        )
    rows = [
        [json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in row]
        for row in table.values()
    ]
    suffix = f"-{year}" if year else ""
    return export_response(
        rows, headers=table.labels, filename=f"{page.network.slug}-{section}{suffix}", fmt="csv"
    )


def transparency_document(request, network, pk):
    page = get_published_section(network, "statutes")
    document = get_object_or_404(PublishedDocument, network=page.network, pk=pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


def transparency_audit_report(request, network, pk):
    page = get_published_section(network, "audits")
    engagement = get_object_or_404(Audit, network=page.network, pk=pk)
    if not engagement.report or not engagement.opinion:
        raise Http404
    return FileResponse(
        engagement.report.open("rb"), as_attachment=True, filename=engagement.report_name
    )


def transparency_report(request, network, year, fmt):
    """The financial report of a year with an approved budget, where reports are published."""
    page = get_published_section(network, "reports")
    year = _year(year)
    if not Budget.objects.filter(network=page.network, year=year, versions__isnull=False).exists():
        raise Http404
    accounts = year_accounts(page.network, year)
    if accounts is None:
        raise Http404
    return _report_response(accounts, fmt, _report_language(request, page.network), page.network)
