"""The one check of every uploaded file, and stored files served only through views.

check_upload: the kind is read from the content (magic bytes, via `filetype`), the name's
extension must agree with it, the size is capped by settings.UPLOAD_MAX_BYTES, and each field
says which kinds it takes. ProtectedFileField: a FileField whose `.url` is a download view
that asks the access rule — never a /media/ address (which the server does not serve).
"""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Word/Excel (.doc/.xls) container
# kind → {extension: content type served}, and the content types its bytes may show.
KINDS = {
    "pdf": ({".pdf": "application/pdf"}, {"application/pdf"}),
    "image": ({".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}, {"image/jpeg", "image/png"}),
    "word": (
        {
            ".doc": "application/msword",
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        },
        {
            "application/x-ole-storage",
            "application/msword",
            "application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        },
    ),
    "excel": (
        {
            ".xls": "application/vnd.ms-excel",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
        {
            "application/x-ole-storage",
            "application/vnd.ms-excel",
            "application/zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    ),
}
DOCUMENTS = ("pdf", "image", "word", "excel")
KIND_LABELS = {"pdf": "PDF", "image": "JPEG/PNG", "word": "Word", "excel": "Excel"}


def max_bytes():
    return settings.UPLOAD_MAX_BYTES


def _extension(name):
    name = (name or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def _sniffed(head):
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(upload, kinds=DOCUMENTS):
    """Return the content type to serve the file with, or raise ValidationError (a message
    naming the file). `kinds`: which of KINDS this field takes."""
    name = getattr(upload, "name", "") or ""
    size = upload.size
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(mb)d MB.") % {"name": name, "mb": limit // (1024 * 1024)}, code="too_large"
        )
    if size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    extension = _extension(name)
    sniffed = _sniffed(head)
    for kind in kinds:
        extensions, contents = KINDS[kind]
        if extension in extensions and sniffed in contents:
            return extensions[extension]
    raise ValidationError(
        _("%(name)s is not accepted: only %(kinds)s files whose name matches their content.")
        % {"name": name, "kinds": "、".join(KIND_LABELS[k] for k in kinds)},
        code="kind",
    )


@deconstructible
class UploadValidator:
    """check_upload as a model/form field validator."""

    def __init__(self, kinds=DOCUMENTS):
        self.kinds = tuple(kinds)

    def __call__(self, value):
        # Only a new upload is checked; a file already stored was checked when it came in.
        if not getattr(value, "_committed", False):
            check_upload(value, self.kinds)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds


def safe_name(name):
    name = (name or "file").replace("/", "_").replace("\\", "_").replace("\x00", "").strip()
    return name[-150:] or "file"


class ProtectedFieldFile(FieldFile):
    @property
    def url(self):
        self._require_file()
        return self.field.download_url(self.instance)


class ProtectedFileField(models.FileField):
    """A stored file whose link is `download_view` (given the instance's `lookup` attribute,
    and the field's name when `with_field_name`), so that every link asks the access rule."""

    attr_class = ProtectedFieldFile

    def __init__(self, *args, download_view="", lookup="pk", with_field_name=False, **kwargs):
        self.download_view, self.lookup, self.with_field_name = download_view, lookup, with_field_name
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(download_view=self.download_view, lookup=self.lookup)
        if self.with_field_name:
            kwargs["with_field_name"] = True
        return name, path, args, kwargs

    def download_url(self, instance):
        args = [getattr(instance, self.lookup)] + ([self.name] if self.with_field_name else [])
        return reverse(self.download_view, args=args)


def download_response(request, perm, obj, field="file", filename=None, content_type=None, *, granted=False):
    """The one way a view serves a stored file, `obj`'s file field `field`: only when the rule
    says so, `request.user.has_perm(perm, obj)` (<app>/rules.py), or the view holds a grant of
    its own (`granted`, e.g. a tracking number looked up in this session). Otherwise, and when
    there is no file, 404. Always an attachment (named `filename`, else the stored name), never
    sniffed, run or cached by others."""
    if obj is None or not (granted or request.user.has_perm(perm, obj)):
        raise Http404
    fieldfile = getattr(obj, field, None)
    if not fieldfile:
        raise Http404
    filename = filename or fieldfile.name.rsplit("/", 1)[-1]
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_name(filename),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
