"""The security audit log: refused attempts at official pages and every change of roles,
devices and scopes, with who, when and from which address; kept six months at least;
exported by the county office."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from portal.models import AuditEntry, Official
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_a_role_change_in_a_request_is_logged_with_who_and_address(county_office_user, town_staff_user):
    official = town_staff_user.official
    AuditEntry.objects.all().delete()
    official.role = Official.Role.UNIT_HEAD
    # The request being served, as simple_history's middleware keeps it for every view.
    request = RequestFactory().post("/admin/portal/official/", REMOTE_ADDR="198.51.100.4")
    request.user = county_office_user
    HistoricalRecords.context.request = request
    try:
        official.save()
    finally:
        del HistoricalRecords.context.request
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.ROLE)
    assert entry.action == "official.role_changed" and "unit_staff → unit_head" in entry.detail
    assert entry.actor == county_office_user and entry.address == "198.51.100.4"
    assert entry.at <= timezone.now()


def test_unit_moves_group_and_flag_changes_are_logged(town_staff_user, other_town):
    AuditEntry.objects.all().delete()
    official = town_staff_user.official
    official.unit = other_town
    official.save()
    town_staff_user.groups.add(Group.objects.create(name="临时组"))
    town_staff_user.is_superuser = True
    town_staff_user.save()
    actions = list(AuditEntry.objects.order_by("id").values_list("kind", "action"))
    assert actions == [
        (AuditEntry.Kind.SCOPE, "official.unit_changed"),
        (AuditEntry.Kind.ROLE, "user.groups.added"),
        (AuditEntry.Kind.ROLE, "user.flags_changed"),
    ]
    assert "is_superuser: False → True" in AuditEntry.objects.get(action="user.flags_changed").detail


def test_a_liaison_assignment_is_a_scope_change(county_leader_user):
    from visits.models import LiaisonAssignment

    AuditEntry.objects.all().delete()
    enterprise = EnterpriseFactory(is_key=True)
    official = county_leader_user.official
    LiaisonAssignment.objects.create(
        official=official,
        enterprise=enterprise,
        unit=official.unit,
        kind=LiaisonAssignment.Kind.LEADER,
        start_date=datetime.date(2026, 1, 1),
    )
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.SCOPE)
    assert entry.action == "liaisonassignment.created" and enterprise.name in entry.subject


def test_device_changes_are_logged(town_head_user):
    AuditEntry.objects.all().delete()
    device = TOTPDevice.objects.create(user=town_head_user, name="phone", confirmed=False)
    assert not AuditEntry.objects.exists()  # an unconfirmed secret is no device yet
    device.confirmed = True
    device.save()
    device.delete()
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "device.confirmed",
        "device.removed",
    ]


def test_refused_attempts_at_official_pages_are_logged(
    client, login, enterprise_user, town_staff_user, county_office_user
):
    AuditEntry.objects.all().delete()
    login(enterprise_user).get(reverse("admin:index"), REMOTE_ADDR="198.51.100.5")
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.REFUSED)
    assert entry.actor == enterprise_user and entry.address == "198.51.100.5" and entry.subject == "/admin/"
    # An official refused an object-level page (403) is logged too.
    AuditEntry.objects.all().delete()
    response = login(town_staff_user).get(reverse("admin:portal_auditentry_changelist"))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.REFUSED, actor=town_staff_user).exists()
    # A session that owes its code.
    AuditEntry.objects.all().delete()
    TOTPDevice.objects.create(user=county_office_user, name="phone", confirmed=True)
    client.force_login(county_office_user)
    client.get(reverse("admin:liaison_matter_changelist"))
    entry = AuditEntry.objects.get(kind=AuditEntry.Kind.REFUSED)
    assert entry.detail == "second factor owed"


def test_the_login_page_itself_is_no_refusal(client, login, enterprise_user):
    AuditEntry.objects.all().delete()
    client.get(reverse("admin:login"))
    login(enterprise_user).get(reverse("admin:login"))
    assert not AuditEntry.objects.exists()


def _entry(days_ago, action="x"):
    return AuditEntry.objects.create(
        kind=AuditEntry.Kind.REFUSED, action=action, at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_clean_up_deletes_only_entries_older_than_six_months():
    AuditEntry.objects.all().delete()
    old, recent, edge = _entry(200, "old"), _entry(100, "recent"), _entry(183, "edge")
    out = io.StringIO()
    call_command("audit_cleanup", "--dry-run", stdout=out)
    assert "would delete 1" in out.getvalue() and AuditEntry.objects.count() == 3
    call_command("audit_cleanup", "--keep-days", "30", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(AuditEntry.objects.values_list("pk", flat=True)) == {recent.pk, edge.pk}
    assert not AuditEntry.objects.filter(pk=old.pk).exists()


def test_the_county_office_exports_the_log_and_nobody_else_sees_it(login, county_office_user, town_head_user):
    AuditEntry.objects.all().delete()
    entry = AuditEntry.objects.create(
        kind=AuditEntry.Kind.ROLE,
        action="official.role_changed",
        actor_name='=HYPERLINK("x")',
        subject="张三",
        address="198.51.100.6",
    )
    client = login(county_office_user)
    changelist = reverse("admin:portal_auditentry_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and "干部角色变更" in page.content.decode()
    response = client.post(changelist, {"action": "export_csv", "_selected_action": [entry.pk]})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "干部角色变更" in body and "198.51.100.6" in body and "张三" in body
    assert "'=HYPERLINK" in body  # formula-safe
    response = client.post(changelist, {"action": "export_xlsx", "_selected_action": [entry.pk]})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    # Read-only, even for the county office.
    assert client.get(reverse("admin:portal_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.post(reverse("admin:portal_auditentry_delete", args=[entry.pk])).status_code == 403
    assert login(town_head_user).get(changelist).status_code == 403


def test_action_codes_are_shown_in_chinese_in_the_admin_and_the_exports(login, county_office_user):
    """The action is a code in the database; the county office reads a Chinese label (issue 12)."""
    from openpyxl import load_workbook

    AuditEntry.objects.all().delete()
    entry = AuditEntry.objects.create(
        kind=AuditEntry.Kind.DEVICE, action="second_factor.reset", actor_name="countyoffice", subject="taihe_staff"
    )
    client = login(county_office_user)
    changelist = reverse("admin:portal_auditentry_changelist")
    page = client.get(changelist).content.decode()
    assert 'class="field-action">县政府办重置双因素验证<' in page and ">second_factor.reset<" not in page
    response = client.post(changelist, {"action": "export_csv", "_selected_action": [entry.pk]})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "重置双因素验证" in body and "second_factor.reset" not in body
    response = client.post(changelist, {"action": "export_xlsx", "_selected_action": [entry.pk]})
    content = response.content if hasattr(response, "content") else b"".join(response.streaming_content)
    cells = [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for cell in row]
    assert "县政府办重置双因素验证" in cells


def test_every_action_code_written_has_a_label():
    """Each code the log writes (signals, views, the second factor) is one of the labelled choices."""
    import re
    from pathlib import Path

    codes = set(AuditEntry.Action.values)
    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in list(root.glob("portal/**/*.py")) + list(root.glob("*/apps.py")):
        written.update(re.findall(r'audit_record\(kind=[\w.]+, action="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert written and written <= codes
    for what in ("user.groups", "user.permissions", "group.permissions"):
        assert {f"{what}.added", f"{what}.removed", f"{what}.cleared"} <= codes
    assert {"liaisonassignment.created", "liaisonassignment.changed", "liaisonassignment.deleted"} <= codes
