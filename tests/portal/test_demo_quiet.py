"""A first `./run start` prints the demo logins last and clearly: building the demo county
queues no mail and no text message (its people and addresses are made up), so the worker
started after it has nothing to print."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from portal.core import messaging


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def notify():
    messaging.send_email(subject="事项已受理", body="…", to=["boss@example.com"])
    messaging.send_text(mobile="13800000000", text="事项已受理")


@pytest.mark.django_db
def test_nothing_is_queued_while_messages_are_held(queue_in_database):
    with messaging.held():
        notify()
    assert not DBTaskResult.objects.exists()
    notify()
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "portal.core.tasks.deliver_email",
        "portal.core.tasks.deliver_text",
    ]


@pytest.mark.django_db
def test_seeding_the_demo_queues_no_message(queue_in_database, monkeypatch):
    import importlib

    names = ["portal.demo", "policies.demo", "guide.demo", "liaison.demo", "liaison.surveys.demo", "visits.demo"]
    built = []
    for module in map(importlib.import_module, names):
        monkeypatch.setattr(module, "build", lambda stdout, name=module.__name__: (built.append(name), notify()))
    call_command("seed_demo", stdout=io.StringIO())
    assert sorted(built) == sorted(names)
    assert not DBTaskResult.objects.filter(task_path__startswith="portal.core.tasks.deliver").exists()
