"""Models of the site-wide search index (imported by portal.models).

One table for everything public that can be searched: each app feeds it through
`portal.core.search.index_object` / `remove_object`; the search page reads it in one query.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

__all__ = ["SearchDocument", "SearchSynonym"]


class SearchDocumentQuerySet(models.QuerySet):
    def available(self, now=None):
        """Documents the public may find now (scheduled ones appear at their time)."""
        from django.utils import timezone

        now = now or timezone.now()
        return self.filter(models.Q(available_from__isnull=True) | models.Q(available_from__lte=now))


class SearchDocument(models.Model):
    """One searchable thing: a policy, an interpretation, a service-guide item ..."""

    kind = models.CharField(_("type"), max_length=30)
    key = models.CharField(_("key"), max_length=64)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("address"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text for snippets"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    in_force = models.BooleanField(_("in force"), default=True)
    unit = models.ForeignKey(
        "portal.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    available_from = models.DateTimeField(_("findable from"), null=True, blank=True)
    validity = models.CharField(
        _("validity"),
        max_length=20,
        blank=True,
        help_text=_("For a document no longer in force: its own state (repealed, amended …)."),
    )
    pinyin = models.CharField(_("title in pinyin"), max_length=2000, blank=True)
    search_vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(_("indexed at"), auto_now=True)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="searchdoc_kind_key_uniq")]
        indexes = [
            GinIndex(fields=["search_vector"], name="searchdoc_vector_gin"),
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="searchdoc_title_trgm"),
            GinIndex(fields=["pinyin"], opclasses=["gin_trgm_ops"], name="searchdoc_pinyin_trgm"),
            # A broad search ranks only its newest matches: found by walking this index.
            models.Index(
                F("in_force").desc(), F("date").desc(nulls_last=True), F("id").desc(), name="searchdoc_newest"
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.title}"


class SearchSynonym(models.Model):
    """搜索即服务: an everyday word people type, and the official term(s) it should also find."""

    term = models.CharField(
        _("everyday term"), max_length=50, unique=True, help_text=_("What people type, e.g. 公积金.")
    )
    official_terms = models.CharField(
        _("official terms"),
        max_length=300,
        help_text=_("One or more official terms, separated by 、 or ; — e.g. 住房公积金."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return f"{self.term} → {self.official_terms}"

    @property
    def official_list(self):
        import re

        return [t.strip() for t in re.split(r"[、;；,，\n]+", self.official_terms or "") if t.strip()]
