"""The task queue's table (django-tasks-db) as the workspace names it."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class BackgroundJob(DBTaskResult):
    """One job on the queue: a mail, a text message, a guide build. The county office sees
    them (portal/site/admin_jobs.py) and runs a failed one again."""

    class Meta:
        proxy = True
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
