import datetime

from django.core.management.base import BaseCommand, CommandError

from municipia.directory.models import Network
from municipia.finance.services import send_dues_reminders


class Command(BaseCommand):
    help = "E-mail reminders of past-due dues (the twin of the daily Celery task, for cron)."

    def add_arguments(self, parser):
        parser.add_argument("--network", help="only this network (slug)")
        parser.add_argument(
            "--on", type=datetime.date.fromisoformat, help="as on this date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--interval-days", type=int, help="days before a member is reminded again"
        )

    def handle(self, *args, network=None, on=None, interval_days=None, **options):
        found = None
        if network:
            found = Network.objects.filter(slug=network).first()
            if found is None:
                raise CommandError(f"No network with the slug {network!r}.")
        result = send_dues_reminders(on=on, network=found, interval_days=interval_days)
        self.stdout.write(
            f"{result.sent} reminders sent, {result.recently_reminded} members reminded recently, "
            f"{len(result.without_contact)} without a contact."
        )
        for member in result.without_contact:
            self.stdout.write(f"  no contact: {member}")
