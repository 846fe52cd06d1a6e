"""A rule and its queryset never disagree: what a list shows and what an object check allows
come from one definition (docs/security.md)."""

import pytest

from portal.models import Enterprise
from visits.models import FinancingNeed

ROLE_FIXTURES = [
    "county_office_user",
    "town_staff_user",
    "town_head_user",
    "other_town_staff_user",
    "department_staff_user",
    "department_head_user",
    "county_leader_user",
    "enterprise_user",
]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_enterprise_rules_agree_with_the_querysets(request, role, enterprise, other_enterprise):
    user = request.getfixturevalue(role)
    for obj in (enterprise, other_enterprise):
        visible = Enterprise.objects.visible_to(user).filter(pk=obj.pk).exists()
        editable = Enterprise.objects.editable_by(user).filter(pk=obj.pk).exists()
        is_official = hasattr(user, "official")
        assert user.has_perm("portal.view_enterprise", obj) is (visible and is_official), (role, obj)
        assert user.has_perm("portal.change_enterprise", obj) is editable, (role, obj)


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_financing_need_rules_agree_with_the_querysets(request, role, enterprise, other_enterprise):
    user = request.getfixturevalue(role)
    for owner in (enterprise, other_enterprise):
        need = FinancingNeed.objects.create(enterprise=owner, amount=10, purpose="周转", term_months=6)
        visible = FinancingNeed.objects.visible_to(user).filter(pk=need.pk).exists()
        editable = FinancingNeed.objects.editable_by(user).filter(pk=need.pk).exists()
        assert user.has_perm("visits.view_financingneed", need) is visible, (role, owner)
        assert user.has_perm("visits.change_financingneed", need) is editable, (role, owner)
