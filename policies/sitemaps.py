from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Interpretation, Policy


class PolicySitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Policy.objects.published().only("id", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


class InterpretationSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return (
            Interpretation.objects.filter(policy__in=Policy.objects.published())
            .only("id", "published_on")
            .order_by("id")
        )

    def lastmod(self, item):
        return item.published_on


class PolicyPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["policies:home", "policies:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"policy-pages": PolicyPagesSitemap, "policies": PolicySitemap, "interpretations": InterpretationSitemap}
