"""The approver of a policy edit sees what changed against the published version."""

from policies import services
from policies.models import Policy
from tests.policies.factories import PolicyFactory


def test_a_corrected_policy_shows_its_changes_against_the_published_version(
    login, county_office_user, county_office_unit
):
    policy = PolicyFactory(unit=county_office_unit, body="对符合条件的企业给予奖补50万元。", title="奖补办法")
    services.policy_withdraw(policy=policy, user=county_office_user, reason="金额有误")
    policy = services.policy_return_to_draft(policy=Policy.objects.get(pk=policy.pk), user=county_office_user)
    policy.body = "对符合条件的企业给予奖补30万元。"
    policy.save()
    html = login(county_office_user).get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    table = html.split('id="changes-against-approved"')[1].split("</table>")[0]
    assert "<del>50</del><ins>30</ins>万元" in table
    assert "奖补办法" not in table  # the unchanged title is not listed


def test_a_published_or_never_published_policy_shows_no_comparison(login, county_office_user, county_office_unit):
    published = PolicyFactory(unit=county_office_unit)
    draft = PolicyFactory(unit=county_office_unit, status=Policy.Status.DRAFT, published_at=None)
    client = login(county_office_user)
    for policy in (published, draft):
        html = client.get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
        assert 'id="changes-against-approved"' not in html
