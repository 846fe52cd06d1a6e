"""The visit and meeting ledgers (台帐): their columns and rows. The files are written by the
base writer (portal/core/spreadsheets.py), row by row, so a year's ledger never fills memory."""

from django.utils.translation import gettext as _


def visit_ledger_header():
    return [
        _("No."),
        _("Visit date"),
        _("Visiting unit"),
        _("Enterprise name"),
        _("Unified social credit code"),
        _("Town"),
        _("Form"),
        _("Officials who went"),
        _("People met"),
        _("Production and operation"),
        _("Output value (10k yuan)"),
        _("Revenue (10k yuan)"),
        _("Employees"),
        _("Capacity use (%)"),
        _("Progress of key projects"),
        _("Policies explained"),
        _("Problems raised"),
        _("Solved on the spot"),
        _("Follow-up"),
    ]


def _num(value):
    return "" if value is None else value


def visit_ledger_rows(visits):
    for number, visit in enumerate(visits.iterator(chunk_size=2000), start=1):
        problems = "；".join(
            p.title + (f"（{_('matter')} {p.matter_label}）" if p.matter_id else "") for p in visit.problems.all()
        )
        status = visit.get_operation_display()
        if visit.operation_notes:
            status = f"{status}：{visit.operation_notes}"
        yield [
            number,
            visit.date,
            visit.unit.name,
            visit.enterprise.name,
            visit.enterprise.uscc,
            visit.enterprise.town.name,
            visit.get_form_display(),
            "、".join(p.official.name for p in visit.participants.all()),
            visit.met_persons,
            status,
            _num(visit.output_value),
            _num(visit.revenue),
            _num(visit.employees),
            _num(visit.capacity_use),
            visit.project_progress,
            "；".join(
                filter(None, [visit.policies_explained] + [p.get("title", "") for p in visit.policy_links or []])
            ),
            problems,
            visit.solved_on_spot,
            visit.follow_up,
        ]


def meeting_ledger_header():
    return [
        _("No."),
        _("Meeting date"),
        _("Kind"),
        _("Meeting title"),
        _("Convening unit"),
        _("Convener"),
        _("Place"),
        _("Units attending"),
        _("Enterprises attending"),
        _("Agenda"),
        _("Minutes"),
        _("Problems raised"),
        _("Decisions and follow-up"),
    ]


def meeting_ledger_rows(meetings):
    for number, meeting in enumerate(meetings.iterator(chunk_size=500), start=1):
        decisions = []
        for decision in meeting.decisions.all():
            who = " ".join(
                filter(
                    None, [decision.follow_up_unit.name if decision.follow_up_unit else "", decision.follow_up_person]
                )
            )
            due = f" {decision.due_date}" if decision.due_date else ""
            decisions.append(f"{decision.text}（{who}{due}）" if who or due else decision.text)
        yield [
            number,
            meeting.date,
            meeting.get_kind_display(),
            meeting.title,
            meeting.unit.name,
            meeting.convener,
            meeting.place,
            "、".join(u.name for u in meeting.units_attending.all()),
            "、".join(e.name for e in meeting.enterprises_attending.all()),
            meeting.agenda,
            meeting.minutes,
            "；".join(f"{p.enterprise.name}：{p.title}" for p in meeting.problems.all()),
            "；".join(decisions),
        ]
