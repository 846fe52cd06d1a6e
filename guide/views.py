"""Public pages of the service guide and its downloads. Everything shown comes from the
approved content of a public edition (selectors)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Unit
from portal.core.page_cache import public_page
from portal.core.uploads import download_response
from portal.core.workdays import add_workdays, is_estimated

from . import downloads, selectors
from .models import GuideEdition, Material, ServiceItem, Topic


def _format_or_404(fmt):
    if fmt not in downloads.FORMATS:
        raise Http404
    return fmt


@public_page
def home(request):
    """Browse the current edition by department and by life-cycle topic."""
    edition = selectors.current_edition()
    context = {"edition": edition, "topics": Topic.choices}
    if edition is None:
        return render(request, "guide/home.html", context)
    departments = selectors.departments_with_items(edition)
    department = topic = None
    department_id = request.GET.get("department", "")
    if department_id:
        department = next((d for d in departments if str(d.pk) == department_id), None)
        if department is None:
            raise Http404
    topic = request.GET.get("topic", "")
    if topic and topic not in Topic.values:
        raise Http404
    items = None
    if department is not None or topic:
        items = list(selectors.items_for_browsing(edition, department=department, topic=topic or None))
    context.update(
        departments=departments,
        department=department,
        topic=topic,
        topic_label=dict(Topic.choices).get(topic),
        topic_counts=selectors.topic_counts(edition),
        items=items,
    )
    return render(request, "guide/home.html", context)


@public_page
def item_detail(request, pk):
    """One item as a checklist: what to bring, steps, how long, how much, where, whom to call."""
    item = selectors.published_item(pk)
    if item is None:
        raise Http404
    today = timezone.localdate()
    expected = add_workdays(today, item.time_limit) if item.time_limit else None
    estimated = expected is not None and is_estimated(expected, today)
    return render(
        request,
        "guide/item_detail.html",
        {"item": item, "today": today, "expected": expected, "estimated": estimated, "edition": item.edition},
    )


@public_page
def leaders(request):
    edition = selectors.current_edition()
    duties = list(selectors.leader_duties(edition)) if edition else []
    return render(
        request,
        "guide/leaders_list.html",
        {
            "edition": edition,
            "county_duties": [d for d in duties if d.level == "county"],
            "town_duties": [d for d in duties if d.level == "town"],
        },
    )


@public_page
def contacts(request):
    units = list(selectors.contact_units())
    groups = [
        (label, [u for u in units if u.kind in kinds])
        for label, kinds in (
            (Unit.Kind.COUNTY_OFFICE.label, (Unit.Kind.COUNTY_GOVERNMENT, Unit.Kind.COUNTY_OFFICE)),
            (Unit.Kind.DEPARTMENT.label, (Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY)),
            (Unit.Kind.TOWN.label, (Unit.Kind.TOWN,)),
        )
    ]
    return render(request, "guide/contacts_list.html", {"groups": groups})


@public_page
def raise_matter(request):
    office = Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE).order_by("sort_order").first()
    return render(request, "guide/raise_matter.html", {"office": office})


@public_page
def credit(request):
    edition = selectors.current_edition()
    products = list(selectors.loan_products(edition)) if edition else []
    return render(request, "guide/credit_list.html", {"edition": edition, "products": products})


@public_page
def editions(request):
    return render(request, "guide/edition_list.html", {"editions": list(selectors.public_editions())})


@public_page
def edition_detail(request, slug):
    edition = get_object_or_404(GuideEdition.objects.public(), slug=slug)
    return render(
        request,
        "guide/edition_detail.html",
        {"edition": edition, "departments": selectors.departments_with_items(edition)},
    )


def edition_download(request, slug, fmt):
    fmt = _format_or_404(fmt)
    edition = get_object_or_404(GuideEdition.objects.public(), slug=slug)
    return downloads.file_response(
        downloads.edition_path(edition, fmt),
        downloads.edition_filename(edition, fmt),
        fmt,
        lambda: downloads.build_edition_files(edition),
    )


def department_download(request, slug, unit_pk, fmt):
    fmt = _format_or_404(fmt)
    edition = get_object_or_404(GuideEdition.objects.public(), slug=slug)
    if not ServiceItem.objects.public_in(edition).filter(department_id=unit_pk).exists():
        raise Http404
    department = get_object_or_404(Unit, pk=unit_pk)
    return downloads.file_response(
        downloads.department_path(edition, department, fmt),
        downloads.department_filename(edition, department, fmt),
        fmt,
        lambda: downloads.build_department_files(edition, department),
    )


def item_download(request, pk, fmt):
    fmt = _format_or_404(fmt)
    item = get_object_or_404(ServiceItem.objects.published().select_related("edition", "department"), pk=pk)
    return downloads.file_response(
        downloads.item_path(item.edition, item.pk, fmt),
        downloads.item_filename(item, fmt),
        fmt,
        lambda: downloads.build_item_files(item.edition, item),
    )


MATERIAL_FILES = ("blank_form", "sample")


def material_file(request, pk, field):
    """A material's blank form or sample, as the rule `guide.view_material` allows (guide/rules.py):
    everyone when its item is published, else the officials who may see the item."""
    if field not in MATERIAL_FILES:
        raise Http404
    material = Material.objects.filter(pk=pk).first()
    stored = getattr(material, field, None)
    extension = stored.name.rsplit(".", 1)[-1] if stored and "." in stored.name else "bin"
    label = _("Sample") if field == "sample" else _("Blank form")
    return download_response(
        request,
        "guide.view_material",
        material,
        field,
        f"{material.name}-{label}.{extension}" if material is not None else None,
    )
