"""E-mails about memberships, each written in its reader's language.

A new application goes to the network's staff; every other change goes to the member city's
officers and to whoever applied.
"""

from functools import partial

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from municipia.accounts.models import Role, User
from municipia.core.background import do_once
from municipia.directory.models import Membership, MembershipStatusChange


def recipients(change: MembershipStatusChange) -> list[User]:
    membership = change.membership
    if change.to_status == Membership.Status.APPLICANT:
        network_ids = [membership.network_id, membership.network.parent_id]
        roles = Role.objects.active().filter(
            kind=Role.Kind.NETWORK_STAFF, network_id__in=network_ids
        )
    elif membership.local_government_id:
        roles = Role.objects.active().filter(
            kind=Role.Kind.CITY_OFFICER, local_government_id=membership.local_government_id
        )
    else:
        roles = Role.objects.none()
    users = {user.pk: user for user in User.objects.filter(roles__in=roles, is_active=True)}
    if change.to_status != Membership.Status.APPLICANT and membership.applied_by_id:
        applicant = User.objects.filter(pk=membership.applied_by_id, is_active=True).first()
        if applicant is not None:
            users.setdefault(applicant.pk, applicant)
    return sorted(users.values(), key=lambda user: user.email)


def _absolute(path: str) -> str:
    return f"https://{Site.objects.get_current().domain}{path}"


def send_membership_notice(change: MembershipStatusChange, *, key: str | None = None) -> int:
    """Send one e-mail per recipient; return how many were sent.

    With a `key` (the task's, see `background.effect_key`), each recipient's e-mail is recorded as
    it is sent, so running again with the same key sends only those not sent yet.
    """
    sent = 0
    membership = change.membership
    for user in recipients(change):
        with translation.override(user.language):
            context = {
                "user": user,
                "membership": membership,
                "change": change,
                "status": Membership.Status(change.to_status).label,
                "site_name": settings.MUNICIPIA_SITE_NAME,
                "url": _absolute(
                    reverse("directory:membership-manage", args=[membership.pk])
                    if change.to_status == Membership.Status.APPLICANT
                    else membership.network.get_absolute_url()
                ),
            }
            subject = render_to_string("directory/email/membership_notice_subject.txt", context)
            body = render_to_string("directory/email/membership_notice.txt", context)
        send = partial(send_mail, " ".join(subject.split()), body, None, [user.email])
        sent += do_once(key and f"{key}:{user.pk}", send) or 0
    return sent
