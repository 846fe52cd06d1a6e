"""An empty start (docs/go-live.md): setup_county makes the county government, its office and
the first county-office account, opened only by a one-time link; the workspace then leads the
county office through the imports."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import Official, Unit


def _setup(**options):
    out = io.StringIO()
    call_command("setup_county", stdout=out, no_qr=True, **options)
    return out.getvalue()


def test_setup_makes_two_units_and_an_account_without_password_opened_by_a_link(db, client, settings):
    settings.COUNTY_NAME = "清新县"
    out = _setup(username="office_admin", name="陈晓东")
    assert set(Unit.objects.values_list("name", "kind")) == {
        ("清新县人民政府", "county_government"),
        ("清新县人民政府办公室", "county_office"),
    }
    official = Official.objects.get()
    assert official.role == Official.Role.COUNTY_OFFICE and not official.user.has_usable_password()
    path = re.search(r"https?://[^/\s]+(/accounts/welcome/\S+/)", out).group(1)
    done = client.post(path, {"new_password1": "Qingxin-Office-2026", "new_password2": "Qingxin-Office-2026"})
    assert done.url == reverse("portal:otp_setup")  # the county office must use an authenticator
    assert "/admin/portal/unit/import/" in out


def test_first_time_does_nothing_once_the_county_exists_and_an_open_account_is_not_reset(db, county_office_user):
    assert "skipping" in _setup(first_time=True)
    with pytest.raises(CommandError):
        _setup(username=county_office_user.username, office=county_office_user.official.unit.name)


def test_the_workspace_lists_the_imports_for_a_new_county_and_not_for_others(
    db, login, county_office_user, town_staff_user
):
    page = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert 'id="golive-steps"' in page
    for name in ("portal_unit", "portal_enterprise", "portal_official", "policies_policy", "guide_serviceitem"):
        assert reverse(f"admin:{name}_import") in page
    assert 'id="golive-steps"' not in login(town_staff_user).get(reverse("admin:index")).content.decode()
