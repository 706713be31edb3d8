"""Newsletters: subscriptions with double opt-in, issues assembled from what is new, and sending.

An address subscribes to a network's newsletter in one language; it receives nothing until it
follows the signed link of the confirmation e-mail. Every message carries a one-click unsubscribe
link (RFC 8058), and the bounce and complaint hook stops an address for good.

Sending runs as a job (`municipia.core.jobs`) in batches. Each address is claimed by inserting its
`Delivery` row, committed before the message leaves: a worker killed mid-send and run again skips
every address with a row, so nobody receives an issue twice. The cost, at the one address being
sent when the worker died, is a message that may never have left; it stays "being sent" and is
counted apart (decision 0050).
"""

import binascii
import contextlib
import datetime
import logging
import secrets
import smtplib
from email.utils import formatdate, make_msgid

import css_inline
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection, send_mail
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from municipia.communications.models import (
    Delivery,
    Issue,
    NewsPost,
    Subscriber,
    Subscription,
)
from municipia.communications.permissions import can_manage_communications
from municipia.communications.services import CommunicationsError
from municipia.core import jobs
from municipia.core.log import log_action

logger = logging.getLogger(__name__)

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
CONFIRM_SALT = "communications.subscription.confirm"
UNSUBSCRIBE_SALT = "communications.subscription.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
# The first issue of a newsletter looks this far back.
FIRST_ISSUE_LOOKS_BACK = datetime.timedelta(days=30)
ITEMS_PER_KIND = 10
# Replaced by each recipient's own link once the issue is rendered (rendered once per issue).
UNSUBSCRIBE_MARK = "__UNSUBSCRIBE_URL__"
JOB_KIND = "communications.send_issue"


def absolute(path: str) -> str:
    return settings.MUNICIPIA_SITE_URL.rstrip("/") + path


# --- Subscriptions ---------------------------------------------------------------------------


def confirm_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


def unsubscribe_token(subscriber_pk: int) -> str:
    # No expiry: the link of an old issue must still unsubscribe.
    return signing.dumps(subscriber_pk, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(subscriber_pk: int) -> str:
    return absolute(reverse("communications:unsubscribe", args=[unsubscribe_token(subscriber_pk)]))


@transaction.atomic
def subscribe(email: str, network, *, language: str, user=None) -> Subscriber:
    """Add (or change the language of) a subscription; an address not yet confirmed gets the
    confirmation e-mail. The caller shows the same answer whatever the address's state, so that
    the form tells nobody who is subscribed."""
    email = Subscriber._meta.get_field("email").clean((email or "").strip().lower(), None)
    if language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    if not network.is_published:
        raise CommunicationsError(_("This network has no newsletter."))
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(email=email)
    if user is not None and user.is_authenticated and user.email.lower() == email:
        subscriber.user = user
    Subscription.objects.update_or_create(
        subscriber=subscriber, network=network, defaults={"language": language}
    )
    if subscriber.status != Subscriber.Status.ACTIVE:
        subscriber.status = Subscriber.Status.PENDING
        token = confirm_token(subscriber)
        url = absolute(reverse("communications:subscription-confirm", args=[token]))
        with translation.override(language):
            subject = _("Confirm your subscription to the newsletter of %(network)s") % {
                "network": network
            }
            body = render_to_string(
                "communications/email/confirm.txt", {"network": network, "url": url}
            )
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    subscriber.save()
    log_action(subscriber, "communications.subscription.added", data={"network": network.pk})
    return subscriber


@transaction.atomic
def confirm_subscription(token: str) -> Subscriber:
    """Follow the confirmation link: the address starts receiving its newsletters."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE.total_seconds())
    except signing.SignatureExpired as error:
        raise CommunicationsError(
            _("This confirmation link has expired. Subscribe again to receive a new one.")
        ) from error
    except signing.BadSignature as error:
        raise CommunicationsError(_("This confirmation link is not valid.")) from error
    subscriber = (
        Subscriber.objects.select_for_update().filter(pk=data["s"], email=data["e"]).first()
    )
    if subscriber is None:
        raise CommunicationsError(_("This confirmation link is not valid."))
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.stop_reason = ""
        subscriber.save(update_fields=["status", "confirmed_at", "stop_reason", "updated_at"])
        log_action(subscriber, "communications.subscription.confirmed")
    elif subscriber.status != Subscriber.Status.ACTIVE:
        # A bounced or complaining address is re-enabled only by the network's staff.
        raise CommunicationsError(_("This address cannot receive newsletters any more."))
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise CommunicationsError(_("This unsubscribe link is not valid.")) from error
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None:
        raise CommunicationsError(_("This unsubscribe link is not valid."))
    return subscriber


@transaction.atomic
def unsubscribe(token: str) -> Subscriber:
    """One click: the address receives no newsletter any more (idempotent)."""
    subscriber = subscriber_for_unsubscribe(token)
    return _stop(subscriber, Subscriber.Status.UNSUBSCRIBED, _("Unsubscribed by its owner."))


def _stop(subscriber: Subscriber, status: str, reason: str) -> Subscriber:
    if subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
        return subscriber  # the stronger stop stays
    if subscriber.status == status:
        return subscriber
    subscriber.status = status
    subscriber.stopped_at = timezone.now()
    subscriber.stop_reason = reason[:300]
    subscriber.save(update_fields=["status", "stopped_at", "stop_reason", "updated_at"])
    log_action(subscriber, f"communications.subscription.{status}", data={"reason": reason})
    return subscriber


@transaction.atomic
def record_bounce(email: str, *, kind: str, reason: str = "") -> Subscriber | None:
    """The mail service's hook: a hard bounce or a complaint stops every newsletter to the address.
    Returns None for an address that never subscribed (nothing to stop)."""
    statuses = {"bounce": Subscriber.Status.BOUNCED, "complaint": Subscriber.Status.COMPLAINED}
    if kind not in statuses:
        raise CommunicationsError(_("The kind must be “bounce” or “complaint”."))
    subscriber = Subscriber.objects.select_for_update().filter(email=email.strip().lower()).first()
    if subscriber is None:
        return None
    if subscriber.status == Subscriber.Status.BOUNCED and kind == "complaint":
        subscriber.status = Subscriber.Status.UNSUBSCRIBED  # let the complaint be recorded
    return _stop(subscriber, statuses[kind], reason or kind)


@transaction.atomic
def update_own_subscription(subscriber: Subscriber, network, *, language: str) -> Subscription:
    if language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    subscription, _created = Subscription.objects.update_or_create(
        subscriber=subscriber, network=network, defaults={"language": language}
    )
    return subscription


# --- Issues ----------------------------------------------------------------------------------


def _since(network, language: str):
    last = (
        Issue.objects.sent()
        .filter(network=network, language=language)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return last or timezone.now() - FIRST_ISSUE_LOOKS_BACK


def _network_ids(network) -> list[int]:
    """A network's issue covers its sub-networks too; a sub-network's covers itself."""
    return [network.pk, *network.sub_networks.values_list("pk", flat=True)]


def _item(kind: str, title: str, summary: str, url: str, when) -> dict:
    return {
        "kind": kind,
        "title": title,
        "summary": " ".join((summary or "").split())[:400],
        "url": absolute(url),
        "date": when.isoformat() if when else "",
    }


def _translated(kind: str, objects, language: str, date_field: str) -> list[dict]:
    """Items of objects with translation rows, in `language` where translated."""
    found = []
    for obj in objects:
        text = obj.text(language)
        found.append(
            _item(
                kind,
                text.title if text else str(obj),
                text.summary if text else "",
                obj.get_absolute_url(),
                getattr(obj, date_field),
            )
        )
    return found


def whats_new(network, language: str, since, now=None) -> list[dict]:
    """What became public in the network since `since`, in `language` where it was translated."""
    from municipia.calls.models import Call
    from municipia.cooperation.models import Project
    from municipia.core.i18n import translated
    from municipia.events.models import Event
    from municipia.knowledge.documents import plain
    from municipia.knowledge.models import Experience
    from municipia.plans.models import ProgressUpdate

    now = now or timezone.now()
    ids = _network_ids(network)
    items = []
    with translation.override(language):
        news = (
            NewsPost.objects.public(now)
            .filter(network_id__in=ids)
            .filter(Q(published_at__gt=since) | Q(embargo_until__gt=since))
            .select_related("network")
            .prefetch_related("translations")
            .order_by("-published_at")[:ITEMS_PER_KIND]
        )
        items += _translated("news", news, language, "public_from")
        experiences = (
            Experience.objects.published()
            .filter(networks__in=ids, published_at__gt=since)
            .distinct()
            .prefetch_related("translations")
            .order_by("-published_at")[:ITEMS_PER_KIND]
        )
        items += _translated("experience", experiences, language, "published_at")
        events = (
            Event.objects.published()
            .filter(network_id__in=ids, created_at__gt=since)
            .prefetch_related("translations")
            .order_by("starts_at")[:ITEMS_PER_KIND]
        )
        items += _translated("event", events, language, "starts_at")
        calls = (
            Call.objects.public()
            .filter(network_id__in=ids, created_at__gt=since)
            .order_by("-opens_at")[:ITEMS_PER_KIND]
        )
        for call in calls:
            items.append(
                _item(
                    "call",
                    call.title_text,
                    plain(translated(call.description, language)),
                    call.get_absolute_url(),
                    call.opens_at,
                )
            )
        updates = (
            ProgressUpdate.objects.filter(
                activity__objective__plan__network_id__in=ids,
                activity__objective__plan__is_published=True,
                created_at__gt=since,
            )
            .select_related("activity__objective__plan")
            .order_by("-reported_on")[:ITEMS_PER_KIND]
        )
        for update in updates:
            plan = update.activity.objective.plan
            items.append(
                _item(
                    "plan_update",
                    f"{plan.display_title}: {update.percentage} %",
                    update.text,
                    plan.get_absolute_url(),
                    update.created_at,
                )
            )
        projects = (
            Project.objects.public()
            .filter(network_id__in=ids, created_at__gt=since)
            .prefetch_related("translations")
            .order_by("-created_at")[:ITEMS_PER_KIND]
        )
        items += _translated("project", projects, language, "created_at")
    return items


@transaction.atomic
def assemble_issue(network, *, by, language: str) -> Issue:
    """A draft issue of what is new since the last sent issue of this network and language."""
    if not can_manage_communications(by, network):
        raise CommunicationsError(_("Only the network's staff may prepare its newsletter."))
    if language not in LANGUAGE_CODES:
        raise CommunicationsError(_("Choose one of the platform's languages."))
    since = _since(network, language)
    with translation.override(language):
        subject = _("News of %(network)s, %(date)s") % {
            "network": network,
            "date": timezone.localdate().strftime("%Y-%m-%d"),
        }
    issue = Issue.objects.create(
        network=network,
        language=language,
        subject=subject,
        since=since,
        items=whats_new(network, language, since),
        created_by=by,
    )
    log_action(issue, "communications.issue.assembled", user=by)
    return issue


@transaction.atomic
def update_issue(issue: Issue, *, by, subject: str, introduction: str, keep: list[int]) -> Issue:
    """Staff edit a draft: its subject, an introduction, and which assembled items stay."""
    if not can_manage_communications(by, issue.network):
        raise CommunicationsError(_("Only the network's staff may edit its newsletter."))
    if issue.status != Issue.Status.DRAFT:
        raise CommunicationsError(_("This issue has been sent; it cannot be changed."))
    subject = (subject or "").strip()
    if not subject:
        raise CommunicationsError(_("Give the issue a subject."))
    if any(not 0 <= index < len(issue.items) for index in keep):
        raise CommunicationsError(_("Keep only items of this issue."))
    issue.subject = subject[:200]
    issue.introduction = (introduction or "").strip()
    issue.items = [item for index, item in enumerate(issue.items) if index in set(keep)]
    issue.save(update_fields=["subject", "introduction", "items", "updated_at"])
    log_action(issue, "communications.issue.updated", user=by)
    return issue


def render_issue(issue: Issue) -> tuple[str, str]:
    """The issue as it arrives: HTML with its styles inlined (mail readers drop <style>), and plain
    text. Both carry `UNSUBSCRIBE_MARK` where each recipient's own link goes."""
    with translation.override(issue.language):
        kinds = {
            "news": _("News"),
            "experience": _("Experiences"),
            "event": _("Events"),
            "call": _("Calls"),
            "plan_update": _("Plan updates"),
            "project": _("Projects"),
        }
        sections = []
        for kind, label in kinds.items():
            items = [item for item in issue.items if item["kind"] == kind]
            if items:
                sections.append({"label": str(label), "items": items})
        context = {
            "issue": issue,
            "sections": sections,
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "archive_url": absolute(issue.get_absolute_url()),
        }
        html = render_to_string("communications/email/issue.html", context)
        text = render_to_string("communications/email/issue.txt", context)
    return css_inline.inline(html), text


# --- Sending ---------------------------------------------------------------------------------


@transaction.atomic
def send_issue(issue: Issue, *, by):
    """Queue the sending of a draft issue; return the job whose progress the sender watches."""
    from municipia.communications import tasks  # imported here: tasks imports this module

    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if not can_manage_communications(by, issue.network):
        raise CommunicationsError(_("Only the network's staff may send its newsletter."))
    if issue.status != Issue.Status.DRAFT:
        raise CommunicationsError(_("This issue is already being sent or has been sent."))
    if not issue.items and not issue.introduction:
        raise CommunicationsError(_("The issue is empty: there is nothing to send."))
    job = jobs.create_job(
        kind=JOB_KIND,
        owner=by,
        subject=issue,
        total=recipients(issue).count(),
        result_url=reverse("communications:issue-manage", args=[issue.pk]),
    )
    issue.status = Issue.Status.SENDING
    issue.job = job
    issue.save(update_fields=["status", "job", "updated_at"])
    log_action(issue, "communications.issue.sending", user=by, data={"job": job.pk})
    jobs.queue_job(job, tasks.send_issue)
    return job


def recipients(issue: Issue):
    """Confirmed, still-subscribed addresses of the issue's network and language that have no
    delivery of this issue yet (read again for every batch: a bounce mid-send counts at once)."""
    delivered = Delivery.objects.filter(issue=issue, email=OuterRef("email"))
    return (
        Subscriber.objects.filter(
            status=Subscriber.Status.ACTIVE,
            subscriptions__network_id=issue.network_id,
            subscriptions__language=issue.language,
        )
        .exclude(Exists(delivered))
        .order_by("pk")
    )


class _Ledger:
    """The delivery rows of one sending run, one statement per message.

    An address is claimed (its row inserted and committed) just before its message leaves. The
    mark "sent" of a message that has left rides on the statement claiming the next address (on
    PostgreSQL one statement does both), and the last of a batch is marked when the batch ends:
    one round trip to the database per message, and a worker killed at any point leaves at most
    one row "being sent" whose message may have left.
    """

    def __init__(self, issue: Issue):
        ops = connection.ops
        self.issue_id = issue.pk
        self.table = ops.quote_name(Delivery._meta.db_table)
        self.postgres = connection.vendor == "postgresql"
        self.left: tuple[int, object] | None = None  # (row, when) of a message not yet marked

    def _now(self):
        return connection.ops.adapt_datetimefield_value(timezone.now())

    def claim(self, subscriber_pk: int, email: str) -> int | None:
        """The new row's id, or None if the address has a row already (another run has it)."""
        insert = (
            f"INSERT INTO {self.table} (issue_id, subscriber_id, email, status, claimed_at, "  # noqa: S608 (our names)
            "sent_at, error) VALUES (%s, %s, %s, %s, %s, NULL, '') "
            "ON CONFLICT (issue_id, email) DO NOTHING RETURNING id"
        )
        params = [self.issue_id, subscriber_pk, email, Delivery.Status.CLAIMED, self._now()]
        with connection.cursor() as cursor:
            if self.left is not None and self.postgres:
                row, when = self.left
                cursor.execute(
                    f"WITH sent AS (UPDATE {self.table} SET status = %s, sent_at = %s "  # noqa: S608 (our names)
                    f"WHERE id = %s) {insert}",
                    [Delivery.Status.SENT, when, row, *params],
                )
                self.left = None
            else:
                self._mark_left(cursor)
                cursor.execute(insert, params)
            found = cursor.fetchone()
        return found[0] if found else None

    def sent(self, row: int) -> None:
        self.flush()
        self.left = (row, self._now())

    def refused(self, row: int, error: str) -> None:
        self.flush()
        Delivery.objects.filter(pk=row).update(status=Delivery.Status.REFUSED, error=error[:300])

    def give_back(self, row: int) -> None:
        """The message did not leave: a resumed run sends it."""
        self.flush()
        Delivery.objects.filter(pk=row).delete()

    def flush(self) -> None:
        if self.left is not None:
            with connection.cursor() as cursor:
                self._mark_left(cursor)

    def _mark_left(self, cursor) -> None:
        if self.left is not None:
            row, when = self.left
            cursor.execute(
                f"UPDATE {self.table} SET status = %s, sent_at = %s WHERE id = %s",  # noqa: S608 (our names)
                [Delivery.Status.SENT, when, row],
            )
            self.left = None


def _quoted_printable(text: str) -> bytes:
    return binascii.b2a_qp(text.encode(), istext=True).replace(b"\n", b"\r\n")


class _Composer:
    """One issue's message, prepared once: per recipient only the address, the unsubscribe link
    and the Message-ID change.

    `message()` builds Django's e-mail (any mail backend); `raw()` builds the same MIME message as
    bytes for an SMTP connection directly, without the `email` package's generator, which costs
    more than everything else a message needs."""

    LINK_MARK = "__SIGNED__"

    def __init__(self, issue: Issue, html: str, text: str):
        self.issue = issue
        self.html = html.replace("\r\n", "\n")
        self.text = text.replace("\r\n", "\n")
        self.list_id = f"<{issue.network.slug}.{issue.language}.newsletter>"
        self.link = unsubscribe_url(0).replace(unsubscribe_token(0), self.LINK_MARK)
        prototype = EmailMultiAlternatives(subject=issue.subject, to=["reader@example.org"])
        encoding = prototype.encoding or settings.DEFAULT_CHARSET
        headers = prototype.message()
        self.subject, self.from_header = headers["Subject"], headers["From"]
        self.envelope_from = sanitize_address(prototype.from_email, encoding)
        self.boundary = f"=_{secrets.token_hex(16)}"
        if self.boundary in self.html or self.boundary in self.text:  # pragma: no cover
            raise RuntimeError("boundary found in the message")

    def url(self, subscriber_pk: int) -> str:
        return self.link.replace(self.LINK_MARK, unsubscribe_token(subscriber_pk))

    def headers(self, url: str) -> dict[str, str]:
        return {
            # RFC 8058: mail readers offer the button and POST to the link, without a page.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
        }

    def message(self, subscriber_pk: int, email: str, connection=None) -> EmailMultiAlternatives:
        url = self.url(subscriber_pk)
        message = EmailMultiAlternatives(
            subject=self.issue.subject,
            body=self.text.replace(UNSUBSCRIBE_MARK, url),
            to=[email],
            connection=connection,
            headers=self.headers(url),
        )
        message.attach_alternative(self.html.replace(UNSUBSCRIBE_MARK, url), "text/html")
        return message

    def raw(self, subscriber_pk: int, email: str) -> bytes:
        if not email.isascii() or "\n" in email or "\r" in email:
            message = self.message(subscriber_pk, email)
            return message.message().as_bytes(linesep="\r\n")
        url = self.url(subscriber_pk)
        boundary = self.boundary
        head = "".join(
            f"{name}: {value}\r\n"
            for name, value in (
                ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
                ("MIME-Version", "1.0"),
                ("Subject", self.subject),
                ("From", self.from_header),
                ("To", email),
                ("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)),
                ("Message-ID", make_msgid(domain=DNS_NAME)),
                *self.headers(url).items(),
            )
        )
        part = (
            'Content-Type: text/{}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable'
        )
        return b"".join(
            (
                head.encode(),
                f"\r\n--{boundary}\r\n{part.format('plain')}\r\n\r\n".encode(),
                _quoted_printable(self.text.replace(UNSUBSCRIBE_MARK, url)),
                f"\r\n--{boundary}\r\n{part.format('html')}\r\n\r\n".encode(),
                _quoted_printable(self.html.replace(UNSUBSCRIBE_MARK, url)),
                f"\r\n--{boundary}--\r\n".encode(),
            )
        )


@contextlib.contextmanager
def _commits_without_waiting_for_the_disk():
    """On PostgreSQL, let this connection's commits return before the WAL reaches the disk.

    A commit is still seen at once by every other connection, and survives the death of the
    sending worker (the database server has it); only a crash of the database server itself
    could lose the last fraction of a second of claims. One claim per message then costs no disk
    wait, which is what lets one worker send hundreds of messages a second.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO DEFAULT")


def deliver_issue(job, *, batch_size: int | None = None) -> dict:
    """The job's work: send the issue to every recipient without a delivery, batch by batch.

    Idempotent: run again after an interruption, it sends only to addresses without a row. Each
    address is claimed (its row committed) just before its message leaves, so an interruption
    leaves at most the message in flight uncertain. The issue is rendered once; each batch reads
    the next recipients after the last one sent (a bounce mid-send counts at the next batch).
    """
    issue = Issue.objects.select_related("network").get(pk=job.subject_id)
    batch_size = batch_size or settings.MUNICIPIA_NEWSLETTER_BATCH
    composer = _Composer(issue, *render_issue(issue))
    done = Delivery.objects.filter(issue=issue).count()
    jobs.set_progress(job, done, done + recipients(issue).count())
    after = 0
    with _commits_without_waiting_for_the_disk():
        while True:
            batch = list(
                recipients(issue).filter(pk__gt=after).values_list("pk", "email")[:batch_size]
            )
            if not batch:
                break
            _send_batch(issue, composer, batch)
            after = batch[-1][0]
            done += len(batch)
            jobs.set_progress(job, done)
    return finish_issue(issue)


def _send_batch(issue: Issue, composer: _Composer, batch: list[tuple[int, str]]) -> None:
    """Send one batch over one SMTP connection, claiming each address just before its message.

    Over SMTP the prepared bytes go straight to the open connection; another mail backend (the
    tests' memory, the console) is given Django's e-mail messages."""
    backend = get_connection()
    backend.open()
    smtp = backend.connection if isinstance(backend, SmtpBackend) else None
    ledger = _Ledger(issue)
    try:
        for subscriber_pk, email in batch:
            row = ledger.claim(subscriber_pk, email)
            if row is None:
                continue
            try:
                if smtp is not None:
                    smtp.sendmail(
                        composer.envelope_from, [email], composer.raw(subscriber_pk, email)
                    )
                else:
                    composer.message(subscriber_pk, email, backend).send()
            except smtplib.SMTPRecipientsRefused as error:
                ledger.refused(row, str(error))
                continue
            except (smtplib.SMTPException, OSError):
                ledger.give_back(row)
                raise
            ledger.sent(row)
        ledger.flush()
    finally:
        backend.close()


def finish_issue(issue: Issue) -> dict:
    counts = {
        status: Delivery.objects.filter(issue=issue, status=status).count()
        for status in Delivery.Status.values
    }
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
    return {"sent": counts["sent"], "refused": counts["refused"], "uncertain": counts["claimed"]}
