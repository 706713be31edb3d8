"""The demo's people: one secretariat account that staffs every demo network."""

from django.conf import settings

from municipia.accounts.models import Role, User

DEMO_EMAIL = "demo@municipia.example"


def load(networks, stdout) -> dict:
    from allauth.account.models import EmailAddress  # allauth's app registry is ready by now

    user, created = User.objects.get_or_create(
        # Secretariat work is on the site's pages; the admin is for superusers (decision 0016).
        email=DEMO_EMAIL,
        defaults={"full_name": "Demo Secretariat (fictional)"},
    )
    if created:
        user.set_password(settings.MUNICIPIA_DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
    )
    for network in networks:
        Role.objects.get_or_create(user=user, kind=Role.Kind.NETWORK_STAFF, network=network)
    stdout.write(f"  demo account {'created' if created else 'kept'}: {DEMO_EMAIL}")
    return {"email": DEMO_EMAIL, "password": settings.MUNICIPIA_DEMO_PASSWORD}
