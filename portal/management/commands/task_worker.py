"""The background-job worker for the configured queue (settings.TASKS): `./run start` runs
one beside gunicorn; run one more per extra server if wanted (each claims jobs safely).

    manage.py task_worker
"""
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class Command(BaseCommand):
    help = "Run the background-job worker of the configured task queue until stopped."

    def handle(self, *args, **options):
        backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
        if backend == "DatabaseBackend":
            call_command("db_worker", "--queue-name", "*", "--no-reload", "--interval", "1")
        elif backend == "RQBackend":
            call_command("rqworker", "--with-scheduler", "default")
        else:
            self.stdout.write(f"The {backend} task backend runs jobs itself; no worker needed.")
