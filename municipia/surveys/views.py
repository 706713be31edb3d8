"""Pages of questionnaires: staff build, send and read them; people answer them by their personal
link or the public link. Views translate HTTP; `services` and `results` do the work."""

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.exports import FORMATS, export_response
from municipia.forms.answers import normalise
from municipia.forms.forms import AnswersForm, FormFieldForm
from municipia.forms.models import FormField
from municipia.plans.models import IndicatorFeed, Plan
from municipia.plans.permissions import can_edit_plan
from municipia.surveys import feeds, services
from municipia.surveys import results as survey_results
from municipia.surveys.forms import IndicatorFeedForm, InviteForm, QuestionnaireForm
from municipia.surveys.models import Questionnaire, Response
from municipia.surveys.permissions import (
    can_see_individual_answers,
    get_public_questionnaire,
    get_questionnaire_for_management,
    managed_questionnaires,
    networks_managed,
)
from municipia.surveys.summary import summary_pdf
from municipia.surveys.targets import TARGETS, target_object

ANSWERED_COOKIE = "answered_questionnaires"
HONEYPOT = "website"


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


# --- Staff ------------------------------------------------------------------------------------


@login_required
def questionnaire_list(request):
    questionnaires = (
        managed_questionnaires(request.user)
        .select_related("network")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
        )
        .order_by("-is_template", "-created_at")
    )
    if not networks_managed(request.user).exists():
        raise Http404
    return render(request, "surveys/questionnaire_list.html", {"questionnaires": questionnaires})


def _target_checked(form) -> bool:
    data = form.cleaned_data
    try:
        services.check_target(data["network"], data["target_kind"], data["target_id"])
    except services.SurveyError as error:
        form.add_error("target_id", str(error))
        return False
    return True


@login_required
def questionnaire_create(request):
    networks = networks_managed(request.user)
    if not networks.exists():
        raise Http404
    form = QuestionnaireForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid() and _target_checked(form):
        data = form.cleaned_data
        options = {
            name: data[name]
            for name in ("anonymous", "public", "min_results", "closes_on", "is_template")
        }
        questionnaire = services.create_questionnaire(
            data["network"],
            by=request.user,
            title=form.instance.title,
            original_language=data["original_language"],
            intro=form.instance.intro,
            target_kind=data["target_kind"],
            target_id=data["target_id"] if data["target_kind"] else None,
            **options,
        )
        return redirect(questionnaire)
    return render(request, "surveys/questionnaire_form.html", {"form": form})


@login_required
def questionnaire_edit(request, pk):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    form = QuestionnaireForm(
        request.POST or None, instance=questionnaire, networks=networks_managed(request.user)
    )
    if request.method == "POST" and form.is_valid() and _target_checked(form):
        form.save()
        messages.success(request, _("The questionnaire has been saved."))
        return redirect(questionnaire)
    return render(
        request, "surveys/questionnaire_form.html", {"form": form, "questionnaire": questionnaire}
    )


def _question_form(questionnaire, version, fields, data=None, field=None):
    form = FormFieldForm(
        data,
        instance=field or FormField(definition=version.form, position=len(fields) + 1),
        earlier_fields=[f for f in fields if field is None or f.position < field.position],
        prefix="question",
    )
    form.fields["kind"].choices = [
        (value, label)
        for value, label in FormField.Kind.choices
        if value not in services.EXCLUDED_KINDS
    ]
    del form.fields["visible_to_jury"]
    return form


def _question_saved(request, questionnaire, form) -> bool:
    try:
        services.save_question(questionnaire, field=form.instance, by=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, _("The question has been saved."))
    return True


def _invitation_counts(questionnaire) -> dict:
    return questionnaire.invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(used=True))
    )


@login_required
def questionnaire_detail(request, pk):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    version = services.current_version(questionnaire)
    fields = services.questions(version)
    if request.method == "POST":
        form = _question_form(questionnaire, version, fields, request.POST)
        if form.is_valid() and _question_saved(request, questionnaire, form):
            return redirect(questionnaire)
    else:
        form = _question_form(questionnaire, version, fields)
    versions = questionnaire.versions.annotate(answers=Count("responses")).order_by("number")
    invitations = _invitation_counts(questionnaire)
    target = TARGETS.get(questionnaire.target_kind)
    about = target_object(questionnaire.target_kind, questionnaire.target_id)
    context = {
        "questionnaire": questionnaire,
        "version": version,
        "fields": fields,
        "form": form,
        "versions": versions,
        "invitations": invitations,
        "invite_form": InviteForm(),
        "target": target,
        "about": target.title(about) if target and about else "",
        "public_url": request.build_absolute_uri(
            f"/{_language()}/questionnaires/public/{questionnaire.public_key}/"
        ),
    }
    return render(request, "surveys/questionnaire_detail.html", context)


@login_required
def question_edit(request, pk, field_id):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    version = services.current_version(questionnaire)
    fields = services.questions(version)
    field = next((f for f in fields if f.pk == field_id), None)
    if field is None:
        raise Http404
    form = _question_form(questionnaire, version, fields, request.POST or None, field)
    if (
        request.method == "POST"
        and form.is_valid()
        and _question_saved(request, questionnaire, form)
    ):
        return redirect(questionnaire)
    return render(
        request,
        "surveys/question_form.html",
        {"questionnaire": questionnaire, "form": form, "field": field},
    )


@login_required
@require_POST
def question_delete(request, pk, field_id):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    try:
        services.delete_question(questionnaire, field_id=field_id, by=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The question has been removed."))
    return redirect(questionnaire)


@login_required
@require_POST
def questionnaire_action(request, pk, action):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    done = {
        "open": (services.open_questionnaire, _("The questionnaire is open; the links are sent.")),
        "close": (services.close_questionnaire, _("The questionnaire is closed.")),
        "remind": (services.remind, _("The reminder is being sent.")),
    }
    if action == "copy":
        copy = services.copy_questionnaire(
            questionnaire, network=questionnaire.network, by=request.user
        )
        messages.success(request, _("A copy has been made; adapt it and send it."))
        return redirect(copy)
    if action not in done:
        raise Http404
    service, message = done[action]
    try:
        service(questionnaire, by=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(questionnaire)


@login_required
@require_POST
def questionnaire_invite(request, pk):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        added = services.invite(questionnaire, form.cleaned_data["people"], by=request.user)
        if questionnaire.status == Questionnaire.Status.OPEN:
            from municipia.surveys import tasks

            tasks.send_invitations.delay(questionnaire_id=questionnaire.pk)
        messages.success(request, _("%(count)s people invited.") % {"count": added})
    else:
        for error in form.errors.get("people", []):
            messages.error(request, error)
    return redirect(questionnaire)


@login_required
def questionnaire_results(request, pk):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    versions = list(questionnaire.versions.select_related("form").order_by("number"))
    version = next(
        (v for v in versions if str(v.number) == request.GET.get("version")), versions[-1]
    )
    text_filter = request.GET.get("q", "").strip()[:100]
    found = survey_results.results(version, text_filter=text_filter)
    # Other runs of the same questionnaire: copies of the same template in the same network.
    runs = Questionnaire.objects.none()
    if questionnaire.template_id:
        runs = Questionnaire.objects.filter(
            network=questionnaire.network, template_id=questionnaire.template_id
        ).exclude(pk=questionnaire.pk)
    compared = runs.filter(pk=request.GET.get("compare") or None).first()
    if compared is not None and found.shown:
        earlier = survey_results.results(services.current_version(compared))
        if earlier.shown:
            survey_results.compare(found, earlier)
        else:
            compared = None
    fmt = request.GET.get("format")
    name = f"{questionnaire.title_text}-v{version.number}"
    if fmt in FORMATS and request.GET.get("raw"):
        if not can_see_individual_answers(request.user, questionnaire):
            raise Http404
        header, rows = survey_results.raw_rows(version)
        return export_response(rows, headers=header, filename=f"{name}-answers", fmt=fmt)
    if fmt in FORMATS:
        if not found.shown:
            raise Http404
        headers = [_("Question"), _("Item"), _("Answer"), _("Count"), "%", _("Mean")]
        return export_response(
            survey_results.aggregate_rows(found), headers=headers, filename=name, fmt=fmt
        )
    invitations = _invitation_counts(questionnaire)
    rate = (
        round(100 * invitations["answered"] / invitations["invited"])
        if invitations["invited"]
        else None
    )
    if fmt == "pdf":
        if not found.shown:
            raise Http404
        content = summary_pdf(questionnaire, version, found, rate=rate, language=get_language())
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{slugify(name) or 'results'}.pdf"
        )
        return response
    context = {
        "questionnaire": questionnaire,
        "versions": versions,
        "version": version,
        "results": found,
        "rate": rate,
        "invitations": invitations,
        "text_filter": text_filter,
        "raw_allowed": can_see_individual_answers(request.user, questionnaire),
        "runs": runs,
        "compared": compared,
    }
    return render(request, "surveys/results.html", context)


# --- Respondents --------------------------------------------------------------------------------


def _answer_page(request, questionnaire, *, via, invitation=None, done=False, status=200):
    version = services.current_version(questionnaire)
    fields = services.questions(version)
    form = AnswersForm(request.POST or None, fields=fields, prefix=None)
    refused = None
    if request.method == "POST" and not done and form.is_valid():
        typed = form.answers()
        answers = {f.key: normalise(f, typed[f.key]) for f in form.form_fields}
        try:
            services.submit_response(
                questionnaire,
                answers=answers,
                language=_language(),
                via=via,
                invitation=invitation,
                user=request.user if request.user.is_authenticated else None,
            )
        except services.AnswersRefused as error:
            refused = error
            for key, message in error.problems.items():
                _add_problem(form, key, message)
        except services.SurveyError as error:
            messages.error(request, str(error))
        else:
            response = render(
                request, "surveys/answer.html", {"questionnaire": questionnaire, "done": True}
            )
            if via == Response.Via.PUBLIC:
                answered = request.COOKIES.get(ANSWERED_COOKIE, "").split(",")
                response.set_cookie(
                    ANSWERED_COOKIE,
                    ",".join([*answered, questionnaire.public_key])[-2000:],
                    max_age=365 * 24 * 3600,
                    httponly=True,
                    samesite="Lax",
                )
            return response
    context = {
        "questionnaire": questionnaire,
        "form": form,
        "done": done,
        "closed": not services.is_open(questionnaire),
        "refused": refused,
        "public": via == Response.Via.PUBLIC,
    }
    return render(request, "surveys/answer.html", context, status=status)


def _add_problem(form, key, message):
    names = [name for name in form.fields if name == f"q{key}" or name.startswith(f"q{key}_")]
    form.add_error(names[0] if names else None, message)


def answer(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404
    return _answer_page(
        request,
        invitation.questionnaire,
        via=Response.Via.PERSONAL,
        invitation=invitation,
        done=invitation.used,
    )


def answer_public(request, key):
    questionnaire = get_public_questionnaire(key)
    answered = key in request.COOKIES.get(ANSWERED_COOKIE, "").split(",")
    if request.method == "POST" and not answered:
        if request.POST.get(HONEYPOT):
            # A robot filled the field people do not see: thank it and keep nothing.
            return render(
                request, "surveys/answer.html", {"questionnaire": questionnaire, "done": True}
            )
        usage = ratelimit.consume(
            request,
            app="municipia.surveys",
            action="surveys_public_answer",
            config={"surveys_public_answer": settings.MUNICIPIA_SURVEYS_PUBLIC_RATE},
            limit_get=False,
        )
        if usage is None:
            return HttpResponse(
                _("Too many answers from this address; try again later."), status=429
            )
    return _answer_page(request, questionnaire, via=Response.Via.PUBLIC, done=answered)


@login_required
def questionnaire_feeds(request, pk):
    """The plan's indicators this questionnaire feeds, and linking one more to a question."""
    questionnaire = get_questionnaire_for_management(request.user, pk)
    plan_id = feeds.target_plan_id(questionnaire)
    plan = Plan.objects.filter(pk=plan_id).first() if plan_id else None
    linked = list(
        IndicatorFeed.objects.filter(questionnaire=questionnaire)
        .select_related("indicator", "question")
        .order_by("indicator__name", "pk")
    )
    form = None
    if plan is not None and can_edit_plan(request.user, plan):
        indicators = list(plan.indicators.order_by("name", "pk"))
        form = IndicatorFeedForm(
            request.POST or None,
            indicators=indicators,
            questions=feeds.fed_questions(questionnaire),
            measures=IndicatorFeed.Measure.choices,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                feed = feeds.link_indicator(
                    next(i for i in indicators if i.pk == data["indicator"]),
                    questionnaire=questionnaire,
                    question=FormField.objects.get(pk=data["question"]),
                    measure=data["measure"],
                    by=request.user,
                )
            except services.SurveyError as error:
                messages.error(request, str(error))
            else:
                if feed.fed_on:
                    messages.success(
                        request, _("The indicator is linked; today's value is recorded.")
                    )
                else:
                    messages.success(
                        request,
                        _(
                            "The indicator is linked; its value is recorded once there are enough answers."
                        ),
                    )
                return redirect("surveys:questionnaire-feeds", questionnaire.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "surveys/questionnaire_feeds.html",
        {"questionnaire": questionnaire, "plan": plan, "linked": linked, "form": form},
    )


@login_required
@require_POST
def feed_action(request, pk, feed_pk, action):
    questionnaire = get_questionnaire_for_management(request.user, pk)
    feed = (
        IndicatorFeed.objects.select_related("indicator__plan", "question", "questionnaire")
        .filter(pk=feed_pk, questionnaire=questionnaire)
        .first()
    )
    if feed is None or action not in ("refresh", "unlink"):
        raise Http404
    if not can_edit_plan(request.user, feed.indicator.plan):
        raise Http404
    try:
        if action == "unlink":
            feeds.unlink_indicator(feed, by=request.user)
            messages.success(request, _("The indicator is no longer fed by this questionnaire."))
        elif feeds.refresh_feed(feed, by=request.user) is None:
            messages.error(
                request,
                _("Too few answers for a figure: nothing was recorded."),
            )
        else:
            messages.success(request, _("Today's value is recorded."))
    except services.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:questionnaire-feeds", questionnaire.pk)
