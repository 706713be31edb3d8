"""The consultation on a plan: comments and proposals, support, moderation and public answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.plans.forms import AnswerProposalForm, CommentForm, HideCommentForm
from municipia.plans.models import CommentSupport, ConsultationComment
from municipia.plans.permissions import (
    can_comment,
    can_moderate,
    get_comment_for_moderation,
    get_comment_for_support,
    get_plan_for_view,
)
from municipia.plans.services import (
    PlanError,
    answer_proposal,
    hide_comment,
    post_comment,
    restore_comment,
    support_comment,
)


def _comments_url(comment: ConsultationComment) -> str:
    return reverse("plans:plan-consultation", args=[comment.plan.slug]) + f"#comment-{comment.pk}"


def _supported_ids(user, plan) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        CommentSupport.objects.filter(user=user, comment__plan=plan).values_list(
            "comment_id", flat=True
        )
    )


def plan_consultation(request, slug):
    plan = get_plan_for_view(request.user, slug)
    comments = ConsultationComment.objects.select_related("author", "activity")
    objectives = plan.objectives.prefetch_related(Prefetch("comments", queryset=comments))
    moderator = can_moderate(request.user, plan)
    objectives = list(objectives)
    if moderator and plan.is_consultation_over:
        for objective in objectives:
            for comment in objective.comments.all():
                if (
                    comment.kind == comment.Kind.PROPOSAL
                    and comment.answer == comment.Answer.PENDING
                ):
                    comment.answer_form = AnswerProposalForm(
                        plan=plan, auto_id=f"id_answer_{comment.pk}_%s"
                    )
    context = {
        "plan": plan,
        "objectives": objectives,
        "moderator": moderator,
        "can_comment": can_comment(request.user, plan),
        "supported": _supported_ids(request.user, plan),
        "form": CommentForm(plan=plan, initial={"objective": request.GET.get("objective")}),
        "hide_form": HideCommentForm(),
    }
    return render(request, "plans/plan_consultation.html", context)


@login_required
@require_POST
def comment_create(request, slug):
    plan = get_plan_for_view(request.user, slug)
    form = CommentForm(request.POST, plan=plan)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("plans:plan-consultation", slug=plan.slug)
    try:
        comment = post_comment(
            plan,
            form.cleaned_data["objective"],
            by=request.user,
            text=form.cleaned_data["text"],
            kind=form.cleaned_data["kind"],
            on_behalf_of=form.cleaned_data["on_behalf_of"],
        )
    except PlanError as error:
        messages.error(request, str(error))
        return redirect("plans:plan-consultation", slug=plan.slug)
    messages.success(request, _("Thank you: your contribution is published."))
    return redirect(_comments_url(comment))


@login_required
@require_POST
def comment_support(request, pk):
    comment = get_comment_for_support(request.user, pk)
    try:
        support_comment(comment, by=request.user)
    except PlanError as error:
        if request.htmx:
            return render(
                request,
                "plans/partials/support.html",
                {"comment": comment, "error": str(error), "supported": set()},
            )
        messages.error(request, str(error))
    if request.htmx:
        return render(
            request, "plans/partials/support.html", {"comment": comment, "supported": {comment.pk}}
        )
    return redirect(_comments_url(comment))


@login_required
@require_POST
def comment_hide(request, pk):
    comment = get_comment_for_moderation(request.user, pk)
    form = HideCommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Say why the comment is hidden; the reason is shown in its place.")
        )
        return redirect(_comments_url(comment))
    try:
        hide_comment(comment, by=request.user, reason=form.cleaned_data["reason"])
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The comment is hidden; its reason is shown in its place."))
    return redirect(_comments_url(comment))


@login_required
@require_POST
def comment_restore(request, pk):
    comment = get_comment_for_moderation(request.user, pk)
    try:
        restore_comment(comment, by=request.user)
    except PlanError as error:
        messages.error(request, str(error))
    return redirect(_comments_url(comment))


@login_required
@require_POST
def proposal_answer(request, pk):
    comment = get_comment_for_moderation(request.user, pk)
    form = AnswerProposalForm(request.POST, plan=comment.plan)
    if not form.is_valid():
        messages.error(request, _("Choose an answer: accepted, merged or rejected."))
        return redirect(_comments_url(comment))
    try:
        answer_proposal(
            comment,
            by=request.user,
            answer=form.cleaned_data["answer"],
            text=form.cleaned_data["text"],
            activity=form.cleaned_data["activity"],
        )
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The answer is published."))
    return redirect(_comments_url(comment))
