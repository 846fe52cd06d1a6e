"""Plain Chinese on the officials' pages of the matter and visit flows (issue 13, item 12):
no English-looking text, no "None", no constraint names, no false "does not exist"."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from liaison import clock, workflow
from portal.models import Official
from tests.factories import OfficialFactory
from tests.liaison.factories import Actors, make_matter

# Words that are Chinese pages' own: units, formats, codes.
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "Excel",
    "Word",
    "ID",
    "QQ",
    "OK",
    "URL",
    "TOTP",
    "APP",
    "GB",
    "KB",
    "MB",
    "Ctrl",
    "Control",
    "Command",
    "Mac",
}


class _Text(HTMLParser):
    """The visible text of a page (no script, style or attribute values)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg", "code", "pre"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_looking(html, known=()):
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in known:  # data typed by people (names, e-mails, tracking numbers) is theirs
        text = text.replace(value, " ")
    found = []
    for word in re.findall(r"(?<![A-Za-z0-9@._-])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9@._-])", text):
        if word not in ALLOWED:
            found.append(word)
    for slip in ("None", "不存在", "约束", "是无效的", "复印件", "变化"):
        if slip in text and slip not in found:
            found.append(slip)
    return found


@pytest.fixture
def flow(town_staff_user, county_office_user, department, department_staff_user, enterprise_user, enterprise, town):
    actors = Actors(
        town_user=town_staff_user,
        office_user=county_office_user,
        department=department,
        department_user=department_staff_user,
        enterprise_user=enterprise_user,
    )
    with clock.travel(datetime.date(2026, 3, 2)):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED)
    return actors, matter


def _known(*objects):
    values = []
    for obj in objects:
        for name in ("tracking_number", "name", "email", "username", "uscc", "title"):
            value = getattr(obj, name, None)
            if isinstance(value, str) and value:
                values.append(value)
    return values


@pytest.mark.django_db
def test_the_matter_pages_read_in_chinese(login, flow, county_office_user, department_staff_user, enterprise):
    actors, matter = flow
    known = _known(matter, enterprise, county_office_user, department_staff_user, actors.department)
    pages = {
        county_office_user: [
            reverse("admin:liaison_matter_changelist"),
            reverse("admin:liaison_matter_queue"),
            reverse("admin:liaison_matter_change", args=[matter.pk]),
            reverse("admin:liaison_matter_figures"),
            reverse("admin:liaison_matter_ledgers"),
            reverse("admin:liaison_matter_record"),
            reverse("admin:liaison_matter_act", args=[matter.pk, "supervise"]),
        ],
        department_staff_user: [reverse("admin:liaison_matter_change", args=[matter.pk])]
        + [
            reverse("admin:liaison_matter_act", args=[matter.pk, a])
            for a in ("return_assignment", "request_extension", "request_supplement", "reply", "note")
        ],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found = english_looking(response.content.decode(), known)
            assert found == [], (url, found)


@pytest.mark.django_db
def test_a_return_ends_on_the_list_with_only_the_success_message(login, flow, department_staff_user):
    actors, matter = flow
    client = login(department_staff_user)
    with clock.travel(datetime.date(2026, 3, 3)):
        response = client.post(
            reverse("admin:liaison_matter_act", args=[matter.pk, "return_assignment"]),
            {"reason": "不属于本局职责"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("admin:liaison_matter_changelist")
    page = response.content.decode()
    assert "已完成" in page and "不存在" not in page


@pytest.mark.django_db
def test_the_visit_pages_read_in_chinese(login, town_staff_user, county_office_user, enterprise, town):
    from visits.models import LiaisonAssignment

    cadre = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF, name="林海燕")
    LiaisonAssignment.objects.create(
        official=cadre,
        enterprise=enterprise,
        unit=town,
        kind=LiaisonAssignment.Kind.CADRE,
        start_date=datetime.date(2026, 1, 5),
    )
    known = _known(enterprise, town_staff_user, county_office_user, cadre, town)
    client = login(town_staff_user)
    for name in ("visit", "appointment", "liaisonassignment", "meeting"):
        for url in (reverse(f"admin:visits_{name}_changelist"), reverse(f"admin:visits_{name}_add")):
            response = client.get(url)
            assert response.status_code == 200, url
            found = english_looking(response.content.decode(), known)
            assert found == [], (url, found)
    # the same enterprise twice for the same cadre: a plain Chinese refusal, no constraint name
    response = client.post(
        reverse("admin:visits_liaisonassignment_add"),
        {"official": cadre.pk, "enterprise": enterprise.pk, "start_date": "2026-03-02", "note": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "visits_assignment_one_open_per_pair" not in page
    assert "该干部已在联系这家企业" in page
    assert english_looking(page, known) == []


@pytest.mark.django_db
def test_the_key_enterprise_badge_says_key_enterprise(login, county_office_user, enterprise):
    enterprise.is_key = True
    enterprise.save(update_fields=["is_key"])
    client = login(county_office_user)
    for url in (reverse("visits:enterprise_list") + "?key=1", reverse("visits:enterprise_file", args=[enterprise.pk])):
        page = client.get(url).content.decode()
        assert '<span class="badge">重点</span>' in page and ">键<" not in page, url


@pytest.mark.django_db
def test_the_admin_says_change_not_variation(login, county_office_user):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext("Change") == "修改"
        assert translation.gettext("Previous") == "上一页"
        assert translation.pgettext("previous campaign", "Previous") == "上期"
        assert translation.pgettext("survey action", "Copy") == "复制"


@pytest.mark.django_db
def test_a_history_page_shows_no_none_for_a_missing_reason(login, town_staff_user, enterprise, town):
    from tests.visits.factories import VisitFactory

    visit = VisitFactory(
        unit=town, enterprise=enterprise, date=datetime.date(2026, 3, 2), officials=[town_staff_user.official]
    )
    client = login(town_staff_user)
    response = client.get(reverse("admin:visits_visit_history", args=[visit.pk]))
    assert response.status_code == 200
    assert "None" not in english_looking(response.content.decode(), _known(enterprise, town_staff_user, town))
