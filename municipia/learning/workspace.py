"""What the classroom puts on "my work": a participant's courses, a tutor's work to grade, and for
the secretariat the runs of their courses with enrolments waiting for approval."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.accounts.permissions import works_for_a_secretariat
from municipia.core import workspace
from municipia.learning.models import Course, CourseRun, Enrolment

SHOWN = 8

workspace.link(
    workspace.STAFF,
    "learning:manage",
    gettext_lazy("Courses"),
    when=works_for_a_secretariat,
    order=60,
)
workspace.link(workspace.OFFICER, "learning:my-learning", gettext_lazy("My learning"), order=60)


def _runs():
    return CourseRun.objects.select_related("course").prefetch_related("course__translations")


@workspace.section(role=workspace.STAFF, order=85)
def runs_to_manage(request):
    user = request.user
    if not works_for_a_secretariat(user):
        return None
    runs = (
        _runs()
        .filter(course__in=Course.objects.managed_by(user), is_open=True)
        .annotate(
            pending=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.PENDING))
        )
        .order_by("starts_on")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            f"{run.course.title} · {run.name}",
            reverse("learning:enrolments", args=[run.pk]),
            run.pending or None,
            detail=_("enrolments to approve") if run.pending else "",
        )
        for run in runs
    ]
    return workspace.Section(
        title=_("Courses open for enrolment"),
        entries=entries,
        empty=_("No course is open for enrolment."),
        more_url=reverse("learning:manage"),
        more_label=_("Courses you run"),
    )


@workspace.section(role=workspace.EXPERT, order=60)
def work_to_grade(request):
    if not request.user.is_authenticated:
        return None
    runs = (
        _runs()
        .filter(tutors=request.user)
        .annotate(
            waiting=Count(
                "enrolments__submissions",
                filter=Q(enrolments__submissions__graded_at__isnull=True),
            )
        )
        .order_by("-starts_on")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            f"{run.course.title} · {run.name}",
            reverse("learning:grading-queue", args=[run.pk]),
            run.waiting or None,
            detail=_("assignments to grade") if run.waiting else "",
        )
        for run in runs
    ]
    if not entries:
        return None
    return workspace.Section(title=_("Courses you tutor"), entries=entries)


@workspace.section(role=workspace.OFFICER, order=75)
def my_courses(request):
    if not request.user.is_authenticated:
        return None
    enrolments = (
        Enrolment.objects.filter(user=request.user, status__in=Enrolment.ACTIVE)
        .select_related("run__course")
        .prefetch_related("run__course__translations")
        .order_by("-run__starts_on")[:SHOWN]
    )
    entries = [
        workspace.Entry(
            e.run.course.title,
            e.run.get_absolute_url()
            if e.status == Enrolment.Status.CONFIRMED
            else e.run.course.get_absolute_url(),
            detail=e.get_status_display(),
        )
        for e in enrolments
    ]
    if not entries:
        return None
    return workspace.Section(
        title=_("Your courses"),
        entries=entries,
        more_url=reverse("learning:my-learning"),
        more_label=_("My learning"),
    )
