"""A financing need moves open → met / withdrawn → (reopened) only through its workflow, with
who, when and why recorded; the admin shows the state and moves it by its actions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portal.core.workflow import ActionRefused, history_of
from visits import services
from visits.models import FinancingNeed


@pytest.fixture
def need(enterprise, town_staff_user):
    return services.financing_need_create(
        enterprise=enterprise, amount=Decimal("200"), purpose="购置设备", term_months=12, by=town_staff_user
    )


def test_a_need_is_met_withdrawn_and_reopened_through_its_workflow(need, town_staff_user):
    met = services.financing_need_transition(need=need, action="meet", by=town_staff_user)
    assert met.status == FinancingNeed.Status.MET
    with pytest.raises(ActionRefused):
        services.financing_need_transition(need=need, action="withdraw", by=town_staff_user)
    services.financing_need_transition(need=need, action="reopen", by=town_staff_user, reason="贷款未获批")
    services.financing_need_transition(need=need, action="withdraw", by=town_staff_user)
    assert [(log.action, log.from_state, log.to_state) for log in history_of(need)] == [
        ("meet", "open", "met"),
        ("reopen", "met", "open"),
        ("withdraw", "open", "withdrawn"),
    ]
    assert history_of(need)[1].reason == "贷款未获批" and history_of(need)[0].actor == town_staff_user


def test_the_admin_moves_a_need_by_its_actions_and_shows_its_history(login, need, town_staff_user):
    client = login(town_staff_user)
    changelist = reverse("admin:visits_financingneed_changelist")
    client.post(changelist, {"action": "mark_met", "_selected_action": [need.pk]})
    need.refresh_from_db()
    assert need.status == FinancingNeed.Status.MET
    client.post(changelist, {"action": "mark_met", "_selected_action": [need.pk]})  # already met: left alone
    assert history_of(need).count() == 1
    html = client.get(reverse("admin:visits_financingneed_change", args=[need.pk])).content.decode()
    assert "进行中 → 已满足" in html and 'name="status"' not in html
