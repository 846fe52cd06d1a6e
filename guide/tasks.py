"""Background jobs of the guide: building its PDF and Word downloads."""
from portal.queue import retrying_task


@retrying_task()
def build_guide_files(edition_pk, *, department_ids=None, item_ids=None, requested_at):
    """Build an edition's downloads (guide/downloads.py) on the worker, not in a request."""
    from .downloads import build_queued

    return build_queued(edition_pk, department_ids=department_ids, item_ids=item_ids, requested_at=requested_at)
