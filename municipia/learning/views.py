"""Pages of the classroom for the public and for participants: the catalogue, a course, a run's
modules, progress, assignments and forum, and "my learning"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from municipia.core.downloads import attachment_response
from municipia.directory.models import Network
from municipia.learning.certificates import certificate_code, render_certificate
from municipia.learning.completion import completion
from municipia.learning.forms import ReplyForm, SubmissionForm, ThreadForm
from municipia.learning.models import (
    Assignment,
    Course,
    CourseCertificate,
    CourseRun,
    Enrolment,
    ForumPost,
    ForumThread,
    Material,
    Module,
    ModuleProgress,
    Submission,
)
from municipia.learning.permissions import (
    can_enrol,
    can_manage_course,
    can_teach_run,
    can_view_submission,
    get_certificate_for_view,
    get_course_for_view,
    get_run_for_participants,
    get_run_for_view,
    get_thread_for_view,
    own_enrolment,
)
from municipia.learning.services import (
    LearningError,
    cancel_enrolment,
    enrol,
    mark_module_done,
    reply,
    start_thread,
    submit_assignment,
)

PER_PAGE = 20
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 50


def catalogue(request, network_slug=None):
    network = None
    courses = Course.objects.published()
    if network_slug is not None:
        network = get_object_or_404(Network, slug=network_slug)
        courses = courses.filter(network=network)
    courses = (
        courses.select_related("network", "partner_university")
        .prefetch_related("translations")
        .annotate(open_runs=Count("runs", filter=Q(runs__is_open=True)))
        .order_by("network__slug", "slug")
    )
    level = request.GET.get("level")
    if level in Course.Level.values:
        courses = courses.filter(level=level)
    page = Paginator(courses, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/catalogue.html",
        {"network": network, "page": page, "levels": Course.Level.choices, "level": level},
    )


def course_detail(request, slug):
    course = get_course_for_view(request.user, slug)
    runs = list(
        course.runs.annotate(
            taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDING))
        ).order_by("-starts_on")
    )
    mine = {}
    if request.user.is_authenticated:
        mine = {
            e.run_id: e
            for e in Enrolment.objects.filter(
                user=request.user, run__course=course, status__in=Enrolment.ACTIVE
            )
        }
    for run in runs:
        run.mine = mine.get(run.pk)
        run.places_left = max(run.capacity - run.taken, 0)
    modules = course.modules.prefetch_related("materials", "assignments")
    return render(
        request,
        "learning/course_detail.html",
        {
            "course": course,
            "runs": runs,
            "modules": modules,
            "manages": can_manage_course(request.user, course),
        },
    )


@login_required
@require_POST
def run_enrol(request, pk):
    run = get_run_for_view(request.user, pk)
    if not can_enrol(request.user, run):
        raise PermissionDenied
    try:
        enrolment = enrol(run, user=request.user, language=request.user.language)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your enrolment: %(status)s.") % {"status": enrolment.get_status_display()},
        )
    return redirect(run.course.get_absolute_url())


@login_required
@require_POST
def enrolment_cancel(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("run__course"), pk=pk)
    if enrolment.user_id != request.user.pk and not can_manage_course(
        request.user, enrolment.run.course
    ):
        raise Http404
    try:
        cancel_enrolment(enrolment, by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The enrolment is cancelled."))
    return redirect("learning:my-learning")


def _modules(run: CourseRun, enrolment: Enrolment | None):
    modules = list(
        Module.objects.filter(course=run.course)
        .select_related("course")
        .prefetch_related(
            "materials__experience__translations",
            "materials__publication__translations",
            Prefetch("assignments", queryset=Assignment.objects.order_by("pk")),
        )
    )
    done, submissions = set(), {}
    if enrolment is not None:
        done = set(
            ModuleProgress.objects.filter(enrolment=enrolment).values_list("module_id", flat=True)
        )
        submissions = {s.assignment_id: s for s in Submission.objects.filter(enrolment=enrolment)}
    for module in modules:
        module.done = module.pk in done
        for assignment in module.assignments.all():
            assignment.mine = submissions.get(assignment.pk)
    return modules


@login_required
def run_detail(request, pk):
    run = get_run_for_participants(request.user, pk)
    enrolment = own_enrolment(request.user, run)
    participant = enrolment if enrolment and enrolment.status == "confirmed" else None
    threads = (
        ForumThread.objects.filter(run=run)
        .select_related("author")
        .annotate(replies=Count("posts", filter=Q(posts__is_hidden=False)))
        .order_by("-updated_at", "pk")
    )
    teaches = can_teach_run(request.user, run)
    if not teaches:
        threads = threads.filter(is_hidden=False)
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/run_detail.html",
        {
            "run": run,
            "course": run.course,
            "enrolment": participant,
            "standing": completion(participant) if participant else None,
            "modules": _modules(run, participant),
            "sessions": run.sessions.all(),
            "tutors": run.tutors.all(),
            "page": page,
            "teaches": teaches,
            "manages": can_manage_course(request.user, run.course),
            "thread_form": ThreadForm(),
            "submission_form": SubmissionForm(),
        },
    )


def _confirmed_enrolment(request, run) -> Enrolment:
    enrolment = own_enrolment(request.user, run)
    if enrolment is None or enrolment.status != Enrolment.Status.CONFIRMED:
        raise PermissionDenied
    return enrolment


@login_required
@require_POST
def module_done(request, pk, module_pk):
    run = get_run_for_participants(request.user, pk)
    enrolment = _confirmed_enrolment(request, run)
    module = get_object_or_404(Module, pk=module_pk, course=run.course)
    try:
        mark_module_done(enrolment, module, by=request.user)
    except LearningError as error:
        messages.error(request, str(error))
    return redirect(f"{run.get_absolute_url()}#module-{module.pk}")


@login_required
@require_POST
def submission_create(request, pk, assignment_pk):
    run = get_run_for_participants(request.user, pk)
    enrolment = _confirmed_enrolment(request, run)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, module__course=run.course)
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the file of your work."))
    else:
        try:
            submit_assignment(
                enrolment, assignment, by=request.user, uploaded=form.cleaned_data["file"]
            )
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your work is handed in."))
    return redirect(f"{run.get_absolute_url()}#assignment-{assignment.pk}")


@login_required
def submission_download(request, pk):
    submission = get_object_or_404(
        Submission.objects.select_related("enrolment__run__course__network"), pk=pk
    )
    if not can_view_submission(request.user, submission):
        raise Http404
    return attachment_response(
        submission.file, filename=submission.filename, content_type=submission.content_type
    )


@login_required
@require_POST
def thread_create(request, pk):
    run = get_run_for_participants(request.user, pk)
    form = ThreadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the thread a title and a message."))
        return redirect(f"{run.get_absolute_url()}#forum")
    try:
        thread = start_thread(run, by=request.user, **form.cleaned_data)
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(f"{run.get_absolute_url()}#forum")
    return redirect("learning:thread-detail", pk=run.pk, thread_pk=thread.pk)


@login_required
def thread_detail(request, pk, thread_pk):
    run = get_run_for_participants(request.user, pk)
    thread = get_thread_for_view(request.user, run, thread_pk)
    teaches = can_teach_run(request.user, run)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply(thread, by=request.user, body=form.cleaned_data["body"])
        except LearningError as error:
            messages.error(request, str(error))
        else:
            return redirect(request.path)
    posts = ForumPost.objects.filter(thread=thread).select_related("author")
    if not teaches:
        posts = posts.filter(is_hidden=False)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/thread_detail.html",
        {"run": run, "thread": thread, "page": page, "form": form, "teaches": teaches},
    )


@login_required
def my_learning(request):
    enrolments = (
        Enrolment.objects.filter(user=request.user)
        .exclude(status=Enrolment.Status.REJECTED)
        .select_related("run__course__network", "certificate")
        .prefetch_related("run__course__translations")
        .order_by("-run__starts_on", "-pk")
    )
    page = Paginator(enrolments, PER_PAGE).get_page(request.GET.get("page"))
    certificates = (
        CourseCertificate.objects.filter(enrolment__user=request.user)
        .select_related("enrolment__run__course")
        .prefetch_related("enrolment__run__course__translations")
    )
    return render(
        request, "learning/my_learning.html", {"page": page, "certificates": certificates}
    )


@login_required
def certificate_download(request, pk):
    certificate = get_certificate_for_view(request.user, pk)
    code = certificate_code(certificate)
    response = HttpResponse(render_certificate(certificate), content_type="application/pdf")
    name = f"certificate-{certificate.enrolment.run.course.slug}-{code.shown if code else pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def material_download(request, pk, material_pk):
    run = get_run_for_participants(request.user, pk)
    material = get_object_or_404(
        Material, pk=material_pk, module__course=run.course, kind=Material.Kind.FILE
    )
    return attachment_response(
        material.file,
        filename=material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type,
    )
