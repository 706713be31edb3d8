"""Registrations, speakers, governing bodies and votes: a vote's count is kept, its voter is not
named; a registration's attendance is kept in anonymised form."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "events.Registration",
    about=["user", "email"],
    erase=privacy.keep(
        _(
            "An event's attendance and its fees are part of its accounts; the participant is no "
            "longer named."
        ),
        full_name=privacy.ERASED,
        email=lambda registration: f"erased-{registration.pk}@erased.invalid",
        user=None,
    ),
    actors=["registered_by"],
    export=["event", "full_name", "email", "language", "category", "status", "created_at"],
)
privacy.register(
    "events.Speaker",
    about=["person"],
    erase=privacy.keep(
        _("The programme as it was held stays; the speaker's entry is anonymised."),
        bio_consent_evidence="",
    ),
    export=["session", "role", "bio_consent_at"],
)
privacy.register(
    "events.BodyMember",
    about=["person"],
    erase=privacy.keep(
        _("A body's membership at the time of its votes must stay; the person is anonymised.")
    ),
    export=["body", "local_government"],
)
privacy.register(
    "events.CalendarToken",
    about=["user"],
    erase=privacy.delete(_("A private calendar link serves only its owner.")),
    export=(),
)
privacy.actors(
    "events.BallotVoter",
    "cast_by",
    reason=_("A vote counts in the result: it is kept, without who cast it."),
)
privacy.actors(
    "events.OpenVote",
    "cast_by",
    reason=_("A vote counts in the result: it is kept, without who cast it."),
)
privacy.actors("events.Event", "created_by")
privacy.actors("events.SessionDocument", "uploaded_by")
privacy.actors("events.Attendance", "recorded_by")
privacy.actors("events.AttendanceCertificate", "issued_by")
privacy.actors("events.Proxy", "recorded_by")
privacy.actors("events.AgendaDocument", "uploaded_by")
privacy.actors("events.Minutes", "approved_by")
