"""Pages of agreements: the list (public, filtered, CSV/XLSX export), an agreement's page, the
forms of the network's staff and the party cities' officers (record, edit, status, documents) and
the import from a spreadsheet (upload → columns → preview with choices → write)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.cooperation.agreements import services
from municipia.cooperation.agreements.forms import (
    AgreementDocumentForm,
    AgreementFilterForm,
    AgreementForm,
    AgreementImportForm,
    AgreementStatusForm,
    ImportChoicesForm,
)
from municipia.cooperation.agreements.imports import REQUIRED, AgreementField, choose_parties
from municipia.cooperation.agreements.models import Agreement, AgreementDocument, AgreementParty
from municipia.cooperation.agreements.permissions import (
    can_manage_agreement,
    can_record_agreements,
    get_agreement_for_management,
    get_agreement_for_view,
    get_import_for_staff,
    importer_networks,
)
from municipia.cooperation.services import CooperationError
from municipia.core.downloads import attachment_response
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.core.jobs import jobs_about
from municipia.core.pagecache import public_page
from municipia.directory.forms import ImportColumnsForm

PAGE_SIZE = 25
EXPORT_HEADERS = [
    "reference",
    "title",
    "type",
    "status",
    "network",
    "parties",
    "countries",
    "signed_on",
    "starts_on",
    "ends_on",
    "renewal",
]


def filtered_agreements(user, data: dict | None):
    agreements = Agreement.objects.visible_to(user)
    if data:
        if data.get("kind"):
            agreements = agreements.filter(kind=data["kind"])
        if data.get("status"):
            agreements = agreements.filter(status=data["status"])
        if data.get("network"):
            agreements = agreements.filter(network=data["network"])
        if data.get("country"):
            country = data["country"]
            agreements = agreements.filter(
                pk__in=AgreementParty.objects.filter(local_government__country=country).values(
                    "agreement_id"
                )
            ) | agreements.filter(
                pk__in=AgreementParty.objects.filter(organisation__country=country).values(
                    "agreement_id"
                )
            )
        if data.get("year"):
            # A range rather than the year of each date: the index on the date serves it.
            year = data["year"]
            agreements = agreements.filter(
                signed_on__gte=datetime.date(year, 1, 1),
                signed_on__lt=datetime.date(year + 1, 1, 1),
            )
    return agreements


def with_parties(agreements):
    return agreements.select_related("network").prefetch_related(
        Prefetch(
            "parties",
            AgreementParty.objects.select_related(
                "local_government__country", "organisation__country"
            ),
        )
    )


def _export_rows(agreements):
    for agreement in with_parties(agreements).iterator(chunk_size=500):
        parties = list(agreement.parties.all())
        yield [
            agreement.reference,
            agreement.title,
            agreement.get_kind_display(),
            agreement.get_status_display(),
            agreement.network.name,
            "; ".join(str(p) for p in parties),
            " ".join(sorted({p.country.code for p in parties if p.country})),
            agreement.signed_on.isoformat() if agreement.signed_on else "",
            agreement.starts_on.isoformat() if agreement.starts_on else "",
            agreement.ends_on.isoformat() if agreement.ends_on else "",
            agreement.get_renewal_display(),
        ]


@public_page
def agreement_list(request):
    form = AgreementFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else None
    agreements = filtered_agreements(request.user, data).order_by("-signed_on", "reference")
    if (fmt := request.GET.get("format")) in FORMATS:
        return export_response(
            _export_rows(agreements), headers=EXPORT_HEADERS, filename="agreements", fmt=fmt
        )
    page = Paginator(with_parties(agreements), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cooperation/agreements/agreement_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "can_record": can_record_agreements(request.user),
            "can_import": request.user.is_authenticated
            and importer_networks(request.user).exists(),
        },
    )


@public_page
def agreement_detail(request, slug):
    agreement = get_agreement_for_view(request.user, slug)
    can_manage = can_manage_agreement(request.user, agreement)
    projects = agreement.projects.visible_to(request.user).prefetch_related("translations")
    return render(
        request,
        "cooperation/agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": list(agreement.parties.all()),
            "signatories": list(
                agreement.signatories.select_related(
                    "person", "party__local_government", "party__organisation"
                )
            ),
            "projects": list(projects),
            "activities": list(agreement.activities.select_related("objective__plan"))
            if can_manage
            else [],
            "documents": list(agreement.documents.all()),
            "status_changes": list(agreement.status_changes.all()),
            "can_manage": can_manage,
            "status_form": AgreementStatusForm() if can_manage else None,
            "document_form": AgreementDocumentForm() if can_manage else None,
        },
    )


def _save(request, form, *, network, agreement=None, status=None):
    data = form.cleaned_data
    signatories = [(person, "", None) for person in data["signatories"]]
    return services.save_agreement(
        network,
        by=request.user,
        values=form.values(),
        parties=form.parties(),
        signatories=signatories,
        projects=data["projects"],
        activities=data["activities"],
        files=[data["document"]] if data["document"] else [],
        agreement=agreement,
        **({"status": status} if status else {}),
    )


@login_required
def agreement_create(request):
    if not can_record_agreements(request.user):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = _save(
                request,
                form,
                network=form.cleaned_data["network"],
                status=form.cleaned_data["status"],
            )
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect(agreement)
    return render(
        request, "cooperation/agreements/agreement_form.html", {"form": form, "agreement": None}
    )


@login_required
def agreement_edit(request, slug):
    agreement = get_agreement_for_management(request.user, slug)
    form = AgreementForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        agreement=agreement,
        initial=AgreementForm.initial_for(agreement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, network=agreement.network, agreement=agreement)
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect(agreement)
    return render(
        request,
        "cooperation/agreements/agreement_form.html",
        {"form": form, "agreement": agreement},
    )


@login_required
@require_POST
def agreement_status(request, slug):
    agreement = get_agreement_for_management(request.user, slug)
    form = AgreementStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
        return redirect(agreement)
    data = form.cleaned_data
    try:
        services.change_agreement_status(
            agreement, to=data["to"], by=request.user, note=data["note"], ends_on=data["ends_on"]
        )
    except CooperationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The agreement's status is changed."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_documents(request, slug):
    agreement = get_agreement_for_management(request.user, slug)
    form = AgreementDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a document."))
        return redirect(agreement)
    try:
        services.add_agreement_documents(
            agreement, [form.cleaned_data["document"]], by=request.user
        )
    except CooperationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The document is added."))
    return redirect(agreement)


def agreement_document(request, slug, pk):
    """A document of an agreement, to whoever may see the agreement."""
    agreement = get_agreement_for_view(request.user, slug)
    document = get_object_or_404(AgreementDocument, agreement=agreement, pk=pk)
    response = attachment_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Import --------------------------------------------------------------------------------------


@login_required
def agreement_import(request):
    networks = importer_networks(request.user)
    if not networks.exists():
        raise PermissionDenied
    form = AgreementImportForm(request.POST or None, request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = services.start_agreement_import(
                form.cleaned_data["network"],
                by=request.user,
                filename=upload.name,
                data=upload.read(),
            )
        except CooperationError as error:
            form.add_error(None, str(error))
        else:
            return redirect(started)
    return render(
        request,
        "cooperation/agreements/import.html",
        {"form": form, "field_names": [str(f.label) for f in AgreementField]},
    )


def _import_context(agreement_import, columns_form=None, choices_form=None) -> dict:
    summary = agreement_import.summary
    context = {
        "agreement_import": agreement_import,
        "member_import": agreement_import,  # the names the shared column partial reads
        "summary": summary,
        "preview_job": jobs_about(agreement_import, services.PREVIEW_JOB).first(),
        "write_job": jobs_about(agreement_import, services.WRITE_JOB).first(),
        "rows": agreement_import.rows,
        "needs_columns": [str(AgreementField(f).label) for f in summary.get("needs_columns", [])],
    }
    if summary.get("heading"):
        context["columns_form"] = columns_form or ImportColumnsForm(
            heading=summary["heading"],
            sample=summary.get("sample", []),
            fields=AgreementField,
            required=REQUIRED,
            initial={
                "heading_row": agreement_import.heading_row or 0,
                **{f"column_{i}": f for i, f in enumerate(agreement_import.columns)},
            },
        )
    context["choices_form"] = choices_form or ImportChoicesForm(agreement_import=agreement_import)
    return context


@login_required
def agreement_import_detail(request, pk):
    agreement_import = get_import_for_staff(request.user, pk)
    return render(
        request, "cooperation/agreements/import_detail.html", _import_context(agreement_import)
    )


@login_required
@require_POST
def agreement_import_columns(request, pk):
    agreement_import = get_import_for_staff(request.user, pk)
    summary = agreement_import.summary
    form = ImportColumnsForm(
        request.POST,
        heading=summary.get("heading", []),
        sample=summary.get("sample", []),
        fields=AgreementField,
        required=REQUIRED,
    )
    if not form.is_valid():
        context = _import_context(agreement_import, columns_form=form)
        return render(request, "cooperation/agreements/import_detail.html", context, status=400)
    try:
        services.set_agreement_import_columns(
            agreement_import,
            by=request.user,
            heading_row=form.cleaned_data["heading_row"],
            columns=form.cleaned_data["columns"],
        )
    except CooperationError as error:
        messages.error(request, str(error))
    return redirect(agreement_import)


@login_required
@require_POST
def agreement_import_choose(request, pk):
    agreement_import = get_import_for_staff(request.user, pk)
    form = ImportChoicesForm(request.POST, agreement_import=agreement_import)
    if not form.is_valid():
        raise Http404
    choices = {}
    for name, value in form.cleaned_data.items():
        _prefix, line, index = name.split("-")
        choices[(int(line), int(index))] = value or ""
    try:
        choose_parties(agreement_import, choices)
    except CooperationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your choices are recorded."))
    return redirect(agreement_import)


@login_required
@require_POST
def agreement_import_write(request, pk):
    agreement_import = get_import_for_staff(request.user, pk)
    try:
        services.write_agreements(agreement_import, by=request.user)
    except CooperationError as error:
        messages.error(request, str(error))
    return redirect(agreement_import)
