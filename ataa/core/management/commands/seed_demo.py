"""`manage.py seed_demo`: load the demo data of every app, once (ataa.core.demo)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ataa.core.demo import seed_all


class Command(BaseCommand):
    help = (
        "Create the demo organizations, people and data of every app. Safe to run again: "
        "existing demo data is kept and nothing is added twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with ATAA_ENV=production (the demo password is public).",
        )

    def handle(self, *args, allow_production=False, **options):
        if settings.PRODUCTION and not allow_production:
            raise CommandError(
                "Refusing to load demo data in production: every demo login shares a public "
                "password. Pass --allow-production for a demo server."
            )
        results = seed_all()
        total = sum(result.created for result in results)
        if options["verbosity"] >= 2:
            for result in results:
                self.stdout.write(
                    f"  {result.name}: {result.created} created ({result.seconds:.2f} s)"
                )
        if total:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {total} objects created."))
        else:
            self.stdout.write("Demo data already present: nothing added.")
