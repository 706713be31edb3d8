"""The account itself, its roles and its permissions."""

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy


def _erased_email(user) -> str:
    # Unique, never deliverable (.invalid is reserved), and says nothing about the person.
    return f"erased-{user.pk}@erased.invalid"


privacy.register(
    "accounts.User",
    about=["pk"],
    erase=privacy.keep(
        _(
            "The account stays as an anonymous, inactive row so that the records that must say "
            "that someone acted (votes, decisions, invoices) still hold together."
        ),
        email=_erased_email,
        full_name="",
        first_name="",
        last_name="",
        is_active=False,
        password=lambda user: make_password(None),
    ),
    export=["email", "full_name", "language", "timezone", "date_joined", "last_login"],
)
privacy.register(
    "accounts.Role",
    about=["user"],
    erase=privacy.delete(_("A person who left holds no role.")),
    export=["kind", "network", "local_government", "is_active", "created_at"],
)
privacy.register(
    "accounts.User_groups",
    about=["user"],
    erase=privacy.delete(_("A person who left belongs to no group.")),
    export=["group"],
)
privacy.register(
    "accounts.User_user_permissions",
    about=["user"],
    erase=privacy.delete(_("A person who left holds no permission.")),
    export=["permission"],
)
