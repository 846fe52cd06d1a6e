"""Atom and RSS feeds: all policies, per theme, per issuing unit. Published policies only."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Unit

from .models import Policy, Theme
from .rendering import plain_text

FEED_SIZE = 30


class PolicyFeed(Feed):
    title = _("New policies")
    description = _("Policies concerning enterprises, newest first.")

    def link(self, obj=None):
        return reverse("policies:list")

    def get_object(self, request, *args, **kwargs):
        return None

    def policies(self, obj):
        return Policy.objects.published()

    def items(self, obj):
        return self.policies(obj).select_related("unit").order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or plain_text(item.body)[:200]

    # Feed dates carry the Shanghai offset (+0800), as readers show them as written.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at) if item.published_at else None

    def item_updateddate(self, item):
        latest = max(item.updated_at, item.published_at) if item.published_at else item.updated_at
        return timezone.localtime(latest)

    def item_author_name(self, item):
        return item.issuer

    def item_guid(self, item):
        return f"policy-{item.pk}"

    item_guid_is_permalink = False


class AtomPolicyFeed(PolicyFeed):
    feed_type = Atom1Feed
    subtitle = PolicyFeed.description


class ThemeFeedMixin:
    def get_object(self, request, slug):
        return get_object_or_404(Theme, slug=slug)

    def title(self, obj):
        return _("New policies: %(theme)s") % {"theme": obj.name}

    def link(self, obj):
        return reverse("policies:list") + f"?theme={obj.slug}"

    def policies(self, obj):
        return Policy.objects.published().filter(themes=obj)


class UnitFeedMixin:
    def get_object(self, request, pk):
        return get_object_or_404(Unit, pk=pk)

    def title(self, obj):
        return _("New policies from %(unit)s") % {"unit": obj.name}

    def link(self, obj):
        return reverse("policies:list") + f"?unit={obj.pk}"

    def policies(self, obj):
        return Policy.objects.published().filter(unit=obj)


class ThemeRssFeed(ThemeFeedMixin, PolicyFeed):
    pass


class ThemeAtomFeed(ThemeFeedMixin, AtomPolicyFeed):
    pass


class UnitRssFeed(UnitFeedMixin, PolicyFeed):
    pass


class UnitAtomFeed(UnitFeedMixin, AtomPolicyFeed):
    pass


__all__ = ["PolicyFeed", "AtomPolicyFeed", "ThemeRssFeed", "ThemeAtomFeed", "UnitRssFeed", "UnitAtomFeed"]
