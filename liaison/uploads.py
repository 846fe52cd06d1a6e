"""Attachment checks: the type is read from the content (not the name), the size is capped."""
import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
MAX_FILES = 5


def max_bytes():
    return getattr(settings, "LIAISON_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def check_upload(upload):
    """Return the MIME type read from the file's content, or raise ValidationError."""
    size = upload.size
    if size > max_bytes():
        raise ValidationError(_("%(name)s is larger than %(limit)d MB.")
                              % {"name": upload.name, "limit": max_bytes() // (1024 * 1024)})
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(_("%(name)s is not a PDF, image, Word or Excel file.") % {"name": upload.name})
    return kind.mime


def safe_name(name):
    name = (name or "file").replace("/", "_").replace("\\", "_").strip()
    return name[-150:] or "file"
