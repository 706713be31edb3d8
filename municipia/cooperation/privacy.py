"""Projects, agreements, missions and opportunities: signatories and delegates are kept in
anonymised form; follows and digests go."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "cooperation.AgreementSignatory",
    about=["person"],
    erase=privacy.keep(
        _("A signed agreement must keep its signatories; the person's entry is anonymised.")
    ),
    export=["agreement", "party"],
)
privacy.register(
    "cooperation.DelegationMember",
    about=["person"],
    erase=privacy.keep(
        _("A mission's accounts must show who travelled; the person's entry is anonymised.")
    ),
    export=["mission", "role"],
)
privacy.register(
    "cooperation.ThemeFollow",
    about=["user"],
    erase=privacy.delete(_("Following a theme is a person's own choice.")),
    export=["theme", "created_at"],
)
privacy.register(
    "cooperation.DigestDelivery",
    about=["user"],
    erase=privacy.delete(_("The log of digests sent to a person goes with them.")),
    export=["__str__"],
    retention=privacy.Retention(days=365, date_field="sent_at"),
)
for label in ("cooperation.IatiImport", "cooperation.AgreementImport"):
    privacy.register(
        label,
        about=["owner"],
        erase=privacy.delete(_("An import file only served the person who uploaded it.")),
        export=["filename", "created_at"],
        retention=privacy.Retention(days=90),
    )
privacy.actors("cooperation.OpportunityImport", "created_by", retention=privacy.Retention(days=90))
privacy.actors("cooperation.Income", "recorded_by")
privacy.actors("cooperation.Project", "created_by")
privacy.actors("cooperation.ProjectStatusChange", "changed_by")
privacy.actors("cooperation.Commitment", "committed_by")
privacy.actors("cooperation.ProjectReport", "submitted_by", "reviewed_by")
privacy.actors("cooperation.ReportDocument", "uploaded_by")
privacy.actors("cooperation.Disbursement", "released_by")
privacy.actors("cooperation.ProjectIndicatorValue", "recorded_by")
privacy.actors("cooperation.Agreement", "created_by")
privacy.actors("cooperation.AgreementStatusChange", "changed_by")
privacy.actors("cooperation.AgreementDocument", "uploaded_by")
privacy.actors("cooperation.Mission", "created_by")
privacy.actors("cooperation.Opportunity", "created_by")
