"""Role groups: after migrate each group holds every permission the apps declare for its role,
the apps after portal (liaison, surveys, visits) included."""

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal
from django.db.models.signals import post_migrate

from portal.core.roles import GROUP_NAMES, collected_permissions, last_migrated_app_config


def group_permissions(role):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=GROUP_NAMES[role]).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_after_migrate_every_group_holds_every_declared_permission(db):
    for role, declared in collected_permissions().items():
        assert group_permissions(role) == declared, role


def test_after_migrate_the_groups_hold_the_visits_and_liaison_permissions(db):
    office, staff, leader = (group_permissions(role) for role in ("county_office", "unit_staff", "county_leader"))
    assert {
        "visits.add_visit",
        "visits.add_liaisonassignment",
        "visits.view_reminderlog",
        "liaison.assign_matter",
        "surveys.add_survey",
    } <= office
    assert {"visits.add_visit", "visits.add_visitproblem", "liaison.view_matter"} <= staff
    assert "liaison.assign_matter" not in staff and "visits.view_reminderlog" not in staff
    assert {"visits.add_visit", "visits.add_appointment"} <= leader


def test_the_groups_are_synced_once_after_the_last_apps_post_migrate(db):
    for group in Group.objects.filter(name__in=GROUP_NAMES.values()):
        group.permissions.clear()
    portal = apps.get_app_config("portal")
    post_migrate.send(
        sender=portal, app_config=portal, verbosity=0, interactive=False, using="default", apps=apps, plan=[]
    )
    assert group_permissions("county_office") == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for role, declared in collected_permissions().items():
        assert group_permissions(role) == declared, role


def test_the_last_app_to_migrate_is_the_last_installed_app_with_models():
    last = last_migrated_app_config()
    assert last.models_module is not None
    later = list(apps.get_app_configs())
    assert all(config.models_module is None for config in later[later.index(last) + 1 :])
