"""Template helpers of the frame, shared by every app's templates."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.filter
def zh(value):
    """Chinese content (titles, bodies, names) inside a page in another language carries
    lang="zh-CN" so that screen readers switch voice (WCAG 3.1.2 Language of Parts)."""
    if value in (None, ""):
        return value
    if (get_language() or "").startswith("zh"):
        return value
    return format_html('<span lang="zh-CN">{}</span>', value)


@register.simple_tag(takes_context=True)
def zh_lang(context):
    """The lang attribute for a block of Chinese content: empty on Chinese pages."""
    if (get_language() or "").startswith("zh"):
        return ""
    return format_html(' lang="zh-CN"')
