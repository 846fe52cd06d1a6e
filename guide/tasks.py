"""Background jobs of the guide: building its PDF and Word downloads."""

from portal.core.queue import retrying_task


@retrying_task()
def build_guide_files(edition_pk, *, department_ids=None, item_ids=None, requested_at):
    """Build an edition's downloads (guide/downloads.py) on the worker, not in a request."""
    from .downloads import build_queued

    return build_queued(edition_pk, department_ids=department_ids, item_ids=item_ids, requested_at=requested_at)


@retrying_task()
def reindex_item(item_pk):
    """Put one service item (and its FAQ answers) in the site search, or take it out."""
    from .selectors import with_content
    from .services import item_index, item_unindex
    from .models import ServiceItem

    item = with_content(ServiceItem.objects.filter(pk=item_pk)).first()
    if item is None:
        item_unindex(item_pk=item_pk)
    else:
        item_index(item=item)
    return item_pk


@retrying_task()
def unindex_item(item_pk):
    """Take a withdrawn or replaced item (and its FAQ answers) out of the site search."""
    from .services import item_unindex

    item_unindex(item_pk=item_pk)
    return item_pk


@retrying_task()
def reindex_edition(edition_pk, *, replaced_item_pks=()):
    """A newly current edition: its items, loan products, leaders and contacts in the site
    search, the previous edition's items out of it."""
    from .models import GuideEdition
    from .services import directory_reindex, edition_reindex, item_unindex

    for pk in replaced_item_pks:
        item_unindex(item_pk=pk)
    edition = GuideEdition.objects.filter(pk=edition_pk).first()
    return edition_reindex(edition=edition) if edition is not None else directory_reindex()


@retrying_task()
def reindex_directory():
    """Loan products, leaders' duties and contacts in the site search (after one changed)."""
    from .services import directory_reindex

    return directory_reindex()


@retrying_task()
def reindex_unit(unit_pk):
    """A unit changed: its contact entry and the leaders' duties naming it in the site search."""
    from .services import unit_reindex

    unit_reindex(unit_pk=unit_pk)
    return unit_pk
