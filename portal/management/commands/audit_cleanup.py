"""Remove audit-log entries older than the retention period (AUDIT_RETENTION_DAYS, at least six
months: 网络安全法 第二十一条). Only older entries are touched; --dry-run counts them."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.core.audit import MIN_RETENTION_DAYS, audit_entries_purge, retention_days


class Command(BaseCommand):
    help = "Delete audit-log entries older than the retention period (never under six months)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; change nothing.")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help=f"Keep this many days (at least {MIN_RETENTION_DAYS}; default AUDIT_RETENTION_DAYS).",
        )

    def handle(self, *args, dry_run=False, keep_days=None, **options):
        if keep_days is not None and keep_days < MIN_RETENTION_DAYS:
            self.stderr.write(f"--keep-days {keep_days} is under six months; keeping {MIN_RETENTION_DAYS} days.")
        days = max(MIN_RETENTION_DAYS, keep_days or retention_days())
        count = audit_entries_purge(now=timezone.now(), dry_run=dry_run, keep_days=days)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"audit log: {verb} {count} entries older than {days} days")
