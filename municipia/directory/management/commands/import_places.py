"""`python -m municipia import_places`: load every country and the GeoNames places of the extract that
MUNICIPIA_GAZETTEER_MIN_POPULATION names (234,908 places of 500 inhabitants or more by default)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from municipia.directory import gazetteer


class Command(BaseCommand):
    help = "Load or refresh countries and GeoNames places (idempotent: run it again to update)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            metavar="CODE",
            help="only the places of this ISO alpha-2 country (repeatable); every country's facts "
            "are loaded all the same",
        )
        parser.add_argument(
            "--min-population",
            type=int,
            choices=settings.GAZETTEER_EXTRACTS,
            default=None,
            help="the GeoNames extract to load (default: MUNICIPIA_GAZETTEER_MIN_POPULATION, "
            f"now {settings.MUNICIPIA_GAZETTEER_MIN_POPULATION})",
        )

    def handle(self, *args, no_progress=False, country=(), min_population=None, **options):
        cities = gazetteer.all_cities(min_population)
        if country:
            codes = {code.upper() for code in country}
            cities = {key: city for key, city in cities.items() if city["countrycode"] in codes}
        with tqdm(
            total=len(cities), unit="place", disable=no_progress, file=self.stderr._out
        ) as bar:
            report = gazetteer.import_places(cities=cities, progress=bar.update)
        self.stdout.write(
            f"Countries: {report.countries_created} created, {report.countries_updated} updated.\n"
            f"Places: {report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged; {report.districts} districts of bigger cities.\n"
            f"Names: {report.names_added} added, {report.names_removed} removed.\n"
            f"Names in a language: {_per_language(report.localised_names)}.\n"
            f"Done in {report.seconds:.1f} s."
        )


def _per_language(counts: dict[str, int]) -> str:
    return ", ".join(f"{language} {count}" for language, count in sorted(counts.items())) or "none"
