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
