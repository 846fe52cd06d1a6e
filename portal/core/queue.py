"""Background work on Django's Tasks API (the django-tasks backport until Django 6).

Tasks are queued with `enqueue()` (or `enqueue_after_commit()`) and run by the worker that `./run start` starts beside
gunicorn (`manage.py db_worker`, or `rqworker` with a Redis queue; see settings.TASKS).
`retrying_task` makes a task that, when it fails, queues itself again later with a
doubling delay; after its last attempt it fails for good and the county office sees it
among the failed jobs in the workspace, with a button to run it again.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)


def enqueue(task_obj, *args, **kwargs):
    """Queue `task_obj`. A queue kept in our PostgreSQL takes the job inside the caller's
    transaction (it is stored, or rolled back, with the data it is about: no job is lost
    between the commit and the queue, none is sent for a refused step); a queue elsewhere
    (Redis) gets it when the transaction commits."""
    if isinstance(task_obj.get_backend(), (DatabaseBackend, ImmediateBackend)):
        return task_obj.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
    return None


def enqueue_after_commit(task_obj, *args, **kwargs):
    """Queue a job that reads what the current transaction writes (e.g. reindexing a saved
    policy). A queue in our PostgreSQL takes it inside the transaction, as `enqueue` does (its
    worker sees it only after the commit); any other backend gets it once the transaction has
    committed — the immediate backend of the tests then runs it on the committed rows."""
    if isinstance(task_obj.get_backend(), DatabaseBackend):
        return task_obj.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
    return None


def retry_delay(attempt):
    """Seconds before attempt `attempt + 1`: TASKS_RETRY_FIRST_DELAY, doubling each time."""
    return settings.TASKS_RETRY_FIRST_DELAY * 2 ** (attempt - 1)


def retrying_task(*, attempts=None, **options):
    """Like `@task`, but a failure queues the job again (after `retry_delay`) until
    `attempts` (settings.TASKS_RETRY_ATTEMPTS) have been made; the last failure is final.

    The attempt number travels as the job's `attempt` keyword argument. A backend that
    cannot defer a job (the immediate one of the tests) makes one attempt."""

    def decorate(func):
        def run(context, *args, attempt=1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                limit = attempts or settings.TASKS_RETRY_ATTEMPTS
                current = context.task_result.task
                if attempt >= limit or not current.get_backend().supports_defer:
                    logger.error("%s failed for good after %d attempts: %r", func.__name__, attempt, error)
                    raise
                delay = retry_delay(attempt)
                run_after = timezone.now() + datetime.timedelta(seconds=delay)
                current.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
                logger.warning(
                    "%s failed (attempt %d of %d: %r); trying again in %d s",
                    func.__name__,
                    attempt,
                    limit,
                    error,
                    delay,
                )
                return {"retry": attempt + 1, "run_after": run_after.isoformat(), "error": repr(error)}

        # The queue finds a task by its module path: `run` must carry the function's name.
        run.__name__, run.__qualname__ = func.__name__, func.__qualname__
        run.__module__, run.__doc__ = func.__module__, func.__doc__
        return task(takes_context=True, **options)(run)

    return decorate


def job_retry(*, job):
    """Run a job that failed for good again from its first attempt (the county office's
    button among the failed jobs): a new job with the same task and arguments is queued
    and the failed one removed, so the list shows only failures nobody has dealt with."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        job = DBTaskResult.objects.select_for_update().get(pk=job.pk)
        if job.status != "FAILED":
            return None
        kwargs = {k: v for k, v in job.args_kwargs["kwargs"].items() if k != "attempt"}
        task_obj = dataclasses.replace(job.task, run_after=None)
        new = task_obj.enqueue(*job.args_kwargs["args"], **kwargs)
        job.delete()
    return new
