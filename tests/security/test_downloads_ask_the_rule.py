"""Every stored file is served by one function that asks the object's rule (has_perm), never by a
view's own queryset (issue 12: "every stored file is downloadable through a view that asks the
rule"). Refused: another unit's or enterprise's file, anonymous visitors, a session that owes its
second factor; allowed: whoever the rule names."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import OfficialFactory, UserFactory
from tests.liaison.factories import make_matter
from tests.visits.factories import VisitFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _visit_file(town, enterprise, official):
    from visits.models import Attachment

    visit = VisitFactory(unit=town, enterprise=enterprise, officials=[official])
    attachment = Attachment(visit=visit, kind="document", file=SimpleUploadedFile("纪要.pdf", PDF))
    attachment.full_clean()
    attachment.save()
    return attachment


def test_a_visit_file_is_for_whom_the_rule_names(
    client, login, town, enterprise, town_staff_user, other_town_staff_user, county_office_user, enterprise_user
):
    url = _visit_file(town, enterprise, town_staff_user.official).file.url
    assert login(town_staff_user).get(url).status_code == 200
    assert login(county_office_user).get(url).status_code == 200
    assert login(other_town_staff_user).get(url).status_code == 404
    assert login(enterprise_user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_a_visit_file_download_asks_the_rule_not_the_visit_list(login, town, enterprise, town_staff_user):
    """The rule has two halves; the role grant counts too: a role without `view_attachment`
    sees the visit but gets none of its files."""
    url = _visit_file(town, enterprise, town_staff_user.official).file.url
    grant = Permission.objects.get(content_type__app_label="visits", codename="view_attachment")
    for group in town_staff_user.groups.all():
        group.permissions.remove(grant)
    assert login(town_staff_user).get(url).status_code == 404


def test_a_guide_material_file_is_for_whom_the_rule_names(
    client, login, department, other_department, department_staff_user
):
    from guide.models import ServiceItem
    from tests.guide.factories import GuideEditionFactory, ServiceItemFactory

    edition = GuideEditionFactory(title="2026年版", slug="2026")
    draft = ServiceItemFactory(edition=edition, department=department, status=ServiceItem.Status.DRAFT)
    material = draft.materials.first()
    material.blank_form.save("申请书.pdf", ContentFile(PDF), save=True)
    url = material.blank_form.url
    assert login(department_staff_user).get(url).status_code == 200
    assert login(OfficialFactory(unit=other_department).user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_session_that_owes_its_code_gets_no_file_even_as_superuser(client, town, enterprise, town_staff_user):
    """has_perm answers True to any active superuser before any rule is asked: a superuser's
    session that has not given its code must still get nothing."""
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=root, name="phone", confirmed=True)
    matter = make_matter(
        enterprise=enterprise,
        received_by=town,
        attachments=[SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")],
    )
    visit_url = _visit_file(town, enterprise, town_staff_user.official).file.url
    client.force_login(root)
    assert client.get(matter.attachments.get().get_absolute_url()).status_code == 404
    assert client.get(visit_url).status_code == 404


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            yield func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


# Files served without a per-record rule, and why.
FILE_RESPONSE_ALLOWED = {
    "portal/core/uploads.py",  # the one download function; it asks the rule before opening the file
    "guide/downloads.py",  # the guide's generated PDF/DOCX of a public edition: public documents
}


def test_only_the_one_download_function_serves_stored_files():
    """A new download view cannot skip the rule: FileResponse appears only in the download
    function (which asks has_perm) and the public guide documents."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("tests/", ".venv/", "scripts/", "benchmarks/")) or "/migrations/" in relative:
            continue
        calls = set(_calls(ast.parse(path.read_text(encoding="utf-8"))))
        if "FileResponse" in calls and relative not in FILE_RESPONSE_ALLOWED:
            offenders.append(relative)
    assert offenders == []
