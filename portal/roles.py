"""Role groups and their permissions.

Each app declares, on its AppConfig, `role_permissions = {role: [perm codename, ...]}`
using "app_label.codename" strings. sync_role_groups() collects them into one Django group
per role; it runs after every migrate and from `manage.py sync_roles`.
"""
from django.apps import apps

from .models import Official

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


def sync_role_groups(**kwargs):
    from django.contrib.auth.models import Group, Permission

    for role, perms in collected_permissions().items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        objs = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                objs.append(permission)
        group.permissions.set(objs)


def group_for(role):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]

