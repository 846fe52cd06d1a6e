"""The officials' workspace index, grouped by task; technical tables under 设置 for the county office only."""

import re

from django.urls import reverse


def _groups(html):
    return re.findall(r'<div class="app-task-(\w+) module', html)


def test_county_office_sees_the_task_groups_in_order_and_the_settings(login, county_office_user):
    html = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert _groups(html) == ["today", "visits", "matters", "policies", "guide", "surveys", "people", "settings"]
    for caption in ("今日待办", "走访企业", "涉企事项", "政策发布", "服务指南", "评议", "设置"):
        assert caption in html
    settings_part = html.split('class="app-task-settings')[1]
    for table in ("搜索索引条目", "搜索同义词", "工作日调整"):
        assert table in settings_part
    assert "走访记录" in html.split('class="app-task-visits')[1].split("app-task-matters")[0]


def test_a_town_cadre_sees_the_tasks_without_the_technical_tables(login, town_staff_user):
    html = login(town_staff_user).get(reverse("admin:index")).content.decode()
    groups = _groups(html)
    assert "settings" not in groups and groups[:2] == ["today", "visits"]
    assert "搜索索引条目" not in html and "工作日调整" not in html


def test_an_apps_own_index_page_is_unchanged(login, county_office_user):
    response = login(county_office_user).get(reverse("admin:app_list", args=["visits"]))
    assert response.status_code == 200 and "走访记录" in response.content.decode()
