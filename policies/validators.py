"""Attachment checks: the type is decided by the file's content (magic bytes) as well as its
name, and the size is limited."""
import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension → MIME types the content may have (Office files are ZIP or OLE containers).
ALLOWED = {
    "pdf": {"application/pdf"},
    "doc": {"application/x-ole-storage", "application/msword"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    "xls": {"application/x-ole-storage", "application/vnd.ms-excel"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _detected(head):
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_attachment(uploaded):
    """Return (content type, size) or raise ValidationError with a message for the editor."""
    name = (getattr(uploaded, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(_("Only PDF, Word, Excel, JPEG and PNG files may be attached."))
    size = uploaded.size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."))
    if size == 0:
        raise ValidationError(_("The file is empty."))
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if _detected(head) not in ALLOWED[extension]:
        raise ValidationError(_("The file's content does not match its name (.%(ext)s).") % {"ext": extension})
    return CONTENT_TYPES[extension], size
