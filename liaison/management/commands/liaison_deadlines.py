"""Cron (daily, e.g. 08:00 on working days): mail each responsible unit its overdue and
near-due clocks (acceptance, handling, return window, supplement; see liaison/deadlines.py), and the county
office the whole list plus its own clocks (reassignment, extension decisions); drop held
uploads older than a day. --dry-run prints the mails and changes nothing.

    manage.py liaison_deadlines [--dry-run]
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.core import messaging
from portal.models import Official, Unit
from portal.core.workdays import is_workday, workdays_between

from liaison import clock, deadlines
from liaison.models import HeldUpload, Matter
from liaison.selectors import near_due_horizon


def _line(matter, clock_, day, today):
    """One line per running clock: which clock, and how late in working days (法定工作日)."""
    if day < today:
        flag = _("overdue by %(n)d working days") % {"n": workdays_between(day, today)}
    elif clock_.window:
        flag = _("closes %(date)s; return a wrong assignment before then") % {"date": day}
    else:
        flag = _("due %(date)s") % {"date": day}
    return f"- {matter.tracking_number} {matter.title}（{matter.display_enterprise}）{clock_.label}：{flag}"


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
        stale = HeldUpload.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1))
        if dry_run:
            self.stdout.write(f"{stale.count()} held uploads would be removed.")
        else:
            stale.delete()
        if not is_workday(today) and not any_day:
            self.stdout.write("Not a working day; nothing sent.")
            return
        horizon = near_due_horizon(today)
        matters = list(
            Matter.objects.filter(deadlines.to_chase(today, horizon))
            .select_related("enterprise", "responsible_unit")
            .order_by("received_at", "id")
        )
        # (matter, clock, date) for every clock that ran out or runs out by the horizon. The
        # unit's own clocks go to the unit; the county office's clocks only to the office.
        lines = [(m, c, day) for m in matters for c, day in deadlines.running_clocks(m, today) if day <= horizon]
        by_unit = defaultdict(list)
        for matter, clock_, day in lines:
            if clock_.owner == deadlines.UNIT:
                by_unit[matter.responsible_unit_id].append((matter, clock_, day))
        unit_emails = _emails(Official.objects.acting_for(list(by_unit)))
        sender = settings.DEFAULT_FROM_EMAIL
        messages = []
        for unit_id, items in by_unit.items():
            recipients = unit_emails.get(unit_id)
            if not recipients:
                continue
            overdue = sum(1 for _m, _c, day in items if day < today)
            subject = _("Matters to answer: %(overdue)d overdue, %(near)d due soon") % {
                "overdue": overdue,
                "near": len(items) - overdue,
            }
            body = "\n".join(
                [_("Matters your unit is responsible for:"), ""] + [_line(m, c, day, today) for m, c, day in items]
            )
            messages.append((subject, body, sender, recipients))
        office = [e for emails in _emails(Official.objects.county_office()).values() for e in emails]
        if office and lines:
            overdue = sum(1 for _m, _c, day in lines if day < today)
            own = [item for item in lines if item[1].owner == deadlines.COUNTY_OFFICE]
            body = []
            if own:
                body.append(_("For the county office:"))
                body += [_line(m, c, day, today) for m, c, day in own]
            units = Unit.objects.in_bulk(list(by_unit))
            for unit_id, items in by_unit.items():
                body.append(f"{units[unit_id].name}:")
                body += [_line(m, c, day, today) for m, c, day in items]
            subject = _("County overview: %(overdue)d overdue, %(near)d due soon") % {
                "overdue": overdue,
                "near": len(lines) - overdue,
            }
            messages.append((subject, "\n".join(body), sender, office))
        if dry_run:
            for subject, body, _sender, recipients in messages:
                self.stdout.write(f"To: {', '.join(recipients)}\nSubject: {subject}\n\n{body}\n")
        else:
            messaging.send_emails(messages)
        flagged = len({m.pk for m, _c, _d in lines})
        self.stdout.write(f"{flagged} matters flagged; {len(messages)} mails.")
