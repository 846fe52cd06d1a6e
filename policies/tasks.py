"""Background jobs of the policies: keeping the site search in step with a policy."""

from portal.core.queue import retrying_task


@retrying_task()
def reindex_policy(policy_pk):
    """Put one policy and its interpretations in the site search, or take them out; the cached
    counts of a search change with it."""
    from .selectors import bump_counts_version
    from .services import reindex_now

    reindex_now(policy_pk)
    bump_counts_version()
    return policy_pk
