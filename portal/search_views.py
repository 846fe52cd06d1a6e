"""The site-wide search page (/search/): one box for policies and service-guide items."""
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import search
from .page_cache import public_page

KIND_LABELS = {
    "policy": _("Policy documents"),
    "interpretation": _("Policy interpretations"),
    "service_item": _("Service-guide items"),
}


@public_page
def search_page(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    kinds = (kind,) if kind in KIND_LABELS else ()
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    results = search.search(query, kinds=kinds, page=page)
    type_links = [(value, label, results.count_label(value)) for value, label in KIND_LABELS.items()
                  if results.counts.get(value)]
    all_count = sum(results.counts.values())
    return render(request, "portal/search.html", {
        "results": results, "search_query": results.query, "kind": kinds[0] if kinds else "",
        "type_links": type_links, "kind_labels": KIND_LABELS, "popular": search.popular_terms(),
        "all_count": f"{all_count}+" if results.capped else all_count,
    })
