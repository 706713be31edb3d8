"""E-mails to applicants and jurors, each written in the recipient's own language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from municipia.calls.models import Application, Decision, JuryMember
from municipia.calls.ranking import juror_progress


def _send(user, template: str, context: dict) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "user": user,
            "site_name": settings.MUNICIPIA_SITE_NAME,
            "site_url": settings.MUNICIPIA_SITE_URL.rstrip("/"),
        }
        subject = render_to_string(f"calls/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"calls/email/{template}.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])


def _application_context(application: Application, user) -> dict:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        path = reverse("calls:application-edit", args=[application.pk])
    return {
        "application": application,
        "call": application.call,
        "path": path,
    }


def send_submission_receipt(application: Application) -> None:
    user = application.created_by
    _send(user, "submission_receipt", _application_context(application, user))


def send_return_notice(application: Application) -> None:
    user = application.created_by
    _send(user, "return_notice", _application_context(application, user))


def send_decision_notice(application: Application) -> None:
    user = application.created_by
    try:
        decision = application.decision
    except Decision.DoesNotExist:
        return
    context = _application_context(application, user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context["results_path"] = reverse("calls:call-results", args=[application.call.slug])
    _send(user, "decision_notice", {**context, "decision": decision})


def send_review_reminder(member: JuryMember) -> None:
    progress = next((p for p in juror_progress(member.call) if p.member.pk == member.pk), None)
    if progress is None or progress.pending == 0:
        return
    with translation.override(member.user.language or settings.LANGUAGE_CODE):
        path = reverse("calls:review-list")
    _send(
        member.user,
        "review_reminder",
        {"member": member, "progress": progress, "path": path, "call": member.call},
    )
