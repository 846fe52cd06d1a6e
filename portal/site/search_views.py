"""The site-wide search page (/search/): one box for everything public."""

from django.apps import apps
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.core import search
from portal.core.page_cache import public_page


def search_page_parts():
    """What the apps contribute to the search page, each through its AppConfig's
    `search_page()`: the label of each kind of document it indexes (`kinds`), the label of
    each state of a document no longer in force (`validity_labels`: 废止, 修订, 失效, never one
    label for all), and the topics to browse (`topics`)."""
    kinds, validity_labels, topics = {}, {}, []
    for config in apps.get_app_configs():
        hook = getattr(config, "search_page", None)
        if hook is not None:
            parts = hook()
            kinds.update(parts.get("kinds", {}))
            validity_labels.update(parts.get("validity_labels", {}))
            topics += parts.get("topics", [])
    kinds["page"] = _("Site pages")
    return kinds, validity_labels, topics


@public_page
def search_page(request):
    kind_labels, validity_labels, topics = search_page_parts()
    query = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    kinds = (kind,) if kind in kind_labels else ()
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    results = search.search(query, kinds=kinds, page=page)
    for hit in results.hits:
        hit.validity_label = validity_labels.get(hit.validity, "") if not hit.in_force else ""
    type_links = [
        (value, label, results.count_label(value)) for value, label in kind_labels.items() if results.counts.get(value)
    ]
    all_count = sum(results.counts.values())
    return render(
        request,
        "portal/search.html",
        {
            "results": results,
            "search_query": results.query,
            "kind": kinds[0] if kinds else "",
            "type_links": type_links,
            "kind_labels": kind_labels,
            "popular": search.popular_terms(),
            "all_count": f"{all_count}+" if results.capped else all_count,
            "topics": topics,
        },
    )
