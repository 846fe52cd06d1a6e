from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class MatchmakingSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["visits:matchmaking"]

    def location(self, item):
        return reverse(item)
