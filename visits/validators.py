"""Uploads kept with visits: the type is read from the file's first bytes, not its name."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# (magic prefix, content type, allowed extensions)
SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"PK\x03\x04", "application/zip", {".docx", ".xlsx", ".pptx"}),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage", {".doc", ".xls", ".ppt"}),
]
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
}


def _extension(name):
    name = (name or "").lower()
    return name[name.rfind("."):] if "." in name else ""


def sniff_content_type(upload):
    """The content type the file's bytes show, or None when it is not an allowed kind or its
    name's extension does not match its content."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    extension = _extension(getattr(upload, "name", ""))
    for magic, content_type, extensions in SIGNATURES:
        if head.startswith(magic):
            if extension not in extensions:
                return None
            return OFFICE_TYPES.get(extension, content_type)
    return None


def validate_upload(upload):
    limit = getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB."), params={"mb": limit // (1024 * 1024)})
    if sniff_content_type(upload) is None:
        raise ValidationError(_("Only JPEG or PNG photos and PDF, Word or Excel documents can be attached, "
                                "and the file's name must match its content."))
