"""Public accountability pages: the list of plans, a plan with its progress, its history, reports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from municipia.core.exports import FORMATS, export_response
from municipia.plans import charts, reports
from municipia.plans.models import Plan
from municipia.plans.permissions import can_edit_plan, editable_plans, get_plan_for_view
from municipia.plans.tracking import (
    indicator_series,
    overall_progress,
    plan_changes,
    plan_outline,
    recent_updates,
    status_counts,
)


def _with_counts(queryset):
    return queryset.select_related("network", "local_government").annotate(
        objective_count=Count("objectives", distinct=True)
    )


def plan_list(request):
    plans = _with_counts(Plan.objects.public()).order_by("-starts_on", "title")
    kind = request.GET.get("kind")
    if kind in Plan.Kind.values:
        plans = plans.filter(kind=kind)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        rows = (
            (
                p.title,
                str(p.owner),
                p.get_kind_display(),
                p.get_status_display(),
                p.starts_on,
                p.ends_on,
                p.objective_count,
            )
            for p in plans
        )
        headers = [
            _("Title"),
            _("Owner"),
            _("Kind"),
            _("Status"),
            _("Starts on"),
            _("Ends on"),
            _("Objectives"),
        ]
        return export_response(rows, headers=headers, filename="plans", fmt=fmt)
    own = []
    if request.user.is_authenticated:
        own = list(_with_counts(editable_plans(request.user)).order_by("-starts_on", "title"))
    return render(
        request,
        "plans/plan_list.html",
        {"plans": list(plans), "own_plans": own, "kinds": Plan.Kind.choices, "kind": kind},
    )


def _indicator_charts(plan, series_list):
    return [
        (
            series,
            charts.indicator_chart(
                name=series.indicator.name,
                unit=series.indicator.unit,
                baseline=series.indicator.baseline,
                target=series.indicator.target,
                values=[(v.measured_on, v.value) for v in series.values],
                start=plan.starts_on,
                end=series.indicator.target_on or plan.ends_on,
                chart_id=f"indicator-{series.indicator.pk}",
            ),
        )
        for series in series_list
    ]


def plan_context(plan) -> dict:
    outline = plan_outline(plan)
    return {
        "plan": plan,
        "outline": outline,
        "counts": status_counts(outline),
        "progress": overall_progress(outline),
        "progress_chart": charts.progress_bars(
            [(f"{item.number}.", item.progress) for item in outline],
            title=_("Progress per objective"),
        ),
        "indicators": _indicator_charts(plan, indicator_series(plan)),
        "report_years": reports.report_years(plan),
    }


def plan_detail(request, slug):
    plan = get_plan_for_view(request.user, slug)
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        return _export_activities(plan, fmt)
    context = plan_context(plan)
    context |= {
        "can_edit": can_edit_plan(request.user, plan),
        "updates": recent_updates(plan, limit=10),
    }
    return render(request, "plans/plan_detail.html", context)


def _export_activities(plan, fmt):
    outline = plan_outline(plan)
    rows = (
        (
            f"{item.number}.{n}",
            item.objective.title,
            a.description,
            a.responsible or (str(a.responsible_network) if a.responsible_network else ""),
            a.starts_on,
            a.ends_on,
            a.get_status_display(),
            a.effective_progress,
            a.drop_reason,
            ", ".join(a.sdg_targets),
        )
        for item in outline
        for n, a in enumerate(item.activities, start=1)
    )
    headers = [
        _("Number"),
        _("Objective"),
        _("Activity"),
        _("Responsible"),
        _("Starts on"),
        _("Ends on"),
        _("Status"),
        _("Progress (%)"),
        _("Reason for dropping"),
        _("SDG targets"),
    ]
    return export_response(rows, headers=headers, filename=f"{plan.slug}-activities", fmt=fmt)


def plan_history(request, slug):
    plan = get_plan_for_view(request.user, slug)
    page = Paginator(plan_changes(plan), 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


def plan_report(request, slug, fmt):
    plan = get_plan_for_view(request.user, slug)
    try:
        year = int(request.GET.get("year", plan.starts_on.year))
    except ValueError:
        year = None
    language = request.GET.get("language", plan.primary_language)
    if year not in reports.report_years(plan) or language not in plan.languages:
        messages.error(
            request,
            _("A report covers one year of the plan's period, in one of the plan's languages."),
        )
        return redirect(plan)
    data = reports.build_report(plan, year=year, language=language)
    if fmt == "pdf":
        content, content_type = reports.render_pdf(data), "application/pdf"
    else:
        content = reports.render_docx(data)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(plan.slug)[:80]}-{year}-{language}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
