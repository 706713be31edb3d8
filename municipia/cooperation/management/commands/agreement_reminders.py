"""Cron twin of the periodic `agreement_reminders` task: end or renew agreements whose period is
over and remind their keepers of coming ends."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from municipia.cooperation.agreements.tasks import run_agreement_reminders


class Command(BaseCommand):
    help = "End or renew agreements whose period is over; remind of coming ends (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"Not a date: {options['today']}") from error
        counts = run_agreement_reminders(today)
        self.stdout.write(
            f"{counts['expired']} expired, {counts['renewed']} renewed tacitly, "
            f"{counts['reminded']} reminder(s) sent."
        )
