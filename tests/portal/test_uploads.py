"""One upload check for every upload (content decides the kind, UPLOAD_MAX_BYTES the size),
and every stored file reachable through a view that asks the access rule."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from portal.core.uploads import ProtectedFileField, UploadValidator, check_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_the_content_decides_and_must_match_the_name():
    assert check_upload(SimpleUploadedFile("通知.pdf", PDF)) == "application/pdf"
    assert check_upload(SimpleUploadedFile("照片.PNG", PNG)) == "image/png"
    for name, content in [
        ("通知.pdf", b"<html><script>alert(1)</script></html>"),
        ("照片.png", PDF),
        ("x.exe", b"MZ\x90\x00"),
        ("说明.pdf", b""),
    ]:
        with pytest.raises(ValidationError):
            check_upload(SimpleUploadedFile(name, content))


def test_a_field_takes_only_its_kinds():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("通知.pdf", PDF), kinds=("image",))


def test_the_size_limit_is_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 1024))
    assert "big.pdf" in error.value.messages[0]
    settings.UPLOAD_MAX_BYTES = 10 * 1024
    assert check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 1024))


# Kept only while an upload waits for its form to be corrected; never linked.
UNLINKED = {("liaison", "heldupload", "file")}


def test_every_stored_file_is_checked_and_linked_through_a_view():
    fields = [
        (m._meta.app_label, m._meta.model_name, f)
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField) and not m._meta.model_name.startswith("historical")
    ]
    assert len(fields) >= 5
    for app, model, field in fields:
        if (app, model, field.name) in UNLINKED:
            continue
        assert isinstance(field, ProtectedFileField), (app, model, field.name)
        assert any(isinstance(v, UploadValidator) for v in field.validators), (app, model, field.name)
