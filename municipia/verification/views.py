"""The public verification page: type a code, or follow the one printed on a document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from municipia.verification import codes
from municipia.verification.forms import LookupForm, RevokeForm
from municipia.verification.models import VerificationCode
from municipia.verification.qr import qr_svg
from municipia.verification.services import (
    Status,
    VerificationError,
    can_revoke,
    look_up,
    revoke_code,
    within_rate,
)


@never_cache
def verify(request):
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("verification:verify-code", code=form.cleaned_data["code"].strip())
    return render(request, "verification/verify.html", {"form": form})


@never_cache
def verify_code(request, code):
    if not within_rate(request):
        response = render(
            request, "verification/verify.html", {"form": LookupForm(), "throttled": True}
        )
        response.status_code = 429
        response["Retry-After"] = "60"
        return response
    result = look_up(code)
    context = {"form": LookupForm(initial={"code": code}), "result": result}
    if result.code is not None and result.status in (Status.VALID, Status.REVOKED):
        context["qr"] = qr_svg(
            result.code.public_url(),
            _("QR code of the address %(url)s") % {"url": result.code.public_url()},
        )
        if result.status == Status.VALID and can_revoke(request.user, result.code):
            context["revoke_form"] = RevokeForm()
    response = render(request, "verification/verify.html", context)
    if result.status in (Status.UNKNOWN, Status.MISTYPED, Status.GONE):
        response.status_code = 404
    return response


@login_required
@require_POST
def revoke(request, code):
    found = VerificationCode.objects.filter(code=codes.canonical(code)).first()
    if found is None:
        raise Http404
    if not can_revoke(request.user, found):
        raise PermissionDenied
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the document is revoked: the page shows it."))
    else:
        try:
            revoke_code(found, by=request.user, reason=form.cleaned_data["reason"])
        except VerificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The document is revoked."))
    return redirect("verification:verify-code", code=found.shown)
