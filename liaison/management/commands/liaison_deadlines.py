"""Cron (daily, e.g. 08:00 on working days): mail each responsible unit its overdue and
near-due matters, and the county office the whole list; drop held uploads older than a day.

    manage.py liaison_deadlines [--dry-run]
"""
import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.models import Official, Unit
from portal.workdays import is_workday

from liaison import clock
from liaison.models import HeldUpload, Matter
from liaison.selectors import near_due_horizon


def _line(matter, today):
    late = (today - matter.due_date).days
    flag = _("overdue by %(n)d days") % {"n": late} if late > 0 else _("due %(date)s") % {"date": matter.due_date}
    return f"- {matter.tracking_number} {matter.title}（{matter.display_enterprise}）{flag}"


def _emails(officials):
    """The addresses of `officials` (an Official queryset) that have one, by unit id."""
    result = defaultdict(list)
    for unit_id, email in officials.exclude(user__email="").values_list("unit_id", "user__email"):
        result[unit_id].append(email)
    return result


class Command(BaseCommand):
    help = "Mail the overdue and near-due matters to the responsible units and the county office."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the mails instead of sending them.")
        parser.add_argument("--any-day", action="store_true", help="Run on a rest day too.")

    def handle(self, *args, dry_run=False, any_day=False, **options):
        with override(settings.LANGUAGE_CODE):
            self._run(dry_run, any_day)

    def _run(self, dry_run, any_day):
        today = clock.today()
        HeldUpload.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
        if not is_workday(today) and not any_day:
            self.stdout.write("Not a working day; nothing sent.")
            return
        horizon = near_due_horizon(today)
        matters = list(Matter.objects.running().filter(due_date__lte=horizon)
                       .select_related("enterprise", "responsible_unit").order_by("due_date", "id"))
        by_unit = defaultdict(list)
        for matter in matters:
            by_unit[matter.responsible_unit_id].append(matter)
        unit_emails = _emails(Official.objects.acting_for(list(by_unit)))
        sender = settings.DEFAULT_FROM_EMAIL
        messages = []
        for unit_id, items in by_unit.items():
            recipients = unit_emails.get(unit_id)
            if not recipients:
                continue
            overdue = sum(1 for m in items if m.due_date < today)
            subject = _("Matters to answer: %(overdue)d overdue, %(near)d due soon") % {
                "overdue": overdue, "near": len(items) - overdue}
            body = "\n".join([_("Matters your unit is responsible for:"), ""] + [_line(m, today) for m in items])
            messages.append((subject, body, sender, recipients))
        office = [e for emails in _emails(Official.objects.county_office()).values() for e in emails]
        if office and matters:
            overdue = [m for m in matters if m.due_date < today]
            units = Unit.objects.in_bulk(list(by_unit))
            lines = []
            for unit_id, items in by_unit.items():
                lines.append(f"{units[unit_id].name}:")
                lines += [_line(m, today) for m in items]
            subject = _("County overview: %(overdue)d overdue, %(near)d due soon") % {
                "overdue": len(overdue), "near": len(matters) - len(overdue)}
            messages.append((subject, "\n".join(lines), sender, office))
        if dry_run:
            for subject, body, _sender, recipients in messages:
                self.stdout.write(f"To: {', '.join(recipients)}\nSubject: {subject}\n\n{body}\n")
        else:
            send_mass_mail(messages, fail_silently=False)
        self.stdout.write(f"{len(matters)} matters flagged; {len(messages)} mails.")
