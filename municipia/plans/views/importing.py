"""Importing a plan from a document: upload, preview (where the plan is, what each column holds),
and only then create it.

The uploaded file stays in the session until the import is confirmed or cancelled; each change of
the preview reads it again with the person's choice, so what is confirmed is exactly what was shown.
"""

import base64
import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.plans.forms import ImportChoiceForm, ImportForm, choice_initial
from municipia.plans.importing import (
    PlanImportError,
    build_plan,
    read_document,
    suggest_choice,
)
from municipia.plans.permissions import owners_for
from municipia.plans.services import PlanError, import_plan

SESSION_KEY = "plans.import"
PREVIEW_NODES = 1500  # a longer plan is previewed in part; all of it is imported


def _require_owner(user) -> None:
    networks, cities = owners_for(user)
    if not networks and not cities:
        raise PermissionDenied


@login_required
def plan_import(request):
    """Upload a document; nothing is written at this step."""
    _require_owner(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            document = read_document(upload.name, data)
            choice = suggest_choice(document)
            if not _has_rows(document):
                build_plan(document, choice)  # says why there is nothing to import
        except PlanImportError as error:
            form.add_error("file", str(error))
        else:
            metadata = dict(form.cleaned_data)
            metadata.pop("file")
            metadata["title"] = metadata["title"] or document.title or upload.name
            metadata["starts_on"] = metadata["starts_on"].isoformat()
            metadata["ends_on"] = metadata["ends_on"].isoformat()
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {
                "token": token,
                "name": upload.name,
                "data": base64.b64encode(data).decode("ascii"),
                "metadata": metadata,
            }
            return _preview(request, token=token, document=document, form=None)
    return render(request, "plans/plan_import.html", {"form": form})


def _has_rows(document) -> bool:
    return document.outline.depth >= 2 or any(t.body and t.width >= 2 for t in document.tables)


def _stored(request):
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        return None
    return stored


def _document(stored):
    return read_document(stored["name"], base64.b64decode(stored["data"]))


@login_required
@require_POST
def plan_import_preview(request):
    """Show the preview again with the source and the columns the person chose."""
    _require_owner(request.user)
    stored = _stored(request)
    if stored is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("plans:plan-import")
    document = _document(stored)
    form = ImportChoiceForm(request.POST, document=document)
    return _preview(request, token=stored["token"], document=document, form=form)


def _preview(request, *, token, document, form):
    stored = request.session[SESSION_KEY]
    if form is None:
        choice = suggest_choice(document)
        parsed, error = _build(document, choice)
        levels = parsed.levels if parsed else []
        form = ImportChoiceForm(initial=choice_initial(choice, levels), document=document)
    elif form.is_valid():
        parsed, error = _build(document, form.choice())
    else:
        parsed, error = None, ""
    networks_and_cities = ImportForm(user=request.user).fields["owner"]
    owner_value = stored["metadata"]["owner"]
    owner = (
        next(iter(networks_and_cities.owner_kwargs(owner_value).values()))
        if owner_value in networks_and_cities.owners
        else None
    )
    return render(
        request,
        "plans/plan_import_preview.html",
        {
            "document": document,
            "form": form,
            "sources": _sources(form, document),
            "parsed": parsed,
            "error": error,
            "outline": _flatten(parsed) if parsed else [],
            "levels": list(zip(parsed.levels, parsed.level_counts, strict=True)) if parsed else [],
            "metadata": stored["metadata"],
            "owner": owner,
            "token": token,
            "filename": stored["name"],
            "preview_limit": PREVIEW_NODES,
        },
    )


def _sources(form, document) -> list[tuple]:
    """Each radio button of the source field with the table (or the outline) it stands for."""
    tables = {str(t.index): t for t in document.tables}
    return [(radio, tables.get(str(radio.data["value"]))) for radio in form["source"]]


def _build(document, choice):
    try:
        return build_plan(document, choice), ""
    except PlanImportError as error:
        return None, str(error)


def _flatten(parsed) -> list[tuple[int, str, object]]:
    """(depth, number, node) for the first PREVIEW_NODES nodes, in reading order."""
    out: list = []

    def walk(nodes, depth: int, prefix: str) -> None:
        for number, node in enumerate(nodes, start=1):
            if len(out) >= PREVIEW_NODES:
                return
            label = f"{prefix}{number}"
            out.append((depth, label, node))
            walk(node.children, depth + 1, f"{label}.")

    walk(parsed.roots, 0, "")
    return out


@login_required
@require_POST
def plan_import_confirm(request):
    """Create the plan from the file kept in the session, read as the preview showed it."""
    _require_owner(request.user)
    stored = _stored(request)
    if stored is None:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("plans:plan-import")
    if "cancel" in request.POST:
        del request.session[SESSION_KEY]
        messages.info(request, _("Import cancelled; nothing was created."))
        return redirect("plans:plan-import")
    metadata = stored["metadata"]
    owner_field = ImportForm(user=request.user).fields["owner"]
    if metadata["owner"] not in owner_field.owners:
        raise PermissionDenied
    document = _document(stored)
    form = None
    if "source" in request.POST:
        form = ImportChoiceForm(request.POST, document=document)
        if not form.is_valid():
            return _preview(request, token=stored["token"], document=document, form=form)
        choice = form.choice()
    else:
        choice = suggest_choice(document)
    try:
        parsed = build_plan(document, choice)
        plan = import_plan(
            parsed,
            by=request.user,
            title=metadata["title"],
            kind=metadata["kind"],
            starts_on=datetime.date.fromisoformat(metadata["starts_on"]),
            ends_on=datetime.date.fromisoformat(metadata["ends_on"]),
            languages=metadata["languages"],
            summary=metadata.get("summary", ""),
            **owner_field.owner_kwargs(metadata["owner"]),
        )
    except (PlanImportError, PlanError) as error:
        messages.error(request, str(error))
        return _preview(request, token=stored["token"], document=document, form=form)
    del request.session[SESSION_KEY]
    messages.success(
        request,
        _("The plan is created as a draft: %(counts)s.")
        % {
            "counts": ", ".join(
                f"{name}: {count}"
                for name, count in zip(parsed.levels, parsed.level_counts, strict=True)
            )
        },
    )
    return redirect("plans:plan-dashboard", slug=plan.slug)
