"""Demo requests about personal data: three fictional participants ask for a copy, a correction
and the end of newsletters, in their own languages; the objection is past its deadline so the
queue shows a warning. Idempotent: nothing is added once a demo request exists."""

import datetime

from django.utils import timezone

from municipia.accounts.models import User
from municipia.directory.models import Network
from municipia.privacy import services
from municipia.privacy.models import PrivacyRequest

PEOPLE = [
    ("laia.fictici@example.org", "Laia Fictícia", "ca"),
    ("joao.inventado@example.org", "João Inventado", "pt"),
    ("claire.imaginaire@example.org", "Claire Imaginaire", "fr"),
]
REQUESTS = [
    (PrivacyRequest.Kind.ACCESS, ""),
    (
        PrivacyRequest.Kind.RECTIFICATION,
        "O meu cargo mudou: sou agora vereador do ambiente, não da cultura.",
    ),
    (
        PrivacyRequest.Kind.OBJECTION,
        "Je ne souhaite plus recevoir les résumés des appels à financement.",
    ),
]


def load(stdout) -> None:
    if PrivacyRequest.objects.filter(user__email__in=[p[0] for p in PEOPLE]).exists():
        return
    network = Network.objects.order_by("pk").first()
    for (email, name, language), (kind, details) in zip(PEOPLE, REQUESTS, strict=True):
        user, _created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "language": language}
        )
        request = services.submit_request(user, kind=kind, details=details, network=network)
        if kind == PrivacyRequest.Kind.OBJECTION:
            PrivacyRequest.objects.filter(pk=request.pk).update(
                received_at=timezone.now() - datetime.timedelta(days=40),
                due_on=timezone.localdate() - datetime.timedelta(days=10),
            )
    stdout.write(f"Personal data requests: {len(REQUESTS)} (one overdue).")
