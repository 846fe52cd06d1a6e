"""Guide downloads are built by the queue's worker, not in the request, and survive a restart
of the web server (the job is a row in PostgreSQL until a worker has built the files)."""

import pytest
from django.core.management import call_command
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from guide.downloads import edition_path
from guide.models import GuideEdition
from tests.guide.factories import GuideEditionFactory, ServiceItemFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rebuild_button_queues_the_build_and_the_worker_makes_the_files(settings, login, county_office_user):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.GUIDE_BUILD_IN_BACKGROUND = True
    edition = GuideEditionFactory(title="2026年版", slug="2026")
    ServiceItemFactory(edition=edition, name="企业设立登记")
    client = login(county_office_user)
    response = client.post(reverse("admin:guide_guideedition_rebuild", args=[edition.pk]), follow=True)
    assert "后台重新生成" in response.content.decode()
    assert not default_storage.exists(edition_path(edition, "pdf"))  # nothing built in the request
    job = DBTaskResult.objects.get(task_path="guide.tasks.build_guide_files")
    assert job.status == "READY"

    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL" and job.return_value == "all"
    assert default_storage.exists(edition_path(edition, "pdf")) and default_storage.exists(
        edition_path(edition, "docx")
    )
    assert GuideEdition.objects.get(pk=edition.pk).files_built_at is not None
