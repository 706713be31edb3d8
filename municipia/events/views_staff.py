"""Pages for those who run an event: its registration questions, certificates of attendance and
the balance of its speakers (and of a network's events over a year); and, for participants, their
own certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.accounts.permissions import can_manage_network
from municipia.core.exports import FORMATS, export_response
from municipia.core.jobs import jobs_about
from municipia.core.log import log_action
from municipia.directory.models import Network
from municipia.events import balance, certificates
from municipia.events.models import AttendanceCertificate, Event, Registration
from municipia.events.permissions import (
    can_manage_registration,
    get_event_for_management,
)
from municipia.events.services import EventError, registration_form
from municipia.forms.forms import FormFieldForm
from municipia.forms.models import FormField

BALANCE_HEADERS = ["dimension", "value", "count", "share"]


def _questions_editable(event: Event) -> bool:
    """Questions are removed only while nobody has answered them."""
    return not event.registrations.exists()


@login_required
def questions(request, slug):
    event = get_event_for_management(request.user, slug)
    return render(
        request,
        "events/questions.html",
        {
            "event": event,
            "fields": event.questions,
            "removable": _questions_editable(event),
        },
    )


@login_required
def question_edit(request, slug, pk=None):
    event = get_event_for_management(request.user, slug)
    if pk is not None:
        if event.registration_form_id is None:
            raise Http404
        instance = get_object_or_404(FormField, pk=pk, definition_id=event.registration_form_id)
    else:
        instance = FormField(definition_id=event.registration_form_id)
    form = FormFieldForm(request.POST or None, instance=instance)
    form.fields["kind"].choices = [
        choice for choice in form.fields["kind"].choices if choice[0] != FormField.Kind.FILE
    ]
    del form.fields["visible_to_jury"]
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            field = form.save(commit=False)
            field.definition = registration_form(event)
            field.save()
            log_action(event, "events.question.saved", user=request.user, data={"id": field.pk})
        messages.success(request, _("Saved."))
        return redirect("events:questions", event.slug)
    return render(
        request, "events/question_form.html", {"event": event, "form": form, "instance": instance}
    )


@login_required
@require_POST
def question_delete(request, slug, pk):
    event = get_event_for_management(request.user, slug)
    field = get_object_or_404(FormField, pk=pk, definition_id=event.registration_form_id or 0)
    if not _questions_editable(event):
        messages.error(request, _("This can no longer be removed: registrations depend on it."))
    else:
        field.delete()
        log_action(event, "events.question.removed", user=request.user)
        messages.success(request, _("Removed."))
    return redirect("events:questions", event.slug)


# --- Certificates of attendance ---


@login_required
def certificates_page(request, slug):
    """Issue the certificates of everyone seen at the event, in the background."""
    event = get_event_for_management(request.user, slug)
    if request.method == "POST":
        try:
            certificates.start_certificates_job(event, by=request.user)
        except EventError as refused:
            messages.error(request, str(refused))
        return redirect("events:certificates", event.slug)
    job = jobs_about(event, certificates.CERTIFICATES_JOB).filter(owner=request.user).first()
    registrations = Registration.objects.filter(event=event)
    return render(
        request,
        "events/certificates.html",
        {
            "event": event,
            "job": job,
            "issued": AttendanceCertificate.objects.filter(registration__event=event).count(),
            "attended": registrations.filter(attendances__isnull=False).distinct().count(),
        },
    )


@login_required
def certificate_download(request, pk):
    """A participant's certificate, for them, their city's officer and those who run the event."""
    registration = get_object_or_404(
        Registration.objects.select_related("event__network", "event__local_government"), pk=pk
    )
    if not can_manage_registration(request.user, registration):
        raise Http404
    certificate = (
        AttendanceCertificate.objects.select_related("registration__event")
        .filter(registration=registration)
        .first()
    )
    if certificate is None:
        raise Http404
    response = HttpResponse(
        certificates.render_certificate(certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{registration.event.slug}-certificate.pdf"'
    )
    return response


# --- Balance of speakers ---


def _balance_response(request, report, name: str, context: dict):
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            balance.balance_rows(report), headers=BALANCE_HEADERS, filename=name, fmt=fmt
        )
    tables = [(_("By gender"), report.genders), (_("By region"), report.regions)]
    return render(
        request, "events/balance.html", {"report": report, "report_tables": tables, **context}
    )


@login_required
def event_balance(request, slug):
    event = get_event_for_management(request.user, slug)
    report = balance.speaker_balance(balance.speakers_of_events([event]))
    return _balance_response(request, report, f"{event.slug}-balance", {"event": event})


@login_required
def network_balance(request, network_slug):
    """The speakers of a network's events (and its sub-networks'), for one year or all."""
    network = get_object_or_404(Network, slug=network_slug)
    if not can_manage_network(request.user, network):
        raise PermissionDenied
    events = Event.objects.for_network(network).exclude(status=Event.Status.CANCELLED)
    year = request.GET.get("year", "")
    years = sorted({d.year for d in events.dates("starts_at", "year")}, reverse=True)
    if year.isdigit() and 1900 < int(year) < 3000:
        events = events.filter(starts_at__year=int(year))
    else:
        year = ""
    report = balance.speaker_balance(balance.speakers_of_events(events.values("pk")))
    name = f"{network.slug}-balance-{year or 'all'}"
    return _balance_response(
        request,
        report,
        name,
        {"network": network, "year": year, "years": years or [timezone.now().year]},
    )
