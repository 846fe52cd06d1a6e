"""Role groups and their permissions.

Each app declares, on its AppConfig, `role_permissions = {role: [perm codename, ...]}`
using "app_label.codename" strings. sync_role_groups() collects them into one Django group
per role; it runs once at the end of every migrate (sync_role_groups_after_migrate) and from
`manage.py sync_roles`.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS

from portal.models import Official

GROUP_NAMES = {
    Official.Role.COUNTY_OFFICE: "县政府办",
    Official.Role.UNIT_HEAD: "单位负责人",
    Official.Role.UNIT_STAFF: "单位工作人员",
    Official.Role.COUNTY_LEADER: "县领导",
}


def collected_permissions():
    wanted = {role: set() for role in GROUP_NAMES}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[role].update(perms)
    return wanted


def sync_role_groups(*, using=DEFAULT_DB_ALIAS):
    from django.contrib.auth.models import Group, Permission

    for role, perms in collected_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAMES[role])
        objs = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            permission = (
                Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
            )
            if permission is not None:
                objs.append(permission)
        group.permissions.set(objs)


def last_migrated_app_config():
    """The app whose post_migrate signal comes last: migrate (and flush) send one per installed
    app that has a models module, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if config.models_module is not None][-1]


def sync_role_groups_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver: sync once, after the last app's post_migrate, when every app's
    permissions exist. (Syncing after portal's own migrate, as it once did, ran before the
    permissions of the apps after portal had been made.)"""
    if sender is not last_migrated_app_config():
        return
    # Receivers run in the order they were connected and portal's ready() runs before auth's,
    # so auth has not yet made the last app's own permissions: make them first (idempotent).
    from django.contrib.auth.management import create_permissions

    create_permissions(sender, verbosity=0, using=using, apps=kwargs.get("apps", apps))
    sync_role_groups(using=using)


def group_for(role):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]
