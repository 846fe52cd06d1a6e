"""A visit's 走访形式 and a policy interpretation's 解读形式 share the English word "form": each
field names its own meaning (pgettext contexts), on every page that shows it."""

from django.urls import reverse
from django.utils import translation

from policies.models import Interpretation
from visits.models import Visit


def test_each_form_field_has_its_own_chinese_name():
    with translation.override("zh-hans"):
        assert str(Visit._meta.get_field("form").verbose_name) == "走访形式"
        assert str(Interpretation._meta.get_field("form").verbose_name) == "解读形式"


def test_the_visit_list_filters_and_shows_the_form_of_the_visit(login, town_staff_user):
    html = login(town_staff_user).get(reverse("admin:visits_visit_changelist")).content.decode()
    assert "走访形式" in html and "解读形式" not in html


def test_the_policy_page_names_the_form_of_the_interpretation(login, town_staff_user):
    html = login(town_staff_user).get(reverse("admin:policies_policy_add")).content.decode()
    assert "解读形式" in html and "走访形式" not in html
