"""IATI import pages: upload → preview with choices → write, the slow steps in the background
(`cooperation.iati_import`). Every page is for the network's staff member who uploaded the file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.cooperation import iati_import as importer
from municipia.cooperation.forms import IatiImportForm
from municipia.cooperation.models import IatiImport
from municipia.cooperation.permissions import (
    get_iati_import_for_owner,
    get_network_for_project_staff,
)
from municipia.core.jobs import JobError, jobs_about


@login_required
def iati_import(request, network):
    network = get_network_for_project_staff(request.user, network)
    form = IatiImportForm(request.POST or None, request.FILES or None, network=network)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = importer.start_iati_import(
                network,
                by=request.user,
                filename=upload.name,
                data=upload.read(),
                fund=form.cleaned_data["fund"],
            )
        except JobError as error:
            form.add_error("file", str(error))
        else:
            return redirect(started)
    recent = IatiImport.objects.filter(network=network, owner=request.user).defer("data")[:10]
    return render(
        request,
        "cooperation/iati_import.html",
        {"network": network, "form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


@login_required
def iati_import_detail(request, pk):
    found = get_iati_import_for_owner(request.user, pk)
    preview_job = jobs_about(found, importer.PREVIEW_JOB).first()
    write_job = jobs_about(found, importer.WRITE_JOB).first()
    activities = []
    if preview_job and preview_job.status == preview_job.Status.DONE:
        activities = [
            {**activity, "outcome": importer.activity_outcome(activity, found.choices)}
            for activity in found.preview.get("activities", [])
        ]
    return render(
        request,
        "cooperation/iati_import_detail.html",
        {
            "iati_import": found,
            "network": found.network,
            "preview_job": preview_job,
            "write_job": write_job,
            "activities": activities,
            "counts": importer.counts(found) if activities else {},
            "choices": found.choices,
        },
    )


@login_required
@require_POST
def iati_import_choose(request, pk):
    """Record the organisations chosen (`org-<key>`: a candidate's value)."""
    found = get_iati_import_for_owner(request.user, pk)
    choices = {
        key[4:]: value for key, value in request.POST.items() if key.startswith("org-") and value
    }
    try:
        count = importer.choose_organisations(found, by=request.user, choices=choices)
    except JobError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your choices for %(count)d organisations are saved.") % {"count": count}
        )
    return redirect(found)


@login_required
@require_POST
def iati_import_write(request, pk):
    found = get_iati_import_for_owner(request.user, pk)
    try:
        importer.start_iati_write(found, by=request.user)
    except JobError as error:
        messages.error(request, str(error))
    return redirect(found)
