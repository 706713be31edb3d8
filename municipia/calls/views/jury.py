"""Pages of jurors: their assignments only, each application without who applied in a blind call."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.calls.forms import RecusalForm, ReviewForm
from municipia.calls.models import Assignment, Review
from municipia.calls.permissions import can_review, get_assignment_for_review
from municipia.calls.services import CallError
from municipia.calls.services.juries import recuse
from municipia.calls.services.reviews import record_review


@login_required
def review_list(request):
    # A callable: the list is read from the cache (kept per juror) without building the query.
    assignments = functools.partial(_assignments_of, request.user)
    return render(request, "calls/review_list.html", {"assignments": assignments})


def _assignments_of(user):
    return (
        Assignment.objects.for_user(user)
        .active()
        .filter(juror__is_active=True, application__call__status__in=["review", "closed"])
        .select_related("application__call", "review")
        # What the list shows: the whole rows of four models (the answers, the call's texts
        # and report) cost more to read and build than the query itself.
        .only(
            "application__code",
            "application__title",
            "application__language",
            "application__call__title",
            "review__status",
        )
        .order_by("application__call", "application__code")
    )


def _review(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


@login_required
def review_detail(request, pk):
    assignment = get_assignment_for_review(request.user, pk)
    application = assignment.application
    call = application.call
    criteria = list(call.criteria.all())
    review = _review(assignment)
    editable = can_review(request.user, assignment)
    form = ReviewForm(request.POST or None, criteria=criteria, review=review)
    if request.method == "POST" and editable and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            record_review(
                assignment,
                by=request.user,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except CallError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Your review is submitted.") if submit else _("Your scores are saved.")
            )
            return redirect("calls:review", pk=assignment.pk)
    fields = [f for f in call.fields.all() if f.visible_to_jury]
    files = [
        f
        for f in application.files.select_related("field")
        if f.field_id is None or f.field.visible_to_jury
    ]
    return render(
        request,
        "calls/review_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "fields": fields,
            "files": files,
            "form": form,
            "review": review,
            "editable": editable,
            "recusal_form": RecusalForm(),
        },
    )


@login_required
@require_POST
def review_recuse(request, pk):
    assignment = get_assignment_for_review(request.user, pk)
    form = RecusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for stepping back."))
        return redirect("calls:review", pk=pk)
    try:
        recuse(assignment, by=request.user, reason=form.cleaned_data["reason"])
    except CallError as error:
        messages.error(request, str(error))
        return redirect("calls:review", pk=pk)
    messages.success(request, _("You have stepped back from this application."))
    return redirect("calls:review-list")
