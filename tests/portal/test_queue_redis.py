"""The queue in Redis for several app servers (TASKS_URL=redis://…, django-tasks-rq): a job the
portal queues is run by `manage.py task_worker`, a failing one is deferred for its retry.

Runs against the Redis server of the machine (127.0.0.1:6379), in its database 14, which the
test empties of RQ's keys; a lock in Redis keeps two test runs on one machine from sharing it."""

import subprocess
import sys
import uuid

import pytest
import redis
from django.db import connection

from portal.core import messaging
from portal.core.queue import retrying_task
from tests.e2e.conftest import BASE_DIR, _database_url, server_environment

REDIS_URL = "redis://127.0.0.1:6379/14"


def empty(conn):
    for key in conn.scan_iter("rq:*"):
        conn.delete(key)


@pytest.fixture
def redis_queue(settings):
    conn = redis.Redis.from_url(REDIS_URL)
    with conn.lock("zqt-tests:redis-queue", timeout=300, blocking_timeout=300):
        empty(conn)
        settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
        settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        yield conn
        empty(conn)


def task_worker(*args):
    """`manage.py task_worker` as a deployed server runs it, configured by TASKS_URL alone."""
    env = server_environment(
        _database_url(connection.settings_dict, connection.settings_dict["NAME"]),
        TASKS_URL=REDIS_URL,
        EMAIL_URL="consolemail://",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "task_worker", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_a_mail_queued_in_redis_is_delivered_by_the_worker(redis_queue, django_capture_on_commit_callbacks):
    subject = f"Redis queue {uuid.uuid4().hex[:8]}"
    with django_capture_on_commit_callbacks(execute=True):
        # Redis is outside the transaction: the job is handed over when it commits.
        assert messaging.send_email(subject=subject, body="hello", to=["a@example.com"]) is None
        assert redis_queue.llen("rq:queue:default") == 0
    assert redis_queue.llen("rq:queue:default") == 1

    result = task_worker("--burst")
    assert result.returncode == 0, result.stderr
    assert f"Subject: {subject}" in result.stdout  # the console mail backend of the worker
    assert redis_queue.llen("rq:queue:default") == 0
    finished = redis_queue.zrange("rq:finished:default", 0, -1)
    assert len(finished) == 1


@retrying_task(attempts=3)
def always_fails():
    raise ConnectionRefusedError("the mail server is away")


@pytest.mark.django_db
def test_a_failing_job_is_scheduled_again_in_redis(redis_queue, settings):
    settings.TASKS_RETRY_FIRST_DELAY = 3600  # the retry must wait: it is only scheduled
    from django_rq import get_queue
    from django_tasks_rq import Job
    from rq import SimpleWorker

    always_fails.enqueue()
    queue = get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    scheduled = queue.scheduled_job_registry.get_job_ids()
    assert len(scheduled) == 1
    retry = Job.fetch(scheduled[0], connection=queue.connection)
    assert retry.kwargs == {"attempt": 2}
