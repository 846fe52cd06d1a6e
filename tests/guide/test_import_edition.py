"""The guide import writes into the edition in preparation, and starts one when there is none."""

import io

from django.core.management import call_command
from django.utils import timezone, translation

from guide.imports import ServiceItemImporter
from guide.models import GuideEdition, ServiceItem
from tests.guide.factories import ServiceItemFactory

HEADER = "部门,事项名称,承诺办结时限\n"


def _csv(text):
    return io.BytesIO(("\ufeff" + HEADER + text).encode())


def test_with_no_edition_at_all_the_county_office_import_starts_one_and_says_so(department, county_office_user):
    result = ServiceItemImporter(user=county_office_user).run(_csv(f"{department.name},食品经营许可,5\n"))
    assert result.ok and result.created == 1, result.errors
    edition = GuideEdition.objects.get()
    year = timezone.localdate().year
    assert edition.status == GuideEdition.Status.DRAFT and edition.title == f"{year}年版"
    assert any(f"{year}年版" in m and "新建" in m for m in result.messages), result.messages
    assert ServiceItem.objects.get().edition == edition


def test_the_new_edition_is_a_copy_of_the_current_one_and_the_current_one_is_untouched(
    edition, department, county_office_user
):
    old = ServiceItemFactory(edition=edition, department=department, name="企业设立登记", promised_time_limit=3)
    result = ServiceItemImporter(user=county_office_user).run(_csv(f"{department.name},企业设立登记,1\n"))
    assert result.updated == 1, result.errors
    started = GuideEdition.objects.in_preparation().get()
    assert started.based_on == edition and any(edition.title in m for m in result.messages)
    assert started.items.get(name="企业设立登记").promised_time_limit == 1
    old.refresh_from_db()
    assert old.promised_time_limit == 3
    # The next import goes into the same edition in preparation; no second one is started.
    again = ServiceItemImporter(user=county_office_user).run(_csv(f"{department.name},企业设立登记,2\n"))
    assert again.updated == 1 and GuideEdition.objects.in_preparation().count() == 1
    assert not any("新建" in m for m in again.messages)


def test_a_dry_run_starts_nothing(department, county_office_user):
    result = ServiceItemImporter(user=county_office_user).run(_csv(f"{department.name},食品经营许可,5\n"), dry_run=True)
    assert result.created == 1 and result.messages
    assert not GuideEdition.objects.exists()


def test_the_command_starts_an_edition_and_prints_it(tmp_path, department):
    path = tmp_path / "items.csv"
    path.write_bytes(_csv(f"{department.name},食品经营许可,5\n").getvalue())
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("import_service_items", str(path), stdout=out)
    assert "新建" in out.getvalue() and GuideEdition.objects.in_preparation().exists()


def test_a_department_cannot_start_an_edition_and_gets_a_clear_message(department, department_staff_user):
    result = ServiceItemImporter(user=department_staff_user).run(_csv(f"{department.name},食品经营许可,5\n"))
    assert result.created == 0 and "县政府办" in result.errors[0][1]
    assert not GuideEdition.objects.exists()
