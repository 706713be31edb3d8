"""Invitations and answers to questionnaires."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "surveys.Invitation",
    about=["user", "email"],
    erase=privacy.delete(_("An invitation only served to reach the person.")),
    covers=["name"],
    export=["questionnaire", "email", "name", "sent_on", "used"],
)
privacy.register(
    "surveys.Response",
    about=["respondent"],
    erase=privacy.anonymise(
        _("Answers count in a questionnaire's results: they stay, no longer linked to anyone."),
        respondent=None,
    ),
    export=["version", "submitted_on", "via"],
)
privacy.actors("surveys.Questionnaire", "created_by")
privacy.register(
    "surveys.Assignment",
    about=["assessor"],
    erase=privacy.delete(_("A person who left is asked to assess nothing more.")),
    actors=["assigned_by"],
    export=["round", "experience", "created_at"],
)
privacy.register(
    "surveys.Assessment",
    about=["assessor"],
    erase=privacy.anonymise(
        _("Scores count in an experience's profile: they stay, no longer linked to anyone."),
        assessor=None,
    ),
    export=["round", "experience", "kind", "status", "submitted_at"],
)
privacy.actors("surveys.Methodology", "created_by")
