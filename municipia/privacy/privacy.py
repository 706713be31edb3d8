"""Personal data in tables of apps we do not own (Django's admin log, allauth, API tokens), and
this app's own records."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "admin.LogEntry",
    about=["user"],
    erase=privacy.delete(_("The admin's own log is not a record the network must keep.")),
    export=["action_time", "object_repr", "change_message"],
)
privacy.register(
    "account.EmailAddress",
    about=["user", "email"],
    erase=privacy.delete(_("An address goes with the account it served.")),
    export=["email", "verified", "primary"],
)
privacy.register(
    "mfa.Authenticator",
    about=["user"],
    erase=privacy.delete(_("A second factor serves only its owner.")),
    export=["type", "created_at"],
)
privacy.register(
    "authtoken.Token",
    about=["user"],
    erase=privacy.delete(_("An API token serves only its owner.")),
    export=(),
)
privacy.register(
    "privacy.PrivacyRequest",
    about=["user"],
    erase=privacy.keep(
        _("Proof that a request was answered in time is kept; its text is removed."),
        details="",
    ),
    actors=["answered_by"],
    export=["kind", "status", "details", "received_at", "due_on", "answer", "answered_at"],
)
privacy.register(
    "privacy.DataExport",
    about=["user"],
    erase=privacy.delete(_("A copy of a person's data goes with them.")),
    export=["created_at"],
    retention=privacy.Retention(days=30),
)
