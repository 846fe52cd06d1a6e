"""Writes for the guide: editions, the revision/approval workflow, reviews, search and files.

The rule the whole module keeps: enterprises (public pages, downloads, site search) see only
approved content. A department's edit to the current edition is a revision that the county
office approves; approval copies it onto the item, reindexes it and rebuilds the downloads.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.models import Unit
from portal.core.queue import enqueue, enqueue_after_commit
from portal.core.workflow import Action, ActionRefused, Workflow, record, transition, transition_all

from .models import Faq, Fee, GuideEdition, LeaderDuty, LoanProduct, Material, ServiceItem, Step
from .tasks import reindex_directory, reindex_edition, reindex_item, reindex_unit, unindex_item

logger = logging.getLogger(__name__)

SEARCH_TYPE = "service_item"

# Fields that make up an item's content (copied into revisions, back on approval, and into new editions).
CONTENT_FIELDS = [
    "name",
    "code",
    "item_type",
    "topics",
    "summary",
    "legal_basis",
    "conditions",
    "legal_time_limit",
    "promised_time_limit",
    "is_free",
    "place",
    "hours",
    "phone",
    "online_url",
    "sort_order",
]
CHILD_MODELS = [
    (Material, ["name", "form", "copies", "notes", "blank_form", "sample", "sort_order"]),
    (Step, ["number", "name", "description"]),
    (Fee, ["name", "standard", "basis", "sort_order"]),
    (Faq, ["question", "answer", "sort_order"]),
]


# The two workflows of the guide, written down once; `portal.core.workflow` applies them.
_E, _I = GuideEdition.Status, ServiceItem.Status
EDITION_WORKFLOW = Workflow(
    _E,
    [
        Action(
            "publish",
            _lazy("Publish the edition"),
            (_E.DRAFT,),
            _E.CURRENT,
            refusal=_lazy("Only an edition in preparation can be published."),
        ),
        Action("archive", _lazy("Archive the edition"), (_E.CURRENT,), _E.ARCHIVED),
    ],
)
ITEM_WORKFLOW = Workflow(
    _I,
    [
        Action(
            "submit",
            _lazy("Submit for approval"),
            (_I.DRAFT,),
            _I.SUBMITTED,
            refusal=_lazy("Only a draft can be submitted."),
        ),
        Action(
            "return",
            _lazy("Return to the department"),
            (_I.SUBMITTED,),
            _I.DRAFT,
            needs_reason=True,
            refusal=_lazy("Only a submitted item can be returned."),
        ),
        Action(
            "approve",
            _lazy("Approve"),
            (_I.SUBMITTED,),
            _I.APPROVED,
            refusal=_lazy("Only a submitted item can be approved."),
        ),
        # publishing an edition approves whatever it holds
        Action("approve_with_edition", _lazy("Approved with its edition"), (_I.DRAFT, _I.SUBMITTED), _I.APPROVED),
    ],
)


# --- site-wide search -------------------------------------------------------------------


def _search_module():
    """portal.core.search, once it exists (it is built in parallel); None before."""
    try:
        from portal.core import search
    except ImportError:
        return None
    if not hasattr(search, "index_object"):
        return None
    return search


def item_search_body(item):
    parts = [item.summary, item.department.name, item.conditions, item.legal_basis]
    parts += [m.name for m in item.materials.all()]
    parts += [f"{s.name} {s.description}" for s in item.steps.all()]
    parts += [f"{f.question} {f.answer}" for f in item.faqs.all()]
    return "\n".join(p for p in parts if p)


def item_index(*, item):
    """Put a published item (and each of its FAQ answers) into the site search; remove them
    when it is not published."""
    search = _search_module()
    if search is None:
        return
    if not item.is_public:
        item_unindex(item_pk=item.pk)
        return
    search.index_object(
        SEARCH_TYPE,
        str(item.pk),
        title=item.name,
        body=item_search_body(item),
        url=item.get_absolute_url(),
        summary=item.summary or item.conditions[:200],
        date=item.last_reviewed or timezone.localdate(),
        in_force=True,
        unit=item.department,
        extra_terms=f"{item.code} {item.department.name}",
    )
    keys = []
    for faq in item.faqs.all():
        keys.append(f"{item.pk}-{faq.pk}")
        search.index_object(
            "faq",
            keys[-1],
            title=faq.question,
            body=faq.answer,
            summary=item.name,
            extra_terms=item.name,
            url=f"{item.get_absolute_url()}#faq-{faq.pk}",
            date=item.last_reviewed,
            unit=item.department,
        )
    search.remove_stale("faq", keys, key_prefix=f"{item.pk}-")


def item_unindex(*, item_pk):
    search = _search_module()
    if search is not None:
        search.remove_object(SEARCH_TYPE, str(item_pk))
        search.remove_stale("faq", [], key_prefix=f"{item_pk}-")


def edition_reindex(*, edition):
    """Index every published item of the edition (after it becomes current), and the guide's
    other findable pages: loan products, leaders' duties, contacts."""
    from .selectors import with_content

    count = 0
    for item in with_content(ServiceItem.objects.public_in(edition)):
        item_index(item=item)
        count += 1
    return count + directory_reindex()


def directory_reindex():
    """Index the current edition's loan products and leaders' duties and every unit's contacts;
    take out what is no longer there. Returns how many documents."""
    from . import selectors

    search = _search_module()
    if search is None:
        return 0
    edition = selectors.current_edition()
    products = list(selectors.loan_products(edition)) if edition else []
    duties = list(selectors.leader_duties(edition)) if edition else []
    units = list(selectors.contact_units())
    credit, leaders, contacts = reverse("guide:credit"), reverse("guide:leaders"), reverse("guide:contacts")
    for product in products:
        search.index_object(
            "loan_product",
            product.pk,
            title=f"{product.name}（{product.institution.name}）",
            summary=product.description,
            extra_terms=f"{product.institution.name} 贷款产品 融资信贷",
            body="\n".join(
                [
                    product.amount,
                    product.term,
                    product.rate,
                    product.eligibility,
                    product.materials,
                    product.steps,
                    product.contact_name,
                    product.contact_phone,
                ]
            ),
            url=f"{credit}#loan-{product.pk}",
            date=edition.published_at and timezone.localdate(edition.published_at),
        )
    for duty in duties:
        _leader_index(search, duty, leaders)
    for unit in units:
        _contact_index(search, unit, contacts)
    search.remove_stale("loan_product", [p.pk for p in products])
    search.remove_stale("leader", [d.pk for d in duties])
    search.remove_stale("contact", [u.pk for u in units])
    return len(products) + len(duties) + len(units)


def directory_reindex_later():
    """Queue `directory_reindex` for the worker, once the transaction has committed."""
    enqueue_after_commit(reindex_directory)


def _leader_index(search, duty, leaders_url):
    search.index_object(
        "leader",
        duty.pk,
        title=f"{duty.name}（{duty.unit.name}{duty.post}）",
        summary=duty.duties,
        unit=duty.unit,
        extra_terms=f"{duty.unit.name} 领导分工 {duty.units_in_charge}",
        body="\n".join([duty.liaison_enterprises, duty.office_phone]),
        url=f"{leaders_url}#leader-{duty.pk}",
    )


def _contact_index(search, unit, contacts_url):
    search.index_object(
        "contact",
        unit.pk,
        title=unit.name,
        summary=unit.remit,
        unit=unit,
        extra_terms=f"{unit.short_name} 联系电话 {unit.principal_name}",
        body="\n".join([unit.service_phone, unit.phone, unit.address]),
        url=f"{contacts_url}#unit-{unit.pk}",
    )


def unit_reindex(*, unit_pk):
    """After a unit is changed: its contact entry (taken out once it is inactive or gone) and
    the current edition's leaders' duties that name it."""
    from . import selectors

    search = _search_module()
    if search is None:
        return
    unit = Unit.objects.filter(pk=unit_pk).first()
    if unit is None or not unit.is_active:
        search.remove_object("contact", str(unit_pk))
    else:
        _contact_index(search, unit, reverse("guide:contacts"))
    edition = selectors.current_edition()
    if unit is not None and edition is not None:
        for duty in selectors.leader_duties(edition).filter(unit=unit):
            _leader_index(search, duty, reverse("guide:leaders"))


def unit_reindex_later(*, unit_pk):
    """Queue `unit_reindex` for the worker, once the transaction has committed."""
    enqueue_after_commit(reindex_unit, unit_pk)


def search_reindex():
    """Everything the guide puts in the site search (rebuild_search_index)."""
    from .selectors import current_edition

    edition = current_edition()
    return edition_reindex(edition=edition) if edition else directory_reindex()


# --- permissions ------------------------------------------------------------------------


def can_edit_item(user, item):
    """Departments edit their own items; the county office edits every unit's (guide/rules.py)."""
    return bool(user is not None and user.has_perm("guide.change_serviceitem", item))


def _require_county_office(user, perm="guide.approve_serviceitem"):
    """The rule `perm` (guide/rules.py: the county office's approvals and editions)."""
    if user is None or not user.has_perm(perm):
        raise PermissionDenied(_("Only the county office may do this."))


def _require_editor(user, item):
    if not can_edit_item(user, item):
        raise PermissionDenied(_("You may only change your own unit's items."))


# --- copying content --------------------------------------------------------------------


def _copy_children(*, source, target):
    for model, fields in CHILD_MODELS:
        rows = [
            model(item=target, **{f: getattr(child, f) for f in fields}) for child in model.objects.filter(item=source)
        ]
        model.objects.bulk_create(rows)


def _delete_children(item):
    for model, _fields in CHILD_MODELS:
        model.objects.filter(item=item).delete()


def _copy_item(item, **overrides):
    values = {f: getattr(item, f) for f in CONTENT_FIELDS}
    values.update(edition=item.edition, department=item.department, last_reviewed=item.last_reviewed)
    values.update(overrides)
    copy = ServiceItem.objects.create(**values)
    _copy_children(source=item, target=copy)
    return copy


# --- editions ---------------------------------------------------------------------------


@transaction.atomic
def edition_prepare(*, source, title, slug, user):
    """A new edition in preparation: a deep copy of `source`'s approved content. The source
    stays public until the new edition is published."""
    _require_county_office(user, "guide.manage_guideedition")
    if GuideEdition.objects.filter(title=title).exists() or GuideEdition.objects.filter(slug=slug).exists():
        raise ActionRefused(_("An edition with this title or URL name already exists."))
    return _edition_start(source=source, title=title, slug=slug)


def _edition_start(*, source, title, slug):
    """A new edition in preparation, copied from `source` when there is one."""
    edition = GuideEdition(title=title, slug=slug, status=GuideEdition.Status.DRAFT)
    if source is not None:
        edition.foreword, edition.compiled_by, edition.based_on = source.foreword, source.compiled_by, source
    edition.full_clean()
    edition.save()
    if source is None:
        return edition
    for item in ServiceItem.objects.approved().filter(edition=source).select_related("department"):
        _copy_item(item, edition=edition, status=ServiceItem.Status.DRAFT)
    LeaderDuty.objects.bulk_create(
        [
            LeaderDuty(
                edition=edition,
                **{
                    f.name: getattr(d, f.name)
                    for f in LeaderDuty._meta.concrete_fields
                    if f.name not in ("id", "edition")
                },
            )
            for d in LeaderDuty.objects.filter(edition=source)
        ]
    )
    LoanProduct.objects.bulk_create(
        [
            LoanProduct(
                edition=edition,
                **{
                    f.name: getattr(p, f.name)
                    for f in LoanProduct._meta.concrete_fields
                    if f.name not in ("id", "edition")
                },
            )
            for p in LoanProduct.objects.filter(edition=source)
        ]
    )
    return edition


def revision_changes(revision):
    """What a revision changes in its published item, field by field and list by list, for the
    county office that approves it."""
    from portal.core.changes import field_changes, lines_change

    item = revision.revision_of
    changes = field_changes(item, revision, CONTENT_FIELDS)
    for label, related, line in (
        (_("Materials"), "materials", lambda m: m.name),
        (_("Steps"), "steps", lambda s: f"{s.number}. {s.name}"),
        (_("Fees"), "fees", lambda f: f"{f.name}：{f.standard}"),
    ):
        change = lines_change(
            str(label),
            [line(x) for x in getattr(item, related).all()],
            [line(x) for x in getattr(revision, related).all()],
        )
        if change:
            changes.append(change)
    return changes


@transaction.atomic
def edition_for_import(*, user=None):
    """The edition an import writes into: the one in preparation. When there is none, the county
    office (or the operator's command, `user` None) starts one named after the current year,
    copied from the current edition if any; anyone else imports into the current edition, where
    each change waits for approval. Returns (edition or None, started)."""
    edition = GuideEdition.objects.in_preparation().order_by("-created_at").first()
    if edition is not None:
        return edition, False
    current = GuideEdition.objects.current().first()
    if user is not None and not user.has_perm("guide.manage_guideedition"):
        return current, False
    year = timezone.localdate().year
    title, slug, number = f"{year}年版", str(year), 1
    while GuideEdition.objects.filter(Q(title=title) | Q(slug=slug)).exists():
        number += 1
        title, slug = f"{year}年版（第{number}次修订）", f"{year}-{number}"
    return _edition_start(source=current, title=title, slug=slug), True


@transaction.atomic
def edition_publish(*, edition, user, build_files=True):
    """Make a prepared edition current in one step: its items are approved, the previous
    current edition is archived (its downloads stay available), search follows."""
    _require_county_office(user, "guide.manage_guideedition")
    edition = GuideEdition.objects.select_for_update().get(pk=edition.pk)
    EDITION_WORKFLOW.check("publish", state=edition.status)
    previous = GuideEdition.objects.select_for_update().filter(status=GuideEdition.Status.CURRENT).first()
    now = timezone.now()
    old_item_pks = []
    if previous is not None:
        old_item_pks = list(ServiceItem.objects.filter(edition=previous).values_list("pk", flat=True))
        transition(previous, EDITION_WORKFLOW, "archive", user=user)
        # Revisions still pending on the old edition can no longer be approved.
        ServiceItem.objects.filter(edition=previous, revision_of__isnull=False).delete()
    transition_all(
        ServiceItem.objects.filter(edition=edition), ITEM_WORKFLOW, "approve_with_edition", user=user, approved_at=now
    )

    def apply(edition):
        edition.published_at = now
        return ["published_at"]

    edition = transition(edition, EDITION_WORKFLOW, "publish", user=user, apply=apply)

    enqueue_after_commit(reindex_edition, edition.pk, replaced_item_pks=old_item_pks)

    def after_commit():
        if build_files:
            from .downloads import edition_build_files

            edition_build_files(edition=edition)

    transaction.on_commit(after_commit)
    return edition


# --- items ------------------------------------------------------------------------------


@transaction.atomic
def item_start_revision(*, item, user):
    """Open (or return the open) revision of an approved current-edition item."""
    _require_editor(user, item)
    if not item.is_locked:
        raise ActionRefused(_("This item can be edited directly."))
    return item_open_revision(item=item)


def item_open_revision(*, item):
    """The open revision (a draft copy) of an approved item of the current edition, started if
    there is none. The caller has checked the user's rights (item_start_revision, the import)."""
    existing = ServiceItem.objects.filter(revision_of=item).first()
    if existing is not None:
        return existing
    return _copy_item(item, revision_of=item, status=ServiceItem.Status.DRAFT)


def item_create(*, edition, department, user, **fields):
    """A new item. In the current edition it waits for approval like any edit."""
    item = ServiceItem(edition=edition, department=department, status=ServiceItem.Status.DRAFT, **fields)
    _require_editor(user, item)
    if edition.status == GuideEdition.Status.ARCHIVED:
        raise ActionRefused(_("Archived editions cannot be changed."))
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_submit(*, item, user):
    """Send a draft (new item or revision) to the county office for approval. `user` None: a
    command-line import, which runs with every right."""
    if user is not None:
        _require_editor(user, item)

    def apply(item):
        item.submitted_at = timezone.now()
        item.review_note = ""
        return ["submitted_at", "review_note"]

    return transition(item, ITEM_WORKFLOW, "submit", user=user, apply=apply)


@transaction.atomic
def item_return(*, item, user, note):
    """The county office sends a submission back to the department with a reason."""
    _require_county_office(user)
    note = (note or "").strip()
    if not note:
        ITEM_WORKFLOW.check("return", state=ServiceItem.objects.get(pk=item.pk).status)  # the state first
        raise ActionRefused(_("Say why the item is returned."), "reason")

    def apply(item):
        item.review_note = note[:300]
        return ["review_note"]

    return transition(item, ITEM_WORKFLOW, "return", user=user, reason=note, apply=apply)


@transaction.atomic
def item_approve(*, item, user, build_files=True):
    """The county office approves a submission. A revision is copied onto its item (which keeps
    its address); a new item becomes approved. Search and downloads follow on commit."""
    _require_county_office(user)
    item = ServiceItem.objects.select_for_update().select_related("edition", "department").get(pk=item.pk)
    ITEM_WORKFLOW.check("approve", state=item.status)
    if item.edition.status == GuideEdition.Status.ARCHIVED:
        raise ActionRefused(_("Archived editions cannot be changed."))
    now = timezone.now()
    today = timezone.localdate()
    if item.is_revision:
        target = ServiceItem.objects.select_for_update().get(pk=item.revision_of_id)
        for f in CONTENT_FIELDS:
            setattr(target, f, getattr(item, f))
        target.last_reviewed = today
        target.approved_at = now
        target.review_note = ""
        target.full_clean(exclude=["revision_of"])
        target.save(update_fields=CONTENT_FIELDS + ["last_reviewed", "approved_at", "review_note", "updated_at"])
        _delete_children(target)
        _copy_children(source=item, target=target)
        # The revision goes; its approval is recorded on the item it changed (which stays approved).
        record(target, action="approve", from_state=item.status, to_state=target.status, user=user)
        item.delete()
    else:

        def apply(target):
            target.approved_at = now
            target.last_reviewed = today
            target.review_note = ""
            return ["approved_at", "last_reviewed", "review_note"]

        target = transition(item, ITEM_WORKFLOW, "approve", user=user, apply=apply)
    _after_item_change(target, build_files=build_files)
    return target


@transaction.atomic
def item_mark_reviewed(*, item, user):
    """Record that the item was checked and is still right (no content change)."""
    _require_editor(user, item)
    item.last_reviewed = timezone.localdate()
    item.save(update_fields=["last_reviewed", "updated_at"])
    return item


@transaction.atomic
def item_delete(*, item, user, build_files=True):
    """Withdraw an item. Approved items of the current edition are withdrawn by the county office."""
    _require_editor(user, item)
    if item.is_locked:
        _require_county_office(user)
    if item.edition.status == GuideEdition.Status.ARCHIVED:
        raise ActionRefused(_("Archived editions cannot be changed."))
    was_public = item.is_public
    pk, edition, department = item.pk, item.edition, item.department
    item.delete()
    if was_public:
        enqueue_after_commit(unindex_item, pk)
        if build_files:

            def rebuild():
                from .downloads import edition_build_files, remove_item_files

                remove_item_files(edition=edition, item_pk=pk)
                edition_build_files(edition=edition, departments=[department], items=[])

            transaction.on_commit(rebuild)


def _after_item_change(item, *, build_files):
    pk = item.pk

    def after_commit():
        from .selectors import with_content

        fresh = with_content(ServiceItem.objects.filter(pk=pk)).first()
        if fresh is None:
            return
        enqueue(reindex_item, pk)
        if build_files and fresh.edition.is_public:
            from .downloads import edition_build_files

            edition_build_files(edition=fresh.edition, departments=[fresh.department], items=[fresh])

    transaction.on_commit(after_commit)


def validate_time_limits(legal, promised):
    if legal is not None and promised is not None and promised > legal:
        raise ValidationError({"promised_time_limit": _("The promised time limit cannot exceed the legal time limit.")})
