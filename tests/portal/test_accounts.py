"""Logins, lockout, second factor, idle timeout, and enterprise self-registration."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import EnterpriseAccount
from portal.services import enterprise_account_confirm
from tests.factories import PASSWORD


def _admin_login(client, username, password, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, **extra})


def test_lockout_after_repeated_failed_logins(client, town_staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _admin_login(client, town_staff_user.username, "wrong-password")
        assert response.status_code == 200
    assert _admin_login(client, town_staff_user.username, "wrong-password").status_code == 429
    # Even the right password is refused now, with the lockout page.
    response = _admin_login(client, town_staff_user.username, PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(client, town_staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _admin_login(client, town_staff_user.username, "wrong-password")
    response = _admin_login(client, town_staff_user.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_county_office_without_an_authenticator_is_sent_to_set_one_up(client, county_office_user):
    response = _admin_login(client, county_office_user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portal:otp_setup")
    # The workspace stays closed until a second factor is verified.
    assert client.get(reverse("admin:index")).status_code == 302
    setup = client.get(reverse("portal:otp_setup"))
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=county_office_user, confirmed=False)
    response = client.post(reverse("portal:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_county_office_must_give_the_code_when_it_has_an_authenticator(client, county_office_user):
    device = TOTPDevice.objects.create(user=county_office_user, name="phone", confirmed=True)
    response = _admin_login(client, county_office_user.username, PASSWORD)
    assert response.status_code == 200
    assert "身份验证器" in response.content.decode()
    response = _admin_login(client, county_office_user.username, PASSWORD, otp_token="000000")
    assert response.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    response = _admin_login(client, county_office_user.username, PASSWORD, otp_token=f"{totp(device.bin_key):06d}")
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_officials_are_logged_out_after_30_idle_minutes(login, town_staff_user, settings, monkeypatch):
    client = login(town_staff_user)
    assert client.get(reverse("admin:index")).status_code == 200
    later = time.time() + settings.OFFICIAL_SESSION_IDLE_SECONDS + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_officials_need_12_character_passwords(db):
    from django.core.exceptions import ValidationError
    from django.contrib.auth.password_validation import validate_password

    official = get_user_model()(username="x", is_staff=True)
    with pytest.raises(ValidationError):
        validate_password("Abcdefgh-17", official)
    validate_password("Abcdefgh-173x", official)
    validate_password("Qx7-pLm2", get_user_model()(username="y"))


def _registration(enterprise, **overrides):
    data = {
        "uscc": enterprise.uscc,
        "real_name": "张三",
        "position": "经理",
        "phone": "13912345678",
        "email": "zs@example.com",
        "username": "zhangsan",
        "password1": "Good-Pass-2026",
        "password2": "Good-Pass-2026",
    }
    data.update(overrides)
    return data


def test_registration_creates_a_pending_account_that_cannot_act(client, enterprise):
    response = client.post(reverse("portal:register"), _registration(enterprise))
    assert response.status_code == 302
    account = EnterpriseAccount.objects.get(user__username="zhangsan")
    assert account.status == EnterpriseAccount.Status.PENDING and not account.can_act
    page = client.get(reverse("portal:my_home")).content.decode()
    assert "等待" in page


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("uscc", "91350100M000100Y44", "校验码"),
        ("uscc", "91350100M000100Y43", "尚未登记"),
        ("phone", "12345", "11 位手机号码"),
        ("password2", "Different-2026", "不一致"),
    ],
)
def test_registration_errors_are_chinese_and_keep_what_was_typed(client, enterprise, field, value, message):
    response = client.post(reverse("portal:register"), _registration(enterprise, **{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'value="张三"' in html and 'value="zhangsan"' in html
    assert not EnterpriseAccount.objects.exists()


def test_only_the_enterprises_own_town_confirms_its_accounts(
    login, enterprise, other_town_staff_user, town_staff_user, pending_enterprise_user
):
    from django.core.exceptions import PermissionDenied

    account = pending_enterprise_user.enterprise_account
    with pytest.raises(PermissionDenied):
        enterprise_account_confirm(account=account, by=other_town_staff_user)
    account.refresh_from_db()
    assert account.status == EnterpriseAccount.Status.PENDING

    # Through the admin: the other town does not even see the account.
    client = login(other_town_staff_user)
    client.post(
        reverse("admin:portal_enterpriseaccount_changelist"),
        {"action": "confirm_accounts", "_selected_action": [account.pk]},
    )
    account.refresh_from_db()
    assert account.status == EnterpriseAccount.Status.PENDING

    client = login(town_staff_user)
    client.post(
        reverse("admin:portal_enterpriseaccount_changelist"),
        {"action": "confirm_accounts", "_selected_action": [account.pk]},
    )
    account.refresh_from_db()
    assert account.status == EnterpriseAccount.Status.CONFIRMED and account.decided_by == town_staff_user


def test_the_admin_login_page_has_a_labelled_verification_code_field(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in html
    assert '<label for="id_otp_token"' in html


@pytest.mark.parametrize("url_name", ["portal:login", "admin:login"])
def test_an_overlong_user_name_is_a_form_error_not_a_500(client, db, url_name):
    response = client.post(reverse(url_name), {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200


def test_an_account_decision_is_a_recorded_transition_and_is_not_taken_twice(
    login, town_staff_user, pending_enterprise_user
):
    from portal.core.workflow import ActionRefused, history_of

    account = pending_enterprise_user.enterprise_account
    enterprise_account_confirm(account=account, by=town_staff_user, note="营业执照已核对")
    with pytest.raises(ActionRefused):
        enterprise_account_confirm(account=account, by=town_staff_user)
    [log] = history_of(account)
    assert (log.action, log.from_state, log.to_state, log.reason, log.actor) == (
        "confirm",
        "pending",
        "confirmed",
        "营业执照已核对",
        town_staff_user,
    )

    # The admin's bulk action leaves an account already so decided as it is, and shows the history.
    client = login(town_staff_user)
    client.post(
        reverse("admin:portal_enterpriseaccount_changelist"),
        {"action": "confirm_accounts", "_selected_action": [account.pk]},
    )
    assert history_of(account).count() == 1
    html = client.get(reverse("admin:portal_enterpriseaccount_change", args=[account.pk])).content.decode()
    assert "待确认 → 已确认" in html and "营业执照已核对" in html
