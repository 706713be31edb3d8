"""Reminders of an agreement's coming end, each e-mail in its recipient's own language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from municipia.accounts.models import Role, User


def recipients(agreement) -> list[User]:
    """The recording network's staff and the officers of the party cities (parties prefetched)."""
    cities = [p.local_government_id for p in agreement.parties.all() if p.local_government_id]
    roles = Role.objects.active().filter(
        kind=Role.Kind.NETWORK_STAFF, network_id=agreement.network_id
    ) | Role.objects.active().filter(kind=Role.Kind.CITY_OFFICER, local_government_id__in=cities)
    return list(User.objects.filter(roles__in=roles, is_active=True).distinct().order_by("email"))


def send_agreement_reminder(agreement, days_left: int) -> int:
    """One e-mail per recipient; returns how many were sent."""
    users = recipients(agreement)
    site_url = settings.MUNICIPIA_SITE_URL.rstrip("/")
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "agreement": agreement,
                "parties": [str(p) for p in agreement.parties.all()],
                "days_left": days_left,
                "url": site_url + agreement.get_absolute_url(),
                "site_name": settings.MUNICIPIA_SITE_NAME,
            }
            subject = render_to_string("cooperation/email/agreement_reminder_subject.txt", context)
            body = render_to_string("cooperation/email/agreement_reminder.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
    return len(users)
