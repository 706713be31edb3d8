"""Applications, juries and their records: a call's decisions keep who took part, anonymised."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy


def _juror_on_an_open_call(subject) -> list[str]:
    from municipia.calls.models import Call, JuryMember

    if subject.user is None:
        return []
    open_calls = (
        JuryMember.objects.filter(
            user=subject.user, call__status__in=[Call.Status.OPEN, Call.Status.REVIEW]
        )
        .select_related("call")
        .order_by("call_id")
    )
    return [
        _(
            "Juror on the call “%(call)s”, which is not decided yet: the jury's work must be "
            "finished, or the juror replaced, first."
        )
        % {"call": member.call}
        for member in open_calls
    ]


privacy.register(
    "calls.JuryMember",
    about=["user"],
    erase=privacy.keep(
        _(
            "A call's decision must show that its jury was properly made up; the juror stays as "
            "the anonymised account."
        )
    ),
    blocks=_juror_on_an_open_call,
    export=["call", "created_at"],
)
privacy.register(
    "calls.OrganisationRepresentative",
    about=["user"],
    erase=privacy.delete(_("A person who left no longer represents an organisation.")),
    export=["organisation", "created_at"],
)
privacy.register(
    "calls.Application",
    about=["created_by"],
    erase=privacy.keep(
        _("Applications belong to the applicant local government and to the call's record.")
    ),
    export=["call", "status", "created_at"],
)
privacy.actors("calls.ApplicationFile", "uploaded_by")
privacy.actors("calls.Conflict", "declared_by")
privacy.actors("calls.Assignment", "assigned_by")
privacy.actors("calls.Deliberation", "recorded_by")
privacy.actors("calls.Decision", "decided_by")
