from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "policies"

urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.policy_list, name="list"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("interpretations/<int:pk>/", views.interpretation_detail, name="interpretation"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("feeds/rss/", feeds.PolicyFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.AtomPolicyFeed(), name="feed_atom"),
    path("feeds/themes/<slug:slug>/rss/", feeds.ThemeRssFeed(), name="theme_feed_rss"),
    path("feeds/themes/<slug:slug>/atom/", feeds.ThemeAtomFeed(), name="theme_feed_atom"),
    path("feeds/units/<int:pk>/rss/", feeds.UnitRssFeed(), name="unit_feed_rss"),
    path("feeds/units/<int:pk>/atom/", feeds.UnitAtomFeed(), name="unit_feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
