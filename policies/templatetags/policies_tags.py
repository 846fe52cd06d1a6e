from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def query_replace(request, name, value):
    """The current query string with `name` set to `value` (and the page reset when a filter changes)."""
    params = request.GET.copy()
    params[name] = value
    if name != "page":
        params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def facet_group(context, title, name, values, filters):
    request = context["request"]
    current = str(getattr(filters, name) or "")
    items = []
    for value, label, count in values:
        params = request.GET.copy()
        params.pop("page", None)
        selected = str(value) == current
        if selected:
            params.pop(name, None)
        else:
            params[name] = value
        items.append({"label": label, "count": count, "selected": selected, "query": params.urlencode()})
    return render_to_string("policies/_facet_group.html", {"title": title, "name": name, "items": items})
