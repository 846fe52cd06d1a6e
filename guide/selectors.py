"""Reads for the guide: what the public pages, downloads and admin lists show.

Every public read goes through ServiceItem.objects.published()/public_in() so an unapproved
edit never reaches a page or a file.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from portal.models import Unit

from .models import Faq, Fee, GuideEdition, LeaderDuty, LoanProduct, Material, ServiceItem, Step, Topic


def current_edition():
    return GuideEdition.objects.current().first()


def public_editions():
    return GuideEdition.objects.public().order_by("-slug")


def with_content(queryset):
    """Prefetch everything an item page or a document prints, in a fixed number of queries."""
    return queryset.select_related("department", "edition").prefetch_related(
        Prefetch("materials", queryset=Material.objects.order_by("sort_order", "id")),
        Prefetch("steps", queryset=Step.objects.order_by("number")),
        Prefetch("fees", queryset=Fee.objects.order_by("sort_order", "id")),
        Prefetch("faqs", queryset=Faq.objects.order_by("sort_order", "id")),
    )


def published_item(pk):
    """A published item with its content, or None."""
    return with_content(ServiceItem.objects.published()).filter(pk=pk).first()


def departments_with_items(edition):
    """Departments that have approved items in the edition, each with `item_count` (2 queries)."""
    counts = dict(
        ServiceItem.objects.public_in(edition)
        .order_by()
        .values_list("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    units = list(Unit.objects.filter(pk__in=list(counts)).order_by("sort_order", "name"))
    for unit in units:
        unit.item_count = counts[unit.pk]
    return units


def items_for_browsing(edition, *, department=None, topic=None):
    queryset = ServiceItem.objects.public_in(edition).for_listing()
    if department is not None:
        queryset = queryset.filter(department=department)
    if topic:
        queryset = queryset.filter(topics__contains=[topic])
    return queryset.order_by("department__sort_order", "department__name", "sort_order", "name")


def topic_counts(edition):
    """(topic value, label, number of items) for every topic."""
    items = ServiceItem.objects.public_in(edition)
    counts = items.aggregate(**{value: Count("pk", filter=Q(topics__contains=[value])) for value in Topic.values})
    return [(value, label, counts[value]) for value, label in Topic.choices]


def leader_duties(edition):
    return (
        LeaderDuty.objects.filter(edition=edition)
        .select_related("unit")
        .order_by("level", "unit__sort_order", "sort_order", "id")
    )


def loan_products(edition):
    return (
        LoanProduct.objects.filter(edition=edition, institution__is_active=True)
        .select_related("institution")
        .order_by("institution__sort_order", "institution__name", "sort_order", "name")
    )


def contact_units():
    """Every active unit with its enterprise-service phone, in the county's order."""
    return Unit.objects.active().order_by("sort_order", "name")


@dataclass
class Chapter:
    department: Unit
    items: list = field(default_factory=list)


@dataclass
class GuideContent:
    """What a document prints: chapters of items, plus leaders and loans for the whole guide."""

    edition: GuideEdition
    chapters: list
    leaders: list
    loans: list
    scope: str = "full"  # full / department / item

    @property
    def item_count(self):
        return sum(len(c.items) for c in self.chapters)


def document_content(edition, *, department=None, item=None):
    """The approved content of a public edition, for the whole guide, one chapter or one item."""
    items = with_content(ServiceItem.objects.public_in(edition)).order_by(
        "department__sort_order", "department__name", "sort_order", "name"
    )
    scope = "full"
    if department is not None:
        items = items.filter(department=department)
        scope = "department"
    if item is not None:
        items = items.filter(pk=item.pk)
        scope = "item"
    chapters = []
    for obj in items:
        if not chapters or chapters[-1].department.pk != obj.department_id:
            chapters.append(Chapter(department=obj.department))
        chapters[-1].items.append(obj)
    full = scope == "full"
    return GuideContent(
        edition=edition,
        chapters=chapters,
        scope=scope,
        leaders=list(leader_duties(edition)) if full else [],
        loans=list(loan_products(edition)) if full else [],
    )
