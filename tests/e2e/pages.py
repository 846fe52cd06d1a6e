"""Every page type the accessibility checks visit.

A page is a start path plus, for detail pages, a pattern of the link to follow from it (the
first link in <main> whose path matches) — or several, followed one after the other (a list,
then a record, then one of its workflow pages) — so the list grows with the apps without
knowing their URL names or the ids in the demo county. `login` names a demo user
(portal/demo.py) the page needs. A page type whose feature has not landed yet (404 at its
start path, or no matching link) is skipped.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    follow: str | tuple = ""  # regex(es) a link's path must match (full match) to be followed, in turn
    login: str = ""  # demo username; "" = anonymous
    status: int = 200
    admin: bool = False

    @property
    def id(self):
        return self.name

    @property
    def hops(self):
        return (self.follow,) if isinstance(self.follow, str) and self.follow else tuple(self.follow or ())


PUBLIC = [
    PageType("home", "/"),
    PageType("about", "/about/"),
    PageType("login", "/accounts/login/"),
    PageType("register", "/accounts/register/"),
    PageType("not-found", "/no-such-page-e2e/", status=404),
    PageType("search", "/search/?q=%E8%9E%8D%E8%B5%84"),  # 融资
    PageType("search-empty", "/search/?q=%E6%97%A0%E6%AD%A4%E8%AF%8D%E8%AF%AD%E4%B8%8D%E5%AD%98%E5%9C%A8qqq"),
    PageType("policy-list", "/policies/"),
    PageType("policy-detail", "/policies/", follow=r"/policies/(?!feed|rss|atom|subscri|search|\?)[^?#]+/"),
    PageType("guide-home", "/guide/"),
    PageType("guide-item", "/search/?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7", follow=r"/guide/items/\d+/"),  # 营业执照
    PageType("guide-leaders", "/guide/leaders/"),
    PageType("guide-credit", "/guide/credit/"),
    PageType("guide-contacts", "/guide/contacts/"),
    PageType("matters-home", "/matters/"),
    PageType("matter-track", "/matters/track/"),
    PageType("site-error-report", "/matters/site-error/"),
    PageType("surveys", "/surveys/"),
    PageType("policy-list-facets", "/policies/list/?level=county"),
    PageType("interaction", "/interaction/"),
    PageType("matter-figures", "/matters/figures/"),
    PageType("matchmaking", "/visits/matchmaking/"),
    PageType("survey-public-results", "/interaction/", follow=r"/surveys/published/\d+/"),
    PageType("my-enterprise", "/my/", login="enterprise"),
]

ADMIN = [
    PageType("admin-login", "/admin/login/", admin=True),
    PageType("admin-index", "/admin/", login="countyoffice", admin=True),
    PageType("admin-index-town", "/admin/", login="taihe_staff", admin=True),
    PageType("otp-setup", "/accounts/two-factor/", login="taihe_head", admin=True),
]

# The apps' own workspace pages beyond the admin index's links (those are found at run time,
# see test_accessibility.dashboard_pages): records with their workflow (transition) pages,
# import pages, the pages a problem or an appointment leads to, per role.
MATTERS = "/admin/liaison/matter/"
MATTER = r"/admin/liaison/matter/\d+/change/"
ADMIN_CUSTOM = [
    PageType(
        "matter-change", MATTERS + "?state__exact=referral_requested", follow=MATTER, login="countyoffice", admin=True
    ),
    PageType(
        "matter-assign",
        MATTERS + "?state__exact=referral_requested",
        follow=(MATTER, r"/admin/liaison/matter/\d+/act/assign/"),
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "matter-supervise",
        MATTERS + "?state__exact=assigned",
        follow=(MATTER, r"/admin/liaison/matter/\d+/act/supervise/"),
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "matter-reply",
        MATTERS + "?state__exact=assigned",
        follow=(MATTER, r"/admin/liaison/matter/\d+/act/reply/"),
        login="zrzy_staff",
        admin=True,
    ),
    PageType(
        "matter-accept",
        MATTERS + "?state__exact=received",
        follow=(MATTER, r"/admin/liaison/matter/\d+/act/accept/"),
        login="taihe_staff",
        admin=True,
    ),
    PageType("matter-figures-town", MATTERS + "figures/", login="taihe_staff", admin=True),
    PageType("matter-record-town", MATTERS + "record/", login="taihe_staff", admin=True),
    PageType("enterprise-import", "/admin/portal/enterprise/import/", login="taihe_staff", admin=True),
    PageType("policy-import", "/admin/policies/policy/import/", login="fgj_staff", admin=True),
    PageType("guide-item-import", "/admin/guide/serviceitem/import/", login="fgj_staff", admin=True),
    PageType("visit-coverage-town", "/visits/coverage/", login="taihe_staff", admin=True),
    PageType(
        "visit-enterprise-file",
        "/visits/enterprises/",
        follow=r"/visits/enterprises/\d+/",
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "visit-problem-to-matter",
        "/admin/visits/visitproblem/?matter_id__isempty=1&solved_on_spot__exact=0",
        follow=r"/visits/problems/visit/\d+/to-matter/",
        login="taihe_staff",
        admin=True,
    ),
    PageType(
        "visit-appointment-answer",
        "/admin/visits/appointment/?status__exact=proposed",
        follow=r"/visits/appointments/\d+/answer/",
        login="taihe_staff",
        admin=True,
    ),
    PageType("survey-results", "/surveys/results/", follow=r"/surveys/results/\d+/", login="countyoffice", admin=True),
    PageType(
        "survey-results-unit",
        "/surveys/results/",
        follow=(r"/surveys/results/\d+/", r"/surveys/results/\d+/units/\d+/"),
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "survey-comments",
        "/surveys/results/",
        follow=(r"/surveys/results/\d+/", r"/surveys/results/\d+/comments/"),
        login="countyoffice",
        admin=True,
    ),
    PageType("survey-letters", "/surveys/letters/", follow=r"/surveys/letters/\d+/", login="taihe_staff", admin=True),
    PageType(
        "county-leader-enterprises",
        "/admin/visits/countyleader/",
        follow=r"/admin/visits/countyleader/\d+/change/",
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "policy-change",
        "/admin/policies/policy/?status__exact=published",
        follow=r"/admin/policies/policy/\d+/change/",
        login="fgj_head",
        admin=True,
    ),
    PageType(
        "policy-withdraw",
        "/admin/policies/policy/?status__exact=published",
        follow=(r"/admin/policies/policy/\d+/change/", r"/admin/policies/policy/\d+/withdraw/"),
        login="fgj_head",
        admin=True,
    ),
    PageType(
        "policy-publish",
        "/admin/policies/policy/?status__exact=draft",
        follow=(r"/admin/policies/policy/\d+/change/", r"/admin/policies/policy/\d+/publish/"),
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "guide-edition",
        "/admin/guide/guideedition/",
        follow=r"/admin/guide/guideedition/\d+/change/",
        login="countyoffice",
        admin=True,
    ),
    PageType(
        "guide-item-change",
        "/admin/guide/serviceitem/",
        follow=r"/admin/guide/serviceitem/\d+/change/",
        login="fgj_staff",
        admin=True,
    ),
]


def first_matching_link(hrefs, pattern):
    regex = re.compile(pattern)
    for href in hrefs:
        path = href.split("#")[0]
        if path.startswith("http"):
            path = "/" + path.split("/", 3)[-1]
        if regex.fullmatch(path.split("?")[0]):
            return path
    return None
