"""Every page type the accessibility checks visit.

A page is a start path plus, for detail pages, a pattern of the link to follow from it (the
first link in <main> whose path matches), so the list grows with the apps without knowing
their URL names. `login` names a demo user (portal/demo.py) the page needs. A page type
whose feature has not landed yet (404 at its start path, or no matching link) is skipped.
"""
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PageType:
    name: str
    path: str
    follow: str = ""  # regex a link's path must match (full match) to be followed
    login: str = ""  # demo username; "" = anonymous
    status: int = 200
    admin: bool = False

    @property
    def id(self):
        return self.name


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
    PageType("my-enterprise", "/my/", login="enterprise"),
]

ADMIN = [
    PageType("admin-login", "/admin/login/", admin=True),
    PageType("admin-index", "/admin/", login="countyoffice", admin=True),
    PageType("admin-index-town", "/admin/", login="taihe_staff", admin=True),
    PageType("otp-setup", "/accounts/two-factor/", login="taihe_head", admin=True),
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
