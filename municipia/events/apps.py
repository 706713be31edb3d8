from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "municipia.events"
    verbose_name = _("Events")
    navigation = [("network", "events:event-list", _("Events"))]
    network_sections = [("events/sections/network_events.html", _("Events"))]
    # Who registered, who came, and their agendas are never on a public page.
    cache_private_models = ["Registration", "AgendaEntry", "Attendance"]

    def ready(self):
        from municipia.events.certificates import ATTENDANCE_CERTIFICATE
        from municipia.verification.registry import register

        register(ATTENDANCE_CERTIFICATE)
        # A payment that settles a fee's invoice confirms the registration waiting for it.
        from municipia.finance.models import Invoice
        from municipia.finance.services import invoice_paid

        invoice_paid.connect(_confirm_paid, sender=Invoice, dispatch_uid="events-confirm-paid")


def _confirm_paid(sender, invoice, by=None, **kwargs):
    from municipia.events.services import confirm_paid_registrations

    confirm_paid_registrations(invoice, by=by)
