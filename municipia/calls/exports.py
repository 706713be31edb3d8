"""Spreadsheets of a call for its staff: applications with their answers, assignments, and scores.

Date-times are on the call's clock, with their offset (2027-03-31 23:59:58+02:00), and the column
names the zone."""

from django.utils.translation import gettext as _

from municipia.calls.models import Application, Assignment, Call, FormField, Score
from municipia.calls.ranking import build_ranking
from municipia.core.exports import export_response
from municipia.core.zones import isoformat_in_zone


def _name(call: Call, what: str) -> str:
    return f"{call.slug}-{what}"


def applications(call: Call, fmt: str):
    fields = [f for f in call.fields.all() if f.kind != FormField.Kind.FILE]
    rows = (
        Application.objects.for_call(call)
        .select_related("local_government__country", "organisation__country", "created_by")
        .prefetch_related("files")
        .order_by("code")
    )
    headers = [
        _("Reference"),
        _("Applicant"),
        _("Country"),
        _("Contact"),
        _("Language"),
        _("Title"),
        _("Status"),
        _("Submitted at (%(zone)s)") % {"zone": call.time_zone},
        _("Files"),
        *[f.label_text for f in fields],
    ]

    def lines():
        for a in rows:
            applicant = a.applicant
            yield [
                a.code,
                str(applicant),
                applicant.country.code if applicant.country else "",
                a.created_by.email,
                a.language,
                a.title,
                a.get_status_display(),
                isoformat_in_zone(a.submitted_at, call.time_zone, sep=" ") or "",
                len(a.files.all()),
                *[a.answers.get(f.key, "") for f in fields],
            ]

    return export_response(lines(), headers=headers, filename=_name(call, "applications"), fmt=fmt)


def assignments(call: Call, fmt: str):
    rows = (
        Assignment.objects.filter(application__call=call)
        .select_related("application", "juror__user", "review")
        .order_by("application__code", "juror__pk")
    )
    headers = [_("Reference"), _("Juror"), _("E-mail"), _("Method"), _("Status"), _("Review")]

    def lines():
        for a in rows:
            review = getattr(a, "review", None)
            yield [
                a.application.code,
                str(a.juror.user),
                a.juror.user.email,
                a.get_method_display(),
                a.get_status_display(),
                review.get_status_display() if review else "",
            ]

    return export_response(lines(), headers=headers, filename=_name(call, "assignments"), fmt=fmt)


def scores(call: Call, fmt: str):
    rows = (
        Score.objects.filter(review__assignment__application__call=call)
        .select_related(
            "review__assignment__application", "review__assignment__juror__user", "criterion"
        )
        .order_by(
            "review__assignment__application__code",
            "review__assignment__juror__pk",
            "criterion__position",
        )
    )
    headers = [
        _("Reference"),
        _("Juror"),
        _("Criterion"),
        _("Weight"),
        _("Score"),
        _("Lowest"),
        _("Highest"),
        _("Review"),
        _("Comment"),
    ]

    def lines():
        for s in rows:
            assignment = s.review.assignment
            yield [
                assignment.application.code,
                str(assignment.juror.user),
                s.criterion.name_text,
                float(s.criterion.weight),
                s.value,
                s.criterion.scale_min,
                s.criterion.scale_max,
                s.review.get_status_display(),
                s.comment,
            ]

    return export_response(lines(), headers=headers, filename=_name(call, "scores"), fmt=fmt)


def ranking(call: Call, fmt: str):
    """The ranking as the staff see it, with how many reviews each score rests on."""
    built = build_ranking(call)
    headers = [
        _("Rank"),
        _("Tie"),
        _("Reference"),
        _("Applicant"),
        _("Reviews"),
        _("Reviews required"),
        _("Too few reviews"),
        _("Raw mean"),
        _("Normalised (z)"),
        _("Reviews not normalised"),
        _("Spread"),
        _("Decision"),
    ]

    def decision(application: Application) -> str:
        try:
            return application.decision.get_outcome_display()
        except Application.decision.RelatedObjectDoesNotExist:
            return ""

    def rounded(value: float | None, digits: int):
        return round(value, digits) if value is not None else ""

    def lines():
        for entry in built.entries:
            yield [
                entry.rank or "",
                _("yes") if entry.tied else "",
                entry.application.code,
                str(entry.application.applicant),
                entry.reviews,
                entry.required,
                _("yes") if entry.under_reviewed else "",
                rounded(entry.raw_mean, 1),
                rounded(entry.normalised, 2),
                entry.raw_reviews,
                rounded(entry.spread, 1),
                decision(entry.application),
            ]

    return export_response(lines(), headers=headers, filename=_name(call, "ranking"), fmt=fmt)


EXPORTS = {
    "applications": applications,
    "assignments": assignments,
    "scores": scores,
    "ranking": ranking,
}
