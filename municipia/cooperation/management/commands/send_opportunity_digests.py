from django.core.management.base import BaseCommand

from municipia.cooperation.opportunities.digest import BATCH, send_digests


class Command(BaseCommand):
    help = (
        "E-mail to the officers who follow a theme the new funding opportunities that match it "
        "(each opportunity once to each person; the daily beat task does the same)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH)

    def handle(self, *args, batch_size, **options):
        result = send_digests(batch_size=max(1, batch_size))
        self.stdout.write(
            f"{result.people} people written to, {result.opportunities} opportunities sent."
        )
