from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class MatterPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["liaison:home", "liaison:track", "liaison:figures"]

    def location(self, item):
        return reverse(item)
