"""Build the demo county: the portal's units, enterprises and logins, then each app's demo
data (an app contributes a `demo` module with `build(stdout)`), in INSTALLED_APPS order."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.core import messaging
from portal.models import Unit


class Command(BaseCommand):
    help = "Load the demo county (idempotent). --first-time skips it when data is already there."

    def add_arguments(self, parser):
        parser.add_argument("--first-time", action="store_true", help="Do nothing if the database already holds units.")

    def handle(self, *args, first_time=False, **options):
        if first_time and Unit.objects.exists():
            self.stdout.write("Demo data already loaded; skipping.")
            return
        self.stdout.write("Loading the demo county ...")
        for config in apps.get_app_configs():
            if config.name.split(".")[0] not in ("portal", "policies", "guide", "liaison", "visits"):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            # The demo's people are made up: nobody is mailed or texted while it is built.
            with messaging.held(), transaction.atomic():
                module.build(self.stdout)
        from portal.core import search

        search.rebuild_all()  # pages no app indexes as it saves (contacts, the figures page)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
