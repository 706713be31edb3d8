"""Importing a plan from a document: upload, preview, and only then create it."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.plans.forms import ImportForm
from municipia.plans.importing import ParsedPlan, PlanImportError, read_plan_file
from municipia.plans.permissions import owners_for
from municipia.plans.services import PlanError, import_plan

SESSION_KEY = "plans.import"


def _require_owner(user) -> None:
    networks, cities = owners_for(user)
    if not networks and not cities:
        raise PermissionDenied


@login_required
def plan_import(request):
    """Upload a document and see what would be created; nothing is written at this step."""
    _require_owner(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = read_plan_file(upload.name, upload.read())
        except PlanImportError as error:
            form.add_error("file", str(error))
        else:
            return _preview(request, form, parsed, upload.name)
    return render(request, "plans/plan_import.html", {"form": form})


def _preview(request, form, parsed: ParsedPlan, filename: str):
    metadata = dict(form.cleaned_data)
    metadata.pop("file")
    metadata["title"] = metadata["title"] or parsed.title or filename
    token = uuid.uuid4().hex
    request.session[SESSION_KEY] = {
        "token": token,
        "parsed": parsed.to_dict(),
        "metadata": {
            **metadata,
            "starts_on": metadata["starts_on"].isoformat(),
            "ends_on": metadata["ends_on"].isoformat(),
        },
    }
    owner_field = form.fields["owner"]
    owner = next(iter(owner_field.owner_kwargs(metadata["owner"]).values()))
    return render(
        request,
        "plans/plan_import_preview.html",
        {
            "parsed": parsed,
            "metadata": metadata,
            "owner": owner,
            "token": token,
            "filename": filename,
        },
    )


@login_required
@require_POST
def plan_import_confirm(request):
    """Create the plan from the preview kept in the session, once the person confirms it."""
    _require_owner(request.user)
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("plans:plan-import")
    if "cancel" in request.POST:
        del request.session[SESSION_KEY]
        messages.info(request, _("Import cancelled; nothing was created."))
        return redirect("plans:plan-import")
    metadata = stored["metadata"]
    form = ImportForm(user=request.user)
    if metadata["owner"] not in form.fields["owner"].owners:
        raise PermissionDenied
    try:
        plan = import_plan(
            ParsedPlan.from_dict(stored["parsed"]),
            by=request.user,
            title=metadata["title"],
            kind=metadata["kind"],
            starts_on=datetime.date.fromisoformat(metadata["starts_on"]),
            ends_on=datetime.date.fromisoformat(metadata["ends_on"]),
            languages=metadata["languages"],
            summary=metadata.get("summary", ""),
            **form.fields["owner"].owner_kwargs(metadata["owner"]),
        )
    except PlanError as error:
        messages.error(request, str(error))
        return redirect("plans:plan-import")
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _(
            "The plan is created as a draft with %(objectives)s objectives and %(activities)s activities."
        )
        % {
            "objectives": plan.objectives.count(),
            "activities": ParsedPlan.from_dict(stored["parsed"]).activity_count,
        },
    )
    return redirect("plans:plan-dashboard", slug=plan.slug)
