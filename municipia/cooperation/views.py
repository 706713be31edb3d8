"""Pages of cooperation: the project list and page (public), a project's finances (staff), reports
(partners and staff), the fund statement (staff) and the open-data files (IATI XML, CSV, JSON)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, Sum
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from municipia.calls.permissions import get_application_for_management
from municipia.cooperation import iati
from municipia.cooperation.forms import (
    BudgetLineForm,
    CoFundingForm,
    CommitmentForm,
    IatiPublisherForm,
    IncomeForm,
    MilestoneForm,
    PartnerForm,
    ProjectFilterForm,
    ProjectIndicatorForm,
    ReleaseForm,
    ReportForm,
    ReviewForm,
    StatementLanguageForm,
    StatusForm,
    TrancheForm,
)
from municipia.cooperation.models import (
    Disbursement,
    Partner,
    Project,
    ProjectIndicator,
    ProjectIndicatorValue,
)
from municipia.cooperation.permissions import (
    can_manage_project,
    can_report_on_project,
    get_fund_for_finances,
    get_network_for_cooperation,
    get_project_for_management,
    get_project_for_reporting,
    get_project_for_view,
    get_report_for_view,
)
from municipia.cooperation.services import (
    CooperationError,
    add_budget_line,
    add_co_funding,
    add_indicator,
    add_milestone,
    add_partner,
    change_project_status,
    commit_funds,
    plan_tranche,
    project_from_application,
    record_income,
    record_indicator_value,
    release_tranche,
    review_report,
    set_iati_publisher,
    submit_report,
)
from municipia.cooperation.statements import (
    cached_fund_statement,
    statement_languages,
    statement_pdf,
    statement_xlsx,
)
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.indicators import IndicatorSeries, IndicatorValueForm
from municipia.core.pagecache import public_page
from municipia.directory.models import LocalGovernment, Network

PAGE_SIZE = 25
EXPORT_HEADERS = [
    "code",
    "title",
    "network",
    "status",
    "starts_on",
    "ends_on",
    "countries",
    "lead",
]


def _linked(relation, **lookups) -> Exists:
    """Whether the project has a row of the many-to-many `relation` matching `lookups`: an
    EXISTS on the indexed link table, so the list needs neither a join nor DISTINCT."""
    through = getattr(Project, relation).through
    return Exists(through.objects.filter(project_id=OuterRef("pk"), **lookups))


def filtered_projects(user, data: dict | None):
    """The projects `user` may see that match the filter form's `data`: one row per project
    (every filter on a related table is an EXISTS, so no DISTINCT is needed to count or page)."""
    projects = Project.objects.visible_to(user)
    if data:
        if data.get("network"):
            projects = projects.filter(network=data["network"])
        if data.get("country"):
            projects = projects.filter(_linked("countries", country_id=data["country"].pk))
        if data.get("theme"):
            projects = projects.filter(_linked("themes", theme_id=data["theme"].pk))
        if data.get("sdg"):
            projects = projects.filter(_linked("sdg_targets", sdgtarget__goal=data["sdg"]))
        if data.get("status"):
            projects = projects.filter(status=data["status"])
        if data.get("priority"):
            projects = projects.in_priority_areas()
        if data.get("year"):
            year = data["year"]
            projects = projects.filter(
                Q(starts_on__lt=datetime.date(year + 1, 1, 1)) | Q(starts_on__isnull=True),
                Q(ends_on__gte=datetime.date(year, 1, 1)) | Q(ends_on__isnull=True),
            )
    return projects


def _list_prefetch(projects):
    return projects.select_related("network").prefetch_related(
        "translations",
        "countries",
        Prefetch(
            "partners",
            Partner.objects.filter(role=Partner.Role.LEAD).select_related(
                "local_government", "organisation"
            ),
            to_attr="leads",
        ),
    )


def _export_rows(projects):
    for project in _list_prefetch(projects).iterator(chunk_size=500):
        lead = project.leads[0].party if project.leads else ""
        yield [
            project.code,
            project.title,
            project.network.name,
            project.get_status_display(),
            project.starts_on.isoformat() if project.starts_on else "",
            project.ends_on.isoformat() if project.ends_on else "",
            " ".join(sorted(c.code for c in project.countries.all())),
            str(lead),
        ]


@public_page
def project_list(request):
    form = ProjectFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else None
    projects = filtered_projects(request.user, data).order_by("-starts_on", "code")
    if (fmt := request.GET.get("format")) in FORMATS:
        return export_response(
            _export_rows(projects), headers=EXPORT_HEADERS, filename="projects", fmt=fmt
        )
    page = Paginator(_list_prefetch(projects), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/project_list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@public_page
def project_detail(request, slug):
    project = get_project_for_view(request.user, slug)
    indicators = ProjectIndicator.objects.filter(project=project).prefetch_related(
        Prefetch("values", ProjectIndicatorValue.objects.order_by("measured_on"))
    )
    milestones = list(project.milestones.all())
    return render(
        request,
        "cooperation/project_detail.html",
        {
            "project": project,
            "text": project.text(request.GET.get("lang")),
            "partners": list(project.partners.all()),
            "country_names": {c.code: c.name for c in project.countries.all()},
            "themes": list(project.themes.all()),
            "sdg_targets": list(project.sdg_targets.select_related("goal")),
            "milestones": milestones,
            "milestones_reached": sum(1 for m in milestones if m.reached_on),
            "indicators": [
                IndicatorSeries(indicator=i, values=list(i.values.all())) for i in indicators
            ],
            "experiences": list(
                project.experiences.published()
                .select_related("city")
                .prefetch_related("translations")
            ),
            "status_changes": list(project.status_changes.all()),
            "can_manage": can_manage_project(request.user, project),
            "can_report": can_report_on_project(request.user, project),
        },
    )


def project_map(request, slug):
    """The partners as the directory's offline member map reads them."""
    project = get_project_for_view(request.user, slug)
    counts: dict[str, int] = {}
    points = []
    for partner in project.partners.all():
        party = partner.party
        if party.country_id:
            counts[party.country.code] = counts.get(party.country.code, 0) + 1
        city = partner.local_government
        if city is not None and city.latitude is not None and city.longitude is not None:
            points.append([city.latitude, city.longitude, city.name, city.slug])
    return JsonResponse(
        {
            "countries": counts,
            "points": points,
            "place_url": LocalGovernment(slug="__slug__").get_absolute_url(),
        }
    )


@login_required
def project_finances(request, slug):
    project = get_project_for_management(request.user, slug)
    commitments = list(project.commitments.select_related("fund").order_by("committed_on"))
    tranches = list(
        Disbursement.objects.filter(project=project)
        .select_related("commitment", "report")
        .order_by("planned_on", "pk")
    )
    context = {
        "project": project,
        "budget_lines": list(project.budget_lines.all()),
        "co_funding": list(project.co_funding.select_related("organisation", "local_government")),
        "commitments": commitments,
        "tranches": tranches,
        "reports": list(project.reports.order_by("-submitted_at")),
        "reported_transactions": list(project.reported_transactions.all()),
        "commitment_form": CommitmentForm(
            initial={"currency": project.fund.currency if project.fund else "EUR"}
        ),
        "tranche_form": TrancheForm(project=project),
        "release_form": ReleaseForm(project=project),
        "status_form": StatusForm(),
        "budget_totals": list(
            project.budget_lines.order_by("currency")
            .values("currency")
            .annotate(total=Sum("amount"))
        ),
    }
    return render(request, "cooperation/project_finances.html", context)


def _act(request, project, call, success: str):
    try:
        call()
    except CooperationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("cooperation:project-finances", slug=project.slug)


@login_required
@require_POST
def project_status(request, slug):
    project = get_project_for_management(request.user, slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
        return redirect("cooperation:project-finances", slug=slug)
    data = form.cleaned_data
    return _act(
        request,
        project,
        lambda: change_project_status(project, to=data["to"], by=request.user, note=data["note"]),
        _("The project's status is changed."),
    )


@login_required
@require_POST
def commitment_create(request, slug):
    project = get_project_for_management(request.user, slug)
    form = CommitmentForm(request.POST)
    if project.fund is None:
        messages.error(request, _("The project is paid by no fund."))
        return redirect("cooperation:project-finances", slug=slug)
    if not form.is_valid():
        messages.error(request, _("Check the amount, the currency and the rate."))
        return redirect("cooperation:project-finances", slug=slug)
    data = form.cleaned_data
    return _act(
        request,
        project,
        lambda: commit_funds(
            project.fund,
            project,
            amount=data["amount"],
            currency=data["currency"],
            exchange_rate=data["exchange_rate"],
            note=data["note"],
            by=request.user,
        ),
        _("The money is committed."),
    )


@login_required
@require_POST
def tranche_create(request, slug):
    project = get_project_for_management(request.user, slug)
    form = TrancheForm(request.POST, project=project)
    if not form.is_valid():
        messages.error(request, _("Check the tranche's commitment, label, amount and date."))
        return redirect("cooperation:project-finances", slug=slug)
    data = form.cleaned_data
    return _act(
        request,
        project,
        lambda: plan_tranche(
            data["commitment"],
            label=data["label"],
            amount=data["amount"],
            planned_on=data["planned_on"],
            by=request.user,
        ),
        _("The tranche is planned."),
    )


@login_required
@require_POST
def tranche_release(request, slug, pk):
    project = get_project_for_management(request.user, slug)
    tranche = get_object_or_404(Disbursement, project=project, pk=pk)
    form = ReleaseForm(request.POST, project=project)
    report = form.cleaned_data["report"] if form.is_valid() else None
    return _act(
        request,
        project,
        lambda: release_tranche(tranche, report=report, by=request.user),
        _("The tranche is released."),
    )


def _form_page(request, form, action, *, success: str, title: str, back: str, context=None):
    """Hand a valid form's data to a service; show its refusal on the form (nothing written)."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        "cooperation/form.html",
        {"form": form, "title": title, "back_url": back, **(context or {})},
    )


# What the staff add to a project, each with its form and service: name → (form, service,
# message on success, page title). The URL of each passes its name.
PROJECT_ADDITIONS = {
    "budget-line": (
        BudgetLineForm,
        add_budget_line,
        gettext_lazy("The budget line is added."),
        gettext_lazy("Add a budget line"),
    ),
    "partner": (
        PartnerForm,
        add_partner,
        gettext_lazy("The partner is added."),
        gettext_lazy("Add a partner"),
    ),
    "co-funding": (
        CoFundingForm,
        add_co_funding,
        gettext_lazy("The co-funding source is added."),
        gettext_lazy("Add a co-funding source"),
    ),
    "milestone": (
        MilestoneForm,
        add_milestone,
        gettext_lazy("The milestone is added."),
        gettext_lazy("Add a milestone"),
    ),
    "indicator": (
        ProjectIndicatorForm,
        add_indicator,
        gettext_lazy("The indicator is added."),
        gettext_lazy("Add an indicator"),
    ),
}


@login_required
def project_add(request, slug, what):
    """A staff form that adds one thing to a project, then goes back to its finances."""
    project = get_project_for_management(request.user, slug)
    form_class, service, success, title = PROJECT_ADDITIONS[what]
    return _form_page(
        request,
        form_class(request.POST or None),
        lambda data: service(project, by=request.user, **data),
        success=str(success),
        title=str(title),
        back=reverse("cooperation:project-finances", args=[project.slug]),
        context={"project": project},
    )


@login_required
def indicator_value_create(request, slug, pk):
    """Staff and the partner cities' officers record what an indicator measured on a date."""
    project = get_project_for_reporting(request.user, slug)
    indicator = get_object_or_404(ProjectIndicator, project=project, pk=pk)
    return _form_page(
        request,
        IndicatorValueForm(request.POST or None),
        lambda data: record_indicator_value(indicator, by=request.user, **data),
        success=_("The value is recorded."),
        title=_("Record a measured value"),
        back=project.get_absolute_url(),
        context={"project": project, "intro": str(indicator)},
    )


@login_required
def income_create(request, network, slug):
    fund = get_fund_for_finances(request.user, network, slug)
    return _form_page(
        request,
        IncomeForm(request.POST or None),
        lambda data: record_income(fund, by=request.user, **data),
        success=_("The income is recorded."),
        title=_("Record income"),
        back=fund.get_absolute_url(),
        context={"fund": fund},
    )


@login_required
def iati_publisher_edit(request, network):
    """The network's staff set how its projects are published to IATI."""
    network = get_network_for_cooperation(request.user, network)
    setting = iati.publisher(network)
    initial = (
        {
            "reporting_org_ref": setting.reporting_org_ref,
            "reporting_org_type": setting.reporting_org_type,
        }
        if setting
        else {"reporting_org_type": iati.network_type(network)}
    )
    return _form_page(
        request,
        IatiPublisherForm(request.POST or None, initial=initial),
        lambda data: set_iati_publisher(network, by=request.user, **data),
        success=_("The IATI publisher is saved."),
        title=_("IATI publisher"),
        back=reverse("cooperation:iati-publisher", args=[network.slug]),
        context={
            "intro": _(
                "Every activity of %(network)s's open-data files names this reporting organisation."
            )
            % {"network": network},
            "network": network,
        },
    )


@login_required
def report_create(request, slug):
    project = get_project_for_reporting(request.user, slug)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = submit_report(
                project,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                files=[data["document"]] if data["document"] else [],
                by=request.user,
            )
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is submitted."))
            return redirect(report.get_absolute_url())
    return render(request, "cooperation/report_form.html", {"project": project, "form": form})


@login_required
def report_detail(request, slug, pk):
    project = get_project_for_reporting(request.user, slug)
    report = get_report_for_view(request.user, project, pk)
    can_review = can_manage_project(request.user, project)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                review_report(
                    report,
                    accept=form.cleaned_data["decision"] == "accept",
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except CooperationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The review is recorded."))
                return redirect(report.get_absolute_url())
    return render(
        request,
        "cooperation/report_detail.html",
        {"project": project, "report": report, "form": form, "can_review": can_review},
    )


@login_required
@require_POST
def from_application(request, pk):
    application = get_application_for_management(request.user, pk)
    try:
        project = project_from_application(application, by=request.user)
    except CooperationError as error:
        messages.error(request, str(error))
        return redirect("calls:decide", slug=application.call.slug, pk=application.pk)
    messages.success(request, _("The project is created from the application."))
    return redirect(project.get_absolute_url())


STATEMENT_FILES = {"pdf": statement_pdf, "xlsx": statement_xlsx}


@login_required
def fund_statement_view(request, network, slug, fmt=None):
    fund = get_fund_for_finances(request.user, network, slug)
    if fmt is not None:
        # A file for the general assembly, in the language asked for (the network's first).
        language = request.GET.get("lang") or statement_languages(fund)[0]
        if fmt not in STATEMENT_FILES or language not in dict(settings.LANGUAGES):
            raise Http404
        with translation.override(language):
            return STATEMENT_FILES[fmt](cached_fund_statement(fund))
    languages = statement_languages(fund)
    form = StatementLanguageForm(request.GET or None, initial={"lang": languages[0]})
    return render(
        request,
        "cooperation/fund_statement.html",
        {
            "fund": fund,
            "statement": cached_fund_statement(fund),
            "language_form": form,
            "file_languages": [
                (code, translation.get_language_info(code)["name_local"])
                for code in (
                    [form.cleaned_data["lang"]] if request.GET and form.is_valid() else languages
                )
            ],
        },
    )


def iati_network(request, network, fmt):
    network = get_object_or_404(Network, slug=network, is_published=True)
    projects = iati.published_projects(network)
    if fmt == "xml":
        response = StreamingHttpResponse(
            iati.activities_stream(projects), content_type="application/xml; charset=utf-8"
        )
    elif fmt == "json":
        response = StreamingHttpResponse(
            iati.json_stream(projects), content_type="application/json"
        )
    elif fmt == "csv":
        return export_response(
            iati.csv_rows(projects),
            headers=iati.CSV_HEADERS,
            filename=f"{network.slug}-iati-activities",
            fmt="csv",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'inline; filename="{network.slug}-iati-activities.{fmt}"'
    return response


def iati_project(request, slug):
    projects = iati.published_projects().filter(slug=slug)
    if not projects.exists():
        raise Http404
    response = StreamingHttpResponse(
        iati.activities_stream(projects), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{slug}-iati-activity.xml"'
    return response
