"""Cron (daily): mail each official the enterprises they have not visited this period, from
two weeks before the period ends. Safe to run every day: one mail per official and period."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from visits.services import coverage_reminders_send


class Command(BaseCommand):
    help = "Mail officials their enterprises not yet visited this period (from 14 days before its end)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--force", action="store_true", help="Send now, whatever the date.")
        parser.add_argument("--dry-run", action="store_true", help="Print the mails; send and record nothing.")

    def handle(self, *args, date=None, force=False, dry_run=False, **options):
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        preview = self._print if dry_run else None
        sent, skipped = coverage_reminders_send(day=day, force=force, preview=preview)
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(f"{sent} reminder(s) {verb}; {skipped} official(s) without an e-mail address.")

    def _print(self, address, subject, body):
        self.stdout.write(f"To: {address}\nSubject: {subject}\n\n{body}\n")
