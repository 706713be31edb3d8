"""Cron twin of the periodic `remind_jurors` task: e-mail jurors with reviews still to submit."""

from django.core.management.base import BaseCommand

from municipia.calls.models import Call
from municipia.calls.services.reviews import send_review_reminders


class Command(BaseCommand):
    help = "Remind the jurors of every call in review who have reviews to finish."

    def handle(self, *args, **options):
        total = 0
        for call in Call.objects.filter(status=Call.Status.REVIEW):
            total += send_review_reminders(call)
        self.stdout.write(f"{total} juror(s) reminded.")
