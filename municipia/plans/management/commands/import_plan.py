"""`python -m municipia import_plan FILE`: read a plan's table, show the preview, create it on confirmation."""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from municipia.accounts.models import User
from municipia.directory.models import LocalGovernment, Network
from municipia.plans.importing import (
    Choice,
    PlanImportError,
    build_plan,
    check_size,
    read_document,
    suggest_choice,
)
from municipia.plans.importing.tables import suggest_columns
from municipia.plans.models import Plan
from municipia.plans.services import PlanError, import_plan


class Command(BaseCommand):
    help = (
        "Import a plan from a table (a column per level: axis, line, objective, action…, and "
        "columns of fields) or from headings and nested lists, in HTML, DOCX, XLSX, CSV, Markdown "
        "or tab-separated text. Shows a preview; the plan is created only after confirmation "
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
        parser.add_argument(
            "--source",
            help="the table's number as the preview lists it, or 'outline' (default: as suggested)",
        )
        parser.add_argument(
            "--columns",
            help="what each column holds, e.g. '0=level:0,1=level:1,2=level:2,4=responsible'",
        )
        parser.add_argument("--levels", help="the levels' names, e.g. 'Eix/Línia/Objectiu/Acció'")
        parser.add_argument("--dry-run", action="store_true", help="show the preview and stop")
        parser.add_argument("--yes", action="store_true", help="create without asking")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            check_size(path.stat().st_size)
            document = read_document(path.name, path.read_bytes())
            self._tables(document)
            parsed = build_plan(document, self._choice(document, options))
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

    def _tables(self, document) -> None:
        for table in document.tables:
            self.stdout.write(
                f"Table {table.index}: {table.width} columns x {len(table.body)} rows: "
                + " | ".join(table.headings)
            )
        if document.outline.depth >= 2:
            counts = " / ".join(str(c) for c in document.outline.level_counts())
            self.stdout.write(f"Outline: {counts}")

    def _choice(self, document, options) -> Choice:
        choice = suggest_choice(document) if not options["source"] else Choice(options["source"])
        if options["columns"]:
            try:
                choice.columns = {
                    int(index): value.strip()
                    for index, value in (p.split("=", 1) for p in options["columns"].split(","))
                }
            except ValueError as error:
                raise CommandError(
                    "--columns: give INDEX=VALUE pairs separated by commas."
                ) from error
        elif options["source"] and options["source"] != "outline":
            table = next((t for t in document.tables if str(t.index) == options["source"]), None)
            if table is not None:
                choice.columns = suggest_columns(table)
        if options["levels"]:
            choice.levels = [n.strip() for n in options["levels"].split("/") if n.strip()]
        return choice

    def _preview(self, parsed) -> None:
        self.stdout.write(f"Format: {parsed.format}. Title found: {parsed.title or '—'}")

        def show(nodes, prefix: str, depth: int) -> None:
            for number, node in enumerate(nodes, start=1):
                label = f"{prefix}{number}"
                self.stdout.write(f"{'  ' * depth}{label} {node.title}")
                show(node.children, f"{label}.", depth + 1)

        show(parsed.roots, "", 0)
        self.stdout.write(
            ", ".join(
                f"{name}: {count}"
                for name, count in zip(parsed.levels, parsed.level_counts, strict=True)
            )
            + "."
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
