"""Second factor (issue 12, hole 1): a session of a role that needs a code is no official
until the code is given; the enterprise login opens no official session; a confirmed
authenticator is replaced only after a current code; recovery codes; reset by the county
office; every device change in the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.liaison.factories import make_matter
from tests.policies.factories import DraftFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _code(device):
    device.refresh_from_db()
    device.throttle_reset()
    return f"{totp(device.bin_key):06d}"


def _admin_login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, **extra})


@pytest.fixture
def office_device(county_office_user):
    return TOTPDevice.objects.create(user=county_office_user, name="phone", confirmed=True)


@pytest.fixture
def password_only(client, county_office_user, office_device):
    """A county-office session that gave its password but not its code."""
    client.force_login(county_office_user)
    return client


def test_the_enterprise_login_sends_officials_to_the_officials_login(client, county_office_user, office_device):
    response = client.post(
        reverse("portal:login"), {"username": county_office_user.username, "password": PASSWORD, "next": "/matters/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login")) and "next=%2Fmatters%2F" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "验证码" in page  # the officials' login asks for the code


@pytest.mark.parametrize("who", ["town_staff_user", "county_leader_user"])
def test_no_official_logs_in_through_the_enterprise_login(client, request, who):
    user = request.getfixturevalue(who)
    response = client.post(reverse("portal:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


def test_enterprise_users_still_log_in_on_the_enterprise_login(client, enterprise_user):
    response = client.post(reverse("portal:login"), {"username": enterprise_user.username, "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(enterprise_user.pk)


def test_a_wrong_password_on_the_enterprise_login_stays_a_plain_error(client, county_office_user):
    response = client.post(reverse("portal:login"), {"username": county_office_user.username, "password": "nope"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_session_that_owes_its_code_gets_no_attachment_preview_or_workspace(
    password_only, town, enterprise, county_office_user, login
):
    matter = make_matter(
        enterprise=enterprise,
        received_by=town,
        attachments=[SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")],
    )
    attachment_url = matter.attachments.get().get_absolute_url()
    draft = DraftFactory(unit=town)
    draft_url = reverse("policies:detail", args=[draft.pk])
    assert password_only.get(attachment_url).status_code == 404
    assert password_only.get(draft_url).status_code == 404
    assert password_only.get(reverse("admin:index")).status_code == 302
    assert password_only.get(reverse("admin:liaison_matter_changelist")).status_code == 302
    # The same user with the code given opens them all.
    verified = login(county_office_user)
    assert verified.get(attachment_url).status_code == 200
    assert verified.get(draft_url).status_code == 200
    assert verified.get(reverse("admin:index")).status_code == 200


def test_a_superuser_owes_a_code_too(client, db):
    admin_user = UserFactory(username="root", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:liaison_matter_changelist")).status_code == 302


def test_official_of_refuses_an_unverified_request_user(rf, county_office_user, office_device, town_staff_user):
    from django_otp.middleware import OTPMiddleware

    from portal.core.access import official_of, sees_all_units

    request = rf.get("/")
    request.session = {}
    request.user = county_office_user
    OTPMiddleware(lambda r: None)(request)
    assert official_of(request.user) is None and not sees_all_units(request.user)
    # A user outside any request (a command acting for someone) is taken as it is.
    assert official_of(type(county_office_user).objects.get(pk=county_office_user.pk)) is not None
    # A role that needs no code and has no device is an official right after the password.
    request = rf.get("/")
    request.session = {}
    request.user = town_staff_user
    OTPMiddleware(lambda r: None)(request)
    assert official_of(request.user) is not None


def test_the_setup_page_shows_no_new_secret_to_a_session_that_owes_its_code(
    password_only, office_device, county_office_user
):
    response = password_only.get(reverse("portal:otp_setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not TOTPDevice.objects.filter(user=county_office_user, confirmed=False).exists()
    # Posting a code for a secret of one's own choosing verifies nothing either.
    response = password_only.post(reverse("portal:otp_setup"), {"token": "123456"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=county_office_user)) == [office_device]
    assert password_only.get(reverse("admin:index")).status_code == 302


def test_a_confirmed_authenticator_is_replaced_only_after_a_current_code(login, county_office_user):
    client = login(county_office_user)
    old = TOTPDevice.objects.get(user=county_office_user, confirmed=True)
    page = client.get(reverse("portal:otp_setup"))
    assert page.status_code == 200 and 'name="current_token"' in page.content.decode()
    new = TOTPDevice.objects.get(user=county_office_user, confirmed=False)
    # The new code alone is not enough.
    response = client.post(reverse("portal:otp_setup"), {"token": _code(new)})
    assert response.status_code == 400 and "current_token" in response.context["form"].errors
    # A wrong current code neither.
    response = client.post(reverse("portal:otp_setup"), {"current_token": "000000", "token": _code(new)})
    assert response.status_code == 400 and "当前验证码不正确" in response.content.decode()
    old.refresh_from_db()
    assert old.confirmed
    # The current code and the new one: the new authenticator replaces the old.
    response = client.post(reverse("portal:otp_setup"), {"current_token": _code(old), "token": _code(new)})
    assert response.status_code == 302 and response["Location"] == reverse("portal:otp_recovery_codes")
    assert list(TOTPDevice.objects.filter(user=county_office_user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert client.get(reverse("admin:index")).status_code == 200
    actions = set(AuditEntry.objects.filter(kind=AuditEntry.Kind.DEVICE).values_list("action", flat=True))
    assert {"device.confirmed", "device.removed"} <= actions
    entry = AuditEntry.objects.filter(action="device.removed").get()
    assert entry.actor == county_office_user and entry.address == "127.0.0.1"


def test_recovery_codes_are_shown_once_and_log_in_once(login, client, county_office_user):
    verified = login(county_office_user)
    page = verified.get(reverse("portal:otp_recovery_codes"))
    assert page.status_code == 200 and "0" in page.content.decode()
    response = verified.post(reverse("portal:otp_recovery_codes"))
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert "no-store" in response["Cache-Control"]
    assert StaticToken.objects.filter(device__user=county_office_user).count() == 10
    assert codes[0] not in verified.get(reverse("portal:otp_recovery_codes")).content.decode()
    verified.logout()
    # A lost phone: the recovery code stands in for the 6-digit code, once.
    response = _admin_login(client, county_office_user.username, otp_token=codes[0])
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    StaticDevice.objects.get(user=county_office_user).throttle_reset()
    assert _admin_login(client, county_office_user.username, otp_token=codes[0]).status_code == 200
    assert AuditEntry.objects.filter(action="recovery_codes.issued", actor=county_office_user).exists()


def test_recovery_codes_need_a_verified_session(password_only):
    response = password_only.post(reverse("portal:otp_recovery_codes"))
    assert response.status_code == 302 and not StaticToken.objects.exists()


def test_the_county_office_resets_a_lost_second_factor_and_it_is_audited(login, county_office_user, town_head_user):
    device = TOTPDevice.objects.create(user=town_head_user, name="phone", confirmed=True)
    official = town_head_user.official
    changelist = reverse("admin:portal_official_changelist")
    response = login(county_office_user).post(
        changelist, {"action": "reset_second_factor", "_selected_action": [official.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert entry.actor == county_office_user and entry.subject == town_head_user.username


def test_a_unit_head_cannot_reset_anyones_second_factor(login, town_head_user, town_staff_user):
    device = TOTPDevice.objects.create(user=town_staff_user, name="phone", confirmed=True)
    client = login(town_head_user)
    changelist = client.get(reverse("admin:portal_official_changelist"))
    assert "reset_second_factor" not in changelist.content.decode()
    client.post(
        reverse("admin:portal_official_changelist"),
        {"action": "reset_second_factor", "_selected_action": [town_staff_user.official.pk]},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_first_setup_then_the_workspace_opens(client, county_office_user):
    response = _admin_login(client, county_office_user.username)
    assert response["Location"] == reverse("portal:otp_setup")
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("portal:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=county_office_user, confirmed=False)
    # The same secret on a second visit: the page does not mint a new one each time.
    client.get(reverse("portal:otp_setup"))
    assert TOTPDevice.objects.filter(user=county_office_user).count() == 1
    response = client.post(reverse("portal:otp_setup"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
