"""Issue 16 in the test client: the GOV.UK error summary, named messages, required selects that
start empty, language marks in English pages, 大字版/high contrast on <html>, the withdrawn
policy's 410 notice, the personal-information notice and its clean-up, the footer's 备案 links,
the county office's stale-home warning, and policy bodies whose headings start at h2."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from liaison.models import Matter
from policies.models import Policy
from policies.rendering import render_markdown
from policies.services import policy_withdraw
from portal.models import EnterpriseAccount
from tests.factories import EnterpriseAccountFactory
from tests.liaison.factories import make_matter
from tests.policies.factories import InterpretationFactory, PolicyFactory

pytestmark = pytest.mark.django_db


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_a_form_with_errors_has_a_summary_linking_each_field_and_says_so_in_the_title(client):
    response = client.post(reverse("liaison:submit"), {"title": "", "description": ""})
    assert response.status_code == 400  # the form comes back with what was typed
    page = response.content.decode()
    summary = page[page.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "autofocus" in page[page.index('class="error-summary"') - 200 : page.index('class="error-summary"') + 200]
    # every problem is a link to its field, and the message names the field
    links = dict((href, text) for href, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))
    assert links["id_title"] == "请填写主题" or links["id_title"].startswith("请填写")
    assert links["id_category"].startswith("请选择")
    assert 'id="id_title"' in page and 'id="id_category"' in page
    assert re.search(r"<title>错误：", page)


def test_the_required_category_starts_empty(client):
    page = client.get(reverse("liaison:submit")).content.decode()
    select = page[page.index('name="category"') :]
    first_option = re.search(r"<option value=\"([^\"]*)\"", select).group(1)
    assert first_option == ""


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client):
    page = client.get(reverse("liaison:submit")).content.decode()
    assert "error-summary" not in page and "<title>错误" not in page


def test_english_pages_mark_chinese_content(client, town):
    policy = PolicyFactory(unit=town, title="关于支持企业发展的措施")
    english(client)
    detail = client.get(policy.get_absolute_url()).content.decode()
    assert '<html lang="en"' in detail
    assert '<h1 lang="zh-CN">关于支持企业发展的措施</h1>' in detail
    assert '<div class="policy-body" lang="zh-CN">' in detail
    listing = client.get(reverse("policies:list")).content.decode()
    assert '<span lang="zh-CN">关于支持企业发展的措施</span>' in listing
    home = client.get("/").content.decode()
    assert "<h1>Qingxin County government–enterprise communication</h1>" in home


def test_chinese_pages_carry_no_extra_language_marks(client, town):
    policy = PolicyFactory(unit=town, title="关于支持企业发展的措施")
    page = client.get(policy.get_absolute_url()).content.decode()
    assert '<html lang="zh-CN"' in page and 'lang="zh-CN">关于' not in page


def test_larger_text_and_high_contrast_sit_on_the_html_element(client):
    client.post(reverse("portal:text_size"), {"large": "1", "next": "/"})
    client.post(reverse("portal:contrast"), {"high": "1", "next": "/"})
    page = client.get("/about/").content.decode()
    assert re.search(r'<html lang="zh-CN" class="large-text high-contrast">', page)
    assert "标准配色" in page  # the switch back
    client.post(reverse("portal:contrast"), {"high": "0", "next": "/"})
    assert "high-contrast" not in client.get("/about/").content.decode()


def test_the_contrast_switch_refuses_an_offsite_next(client):
    response = client.post(reverse("portal:contrast"), {"high": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_withdrawn_policy_answers_410_with_reason_date_and_replacement(client, town, county_office_user):
    replacement = PolicyFactory(unit=town, title="新的扶持办法")
    policy = PolicyFactory(unit=town, title="旧的扶持办法", doc_number="清新府〔2020〕1号")
    policy_withdraw(policy=policy, user=county_office_user, reason="已被新办法替代")
    Policy.objects.filter(pk=policy.pk).update(replaced_by=replacement)
    response = client.get(policy.get_absolute_url())
    assert response.status_code == 410
    page = response.content.decode()
    assert "已被新办法替代" in page and "清新府〔2020〕1号" in page
    assert replacement.get_absolute_url() in page
    assert timezone.localdate().isoformat() in page
    assert 'name="robots" content="noindex"' in page


def test_a_policy_that_never_existed_is_still_404(client):
    assert client.get(reverse("policies:detail", args=[999999])).status_code == 404


def test_expired_policy_shows_its_end_date_and_a_clean_banner(client, town):
    policy = PolicyFactory(unit=town, validity=Policy.Validity.EXPIRED, validity_changed_on=datetime.date(2021, 4, 1))
    page = client.get(policy.get_absolute_url()).content.decode()
    banner = page[page.index("banner-warning") : page.index("<h1")]
    assert "。 " not in banner and "自2021-04-01起" in banner
    facts = page[page.index('class="meta-list') :]
    expiry = re.search(r"<dt>失效日期</dt><dd>([^<]+)</dd>", facts).group(1)
    assert expiry == "2021-04-01"
    assert page.index("banner-warning") < page.index("<h1")  # the validity first


@pytest.mark.parametrize(
    "markdown, levels",
    [
        ("# 一、总则\n\n正文\n\n## （一）目标", ["h2", "h3"]),
        ("## 一、总则\n\n正文\n\n### （一）目标", ["h2", "h3"]),
        ("### 一、总则\n\n正文", ["h2"]),
        ("正文，没有标题", []),
    ],
)
def test_policy_body_headings_start_at_h2_without_gaps(markdown, levels):
    assert re.findall(r"<(h\d)>", str(render_markdown(markdown))) == levels


def test_privacy_notice_is_linked_from_the_footer_and_every_form_that_collects_personal_data(client):
    privacy = reverse("portal:privacy")
    notice = client.get(privacy)
    assert notice.status_code == 200 and "个人信息保护法" in notice.content.decode()
    for url in ("/", reverse("liaison:submit"), reverse("portal:register"), reverse("policies:subscribe")):
        assert f'href="{privacy}"' in client.get(url).content.decode(), url


def test_public_footer_links_the_icp_number_and_not_the_back_office(client):
    page = client.get("/").content.decode()
    footer = page[page.index('class="site-footer"') :]
    assert 'href="https://beian.miit.gov.cn/"' in footer
    assert reverse("admin:index") not in footer
    assert "beian.gov.cn" not in footer  # no 公安备案号 configured


@override_settings(SITE_PSB="粤公网安备44182702000001号", SITE_CONAC_URL="https://bszs.conac.cn/sitename?id=1")
def test_public_security_number_and_party_government_mark_shown_when_set(client):
    footer = client.get("/").content.decode()
    assert "recordcode=44182702000001" in footer and "粤公网安备44182702000001号" in footer
    assert 'href="https://bszs.conac.cn/sitename?id=1"' in footer


def test_county_office_is_warned_when_nothing_new_was_published_for_14_days(
    login, county_office_user, town_staff_user, town
):
    PolicyFactory(
        unit=town,
        published_on=timezone.localdate() - datetime.timedelta(days=20),
        published_at=timezone.now() - datetime.timedelta(days=20),
    )
    page = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert "已连续 20 天没有发布新内容" in page
    # a town's cadre is not the one to act on it
    assert "没有发布新内容" not in login(town_staff_user).get(reverse("admin:index")).content.decode()


def test_no_warning_when_something_new_appeared(login, county_office_user, town):
    old = PolicyFactory(
        unit=town,
        published_on=timezone.localdate() - datetime.timedelta(days=30),
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    InterpretationFactory(policy=old, published_on=timezone.localdate() - datetime.timedelta(days=2))
    page = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert "没有发布新内容" not in page


@override_settings(UNCONFIRMED_PERSONAL_DATA_DAYS=30, PERSONAL_DATA_RETENTION_YEARS=3)
def test_personal_data_is_removed_when_the_notice_says(enterprise, town, capsys):
    from policies.models import Subscription

    old = timezone.now() - datetime.timedelta(days=40)
    stale_account = EnterpriseAccountFactory(enterprise=enterprise, status=EnterpriseAccount.Status.PENDING)
    fresh_account = EnterpriseAccountFactory(enterprise=enterprise, status=EnterpriseAccount.Status.PENDING)
    EnterpriseAccount.objects.filter(pk=stale_account.pk).update(created_at=old)
    stale_sub = Subscription.objects.create(email="old@example.com")
    Subscription.objects.filter(pk=stale_sub.pk).update(created_at=old)
    fresh_sub = Subscription.objects.create(email="new@example.com")
    gone_sub = Subscription.objects.create(email="gone@example.com", confirmed_at=old, unsubscribed_at=old)
    finished = make_matter(enterprise=enterprise, received_by=town, contact_name="张三", contact_phone="13800000000")
    recent = make_matter(enterprise=enterprise, received_by=town, contact_name="李四", contact_phone="13900000000")
    Matter.objects.filter(pk__in=[finished.pk, recent.pk]).update(state=Matter.State.ARCHIVED)
    Matter.objects.filter(pk=finished.pk).update(updated_at=timezone.now() - datetime.timedelta(days=4 * 365))

    call_command("purge_personal_data", "--dry-run")
    assert "would remove 1" in capsys.readouterr().out
    assert EnterpriseAccount.objects.filter(pk=stale_account.pk).exists()

    call_command("purge_personal_data")
    assert not EnterpriseAccount.objects.filter(pk=stale_account.pk).exists()
    assert EnterpriseAccount.objects.filter(pk=fresh_account.pk).exists()
    assert set(Subscription.objects.values_list("pk", flat=True)) == {fresh_sub.pk}
    assert gone_sub.pk not in set(Subscription.objects.values_list("pk", flat=True))
    finished.refresh_from_db()
    recent.refresh_from_db()
    assert (finished.contact_name, finished.contact_phone) == ("", "")
    assert recent.contact_name == "李四"
