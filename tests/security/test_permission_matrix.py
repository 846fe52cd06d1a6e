"""The permission matrix (issue 12, "Proof"): every URL pattern of the project, admin included,
is opened by every role against objects of another town, enterprise or department. Roles out
of scope must be turned away (302 to a login or the workspace index, 403, 404, 405); nobody
gets a 5xx. A URL pattern without an entry in the tables below fails the test: a new path
must state who may open it."""

import os
import re
import time
import uuid

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from .matrix_world import ROLES, build

ALL = frozenset(ROLES)
LOGGED_IN = ALL - {"anonymous"}
ENTERPRISES = frozenset({"enterprise", "other_enterprise"})
OFFICIALS = LOGGED_IN - ENTERPRISES
OWNER = frozenset({"other_town_staff", "county_office"})  # 山塘镇 and the county office
OFFICE = frozenset({"county_office"})
TOWNS = frozenset({"town_staff", "town_head", "other_town_staff"})
NOBODY = frozenset()


def w(**kwargs):
    """URL kwargs from the world: values are attribute paths ("matter.tracking_number")."""

    def build_kwargs(world):
        values = {}
        for key, path in kwargs.items():
            value = world
            for part in path.split("."):
                value = getattr(value, part)
            values[key] = value
        return values

    return build_kwargs


def fixed(**kwargs):
    return lambda world: kwargs


NONE = fixed()

# name -> (kwargs from the world, roles that may open it)
PAGES = {
    "sitemap": (NONE, ALL),
    "sitemap_section": (fixed(section="policies"), ALL),
    "robots_txt": (NONE, ALL),
    "favicon": (NONE, ALL),
    "healthz": (NONE, ALL),
    "readyz": (NONE, ALL),
    "set_language": (NONE, ALL),
    "policies:home": (NONE, ALL),
    "policies:list": (NONE, ALL),
    # An unpublished draft: only its own unit and the county office preview it.
    "policies:detail": (w(pk="draft.pk"), OWNER),
    "policies:interpretation": (w(pk="interpretation.pk"), ALL),
    "policies:attachment": (fixed(pk=0), ALL),
    "policies:feed_rss": (NONE, ALL),
    "policies:feed_atom": (NONE, ALL),
    "policies:theme_feed_rss": (fixed(slug="finance-credit"), ALL),
    "policies:theme_feed_atom": (fixed(slug="finance-credit"), ALL),
    "policies:unit_feed_rss": (w(pk="units.other_town.pk"), ALL),
    "policies:unit_feed_atom": (w(pk="units.other_town.pk"), ALL),
    "policies:sitemap": (NONE, ALL),
    "policies:subscribe": (NONE, ALL),
    "policies:subscription_confirm": (fixed(token="x"), ALL),
    "policies:unsubscribe": (fixed(token="x"), ALL),
    "guide:home": (NONE, ALL),
    "guide:item": (w(pk="item.pk"), ALL),
    "guide:item_download": (lambda world: {"pk": world.item.pk, "fmt": "txt"}, ALL),
    "guide:leaders": (NONE, ALL),
    "guide:contacts": (NONE, ALL),
    "guide:raise_matter": (NONE, ALL),
    "guide:credit": (NONE, ALL),
    "guide:editions": (NONE, ALL),
    "guide:edition": (w(slug="item.edition.slug"), ALL),
    "guide:edition_download": (lambda world: {"slug": world.item.edition.slug, "fmt": "txt"}, ALL),
    "guide:department_download": (
        lambda world: {"slug": world.item.edition.slug, "unit_pk": world.units.other_department.pk, "fmt": "txt"},
        ALL,
    ),
    "liaison:home": (NONE, ALL),
    "liaison:submit": (NONE, ALL),
    "liaison:submitted": (NONE, ALL),
    "liaison:site_error": (NONE, ALL),
    "liaison:track": (NONE, ALL),
    "liaison:figures": (NONE, ALL),
    # Knowing a tracking number alone opens nothing (the query code is asked for).
    "liaison:track_detail": (w(tracking_number="matter.tracking_number"), ALL),
    "liaison:track_act": (w(tracking_number="matter.tracking_number"), NOBODY),
    "liaison:mine": (NONE, ENTERPRISES),
    "liaison:mine_detail": (w(tracking_number="matter.tracking_number"), {"other_enterprise"}),
    "liaison:mine_act": (w(tracking_number="matter.tracking_number"), NOBODY),
    "liaison:attachment": (w(public_id="attachment.public_id"), OWNER | {"other_enterprise"}),
    "visits:coverage": (NONE, OFFICIALS),
    "visits:enterprise_list": (NONE, OFFICIALS),
    # A town sees its own enterprises' files; departments, leaders and the office every one.
    "visits:enterprise_file": (w(pk="victim.pk"), OFFICIALS - {"town_staff", "town_head"}),
    "visits:ledgers": (NONE, OFFICIALS),
    "visits:ledger_export": (fixed(kind="visits", fmt="csv"), OFFICIALS),
    "visits:financing_totals": (NONE, OFFICIALS),
    "visits:matchmaking": (NONE, ALL),
    "visits:problem_to_matter": (w(kind="problem.CHANNEL", pk="problem.pk"), OWNER),
    "visits:appointment_answer": (w(pk="appointment.pk"), OWNER),
    "visits:my_appointment": (w(pk="appointment.pk"), {"other_enterprise"}),
    "visits:my_financing_need": (NONE, ENTERPRISES),
    "visits:attachment": (w(pk="visit_file.pk"), OWNER),
    "guide:material_file": (fixed(pk=0, field="blank_form"), ALL),
    "surveys:index": (NONE, ALL),
    "surveys:answer": (w(pk="survey.pk"), ENTERPRISES),
    "surveys:personal": (fixed(token="x"), ALL),
    "surveys:results_list": (NONE, OFFICIALS),
    "surveys:results": (w(pk="survey.pk"), OFFICE),
    "surveys:results_unit": (w(pk="survey.pk", unit_pk="units.other_department.pk"), OFFICE),
    "surveys:report": (w(pk="survey.pk"), OFFICE),
    "surveys:export": (w(pk="survey.pk"), OFFICE),
    "surveys:comments": (w(pk="survey.pk"), OFFICE),
    "surveys:finding_send": (w(pk="survey.pk", finding_pk="finding.pk"), NOBODY),
    "surveys:copy": (w(pk="survey.pk"), OFFICE),
    "surveys:invite": (w(pk="survey.pk"), OFFICE),
    # Towns print the invitation letters for their own enterprises.
    "surveys:letters_list": (NONE, TOWNS | OFFICE),
    "surveys:letters": (w(pk="survey.pk"), TOWNS | OFFICE),
    "surveys:publish_results": (w(pk="survey.pk"), OFFICE),
    "surveys:public_results": (w(pk="survey.pk"), ALL),
    "search": (NONE, ALL),
    "liaison:forgot_code": (NONE, ALL),
    "portal:welcome": (fixed(token="x"), ALL),
    "portal:contrast": (NONE, ALL),
    "portal:privacy": (NONE, ALL),
    "portal:otp_recovery_codes": (NONE, LOGGED_IN),
    "portal:home": (NONE, ALL),
    "portal:about": (NONE, ALL),
    "portal:interaction": (NONE, ALL),
    "portal:text_size": (NONE, ALL),
    "portal:register": (NONE, ALL),
    "portal:login": (NONE, ALL),
    "portal:logout": (NONE, ALL),
    "portal:otp_setup": (NONE, LOGGED_IN),
    "portal:my_home": (NONE, LOGGED_IN),
    # the workspace itself
    "admin:index": (NONE, OFFICIALS),
    "admin:login": (NONE, ALL),
    "admin:logout": (NONE, LOGGED_IN),
    "admin:password_change": (NONE, OFFICIALS),
    "admin:password_change_done": (NONE, OFFICIALS),
    "admin:autocomplete": (NONE, OFFICIALS),
    "admin:jsi18n": (NONE, OFFICIALS),
    "admin:app_list": (fixed(app_label="visits"), OFFICIALS),
    "admin:view_on_site": (w(content_type_id="matter_type", object_id="matter.pk"), OWNER),
    "admin:catch_all": (NONE, OFFICIALS),
}

# The workspace's own pages beyond the model admins' standard ones.
ADMIN_PAGES = {
    "portal_unit_import": (NONE, OFFICE),
    "portal_unit_import_template": (NONE, OFFICE),
    "portal_unit_import_report": (NONE, OFFICE),
    "portal_enterprise_import": (NONE, OFFICIALS),
    "portal_enterprise_import_template": (NONE, OFFICIALS),
    "portal_enterprise_import_report": (NONE, OFFICIALS),
    "portal_official_welcome_sheets": (NONE, OFFICIALS),
    "portal_official_import": (NONE, OFFICIALS),
    "portal_official_import_template": (NONE, OFFICIALS),
    "portal_official_import_report": (NONE, OFFICIALS),
    "policies_policy_publish": (w(pk="draft.pk"), OWNER),
    "policies_policy_withdraw": (w(pk="draft.pk"), OWNER),
    "policies_policy_to_draft": (w(pk="draft.pk"), OWNER),
    "policies_policy_report": (NONE, OFFICIALS),
    "policies_policy_import": (NONE, OFFICIALS),
    "policies_policy_import_template": (NONE, OFFICIALS),
    "policies_policy_import_report": (NONE, OFFICIALS),
    "guide_serviceitem_revise": (w(pk="item.pk"), OFFICE),
    "guide_serviceitem_submit": (w(pk="item.pk"), OFFICE),
    "guide_serviceitem_approve": (w(pk="item.pk"), OFFICE),
    "guide_serviceitem_return": (w(pk="item.pk"), OFFICE),
    "guide_serviceitem_reviewed": (w(pk="item.pk"), OFFICE),
    "guide_serviceitem_export": (NONE, OFFICIALS),
    "guide_serviceitem_import": (NONE, OFFICIALS),
    "guide_serviceitem_import_template": (NONE, OFFICIALS),
    "guide_serviceitem_import_report": (NONE, OFFICIALS),
    "guide_guideedition_prepare": (w(pk="item.edition.pk"), OFFICE),
    "guide_guideedition_publish": (w(pk="item.edition.pk"), OFFICE),
    "guide_guideedition_rebuild": (w(pk="item.edition.pk"), OFFICE),
    "liaison_matter_queue": (NONE, OFFICIALS),
    "liaison_matter_figures": (NONE, OFFICIALS),
    "liaison_matter_ledgers": (NONE, OFFICIALS),
    "liaison_matter_record": (NONE, OFFICIALS),
    "liaison_matter_act": (lambda world: {"pk": world.matter.pk, "action": "accept"}, OWNER),
    "portal_backgroundjob_retry": (fixed(object_id=uuid.UUID(int=0)), OFFICE),
    "auth_user_password_change": (w(id="owner_user.pk"), OFFICE),
    "otp_totp_totpdevice_config": (w(pk="owner_device.pk"), OFFICE),
    "otp_totp_totpdevice_qrcode": (w(pk="owner_device.pk"), OFFICE),
}

# Every model in the workspace: (the world's object of another town/department, or None for
# county-wide reference data, and the roles that may open that object).
ADMIN_MODELS = {
    "portal.unit": ("units.other_town", OFFICIALS),  # every official looks units up
    "portal.enterprise": ("victim", OFFICIALS - {"town_staff", "town_head"}),
    "portal.official": ("owner_official", OWNER),
    "portal.enterpriseaccount": ("victim_account", OWNER),
    "portal.calendaradjustment": (None, OFFICIALS),
    "portal.financialinstitution": (None, OFFICIALS),
    "portal.backgroundjob": (None, OFFICIALS),
    "portal.calendaryear": (None, OFFICIALS),
    "portal.auditentry": (None, OFFICE),  # the audit log: the county office only
    "otp_static.staticdevice": (None, OFFICIALS),
    "portal.searchsynonym": (None, OFFICIALS),
    "portal.searchdocument": (None, OFFICIALS),
    "policies.policy": ("draft", OWNER),
    "policies.theme": (None, OFFICIALS),
    "policies.subscription": (None, OFFICIALS),
    "guide.serviceitem": ("item", OFFICE),
    "guide.guideedition": (None, OFFICIALS),
    "guide.leaderduty": (None, OFFICIALS),
    "guide.loanproduct": (None, OFFICIALS),
    "liaison.matter": ("matter", OWNER),
    "liaison.replytemplate": (None, OFFICIALS),
    "liaison.deadlinerule": (None, OFFICIALS),
    "surveys.survey": (None, OFFICIALS),
    "surveys.question": (None, OFFICIALS),
    "surveys.invitation": (None, OFFICIALS),
    "surveys.surveyresponse": ("response", OFFICE),
    "surveys.finding": ("finding", OFFICE),
    "visits.liaisonassignment": (None, OFFICIALS),
    "visits.countyleader": (None, OFFICIALS),
    "visits.appointment": ("appointment", OWNER),
    "visits.visit": ("visit", OWNER),
    "visits.visitproblem": ("problem", OWNER),
    "visits.meeting": ("meeting", OWNER),
    "visits.meetingproblem": ("meeting_problem", OWNER),
    "visits.matchmakingevent": ("event", OFFICIALS),  # county-wide events
    # Financing is county-wide reading: departments see every need; the leader only his own.
    "visits.financingneed": ("need", OWNER | {"department_staff", "department_head"}),
    "visits.reminderlog": (None, OFFICIALS),
    "auth.group": (None, OFFICIALS),
    "auth.user": ("owner_user", OFFICE),
    "axes.accessattempt": (None, OFFICIALS),
    "axes.accesslog": (None, OFFICIALS),
    "axes.accessfailurelog": (None, OFFICIALS),
    "otp_totp.totpdevice": ("owner_device", OFFICE),
}
MODEL_VIEWS = ("changelist", "add", "change", "history", "delete", "simple_history", "object")


def _walk(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}"
                if namespace and pattern.namespace
                else (pattern.namespace or namespace)
            )
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern


def _model_label(route):
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    return f"{match[1]}.{match[2]}" if match else None


def classify():
    """(route, kind, key) for every URL pattern; kind "missing" for a pattern without an entry."""
    admin_models = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    out = []
    for route, name, pattern in _walk():
        short = name.split(":", 1)[1] if name.startswith("admin:") else None
        label = _model_label(route)
        if name in PAGES:
            out.append((route, "page", name))
        elif route == "admin/(?P<url>.*)$":
            out.append((route, "page", "admin:catch_all"))
        elif short in ADMIN_PAGES:
            out.append((route, "admin_page", short))
        elif label in admin_models and label in ADMIN_MODELS:
            prefix = label.replace(".", "_") + "_"
            view = (
                short[len(prefix) :]
                if short and short.startswith(prefix)
                else ("object" if route.endswith("<path:object_id>/") else None)
            )
            out.append((route, "model", (label, view)) if view in MODEL_VIEWS else (route, "missing", name))
        else:
            out.append((route, "missing", name or route))
    return out


def test_every_url_pattern_has_an_entry_in_the_matrix():
    missing = [(route, key) for route, kind, key in classify() if kind == "missing"]
    assert not missing, f"URL patterns without a permission-matrix entry: {missing}"
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(ADMIN_MODELS), registered ^ set(ADMIN_MODELS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One seeded data set for the whole module, rolled back at the end."""
    from django.contrib.contenttypes.models import ContentType

    with django_db_blocker.unblock():
        with transaction.atomic():
            data = build()
            data.matter_type = ContentType.objects.get_for_model(data.matter).pk
            data.victim_account = data.victim.accounts.get()
            data.owner_user = data.users["other_town_staff"]
            data.owner_device = TOTPDevice.objects.get(user=data.owner_user)
            yield data
            transaction.set_rollback(True)


def _client(world, role):
    client = Client(raise_request_exception=False)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


def _resolve_path(world, route, kind, key):
    """The concrete path and the roles that may open it."""
    if kind == "page":
        kwargs, allowed = PAGES[key]
        if key == "admin:catch_all":
            return "/admin/no-such-page/", allowed
        return reverse(key, kwargs=kwargs(world)), allowed
    if kind == "admin_page":
        kwargs, allowed = ADMIN_PAGES[key]
        return reverse(f"admin:{key}", kwargs=kwargs(world)), allowed
    label, view = key
    attribute, viewers = ADMIN_MODELS[label]
    obj = w(o=attribute)(world)["o"] if attribute else None
    pk = obj.pk if obj is not None else 0
    name = "admin:" + label.replace(".", "_") + "_" + view
    if view in ("changelist", "add"):
        return reverse(name), OFFICIALS
    if view == "object":
        return "/" + route.replace("<path:object_id>", str(pk)), viewers if obj is not None else OFFICIALS
    if view == "simple_history":
        history = getattr(obj, "history", None) if obj is not None else None
        record = history.first() if history is not None else None
        return reverse(name, args=[pk, record.history_id if record else 0]), viewers if obj else OFFICIALS
    return reverse(name, args=[pk]), viewers if obj is not None else OFFICIALS


REFUSAL_REDIRECTS = ("/accounts/login/", "/admin/login/", "/admin/", "/accounts/two-factor/", "/my/")


def _refused(response, own_page=None):
    """Turned away; or (`own_page`) sent on to the object's change page, which the matrix checks."""
    if response.status_code in (403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"].split("?")[0].split("#")[0]
        return location in REFUSAL_REDIRECTS or location == own_page
    return False


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, db):
    client = _client(world, role)
    problems, observed = [], []
    for route, kind, key in classify():
        if kind == "missing":
            continue
        path, allowed = _resolve_path(world, route, kind, key)
        own_page = None
        if kind == "model" and ADMIN_MODELS[key[0]][0]:
            obj = w(o=ADMIN_MODELS[key[0]][0])(world)["o"]
            own_page = reverse("admin:" + key[0].replace(".", "_") + "_change", args=[obj.pk])
        started = time.perf_counter()
        response = client.get(path)
        observed.append((time.perf_counter() - started, f"{response.status_code} {path}"))
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
        elif role not in allowed and not _refused(response, own_page):
            problems.append(f"{path}: {response.status_code} {response.get('Location', '')} (should be refused)")
        elif kind == "model" and key[1] == "changelist" and response.status_code == 200:
            attribute, viewers = ADMIN_MODELS[key[0]]
            if attribute and role not in viewers:
                obj = w(o=attribute)(world)["o"]
                change = reverse("admin:" + key[0].replace(".", "_") + "_change", args=[obj.pk])
                if change in response.content.decode():
                    problems.append(f"{path}: lists {obj!r}, out of scope")
    if os.environ.get("MATRIX_DUMP"):
        print(f"\n==== {role}\n" + "\n".join(f"{t:.3f} {line}" for t, line in sorted(observed)[-15:]))
    assert not problems, "\n".join(problems)
