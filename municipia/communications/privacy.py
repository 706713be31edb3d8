"""Newsletter subscriptions and their delivery log, and who wrote posts and activities."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "communications.Subscriber",
    about=["email", "user"],
    erase=privacy.delete(_("An address that left receives nothing more and is kept nowhere.")),
    export=["email", "status", "confirmed_at", "stopped_at", "stop_reason", "created_at"],
)
privacy.register(
    "communications.Delivery",
    about=["email"],
    erase=privacy.delete(
        _("The delivery log only keeps an address from receiving an issue twice.")
    ),
    export=["issue", "status", "sent_at"],
)
privacy.actors("communications.NewsPost", "created_by")
privacy.actors("communications.Issue", "created_by")
privacy.actors("communications.CampaignActivity", "created_by")
