"""Whether a participant completed a run, decided on the server from the run's rules: every module
of the course marked done, the share of live sessions attended, and the average grade of the
course's assignments (each must be handed in and graded when a minimum grade is set)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from municipia.learning.models import (
    Assignment,
    Attendance,
    Enrolment,
    LiveSession,
    Module,
    ModuleProgress,
    Submission,
)


@dataclass
class Completion:
    modules_done: int
    modules_total: int
    sessions_attended: int
    sessions_total: int
    grade: Decimal | None
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def percent(self) -> int:
        if not self.modules_total:
            return 100
        return round(100 * self.modules_done / self.modules_total)


def completion(enrolment: Enrolment) -> Completion:
    """The participant's standing against the run's rules, in a fixed number of queries."""
    run = enrolment.run
    modules_total = Module.objects.filter(course_id=run.course_id).count()
    modules_done = ModuleProgress.objects.filter(
        enrolment=enrolment, module__course_id=run.course_id
    ).count()
    sessions = LiveSession.objects.filter(run=run).aggregate(
        total=Count("pk"),
        attended=Count("pk", filter=Q(attendances__enrolment=enrolment)),
    )
    assignments = Assignment.objects.filter(module__course_id=run.course_id).count()
    grades = list(
        Submission.objects.filter(
            enrolment=enrolment, grade__isnull=False, assignment__module__course_id=run.course_id
        ).values_list("grade", flat=True)
    )
    grade = (sum(grades) / len(grades)).quantize(Decimal("0.1")) if grades else None
    result = Completion(modules_done, modules_total, sessions["attended"], sessions["total"], grade)
    if enrolment.status != Enrolment.Status.CONFIRMED:
        result.missing.append(_("The enrolment is not confirmed."))
    if modules_done < modules_total:
        result.missing.append(
            _("%(done)s of %(total)s modules done.")
            % {"done": modules_done, "total": modules_total}
        )
    if run.min_attendance and sessions["total"]:
        share = 100 * sessions["attended"] / sessions["total"]
        if share < run.min_attendance:
            result.missing.append(
                _("Attended %(attended)s of %(total)s live sessions; %(minimum)s%% are required.")
                % {
                    "attended": sessions["attended"],
                    "total": sessions["total"],
                    "minimum": run.min_attendance,
                }
            )
    if run.min_grade is not None and assignments:
        if len(grades) < assignments:
            result.missing.append(
                _("%(graded)s of %(total)s assignments graded.")
                % {"graded": len(grades), "total": assignments}
            )
        elif grade < run.min_grade:
            result.missing.append(
                _("Average grade %(grade)s, below the minimum of %(minimum)s.")
                % {"grade": grade, "minimum": run.min_grade}
            )
    return result


def attended_counts(run) -> dict[int, int]:
    """Sessions attended per enrolment of the run, in one query (for the enrolment list)."""
    return dict(
        Attendance.objects.filter(session__run=run)
        .values_list("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )


def done_counts(run) -> dict[int, int]:
    """Modules done per enrolment of the run, in one query."""
    return dict(
        ModuleProgress.objects.filter(enrolment__run=run)
        .values_list("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
