"""Enrolments, work handed in, forum posts and certificates: a certificate once issued stays
verifiable as a record of the course; the participant is no longer named."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "learning.Enrolment",
    about=["user"],
    erase=privacy.keep(
        _(
            "A run's participation and results are part of its records and of the certificates "
            "it issued; they stay under the anonymised account."
        )
    ),
    export=["run", "status", "language", "decided_at", "created_at"],
)
privacy.register(
    "learning.CourseRun_tutors",
    about=["user"],
    erase=privacy.delete(_("A person who left tutors no run.")),
    export=["courserun"],
)
privacy.register(
    "learning.CourseRun",
    about=[],
    erase=privacy.keep(_("A run stays; its tutors are listed in their own table.")),
    covers=["tutors"],
    export=(),
)
privacy.register(
    "learning.ForumThread",
    about=["author"],
    erase=privacy.anonymise(
        _("A discussion stays readable for the other participants; its author is not named.")
    ),
    export=["run", "title", "created_at"],
)
privacy.register(
    "learning.ForumPost",
    about=["author"],
    erase=privacy.anonymise(
        _("A discussion stays readable for the other participants; its author is not named.")
    ),
    actors=["hidden_by"],
    export=["thread", "body", "created_at"],
)
privacy.actors("learning.Submission", "graded_by")
privacy.actors("learning.CourseCertificate", "issued_by")
