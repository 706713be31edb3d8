"""Who may see and do what in the virtual classroom, asked alike by pages, the API and the admin.

- A course is run by the staff of its network (and superusers); they manage its runs, enrolments,
  attendance and certificates. A published course is seen by everyone, a draft by those who run it.
- A run's tutors teach it: they grade the submissions of that run only, and moderate its forum.
- A run's content (modules, assignments, forum) is for its confirmed participants, its tutors and
  those who run the course. A participant sees only their own submissions and grades.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipia.accounts.permissions import can_manage_network
from municipia.learning.models import (
    Course,
    CourseCertificate,
    CourseRun,
    Enrolment,
    ForumThread,
    Submission,
)


def can_manage_course(user, course: Course) -> bool:
    return bool(user.is_authenticated) and can_manage_network(user, course.network)


def can_view_course(user, course: Course) -> bool:
    return course.is_published or can_manage_course(user, course)


def is_tutor(user, run: CourseRun) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(run, "_tutor_ids", None)
    if cached is None:
        cached = set(run.tutors.values_list("pk", flat=True))
        run._tutor_ids = cached
    return user.pk in cached


def own_enrolment(user, run: CourseRun) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    cached = getattr(run, "_own_enrolment", {})
    if user.pk not in cached:
        cached[user.pk] = (
            Enrolment.objects.filter(run=run, user=user, status__in=Enrolment.ACTIVE)
            .order_by("-created_at")
            .first()
        )
        run._own_enrolment = cached
    return cached[user.pk]


def can_teach_run(user, run: CourseRun) -> bool:
    """Tutors of the run and those who run the course: grading, moderation, attendance."""
    return is_tutor(user, run) or can_manage_course(user, run.course)


def can_follow_run(user, run: CourseRun) -> bool:
    """Modules, assignments and the forum: confirmed participants, tutors and managers."""
    enrolment = own_enrolment(user, run)
    if enrolment is not None and enrolment.status == Enrolment.Status.CONFIRMED:
        return True
    return can_teach_run(user, run)


def can_enrol(user, run: CourseRun) -> bool:
    return bool(user.is_authenticated) and run.course.is_published and run.is_open


def can_grade(user, submission: Submission) -> bool:
    """The tutors of the submission's run, and those who run the course; a tutor of another run of
    the same course is refused."""
    return can_teach_run(user, submission.enrolment.run)


def can_view_submission(user, submission: Submission) -> bool:
    return submission.enrolment.user_id == user.pk or can_grade(user, submission)


def can_view_certificate(user, certificate: CourseCertificate) -> bool:
    if not user.is_authenticated:
        return False
    return certificate.enrolment.user_id == user.pk or can_manage_course(
        user, certificate.enrolment.run.course
    )


def _runs():
    return CourseRun.objects.select_related("course__network", "course__partner_university")


def get_course_for_view(user, slug: str) -> Course:
    course = get_object_or_404(
        Course.objects.select_related("network", "partner_university").prefetch_related(
            "translations"
        ),
        slug=slug,
    )
    if not can_view_course(user, course):
        raise Http404
    return course


def get_course_for_management(user, slug: str) -> Course:
    if not user.is_authenticated:
        raise PermissionDenied
    course = get_course_for_view(user, slug)
    if not can_manage_course(user, course):
        raise PermissionDenied
    return course


def get_run_for_view(user, pk: int) -> CourseRun:
    run = get_object_or_404(_runs().prefetch_related("course__translations"), pk=pk)
    if not can_view_course(user, run.course):
        raise Http404
    return run


def get_run_for_participants(user, pk: int) -> CourseRun:
    run = get_run_for_view(user, pk)
    if not can_follow_run(user, run):
        raise PermissionDenied
    return run


def get_run_for_teaching(user, pk: int) -> CourseRun:
    run = get_run_for_view(user, pk)
    if not can_teach_run(user, run):
        raise PermissionDenied
    return run


def get_run_for_management(user, pk: int) -> CourseRun:
    run = get_run_for_view(user, pk)
    if not can_manage_course(user, run.course):
        raise PermissionDenied
    return run


def get_submission_for_grading(user, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("enrolment__run__course__network", "assignment"), pk=pk
    )
    if not can_grade(user, submission):
        raise Http404
    return submission


def get_thread_for_view(user, run: CourseRun, pk: int) -> ForumThread:
    thread = get_object_or_404(ForumThread.objects.select_related("author"), run=run, pk=pk)
    if thread.is_hidden and not can_teach_run(user, run):
        raise Http404
    return thread


def get_certificate_for_view(user, pk: int) -> CourseCertificate:
    certificate = get_object_or_404(
        CourseCertificate.objects.select_related(
            "enrolment__user", "enrolment__run__course__network"
        ),
        pk=pk,
    )
    if not can_view_certificate(user, certificate):
        raise Http404
    return certificate
