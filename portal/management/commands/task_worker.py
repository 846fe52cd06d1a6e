"""The background-job worker for the configured queue (settings.TASKS): `./run start` runs
one beside gunicorn; run one more per extra server if wanted (each claims jobs safely).

    manage.py task_worker            # until stopped
    manage.py task_worker --burst    # run what is due now, then stop
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class Command(BaseCommand):
    help = "Run the background-job worker of the configured task queue until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Run the jobs due now, then stop.")

    def handle(self, *args, burst=False, **options):
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        name = type(backend).__name__
        if name == "DatabaseBackend":
            extra = ["--batch", "--no-startup-delay"] if burst else []
            call_command(
                "db_worker",
                "--queue-name",
                "*",
                "--no-reload",
                "--interval",
                "1",
                *extra,
                verbosity=options["verbosity"],
            )
        elif name == "RQBackend":
            # RQ's worker runs a job only through django-tasks-rq's Job class; its scheduler
            # moves the deferred jobs (the retries) into the queue when they are due.
            extra = ["--burst"] if burst else []
            call_command(
                "rqworker",
                "--with-scheduler",
                "--job-class",
                "django_tasks_rq.Job",
                *extra,
                *sorted(backend.queues),
                verbosity=options["verbosity"],
            )
        else:
            self.stdout.write(f"The {name} task backend runs jobs itself; no worker needed.")
