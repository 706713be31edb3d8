from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from municipia.directory.models import Network
from municipia.finance.services import FinanceError, issue_invoices


class Command(BaseCommand):
    help = (
        "Issue the year's dues invoices to a network's active members (only those not issued yet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("network", help="the network's slug or acronym")
        parser.add_argument("year", type=int)
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, network, year, no_progress, **options):
        found = (
            Network.objects.filter(slug=network).first()
            or Network.objects.filter(acronym__iexact=network).first()
        )
        if found is None:
            raise CommandError(f"No network with the slug or acronym {network!r}.")

        def progress(iterable, total):
            return tqdm(iterable, total=total, unit="member", disable=no_progress, file=self.stderr)

        try:
            result = issue_invoices(found, year, progress=progress)
        except FinanceError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{found} {year}: {result.created} invoices issued, "
            f"{result.already_issued} already issued, {result.exempt} exempt, "
            f"{len(result.without_band)} without a fee band."
        )
        for member in result.without_band:
            self.stdout.write(f"  no band fits: {member}")
