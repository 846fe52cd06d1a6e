"""Background work (portal/core/queue.py, portal/core/tasks.py, portal/core/messaging.py): no request waits
for the mail server, a message that cannot be delivered now is delivered later, exactly once,
and a job that fails for good is shown to the county office with a button to run it again."""

import email
import email.policy
import io
import socket
import time
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from liaison.models import Matter
from portal.core import messaging, sms
from portal.core.tasks import deliver_email


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def queue_in_database(settings):
    """The production set-up: jobs stored in PostgreSQL, run by the worker; SMTP on a loopback
    port where no server listens yet; retries one second apart."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_RETRY_FIRST_DELAY = 1
    settings.TASKS_RETRY_ATTEMPTS = 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_succeeds_while_smtp_refuses_and_the_mail_arrives_once_smtp_is_back(
    queue_in_database, client, login, enterprise_user
):
    login(enterprise_user)
    started = time.monotonic()
    response = client.post(
        reverse("liaison:submit"),
        {
            "title": "用电报装",
            "description": "新厂房需要报装用电",
            "category": "labour",
            "urgency": "normal",
            "contact_name": "陈经理",
            "contact_phone": "13800000000",
            "contact_email": "chen@example.com",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert time.monotonic() - started < 3  # the request never talked to the mail server
    matter = Matter.objects.get()
    job = DBTaskResult.objects.get(task_path="portal.core.tasks.deliver_email")
    assert job.status == "READY" and job.args_kwargs["args"][0]["to"] == ["chen@example.com"]

    run_worker()  # SMTP refuses: the job is put back for later, nothing is lost
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.return_value["retry"] == 2
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=queue_in_database.EMAIL_PORT)
    smtp.start()
    try:
        time.sleep(1.2)  # the retry's time has come
        run_worker()
        run_worker()  # nothing is left to send twice
    finally:
        smtp.stop()
    assert len(inbox.messages) == 1
    delivered = inbox.messages[0]
    assert delivered.rcpt_tos == ["chen@example.com"]
    parsed = email.message_from_bytes(delivered.content, policy=email.policy.default)
    assert matter.tracking_number in parsed["Subject"]
    assert "查询码：" in parsed.get_content()
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_that_keeps_failing_stops_after_its_attempts_and_is_marked_failed(queue_in_database):
    queue_in_database.TASKS_RETRY_FIRST_DELAY = 0
    messaging.send_email(subject="测试", body="正文", to=["a@example.com"])
    run_worker()  # three attempts, no delay between them in this test, then a final failure
    jobs = DBTaskResult.objects.order_by("enqueued_at")
    assert [j.status for j in jobs] == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]
    assert "ConnectionRefusedError" in jobs[2].exception_class_path


@pytest.mark.django_db
def test_a_mail_is_queued_in_the_transaction_of_the_step_and_rolled_back_with_it(queue_in_database):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        messaging.send_email(subject="测试", body="正文", to=["a@example.com"])
        raise RuntimeError("the step failed")
    assert not DBTaskResult.objects.exists()
    messaging.send_email(subject="测试", body="正文", to=["a@example.com"])
    assert DBTaskResult.objects.get().task_path == deliver_email.module_path


def test_text_messages_go_only_to_mobile_numbers():
    sms.outbox.clear()
    assert messaging.send_text(mobile="+86 138-0000-1234", text="您的诉求已受理") is True
    assert messaging.send_text(mobile="0763-5812345", text="座机不发短信") is False
    assert [(m.mobile, m.text) for m in sms.outbox] == [("13800001234", "您的诉求已受理")]


@pytest.mark.django_db
def test_loading_the_demo_county_queues_no_message_for_its_made_up_people(queue_in_database, monkeypatch):
    """The demo's matters go through the services, which notify the people concerned; seeding
    must not leave the worker `./run start` starts hundreds of mails and texts to send."""
    import types

    from portal.management.commands import seed_demo

    def build(stdout):
        messaging.send_email(subject="演示", body="正文", to=["demo@example.com"])
        messaging.send_text(mobile="13800001234", text="演示短信")

    def fake_import(name):
        if name == "portal.demo":
            return types.SimpleNamespace(build=build)
        raise ModuleNotFoundError(name=name)

    monkeypatch.setattr(seed_demo.importlib, "import_module", fake_import)
    call_command("seed_demo", stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()
    messaging.send_email(subject="测试", body="正文", to=["a@example.com"])  # and afterwards, mail goes again
    assert DBTaskResult.objects.count() == 1


def _failed_mail(to="a@example.com"):
    """A mail job that has used up its attempts."""
    messaging.send_email(subject="测试", body="正文", to=[to])
    job = DBTaskResult.objects.get(args_kwargs__args__0__to=[to])
    job.set_failed(ConnectionRefusedError(111, "Connection refused"))
    return job


@pytest.mark.django_db
def test_the_county_office_sees_failed_jobs_and_runs_one_again(
    queue_in_database, login, county_office_user, django_assert_max_num_queries
):
    job = _failed_mail()
    client = login(county_office_user)
    url = reverse("admin:portal_backgroundjob_changelist")
    page = client.get(url, {"status": "FAILED"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "a@example.com" in html and "ConnectionRefusedError" in html and "重试" in html
    for n in range(5):
        _failed_mail(f"b{n}@example.com")
    with django_assert_max_num_queries(20):  # the same few queries for 1 or 6 jobs
        assert client.get(url, {"status": "FAILED"}).status_code == 200

    response = client.post(reverse("admin:portal_backgroundjob_retry", args=[job.pk]))
    assert response.status_code == 302
    assert not DBTaskResult.objects.filter(pk=job.pk).exists()
    again = DBTaskResult.objects.get(args_kwargs__args__0__to=["a@example.com"])
    assert again.status == "READY" and again.args_kwargs["kwargs"] == {}
    # A job that has not failed cannot be "retried" into a second copy.
    client.post(reverse("admin:portal_backgroundjob_retry", args=[again.pk]))
    assert DBTaskResult.objects.filter(args_kwargs__args__0__to=["a@example.com"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["town_staff_user", "town_head_user", "department_staff_user"])
def test_other_officials_neither_see_nor_retry_background_jobs(queue_in_database, login, who, request):
    job = _failed_mail()
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("admin:portal_backgroundjob_changelist")).status_code == 403
    assert client.post(reverse("admin:portal_backgroundjob_retry", args=[job.pk])).status_code == 403
    assert DBTaskResult.objects.get(pk=job.pk).status == "FAILED"
    assert "backgroundjob" not in client.get(reverse("admin:index")).content.decode()
