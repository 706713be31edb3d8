"""Pages for those who run courses (the network's secretariat) and those who teach them (tutors):
courses and their content, runs, enrolments, attendance, grading, moderation and certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from municipia.accounts.models import Role
from municipia.accounts.permissions import (
    is_superuser,
    network_ids_with_role,
    works_for_a_secretariat,
)
from municipia.core.exports import FORMATS, export_response, query_without_page
from municipia.directory.models import Network
from municipia.knowledge.models import Experience, Publication
from municipia.learning.certificates import issue_certificate, revoke_certificate
from municipia.learning.completion import attended_counts, done_counts
from municipia.learning.forms import (
    AssignmentForm,
    CourseForm,
    GradeForm,
    MaterialForm,
    ModuleForm,
    RevokeForm,
    RunForm,
    SessionForm,
    TranslationForm,
)
from municipia.learning.models import (
    Course,
    CourseRun,
    Enrolment,
    ForumPost,
    ForumThread,
    LiveSession,
    Module,
    Submission,
)
from municipia.learning.permissions import (
    can_manage_course,
    can_teach_run,
    get_certificate_for_view,
    get_course_for_management,
    get_run_for_management,
    get_run_for_teaching,
    get_submission_for_grading,
)
from municipia.learning.services import (
    LearningError,
    add_assignment,
    add_course_translation,
    add_live_session,
    add_material,
    add_module,
    decide_enrolment,
    grade_submission,
    moderate_post,
    moderate_thread,
    record_attendance,
    save_course,
    save_run,
)
from municipia.verification.services import VerificationError

ENROLMENTS_PER_PAGE = 100
QUEUE_PER_PAGE = 50
ENROLMENT_HEADERS = [
    gettext_lazy("Name"),
    gettext_lazy("E-mail"),
    gettext_lazy("Status"),
    gettext_lazy("Language"),
    gettext_lazy("Enrolled on"),
    gettext_lazy("Modules done"),
    gettext_lazy("Live sessions attended"),
]


def _staffed_networks(user):
    if is_superuser(user):
        return Network.objects.order_by("name")
    return Network.objects.filter(
        pk__in=network_ids_with_role(user, Role.Kind.NETWORK_STAFF)
    ).order_by("name")


@login_required
def manage_index(request):
    if not works_for_a_secretariat(request.user):
        raise PermissionDenied
    courses = (
        Course.objects.managed_by(request.user)
        .select_related("network")
        .prefetch_related("translations", "runs")
        .order_by("network__slug", "slug")
    )
    page = Paginator(courses, 25).get_page(request.GET.get("page"))
    return render(request, "learning/manage_index.html", {"page": page})


def _save_course_form(request, form, course):
    try:
        with transaction.atomic():
            return save_course(
                course,
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                signature=form.cleaned_data.get("signature_image"),
                logo=form.cleaned_data.get("logo_image"),
            )
    except LearningError as error:
        form.add_error(None, str(error))
        return None


@login_required
def course_create(request):
    if not works_for_a_secretariat(request.user):
        raise PermissionDenied
    form = CourseForm(
        request.POST or None, request.FILES or None, networks=_staffed_networks(request.user)
    )
    if request.method == "POST" and form.is_valid():
        course = _save_course_form(request, form, form.instance)
        if course is not None:
            messages.success(request, _("The course is saved."))
            return redirect("learning:course-manage", slug=course.slug)
    return render(request, "learning/manage_form.html", {"form": form, "title": _("New course")})


@login_required
def course_manage(request, slug):
    course = get_course_for_management(request.user, slug)
    form = CourseForm(
        request.POST or None,
        request.FILES or None,
        instance=course,
        networks=_staffed_networks(request.user),
    )
    saved = (
        request.method == "POST" and form.is_valid() and _save_course_form(request, form, course)
    )
    if saved:
        messages.success(request, _("The course is saved."))
        return redirect("learning:course-manage", slug=course.slug)
    course.refresh_from_db()
    return render(
        request,
        "learning/course_manage.html",
        {
            "course": course,
            "form": form,
            "translation_form": TranslationForm(),
            "module_form": ModuleForm(initial={"language": course.original_language}),
            "modules": course.modules.prefetch_related("materials", "assignments"),
            "runs": course.runs.all(),
        },
    )


@login_required
@require_POST
def course_translate(request, slug):
    course = get_course_for_management(request.user, slug)
    form = TranslationForm(request.POST)
    if form.is_valid():
        try:
            add_course_translation(course, by=request.user, **form.cleaned_data)
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The translation is saved."))
    else:
        messages.error(request, _("Give the language, title and description."))
    return redirect("learning:course-manage", slug=course.slug)


@login_required
@require_POST
def module_create(request, slug):
    course = get_course_for_management(request.user, slug)
    form = ModuleForm(request.POST)
    if form.is_valid():
        language = form.cleaned_data["language"]
        try:
            add_module(
                course,
                by=request.user,
                titles={language: form.cleaned_data["title"]},
                summaries={language: form.cleaned_data["summary"]},
            )
        except LearningError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Give the module a title."))
    return redirect("learning:course-manage", slug=course.slug)


def _module_for_management(user, pk) -> Module:
    module = get_object_or_404(Module.objects.select_related("course__network"), pk=pk)
    if not can_manage_course(user, module.course):
        raise PermissionDenied
    return module


def _bank_item(form, kind):
    number = form.cleaned_data.get("item")
    if kind == "experience" and number:
        return {"experience": Experience.objects.filter(pk=number).first()}
    if kind == "publication" and number:
        return {"publication": Publication.objects.filter(pk=number).first()}
    return {}


@login_required
def material_create(request, pk):
    module = _module_for_management(request.user, pk)
    form = MaterialForm(request.POST or None, request.FILES or None, initial={"language": "en"})
    if request.method == "POST" and form.is_valid():
        language, kind = form.cleaned_data["language"], form.cleaned_data["kind"]
        try:
            add_material(
                module,
                by=request.user,
                kind=kind,
                titles={language: form.cleaned_data["title"]},
                bodies={language: form.cleaned_data["body"]},
                url=form.cleaned_data["url"] or "",
                uploaded=form.cleaned_data["file"],
                **_bank_item(form, kind),
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The material is added."))
            return redirect("learning:course-manage", slug=module.course.slug)
    return render(
        request,
        "learning/manage_form.html",
        {"form": form, "title": _("New material"), "multipart": True, "back": module.course},
    )


@login_required
def assignment_create(request, pk):
    module = _module_for_management(request.user, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            add_assignment(
                module,
                by=request.user,
                titles={language: form.cleaned_data["title"]},
                instructions={language: form.cleaned_data["instructions"]},
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The assignment is added."))
            return redirect("learning:course-manage", slug=module.course.slug)
    return render(
        request,
        "learning/manage_form.html",
        {"form": form, "title": _("New assignment"), "back": module.course},
    )


def _run_form(request, course, run):
    form = RunForm(request.POST or None, instance=run, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                run = save_run(
                    form.save(commit=False), by=request.user, tutors=form.cleaned_data["tutors"]
                )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The run is saved."))
            return redirect("learning:enrolments", pk=run.pk)
    return render(
        request,
        "learning/manage_form.html",
        {"form": form, "title": _("Run of %(course)s") % {"course": course.title}, "back": course},
    )


@login_required
def run_create(request, slug):
    course = get_course_for_management(request.user, slug)
    return _run_form(request, course, CourseRun(course=course))


@login_required
def run_edit(request, pk):
    run = get_run_for_management(request.user, pk)
    return _run_form(request, run.course, run)


def _enrolment_rows(enrolments, done, attended):
    for e in enrolments.iterator(chunk_size=500):
        yield [
            e.participant_name,
            e.user.email,
            e.get_status_display(),
            e.language,
            e.created_at.date().isoformat(),
            done.get(e.pk, 0),
            attended.get(e.pk, 0),
        ]


@login_required
def enrolments(request, pk):
    """A run's enrolments, a hundred a page (a run may have thousands), with their progress in a
    fixed number of queries, and every one of them in the CSV/XLSX export."""
    run = get_run_for_management(request.user, pk)
    listed = Enrolment.objects.filter(run=run).select_related("user", "certificate")
    status = request.GET.get("status")
    if status in Enrolment.Status.values:
        listed = listed.filter(status=status)
    done, attended = done_counts(run), attended_counts(run)
    fmt = request.GET.get("format")
    if fmt in FORMATS:
        return export_response(
            _enrolment_rows(listed, done, attended),
            headers=ENROLMENT_HEADERS,
            filename=f"{run.course.slug}-{run.pk}-enrolments",
            fmt=fmt,
        )
    page = Paginator(listed, ENROLMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for enrolment in page.object_list:
        enrolment.modules_done = done.get(enrolment.pk, 0)
        enrolment.sessions_attended = attended.get(enrolment.pk, 0)
    return render(
        request,
        "learning/enrolments.html",
        {
            "run": run,
            "course": run.course,
            "page": page,
            "query": query_without_page(request),
            "statuses": Enrolment.Status.choices,
            "status": status,
            "modules_total": run.course.modules.count(),
            "sessions": run.sessions.all(),
            "session_form": SessionForm(),
            "revoke_form": RevokeForm(),
        },
    )


def _enrolment_for_management(user, pk) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("run__course__network", "user"), pk=pk
    )
    if not can_manage_course(user, enrolment.run.course):
        raise Http404
    return enrolment


@login_required
@require_POST
def enrolment_decide(request, pk):
    enrolment = _enrolment_for_management(request.user, pk)
    try:
        decide_enrolment(enrolment, approve=request.POST.get("approve") == "1", by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    return redirect("learning:enrolments", pk=enrolment.run_id)


@login_required
@require_POST
def certificate_issue(request, pk):
    enrolment = _enrolment_for_management(request.user, pk)
    try:
        issue_certificate(enrolment, by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Certificate issued to %(name)s.") % {"name": enrolment.participant_name}
        )
    return redirect("learning:enrolments", pk=enrolment.run_id)


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = get_certificate_for_view(request.user, pk)
    if not can_manage_course(request.user, certificate.enrolment.run.course):
        raise Http404
    form = RevokeForm(request.POST)
    try:
        revoke_certificate(certificate, by=request.user, reason=form.data.get("reason", ""))
    except (LearningError, VerificationError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("learning:enrolments", pk=certificate.enrolment.run_id)


@login_required
@require_POST
def session_create(request, pk):
    run = get_run_for_management(request.user, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        add_live_session(run, by=request.user, **form.cleaned_data)
    else:
        messages.error(request, _("Give the session a title and a start."))
    return redirect("learning:enrolments", pk=run.pk)


@login_required
def attendance(request, pk):
    session = get_object_or_404(LiveSession.objects.select_related("run__course__network"), pk=pk)
    run = session.run
    if not can_teach_run(request.user, run):
        raise PermissionDenied
    if request.method == "POST":
        chosen = [int(v) for v in request.POST.getlist("enrolment") if v.isdigit()]
        try:
            count = record_attendance(session, chosen, by=request.user)
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)s attended.") % {"count": count})
        return redirect(request.get_full_path())
    confirmed = Enrolment.objects.confirmed().filter(run=run).select_related("user").order_by("pk")
    page = Paginator(confirmed, ENROLMENTS_PER_PAGE).get_page(request.GET.get("page"))
    present = set(session.attendances.values_list("enrolment_id", flat=True))
    return render(
        request,
        "learning/attendance.html",
        {"session": session, "run": run, "page": page, "present": present, "query": ""},
    )


@login_required
def grading_queue(request, pk):
    """The run's submissions, ungraded first: only for the run's tutors and its secretariat."""
    run = get_run_for_teaching(request.user, pk)
    submissions = (
        Submission.objects.filter(enrolment__run=run)
        .select_related("enrolment__user", "assignment")
        .order_by("graded_at", "created_at", "pk")
    )
    if request.GET.get("all") != "1":
        submissions = submissions.filter(graded_at__isnull=True)
    page = Paginator(submissions, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/grading_queue.html",
        {"run": run, "page": page, "form": GradeForm(), "query": query_without_page(request)},
    )


@login_required
@require_POST
def submission_grade(request, pk):
    submission = get_submission_for_grading(request.user, pk)
    form = GradeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A grade is a number from 0 to 100."))
    else:
        try:
            grade_submission(submission, by=request.user, **form.cleaned_data)
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The grade is saved."))
    return redirect("learning:grading-queue", pk=submission.enrolment.run_id)


@login_required
@require_POST
def post_moderate(request, pk):
    post = get_object_or_404(
        ForumPost.objects.select_related("thread__run__course__network"), pk=pk
    )
    if not can_teach_run(request.user, post.thread.run):
        raise PermissionDenied
    moderate_post(post, by=request.user, hide=request.POST.get("hide") == "1")
    return redirect("learning:thread-detail", pk=post.thread.run_id, thread_pk=post.thread_id)


@login_required
@require_POST
def thread_moderate(request, pk):
    thread = get_object_or_404(ForumThread.objects.select_related("run__course__network"), pk=pk)
    if not can_teach_run(request.user, thread.run):
        raise PermissionDenied
    action = request.POST.get("action")
    moderate_thread(
        thread,
        by=request.user,
        lock={"lock": True, "unlock": False}.get(action),
        hide={"hide": True, "show": False}.get(action),
    )
    return redirect("learning:thread-detail", pk=thread.run_id, thread_pk=thread.pk)
