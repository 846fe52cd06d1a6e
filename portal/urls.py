"""Root URLconf: the site's pages, each app's URLs, and the officials' admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from portal.site import search_views, views
from portal.site.sitemaps import site_sitemaps

SITEMAPS = site_sitemaps()

# A database error raised in any middleware (session, user, second factor) is a 503 too.
handler500 = "portal.site.middleware.server_error"

site_patterns = (
    [
        path("", views.home, name="home"),
        path("about/", views.about, name="about"),
        path("interaction/", views.interaction, name="interaction"),
        path("text-size/", views.text_size, name="text_size"),
        path("contrast/", views.contrast, name="contrast"),
        path("privacy/", views.privacy, name="privacy"),
        path("accounts/register/", views.register, name="register"),
        path("accounts/login/", views.SiteLoginView.as_view(), name="login"),
        path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("accounts/two-factor/", views.otp_setup, name="otp_setup"),
        path("accounts/welcome/<str:token>/", views.welcome, name="welcome"),
        path("accounts/two-factor/recovery-codes/", views.otp_recovery_codes, name="otp_recovery_codes"),
        path("my/", views.my_home, name="my_home"),
    ],
    "portal",
)

handler403 = "portal.site.views.permission_denied"

urlpatterns = [
    # An index of per-section sitemaps, each paged: 100,000 policies do not fit in one file.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("policies/", include("policies.urls")),
    path("guide/", include("guide.urls")),
    path("matters/", include("liaison.urls")),
    path("visits/", include("visits.urls")),
    path("surveys/", include("liaison.surveys.urls")),
    path("search/", search_views.search_page, name="search"),
    path("", include(site_patterns)),
]
