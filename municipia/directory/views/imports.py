"""Member imports: upload → (columns) → preview with choices → write, the slow steps in the background.

Every page here is for the person who uploaded the file, while they manage the network's members;
the reading, matching and writing run as background jobs whose progress the page shows.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.jobs import jobs_about
from municipia.directory import services
from municipia.directory.forms import ImportColumnsForm, ImportWriteForm, MemberImportForm
from municipia.directory.models import MemberImport, MemberImportRow
from municipia.directory.permissions import get_member_import_for_staff, get_network_for_staff

ROWS_PER_PAGE = 25
Outcome = MemberImportRow.Outcome
# What each tab of the preview lists.
TABS = {
    "choose": [Outcome.CHOOSE],
    "missing": [Outcome.MISSING],
    "problems": [Outcome.INVALID, Outcome.DUPLICATE],
    "ready": [Outcome.READY],
}


@login_required
def member_import(request, slug):
    network = get_network_for_staff(request.user, slug)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        started = services.start_member_import(
            network, by=request.user, filename=upload.name, data=upload.read()
        )
        return redirect(started)
    recent = MemberImport.objects.filter(network=network, owner=request.user).defer("data")[:10]
    return render(
        request,
        "directory/manage/member_import.html",
        {"network": network, "form": form, "recent": recent},
    )


def _context(request, member_import: MemberImport) -> dict:
    preview_job = jobs_about(member_import, services.PREVIEW_JOB).first()
    write_job = jobs_about(member_import, services.WRITE_JOB).first()
    context = {
        "member_import": member_import,
        "network": member_import.network,
        "preview_job": preview_job,
        "write_job": write_job,
        "summary": member_import.summary,
    }
    summary = member_import.summary
    if write_job or not preview_job or preview_job.status != preview_job.Status.DONE:
        return context
    if summary.get("needs_columns"):
        context["columns_form"] = ImportColumnsForm(
            initial={
                "heading_row": member_import.heading_row or 0,
                **{f"column_{i}": f for i, f in enumerate(member_import.columns)},
            },
            heading=summary.get("heading", []),
            sample=summary.get("sample", []),
        )
        return context
    tab = request.GET.get("tab", "choose")
    tab = tab if tab in TABS else "choose"
    rows = member_import.rows.filter(outcome__in=TABS[tab]).select_related("local_government")
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        tab=tab,
        page=page,
        undecided=member_import.rows.filter(outcome=Outcome.CHOOSE, choice="").count(),
        write_form=ImportWriteForm(initial={"create_missing": "0"}),
        columns_form=ImportColumnsForm(
            initial={
                "heading_row": member_import.heading_row or 0,
                **{f"column_{i}": f for i, f in enumerate(member_import.columns)},
            },
            heading=summary.get("heading", []),
            sample=summary.get("sample", []),
        ),
    )
    return context


@login_required
def member_import_detail(request, pk):
    member_import = get_member_import_for_staff(request.user, pk)
    return render(
        request, "directory/manage/member_import_detail.html", _context(request, member_import)
    )


@login_required
@require_POST
def member_import_columns(request, pk):
    member_import = get_member_import_for_staff(request.user, pk)
    summary = member_import.summary
    form = ImportColumnsForm(
        request.POST, heading=summary.get("heading", []), sample=summary.get("sample", [])
    )
    if not form.is_valid():
        context = _context(request, member_import)
        context["columns_form"] = form
        return render(request, "directory/manage/member_import_detail.html", context, status=400)
    try:
        services.set_import_columns(
            member_import,
            by=request.user,
            heading_row=form.cleaned_data["heading_row"],
            columns=form.cleaned_data["columns"],
        )
    except services.DirectoryError as error:
        messages.error(request, str(error))
    return redirect(member_import)


@login_required
@require_POST
def member_import_choose(request, pk):
    """Record the choices made on one page of rows (`row-<id>`: a candidate, create or skip)."""
    member_import = get_member_import_for_staff(request.user, pk)
    choices = {
        int(key[4:]): value
        for key, value in request.POST.items()
        if key.startswith("row-") and key[4:].isdigit() and value
    }
    try:
        count = services.choose_import_rows(member_import, by=request.user, choices=choices)
    except services.DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your choices for %(count)d rows are saved.") % {"count": count}
        )
    tab = request.POST.get("tab", "choose")
    page = request.POST.get("page", "1")
    tab, page = (tab if tab in TABS else "choose"), (page if page.isdigit() else "1")
    return redirect(f"{member_import.get_absolute_url()}?tab={tab}&page={page}")


@login_required
@require_POST
def member_import_write(request, pk):
    member_import = get_member_import_for_staff(request.user, pk)
    form = ImportWriteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what to do with the places not found."))
        return redirect(member_import)
    try:
        services.start_member_write(
            member_import, by=request.user, create_missing=form.cleaned_data["create_missing"]
        )
    except services.DirectoryError as error:
        messages.error(request, str(error))
    return redirect(member_import)


@login_required
@require_POST
def member_import_retry(request, pk):
    member_import = get_member_import_for_staff(request.user, pk)
    job = jobs_about(member_import).filter(pk=request.POST.get("job") or 0).first()
    if job is None:
        messages.error(request, _("Nothing to run again."))
        return redirect(member_import)
    try:
        services.retry_import_job(member_import, job, by=request.user)
    except services.DirectoryError as error:
        messages.error(request, str(error))
    return redirect(member_import)
