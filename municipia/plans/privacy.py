"""Comments and supports in plan consultations, and who reported progress."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "plans.ConsultationComment",
    about=["author"],
    erase=privacy.keep(
        _(
            "A public consultation's record keeps the comments and their answers; the author is "
            "no longer named."
        ),
        on_behalf_of="",
    ),
    actors=["hidden_by", "answered_by"],
    export=["plan", "kind", "on_behalf_of", "text", "created_at"],
)
privacy.register(
    "plans.CommentSupport",
    about=["user"],
    erase=privacy.delete(_("A support is a person's own opinion.")),
    export=["comment"],
)
privacy.actors("plans.IndicatorValue", "recorded_by")
privacy.actors("plans.ProgressUpdate", "author")
privacy.actors("plans.IndicatorFeed", "created_by")
