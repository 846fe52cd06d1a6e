"""个人信息保护: remove personal data kept longer than the notice at /privacy/ promises.

Each app may define `personal_data_cleanup(*, now, dry_run)` on its AppConfig, returning
(description, count) pairs; this command runs them all, daily (see docs/deployment.md)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Remove personal data kept longer than the personal-information notice promises."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            for config in apps.get_app_configs():
                cleanup = getattr(config, "personal_data_cleanup", None)
                if cleanup is None:
                    continue
                for description, count in cleanup(now=now, dry_run=dry_run):
                    prefix = "would remove" if dry_run else "removed"
                    self.stdout.write(f"{config.label}: {prefix} {count} — {description}")
