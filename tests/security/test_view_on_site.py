"""Issue 12 item 6: /admin/r/<ct>/<pk>/ (view on site) asks the object's rule before it reveals
the object's public address (a matter's tracking number, a file's id)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.liaison.factories import make_matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def other_towns_matter(other_enterprise, other_town):
    return make_matter(
        enterprise=other_enterprise,
        received_by=other_town,
        attachments=[SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")],
    )


def _url(obj):
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


def test_official_of_another_unit_gets_no_tracking_number_or_file_id(login, town_staff_user, other_towns_matter):
    client = login(town_staff_user)
    attachment = other_towns_matter.attachments.get()
    for obj, secret in [
        (other_towns_matter, other_towns_matter.tracking_number),
        (attachment, str(attachment.public_id)),
    ]:
        response = client.get(_url(obj))
        assert response.status_code == 404
        assert secret not in response.get("Location", "") + response.content.decode()


def test_the_receiving_unit_is_sent_to_the_matter(login, other_town_staff_user, other_towns_matter):
    client = login(other_town_staff_user)
    response = client.get(_url(other_towns_matter))
    assert response.status_code == 302
    assert other_towns_matter.tracking_number in response["Location"]
    response = client.get(_url(other_towns_matter.attachments.get()))
    assert response.status_code == 302


def test_a_town_cannot_view_on_site_another_towns_enterprise(login, town_staff_user, other_enterprise, enterprise):
    client = login(town_staff_user)
    assert client.get(_url(other_enterprise)).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[9999, 1])).status_code == 404
