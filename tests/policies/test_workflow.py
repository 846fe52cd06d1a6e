"""The publishing workflow: who may publish/withdraw, transitions, index numbers, change notes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from policies import services
from policies.models import Policy
from portal.models import SearchDocument
from portal.core.workflow import ActionRefused, history_of

from .factories import DraftFactory, PolicyFactory


@pytest.fixture
def draft(town):
    town.code = "11441827MB2C12345X"
    town.save(update_fields=["code"])
    return DraftFactory(unit=town, title="太和镇企业服务办法", written_on=datetime.date(2024, 3, 1))


def test_unit_head_publishes_and_index_number_is_generated(draft, town_head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        policy = services.policy_publish(policy=draft, user=town_head_user)
    assert policy.status == Policy.Status.PUBLISHED
    assert policy.index_number == "11441827MB2C12345X/2024-00001"
    assert policy.published_by == town_head_user
    assert SearchDocument.objects.filter(kind="policy", key=str(policy.pk)).exists()


def test_serials_increase_per_unit_and_year(town, town_head_user):
    town.code = "CODE"
    town.save(update_fields=["code"])
    first = DraftFactory(unit=town, written_on=datetime.date(2024, 1, 5))
    second = DraftFactory(unit=town, written_on=datetime.date(2024, 2, 5))
    services.policy_publish(policy=first, user=town_head_user)
    services.policy_publish(policy=second, user=town_head_user)
    assert Policy.objects.get(pk=second.pk).index_number == "CODE/2024-00002"


def test_index_number_is_kept_on_republication(draft, town_head_user):
    services.policy_publish(policy=draft, user=town_head_user)
    number = Policy.objects.get(pk=draft.pk).index_number
    services.policy_withdraw(policy=draft, user=town_head_user, reason="文字错误")
    services.policy_return_to_draft(policy=draft, user=town_head_user)
    services.policy_publish(policy=draft, user=town_head_user)
    assert Policy.objects.get(pk=draft.pk).index_number == number


def test_unit_staff_cannot_publish(draft, town_staff_user):
    with pytest.raises(PermissionDenied):
        services.policy_publish(policy=draft, user=town_staff_user)
    assert Policy.objects.get(pk=draft.pk).status == Policy.Status.DRAFT


def test_head_of_another_unit_cannot_publish(draft, other_town):
    from tests.factories import OfficialFactory

    other_head = OfficialFactory(unit=other_town, role="unit_head").user
    with pytest.raises(PermissionDenied):
        services.policy_publish(policy=draft, user=other_head)


def test_county_office_publishes_any_unit(draft, county_office_user):
    services.policy_publish(policy=draft, user=county_office_user)
    assert Policy.objects.get(pk=draft.pk).status == Policy.Status.PUBLISHED


def test_publishing_twice_is_refused(draft, town_head_user):
    services.policy_publish(policy=draft, user=town_head_user)
    with pytest.raises(ValidationError):
        services.policy_publish(policy=draft, user=town_head_user)


def test_withdrawal_needs_a_reason_and_keeps_the_record(draft, town_head_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_publish(policy=draft, user=town_head_user)
    with pytest.raises(ValidationError):
        services.policy_withdraw(policy=draft, user=town_head_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_withdraw(policy=draft, user=town_head_user, reason="与上位法冲突")
    policy = Policy.objects.get(pk=draft.pk)
    assert policy.status == Policy.Status.WITHDRAWN and policy.withdrawal_reason == "与上位法冲突"
    assert not SearchDocument.objects.filter(kind="policy", key=str(policy.pk)).exists()
    assert (
        policy.history.first().history_change_reason.startswith("Withdrawn")
        or "撤回" in policy.history.first().history_change_reason
        or "与上位法冲突" in policy.history.first().history_change_reason
    )


def test_scheduled_publication_is_not_public_before_its_time(draft, town_head_user, django_capture_on_commit_callbacks):
    later = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_publish(policy=draft, user=town_head_user, publish_at=later)
    assert not Policy.objects.published().filter(pk=draft.pk).exists()
    assert Policy.objects.published(now=later + datetime.timedelta(minutes=1)).filter(pk=draft.pk).exists()
    assert not SearchDocument.objects.available().filter(kind="policy", key=str(draft.pk)).exists()
    assert (
        SearchDocument.objects.available(now=later + datetime.timedelta(minutes=1))
        .filter(kind="policy", key=str(draft.pk))
        .exists()
    )


def test_change_note_is_required_and_listed(town, town_head_user):
    policy = PolicyFactory(unit=town)
    with pytest.raises(ValidationError):
        services.policy_record_change(policy=policy, user=town_head_user, note="")
    services.policy_record_change(policy=policy, user=town_head_user, note="更正第三条的金额")
    assert list(policy.changes.values_list("note", flat=True)) == ["更正第三条的金额"]


def test_can_edit_rules(town, town_staff_user, town_head_user, other_town_staff_user, county_office_user):
    draft = DraftFactory(unit=town)
    published = PolicyFactory(unit=town)
    assert services.can_edit(town_staff_user, draft)
    assert not services.can_edit(town_staff_user, published)
    assert services.can_edit(town_head_user, published)
    assert not services.can_edit(other_town_staff_user, draft)
    assert services.can_edit(county_office_user, published)


def test_summary_longer_than_100_characters_is_rejected(town):
    policy = DraftFactory.build(unit=town, summary="字" * 101)
    with pytest.raises(ValidationError):
        policy.full_clean()


def test_every_transition_is_recorded_with_who_when_and_why(draft, town_head_user, county_office_user):
    services.policy_publish(policy=draft, user=town_head_user)
    services.policy_withdraw(policy=draft, user=county_office_user, reason="文字错误")
    services.policy_return_to_draft(policy=draft, user=town_head_user)
    log = list(history_of(draft))
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in log] == [
        ("publish", "draft", "published", town_head_user),
        ("withdraw", "published", "withdrawn", county_office_user),
        ("return_to_draft", "withdrawn", "draft", town_head_user),
    ]
    assert log[1].reason == "文字错误" and all(e.created_at for e in log)


def test_a_refused_step_is_the_domain_exception_and_records_nothing(draft, town_head_user):
    with pytest.raises(ActionRefused) as refused:
        services.policy_withdraw(policy=draft, user=town_head_user, reason="尚未发布")
    assert refused.value.code == "state"
    draft.refresh_from_db()
    assert draft.status == "draft" and not history_of(draft).exists()
