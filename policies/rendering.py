"""Policy and interpretation text: Markdown rendered to HTML, then sanitised with nh3 so that
nothing an editor pastes (scripts, inline styles, event handlers) reaches the page."""

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "h5",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "ol",
    "ul",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "hr",
    "sup",
    "sub",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}


def render_markdown(text):
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # Headings start at h2 whatever level the author began with (# or ##): the page title is
    # the only h1 and no level is skipped below it.
    used = [level for level in range(1, 7) if f"<h{level}>" in html]
    shift = 2 - used[0] if used else 0
    levels = range(6, 0, -1) if shift > 0 else range(1, 7)
    for level in levels:
        target = min(max(level + shift, 2), 6)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )
    )


def plain_text(text):
    """The text without markup, for search, feeds and snippets."""
    return " ".join(strip_tags(render_markdown(text)).split())
