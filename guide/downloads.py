"""The guide's downloadable files: built when an edition or an item changes, kept in the
default storage under guide/downloads/ (MEDIA_ROOT, or the S3 bucket), served from stable
addresses.

Files per public edition: the whole guide, each department's chapter and each item, each as
PDF and DOCX. They always hold approved content only (selectors.document_content).
"""

import datetime
import logging
import os
import tempfile
from urllib.parse import quote

from django.conf import settings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone

from portal.core.queue import enqueue

from .models import GuideEdition, ServiceItem
from .selectors import document_content

logger = logging.getLogger(__name__)

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def edition_path(edition, fmt):
    return f"guide/downloads/{edition.slug}/guide.{fmt}"


def department_path(edition, department, fmt):
    return f"guide/downloads/{edition.slug}/departments/{department.pk}.{fmt}"


def item_path(edition, item_pk, fmt):
    return f"guide/downloads/{edition.slug}/items/{item_pk}.{fmt}"


def edition_filename(edition, fmt):
    return f"清新县企业服务指南（{edition.title}）.{fmt}"


def department_filename(edition, department, fmt):
    return f"清新县企业服务指南（{edition.title}）—{department.name}.{fmt}"


def item_filename(item, fmt):
    return f"办事指南—{item.name}（{item.department.name}）.{fmt}"


def render(content, fmt):
    if fmt == "pdf":
        from .documents.pdf import build_pdf

        return build_pdf(content)
    from .documents.docx import build_docx

    return build_docx(content)


def _store(path, data):
    """Replace the file in one step where the storage is a local directory, so a download never
    reads a half-written file."""
    try:
        target = default_storage.path(path)
    except NotImplementedError:
        target = None
    if target is None:
        # Object storage (S3): one PUT replaces the object whole, and readers see the old file
        # or the new one. _save() keeps the name (save() would pick a free one beside it).
        default_storage._save(path, ContentFile(data))
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)


def build_edition_files(edition):
    content = document_content(edition)
    for fmt in FORMATS:
        _store(edition_path(edition, fmt), render(content, fmt))


def build_department_files(edition, department):
    content = document_content(edition, department=department)
    for fmt in FORMATS:
        _store(department_path(edition, department, fmt), render(content, fmt))


def build_item_files(edition, item):
    content = document_content(edition, item=item)
    for fmt in FORMATS:
        _store(item_path(edition, item.pk, fmt), render(content, fmt))


def remove_item_files(*, edition, item_pk):
    for fmt in FORMATS:
        path = item_path(edition, item_pk, fmt)
        if default_storage.exists(path):
            default_storage.delete(path)


def edition_build_files(*, edition, departments=None, items=None, background=None):
    """Rebuild the given items and departments' chapters, then the whole guide (everything when
    both are None). The whole guide takes tens of seconds for a big edition, so a page
    (approval, publication, the rebuild button) queues the build as a background job
    (settings.GUIDE_BUILD_IN_BACKGROUND, default on) while the previous files keep being
    served; the job survives a restart of the web server."""
    if not edition.is_public:
        return
    if background is None:
        background = getattr(settings, "GUIDE_BUILD_IN_BACKGROUND", True)
    if background:
        from .tasks import build_guide_files

        enqueue(
            build_guide_files,
            edition.pk,
            department_ids=None if departments is None else [d.pk for d in departments],
            item_ids=None if items is None else [i.pk for i in items],
            requested_at=timezone.now().isoformat(),
        )
        return
    _build_now(edition, departments, items)


def _build_now(edition, departments, items):
    approved = ServiceItem.objects.public_in(edition).select_related("department")
    if departments is None and items is None:
        departments = {i.department_id: i.department for i in approved}.values()
        items = list(approved)
    for department in departments or []:
        build_department_files(edition, department)
    for item in items or []:
        build_item_files(edition, item)
    build_whole_guide(edition)


def build_whole_guide(edition):
    # The time the build starts reading: a queued build asked for before it is covered by it.
    started = timezone.now()
    build_edition_files(edition)
    GuideEdition.objects.filter(pk=edition.pk).update(files_built_at=started)


def build_queued(edition_pk, *, department_ids, item_ids, requested_at):
    """The background job's work (guide/tasks.py): the chapters and items named, then the
    whole guide unless a build that started after this one was asked for has made it."""
    edition = GuideEdition.objects.filter(pk=edition_pk).first()
    if edition is None or not edition.is_public:
        return "edition not public"
    approved = ServiceItem.objects.public_in(edition).select_related("department")
    if department_ids is None and item_ids is None:
        _build_now(edition, None, None)
        return "all"
    for department in {
        i.department_id: i.department for i in approved if i.department_id in set(department_ids or [])
    }.values():
        build_department_files(edition, department)
    for item in approved.filter(pk__in=item_ids or []):
        build_item_files(edition, item)
    if edition.files_built_at and edition.files_built_at >= datetime.datetime.fromisoformat(requested_at):
        return "whole guide already built since"
    build_whole_guide(edition)
    return "built"


def file_response(path, filename, fmt, build):
    """Serve a stored file; build it first if it is missing (e.g. the storage was emptied)."""
    if not default_storage.exists(path):
        logger.warning("guide download %s missing; building it now", path)
        build()
    response = FileResponse(default_storage.open(path, "rb"), content_type=FORMATS[fmt])
    ascii_name = f"guide.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response
