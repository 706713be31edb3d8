"""Issuing, looking up and revoking verification codes: every change goes through here."""

import enum
from dataclasses import dataclass, field

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from municipia.core.log import log_action
from municipia.verification import codes, registry
from municipia.verification.models import VerificationCode

MAX_REASON_CHARS = 1000


class VerificationError(Exception):
    """A refusal, with a message for the person who asked."""


class Status(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # well formed, but no document has it
    MISTYPED = "mistyped"  # wrong length, letters or check character
    GONE = "gone"  # the document it was given to no longer exists


@dataclass
class Lookup:
    status: Status
    typed: str
    code: VerificationCode | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def fact_rows(self) -> list[dict[str, str]]:
        return [{"label": str(label), "value": str(value)} for label, value in self.facts]

    @property
    def kind_label(self) -> str:
        kind = self.code.document_kind if self.code else None
        return str(kind.label) if kind else ""


RATE_ACTION = "verify"


def within_rate(request) -> bool:
    """Count one lookup for the client's address; False past `MUNICIPIA_VERIFY_RATE`. The page and
    the API share the count: codes cannot be tried in bulk through either."""
    usage = ratelimit.consume(
        request,
        app="municipia.verification",
        action=RATE_ACTION,
        config={RATE_ACTION: settings.MUNICIPIA_VERIFY_RATE},
        limit_get=True,
    )
    return usage is not None


def issue_code(kind: str, object_id, *, by=None) -> VerificationCode:
    """The document's code, given once: asking again returns the same code."""
    if registry.get_kind(kind) is None:
        raise VerificationError(_("Documents of this kind carry no verification code."))
    object_id = str(object_id)
    existing = VerificationCode.objects.filter(kind=kind, object_id=object_id).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                issued = VerificationCode.objects.create(
                    code=codes.new_code(), kind=kind, object_id=object_id
                )
        except IntegrityError:
            # Another request gave this document its code, or (rarely) the random code is taken.
            existing = VerificationCode.objects.filter(kind=kind, object_id=object_id).first()
            if existing is not None:
                return existing
            continue
        log_action(issued, "verification.code.issued", user=by, data={"kind": kind})
        return issued
    raise VerificationError(_("No verification code could be issued; try again."))


def look_up(typed: str) -> Lookup:
    """What the public may know of the document a typed code names."""
    code = codes.canonical(typed)
    if not codes.is_well_formed(code):
        return Lookup(Status.MISTYPED, typed=typed)
    found = VerificationCode.objects.filter(code=code).first()
    kind = found.document_kind if found else None
    if found is None or kind is None:
        return Lookup(Status.UNKNOWN, typed=typed)
    facts = kind.public_facts(found.object_id)
    if facts is None:
        return Lookup(Status.GONE, typed=typed, code=found)
    status = Status.REVOKED if found.is_revoked else Status.VALID
    return Lookup(status, typed=typed, code=found, facts=facts)


def can_revoke(user, code: VerificationCode) -> bool:
    kind = code.document_kind
    return bool(user.is_authenticated and kind and kind.can_revoke(user, code.object_id))


@transaction.atomic
def revoke_code(code: VerificationCode, *, by, reason: str) -> VerificationCode:
    """Mark the document's code revoked, with the reason the verification page shows."""
    code = VerificationCode.objects.select_for_update().get(pk=code.pk)
    if not can_revoke(by, code):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise VerificationError(_("Say why the document is revoked: the page shows it."))
    if len(reason) > MAX_REASON_CHARS:
        raise VerificationError(
            _("Keep the reason under %(limit)s characters.") % {"limit": MAX_REASON_CHARS}
        )
    if code.is_revoked:
        raise VerificationError(_("This document is already revoked."))
    code.revoked_at = timezone.now()
    code.revocation_reason = reason
    code.revoked_by = by
    code.save(update_fields=["revoked_at", "revocation_reason", "revoked_by", "updated_at"])
    log_action(code, "verification.code.revoked", user=by, data={"reason": reason})
    return code
