"""The guide's downloadable files: built when an edition or an item changes, kept under
MEDIA_ROOT/guide/downloads/, served from stable addresses.

Files per public edition: the whole guide, each department's chapter and each item, each as
PDF and DOCX. They always hold approved content only (selectors.document_content).
"""
import logging
import os
import tempfile
import threading
from urllib.parse import quote

from django.conf import settings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone

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
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(data))
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
    both are None). The whole guide takes tens of seconds for a big edition, so after an
    approval it is rebuilt in a background thread (settings.GUIDE_BUILD_IN_BACKGROUND) while
    the previous file keeps being served."""
    if not edition.is_public:
        return
    if background is None:
        background = getattr(settings, "GUIDE_BUILD_IN_BACKGROUND", not settings.DEBUG) and items is not None
    approved = ServiceItem.objects.public_in(edition).select_related("department")
    if departments is None and items is None:
        departments = {i.department_id: i.department for i in approved}.values()
        items = list(approved)
    for department in departments or []:
        build_department_files(edition, department)
    for item in items or []:
        build_item_files(edition, item)
    if background:
        _schedule_whole(edition.pk)
    else:
        build_whole_guide(edition)


def build_whole_guide(edition):
    build_edition_files(edition)
    GuideEdition.objects.filter(pk=edition.pk).update(files_built_at=timezone.now())


_build_lock = threading.Lock()
_pending_lock = threading.Lock()
_pending = set()


def _schedule_whole(edition_pk):
    """Queue one rebuild per edition: approvals in quick succession share the queued build
    (it reads the database when it starts, so it includes them all)."""
    with _pending_lock:
        if edition_pk in _pending:
            return
        _pending.add(edition_pk)
    threading.Thread(target=_build_whole_in_thread, args=(edition_pk,), daemon=True).start()


def _build_whole_in_thread(edition_pk):
    from django.db import connection

    try:
        with _build_lock:
            with _pending_lock:
                _pending.discard(edition_pk)
            build_whole_guide(GuideEdition.objects.get(pk=edition_pk))
    except Exception:  # logged; the previous file stays in place
        logger.exception("building the guide edition %s failed", edition_pk)
    finally:
        connection.close()


def file_response(path, filename, fmt, build):
    """Serve a stored file; build it first if it is missing (e.g. MEDIA_ROOT was emptied)."""
    if not default_storage.exists(path):
        logger.warning("guide download %s missing; building it now", path)
        build()
    response = FileResponse(default_storage.open(path, "rb"), content_type=FORMATS[fmt])
    ascii_name = f"guide.{fmt}"
    response["Content-Disposition"] = (f"attachment; filename=\"{ascii_name}\"; "
                                       f"filename*=UTF-8''{quote(filename)}")
    return response
