"""Search reindexing is background work (portal/core/queue.py): a save queues a job, the request
does not segment and index; the worker brings the index up to date, retrying like the mail."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from guide.models import LeaderDuty
from policies import services as policy_services
from portal.models import SearchDocument
from tests.guide.factories import GuideEditionFactory
from tests.policies.factories import DraftFactory


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload", verbosity=0)


def jobs(task_path):
    return DBTaskResult.objects.filter(task_path=task_path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_a_policy_queues_its_reindexing_and_the_worker_indexes_it(queue_in_database, town, town_head_user):
    draft = DraftFactory(unit=town, title="关于企业用电报装提速的通知")
    policy_services.policy_publish(policy=draft, user=town_head_user)
    assert not SearchDocument.objects.filter(kind="policy", key=str(draft.pk)).exists()  # not in the request
    job = jobs("policies.tasks.reindex_policy").get()
    assert job.status == "READY" and job.args_kwargs["args"] == [draft.pk]

    run_worker()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert SearchDocument.objects.get(kind="policy", key=str(draft.pk)).title == "关于企业用电报装提速的通知"

    policy_services.policy_withdraw(policy=draft, user=town_head_user, reason="已被新文件替代")
    assert SearchDocument.objects.filter(kind="policy", key=str(draft.pk)).exists()
    run_worker()
    assert not SearchDocument.objects.filter(kind="policy", key=str(draft.pk)).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_leaders_duty_saved_in_the_admin_queues_the_directory_reindexing(
    queue_in_database, login, county_office_user, county_office_unit
):
    from django.urls import reverse

    edition = GuideEditionFactory(title="2026年版", slug="2026")
    client = login(county_office_user)
    response = client.post(
        reverse("admin:guide_leaderduty_add"),
        {
            "edition": edition.pk,
            "level": "county",
            "unit": county_office_unit.pk,
            "name": "李四",
            "post": "副县长",
            "duties": "负责工业和信息化工作",
            "units_in_charge": "县工业和信息化局",
            "liaison_enterprises": "",
            "office_phone": "0763-5800000",
            "sort_order": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    duty = LeaderDuty.objects.get(name="李四")
    assert jobs("guide.tasks.reindex_directory").count() == 1
    assert not SearchDocument.objects.filter(kind="leader", key=str(duty.pk)).exists()
    run_worker()
    assert SearchDocument.objects.filter(kind="leader", key=str(duty.pk)).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rebuild_command_runs_on_the_worker_when_asked(queue_in_database, town):
    DraftFactory(
        unit=town,
        title="关于中小企业融资担保的通知",
        status="published",
        published_at="2026-01-05T09:00+08:00",
        published_on="2026-01-05",
        index_number="TEST/2026-00001",
    )
    call_command("rebuild_search_index", "--background", stdout=open("/dev/null", "w"))
    assert jobs("portal.core.tasks.rebuild_search_index").count() == 1
    assert not SearchDocument.objects.filter(kind="policy").exists()
    run_worker()
    assert SearchDocument.objects.filter(kind="policy").count() == 1


def test_reindex_jobs_retry_like_the_mail():
    from guide.tasks import reindex_directory, reindex_item, unindex_item
    from policies.tasks import reindex_policy
    from portal.core.tasks import deliver_email, rebuild_search_index

    mail_run = deliver_email.func
    for job in (reindex_policy, reindex_item, unindex_item, reindex_directory, rebuild_search_index):
        # retrying_task wraps the function the same way for every job
        assert job.takes_context and job.func.__code__ is mail_run.__code__, job
