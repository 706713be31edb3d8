"""Invoices to named payers, billing contacts, reminders, and who recorded payments."""

from django.utils.translation import gettext_lazy as _

from municipia.privacy import registry as privacy


def _unpaid_invoices(subject) -> list[str]:
    from municipia.finance.models import Invoice

    if not subject.emails:
        return []
    numbers = [
        number
        for number, email in Invoice.objects.filter(status=Invoice.Status.OPEN).values_list(
            "number", "payer_email"
        )
        if email and email.lower() in subject.emails
    ]
    return [
        _("Invoice %(number)s is not paid yet: it is erased once it is paid or cancelled.")
        % {"number": number}
        for number in numbers
    ]


privacy.register(
    "finance.Invoice",
    about=["payer_email"],
    erase=privacy.keep(
        _("Accounting law requires invoices to be kept; the payer is no longer named."),
        payer_name=privacy.ERASED,
        payer_email="",
    ),
    actors=["cancelled_by"],
    blocks=_unpaid_invoices,
    export=[
        "number",
        "kind",
        "payer_name",
        "payer_email",
        "payer_organisation",
        "issued_on",
        "status",
    ],
)
privacy.register(
    "finance.BillingContact",
    about=["email"],
    erase=privacy.delete(_("A contact who left no longer receives invoices.")),
    covers=["name"],
    export=["name", "email"],
)
privacy.register(
    "finance.DuesReminder",
    about=[],
    erase=privacy.keep(
        _("The reminder log proves a member was told; the addresses are removed from it.")
    ),
    covers=["recipients"],
    export=(),
)
privacy.actors("finance.Payment", "recorded_by")
privacy.actors("finance.Waiver", "approved_by")
privacy.actors("finance.PaymentPlan", "agreed_by")
