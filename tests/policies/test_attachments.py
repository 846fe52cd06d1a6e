"""Attachments: type checked by content and name, size-limited, always served as downloads."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from policies.models import Attachment
from portal.core.uploads import check_upload

from .factories import PolicyFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_real_pdf_is_accepted():
    assert check_upload(SimpleUploadedFile("通知.pdf", PDF)) == "application/pdf"


@pytest.mark.parametrize(
    "name,content",
    [
        ("evil.pdf", b"<html><script>alert(1)</script></html>"),  # HTML pretending to be a PDF
        ("photo.png", PDF),  # content and name disagree
        ("run.exe", b"MZ\x90\x00"),  # not an allowed type
        ("page.html", b"<html></html>"),
        ("empty.pdf", b""),
    ],
)
def test_bad_files_are_rejected(name, content):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, content))


def test_oversized_file_is_rejected(settings):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (settings.UPLOAD_MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        check_upload(big)


def test_download_is_an_attachment_with_nosniff(client, town, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    policy = PolicyFactory(unit=town)
    attachment = Attachment.objects.create(
        policy=policy, title="申报表", file=SimpleUploadedFile("form.png", PNG), content_type="image/png", size=len(PNG)
    )
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_admin_upload_of_a_disguised_file_shows_an_error(login, town, town_head_user, settings, tmp_path):
    from django.urls import reverse

    from .test_admin import _form_data

    settings.MEDIA_ROOT = tmp_path
    policy = PolicyFactory(unit=town)
    data = _form_data(
        policy,
        change_note="添加附件",
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "附件",
            "attachments-0-sort_order": "0",
            "attachments-0-file": SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"),
        },
    )
    response = login(town_head_user).post(reverse("admin:policies_policy_change", args=[policy.pk]), data)
    assert response.status_code == 200
    assert "文件内容与文件名" in response.content.decode() or "does not match" in response.content.decode()
    assert not Attachment.objects.filter(policy=policy).exists()
