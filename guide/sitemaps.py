from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import ServiceItem


class GuidePagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["guide:home", "guide:leaders", "guide:contacts", "guide:credit", "guide:raise_matter", "guide:editions"]

    def location(self, item):
        return reverse(item)


class ServiceItemSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return ServiceItem.objects.published().only("id", "last_reviewed").order_by("id")

    def lastmod(self, item):
        return item.last_reviewed
