from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class PublishedResultsSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return selectors.public_surveys().only("id", "results_published_at").order_by("id")

    def location(self, item):
        return reverse("surveys:public_results", args=[item.pk])

    def lastmod(self, item):
        return item.results_published_at
