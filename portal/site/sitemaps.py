"""The site-wide sitemap (/sitemap.xml): the portal's own sections plus what each app lists.

An app lists its public pages by giving its AppConfig a `sitemaps` dict (name → Sitemap class
or its dotted path), so the portal need not know their URL names.
"""

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.module_loading import import_string


class SectionsSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:interaction", "portal:about"]

    def location(self, item):
        return reverse(item)


def site_sitemaps():
    sitemaps = {"sections": SectionsSitemap}
    for config in apps.get_app_configs():
        for name, sitemap in getattr(config, "sitemaps", {}).items():
            sitemaps[name] = import_string(sitemap) if isinstance(sitemap, str) else sitemap
    return sitemaps
