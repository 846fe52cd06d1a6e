"""The site-wide search page (/search/): one box for everything public."""
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from guide.models import Topic
from policies.models import Policy

from . import search
from .page_cache import public_page

KIND_LABELS = {
    "policy": _("Policy documents"),
    "interpretation": _("Policy interpretations"),
    "service_item": _("Service-guide items"),
    "faq": _("Questions and answers"),
    "loan_product": _("Loan products"),
    "leader": _("Leaders' duties"),
    "contact": _("Contacts"),
    "page": _("Site pages"),
}
# A document no longer in force shows its own state (废止, 修订, 失效), never one label for all.
VALIDITY_LABELS = dict(Policy.Validity.choices)


@public_page
def search_page(request):
    query = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    kinds = (kind,) if kind in KIND_LABELS else ()
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    results = search.search(query, kinds=kinds, page=page)
    for hit in results.hits:
        hit.validity_label = VALIDITY_LABELS.get(hit.validity, "") if not hit.in_force else ""
    type_links = [(value, label, results.count_label(value)) for value, label in KIND_LABELS.items()
                  if results.counts.get(value)]
    all_count = sum(results.counts.values())
    return render(request, "portal/search.html", {
        "results": results, "search_query": results.query, "kind": kinds[0] if kinds else "",
        "type_links": type_links, "kind_labels": KIND_LABELS, "popular": search.popular_terms(),
        "all_count": f"{all_count}+" if results.capped else all_count, "topics": Topic.choices,
    })
