"""A person's directory entry, offices, expertise and consents, and who changed memberships."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy

privacy.register(
    "directory.Person",
    about=["pk", "user"],
    erase=privacy.keep(
        _(
            "The entry stays as an anonymous row for the agreements it signed and the bodies it "
            "sat on; everything that named or reached the person is removed."
        ),
        full_name=privacy.ERASED,
        slug=lambda person: f"erased-{person.pk}",
        email="",
        phone="",
        biography="",
        languages=[],
        user=None,
    ),
    export=["full_name", "email", "phone", "country", "languages", "biography"],
)
privacy.register(
    "directory.Position",
    about=["person"],
    erase=privacy.delete(_("The offices a person held are theirs to have removed.")),
    export=[
        "kind",
        "title",
        "local_government",
        "organisation",
        "network",
        "started_on",
        "ended_on",
    ],
)
privacy.register(
    "directory.Person_expertise",
    about=["person"],
    erase=privacy.delete(_("A person's expertise goes with them.")),
    export=["expertise"],
)
privacy.register(
    "directory.HistoricalPerson_expertise",
    about=["person"],
    erase=privacy.delete(_("A person's expertise goes with them.")),
    export=(),
)
privacy.register(
    "directory.Consent",
    about=["person"],
    erase=privacy.keep(
        _("Proof that consent was given and withdrawn is kept while a claim could be made.")
    ),
    actors=["recorded_by"],
    export=["scope", "network", "statement", "evidence", "given_at", "withdrawn_at"],
)
privacy.actors("directory.Membership", "applied_by")
privacy.actors("directory.MembershipStatusChange", "changed_by")
privacy.register(
    "directory.MemberImport",
    about=["owner"],
    erase=privacy.delete(_("An import file only served the person who uploaded it.")),
    export=["filename", "created_at"],
    retention=privacy.Retention(days=90),
)
