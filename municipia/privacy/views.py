"""The person's "my data" page and the secretariat's queue of requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.downloads import attachment_response
from municipia.directory.models import Consent
from municipia.privacy import permissions, services
from municipia.privacy.forms import AnswerForm, RequestForm
from municipia.privacy.models import DataExport, PrivacyRequest


def _my_requests(user):
    ready = DataExport.objects.exclude(json_file="").exclude(pdf_file="")
    return PrivacyRequest.objects.filter(user=user).prefetch_related(
        Prefetch("exports", queryset=ready)
    )


@login_required
def my_data(request):
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "export":
            job = services.start_export(request.user)
            return redirect("core:job-progress", pk=job.pk)
        if form.is_valid():
            try:
                services.submit_request(request.user, **form.cleaned_data)
            except services.PrivacyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your request was received."))
                return redirect("privacy:my-data")
    consents = Consent.objects.filter(person__user=request.user).select_related("network")
    return render(
        request,
        "privacy/my_data.html",
        {"form": form, "requests": _my_requests(request.user), "consents": consents},
    )


@login_required
def erasure_preview(request):
    preview = services.erasure_preview(request.user)
    return render(request, "privacy/erasure_preview.html", {"preview": preview})


@login_required
@require_POST
def withdraw_consent(request, pk):
    consent = get_object_or_404(Consent, pk=pk, person__user=request.user, withdrawn_at=None)
    services.withdraw_my_consent(consent, by=request.user)
    messages.success(request, _("Your consent was withdrawn."))
    return redirect("privacy:my-data")


@login_required
def download_export(request, pk, format):
    export = permissions.get_export_for_download(request.user, pk)
    if format == "json":
        return attachment_response(
            export.json_file, filename="personal-data.json", content_type="application/json"
        )
    return attachment_response(
        export.pdf_file, filename="personal-data.pdf", content_type="application/pdf"
    )


def _staff_only(user):
    if not permissions.can_handle_requests(user):
        raise Http404


@login_required
def queue(request):
    _staff_only(request.user)
    show = request.GET.get("show", "open")
    found = permissions.requests_for_staff(request.user).select_related("user", "network")
    if show == "open":
        found = found.pending()
    return render(
        request,
        "privacy/queue.html",
        {"requests": found, "show": show, "today": timezone.localdate()},
    )


@login_required
def request_detail(request, pk):
    _staff_only(request.user)
    found = permissions.get_request_for_staff(request.user, pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_request(found, by=request.user, **form.cleaned_data)
        except services.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The answer was recorded."))
            return redirect("privacy:queue")
    preview = None
    if found.kind == PrivacyRequest.Kind.ERASURE and found.status == PrivacyRequest.Status.OPEN:
        preview = services.erasure_preview(found.user)
    exports = found.exports.exclude(json_file="").exclude(pdf_file="")
    return render(
        request,
        "privacy/request_detail.html",
        {"item": found, "form": form, "preview": preview, "exports": exports},
    )


@login_required
@require_POST
def erase(request, pk):
    _staff_only(request.user)
    found = permissions.get_request_for_staff(request.user, pk)
    try:
        services.carry_out_erasure(found, by=request.user)
    except services.PrivacyError as error:
        messages.error(request, str(error))
        return redirect("privacy:request-detail", pk=pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The person's data was erased."))
    return redirect("privacy:queue")


@login_required
@require_POST
def staff_export(request, pk):
    _staff_only(request.user)
    found = permissions.get_request_for_staff(request.user, pk)
    job = services.start_export(found.user, request=found, by=request.user)
    job.result_url = reverse("privacy:request-detail", args=[pk])
    job.save(update_fields=["result_url"])
    return redirect("core:job-progress", pk=job.pk)
