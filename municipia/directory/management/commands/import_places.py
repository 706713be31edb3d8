"""`python -m municipia import_places`: load every GeoNames city (about 34,000) and every country."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from municipia.directory import gazetteer


class Command(BaseCommand):
    help = "Load or refresh countries and GeoNames cities (idempotent: run it again to update)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="CODE",
            help="only the cities of this ISO alpha-2 country (repeatable); every country's facts "
            "are loaded all the same",
        )

    def handle(self, *args, no_progress=False, country=(), **options):
        cities = gazetteer.all_cities()
        if country:
            codes = {code.upper() for code in country}
            cities = {key: city for key, city in cities.items() if city["countrycode"] in codes}
        with tqdm(
            total=len(cities), unit="city", disable=no_progress, file=self.stderr._out
        ) as bar:
            report = gazetteer.import_places(cities=cities, progress=bar.update)
        self.stdout.write(
            f"Countries: {report.countries_created} created, {report.countries_updated} updated.\n"
            f"Cities: {report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged.\n"
            f"Names: {report.names_added} added, {report.names_removed} removed.\n"
            f"Done in {report.seconds:.1f} s."
        )
