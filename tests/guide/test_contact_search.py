"""A unit's contact entry in the site search follows the unit: an edit (a new phone, a new
name) or a deactivation reaches the search index without a full rebuild."""

from guide import services
from portal.core import search
from portal.models import SearchDocument, Unit


def _contact(unit):
    return SearchDocument.objects.filter(kind="contact", key=str(unit.pk)).first()


def test_a_unit_edit_reindexes_its_contact_entry(db, django_capture_on_commit_callbacks):
    unit = Unit.objects.create(
        name="县测试服务局", kind=Unit.Kind.DEPARTMENT, code="TESTSVC", service_phone="0763-5800001"
    )
    services.directory_reindex()
    assert "0763-5800001" in _contact(unit).body

    unit.service_phone = "0763-5899999"
    unit.name = "县测试企业服务局"
    with django_capture_on_commit_callbacks(execute=True):
        unit.save()

    entry = _contact(unit)
    assert "0763-5899999" in entry.body
    assert entry.title == "县测试企业服务局"
    assert [hit.title for hit in search.search("测试企业服务局", kinds=("contact",)).hits] == ["县测试企业服务局"]

    unit.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        unit.save()
    assert _contact(unit) is None
