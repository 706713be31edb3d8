"""`python -m municipia import_plan FILE`: read a plan's table, show the preview, create it on confirmation."""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from municipia.accounts.models import User
from municipia.directory.models import LocalGovernment, Network
from municipia.plans.importing import PlanImportError, check_size, read_plan_file
from municipia.plans.models import Plan
from municipia.plans.services import PlanError, import_plan


class Command(BaseCommand):
    help = (
        "Import a plan from a table of objectives and activities (HTML, DOCX, XLSX, CSV, Markdown or "
        "tab-separated text). Shows a preview; the plan is created only after confirmation "
        "(or with --yes). Nothing is written with --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        owner = parser.add_mutually_exclusive_group()
        owner.add_argument("--network", help="slug of the network that owns the plan")
        owner.add_argument(
            "--local-government", help="slug of the local government that owns the plan"
        )
        parser.add_argument(
            "--by", help="e-mail of the staff member who imports (default: a superuser)"
        )
        parser.add_argument("--title", default="", help="title (default: the document's own)")
        parser.add_argument("--kind", choices=Plan.Kind.values, default=Plan.Kind.ACTION_PLAN)
        parser.add_argument("--year", type=int, help="a calendar-year plan: sets the period")
        parser.add_argument("--starts-on", type=datetime.date.fromisoformat)
        parser.add_argument("--ends-on", type=datetime.date.fromisoformat)
        parser.add_argument(
            "--languages", default="", help="comma-separated codes; the first is the plan's own"
        )
        parser.add_argument("--dry-run", action="store_true", help="show the preview and stop")
        parser.add_argument("--yes", action="store_true", help="create without asking")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            check_size(path.stat().st_size)
            parsed = read_plan_file(path.name, path.read_bytes())
        except PlanImportError as error:
            raise CommandError(str(error)) from error
        self._preview(parsed)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        owner = self._owner(options)
        starts_on, ends_on = self._period(options)
        languages = [c.strip() for c in options["languages"].split(",") if c.strip()] or [
            settings.LANGUAGE_CODE
        ]
        by = self._user(options["by"])
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Not confirmed: run again with --yes to create the plan.")
            if input("Create this plan? [y/N] ").strip().lower() not in ("y", "yes"):
                self.stdout.write("Nothing was written.")
                return
        try:
            plan = import_plan(
                parsed,
                by=by,
                title=options["title"] or parsed.title or path.stem,
                kind=options["kind"],
                starts_on=starts_on,
                ends_on=ends_on,
                languages=languages,
                **owner,
            )
        except PlanError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created draft plan '{plan.title}' ({plan.slug})."))

    def _preview(self, parsed) -> None:
        self.stdout.write(f"Format: {parsed.format}. Title found: {parsed.title or '—'}")
        for number, objective in enumerate(parsed.objectives, start=1):
            self.stdout.write(f"{number:3}. [{len(objective.activities)}] {objective.title}")
            for activity in objective.activities:
                self.stdout.write(f"       - {activity}")
        self.stdout.write(
            f"{len(parsed.objectives)} objectives, {parsed.activity_count} activities."
        )
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))

    def _owner(self, options) -> dict:
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"No network with the slug {options['network']!r}.")
            return {"network": network}
        if options["local_government"]:
            city = LocalGovernment.objects.filter(slug=options["local_government"]).first()
            if city is None:
                raise CommandError(
                    f"No local government with the slug {options['local_government']!r}."
                )
            return {"local_government": city}
        raise CommandError("Name the owner: --network SLUG or --local-government SLUG.")

    def _period(self, options) -> tuple[datetime.date, datetime.date]:
        if options["year"]:
            return datetime.date(options["year"], 1, 1), datetime.date(options["year"], 12, 31)
        if options["starts_on"] and options["ends_on"]:
            return options["starts_on"], options["ends_on"]
        raise CommandError("Give the period: --year YYYY, or --starts-on and --ends-on.")

    def _user(self, email: str | None) -> User:
        users = User.objects.filter(is_active=True)
        user = users.filter(email=email.lower()).first() if email else None
        if email and user is None:
            raise CommandError(f"No active user with the e-mail {email}.")
        user = user or users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("No user to import as: pass --by EMAIL of the owner's staff.")
        return user
