"""Pages of impact evaluation: one's assessments, filling one, the network's view with the staff's
round and assignment actions, and methodologies. Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.knowledge.models import Experience
from municipia.knowledge.permissions import get_experience_for_view
from municipia.surveys.impact import services
from municipia.surveys.impact.models import Assessment, Methodology, Round
from municipia.surveys.impact.permissions import (
    can_manage_rubric,
    can_self_assess,
    get_assessment_for_filling,
    get_rubric_for_network_view,
    own_assessments,
    visible_rubrics,
)
from municipia.surveys.impact.profiles import network_view
from municipia.surveys.impact.services import ImpactError


@login_required
def impact_home(request):
    assessments = (
        own_assessments(request.user)
        .select_related("round__rubric", "experience__city")
        .prefetch_related("experience__translations")
    )
    assigned = (
        request.user.impact_assignments.filter(round__status=Round.Status.OPEN)
        .select_related("round__rubric", "experience__city")
        .prefetch_related("experience__translations")
    )
    rubrics = visible_rubrics(request.user).select_related("network").distinct()
    open_rounds = Round.objects.filter(status=Round.Status.OPEN, rubric__in=rubrics).select_related(
        "rubric"
    )
    return render(
        request,
        "surveys/impact/home.html",
        {
            "assessments": assessments,
            "assigned": assigned,
            "rubrics": rubrics,
            "open_rounds": open_rounds,
        },
    )


@login_required
@require_POST
def assessment_start(request, round_pk):
    round_ = get_object_or_404(Round.objects.select_related("rubric"), pk=round_pk)
    experience_pk = request.POST.get("experience", "")
    if not experience_pk.isdigit():
        messages.error(request, _("Give the number of an experience."))
        return redirect("surveys:impact-home")
    experience = get_object_or_404(Experience.objects.select_related("city"), pk=experience_pk)
    kind = request.POST.get("kind", Assessment.Kind.SELF)
    try:
        assessment = services.start_assessment(round_, experience, kind, by=request.user)
    except ImpactError as error:
        messages.error(request, str(error))
        return redirect("surveys:impact-home")
    return redirect(assessment)


@login_required
def assessment_fill(request, pk):
    assessment = get_assessment_for_filling(request.user, pk)
    criteria = list(assessment.round.rubric.criteria.prefetch_related("levels"))
    chosen = {s.criterion_id: s.value for s in assessment.scores.all()}
    errors = {}
    if request.method == "POST":
        levels = {c.code: request.POST.get(f"c-{c.code}", "") for c in criteria}
        try:
            services.save_assessment(
                assessment,
                levels,
                comment=request.POST.get("comment", ""),
                submit="submit" in request.POST,
                by=request.user,
            )
        except services.ScoresRefused as error:
            errors = error.errors
            chosen = {c.pk: levels[c.code] for c in criteria}
        except ImpactError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect(assessment)
    rows = [(c, str(chosen.get(c.pk, "")), errors.get(c.code)) for c in criteria]
    return render(
        request,
        "surveys/impact/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "editable": assessment.status == Assessment.Status.DRAFT
            and services.is_open(assessment.round),
        },
        status=400 if errors else 200,
    )


@login_required
def rubric_view(request, pk):
    rubric = get_rubric_for_network_view(request.user, pk)
    manager = can_manage_rubric(request.user, rubric)
    return render(
        request,
        "surveys/impact/rubric.html",
        {
            "rubric": rubric,
            "criteria": network_view(rubric),
            "manager": manager,
            "rounds": rubric.rounds.all() if manager else [],
            "phases": Round.Phase.choices,
        },
    )


@login_required
@require_POST
def rubric_action(request, pk, action):
    """Staff actions on a rubric: open a round, close one, assign an assessor, revise."""
    rubric = get_rubric_for_network_view(request.user, pk)
    if not can_manage_rubric(request.user, rubric):
        raise Http404
    post = request.POST
    try:
        if action == "open-round":
            services.open_round(
                rubric,
                name={request.LANGUAGE_CODE: post.get("name", "").strip() or _("Round")},
                phase=post.get("phase") if post.get("phase") in Round.Phase else "baseline",
                by=request.user,
            )
        elif action in ("close-round", "assign"):
            round_ = get_object_or_404(rubric.rounds, pk=post.get("round") or 0)
            if action == "close-round":
                services.close_round(round_, by=request.user)
            else:
                experience = get_object_or_404(Experience, pk=post.get("experience") or 0)
                assessor = get_object_or_404(
                    get_user_model(), email__iexact=post.get("email", "").strip()
                )
                services.assign(round_, experience, assessor, by=request.user)
        elif action == "revise":
            rubric = services.revise_rubric(rubric, by=request.user)
        else:
            raise Http404
    except ImpactError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Done."))
    return redirect("surveys:impact-rubric", rubric.pk)


@login_required
def methodology_add(request, experience_pk):
    experience = get_experience_for_view(request.user, experience_pk)
    if not can_self_assess(request.user, experience):
        raise Http404
    if request.method == "POST":
        try:
            services.add_methodology(
                experience,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                indicators=request.POST.get("indicators", ""),
                language=request.LANGUAGE_CODE,
                upload=request.FILES.get("document"),
                by=request.user,
            )
        except ImpactError as error:
            messages.error(request, str(error))
        else:
            return redirect(experience)
    return render(request, "surveys/impact/methodology_form.html", {"experience": experience})


def methodology_document(request, pk):
    methodology = get_object_or_404(Methodology, pk=pk)
    get_experience_for_view(request.user, methodology.experience_id)  # 404 unless visible
    if not methodology.document:
        raise Http404
    response = FileResponse(
        methodology.document.open("rb"),
        as_attachment=True,
        filename=methodology.document_name,
        content_type=methodology.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
