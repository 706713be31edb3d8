"""Personal data in the shared tables: the audit log, background jobs and form drafts."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.actors(
    "core.ActivityLog",
    "user",
    reason=_("The audit log of business actions stays; it no longer names who acted."),
    retention=privacy.Retention(days=5 * 365),
)
privacy.register(
    "core.Job",
    about=["owner"],
    erase=privacy.delete(_("A job only served the person who started it.")),
    export=["kind", "status", "created_at", "finished_at"],
    retention=privacy.Retention(days=180),
)
privacy.register(
    "core.FormDraft",
    about=["user"],
    erase=privacy.delete(_("An unsaved draft belongs to its author alone.")),
    export=["key", "data", "updated_at"],
    retention=privacy.Retention(days=365, date_field="updated_at"),
)
