"""Drafts, withdrawn and scheduled policies never reach the public: no page, feed, sitemap,
attachment or search result shows them."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from policies.models import Attachment, Policy

from .factories import DraftFactory, InterpretationFactory, PolicyFactory, indexed

SECRET = "保密草稿标题"


@pytest.fixture
def hidden(town):
    draft = DraftFactory(unit=town, title=f"{SECRET}一")
    withdrawn = PolicyFactory(unit=town, title=f"{SECRET}二", status=Policy.Status.WITHDRAWN, withdrawal_reason="错误")
    scheduled = PolicyFactory(unit=town, title=f"{SECRET}三", published_at=timezone.now() + datetime.timedelta(days=3))
    for policy in (withdrawn, scheduled):
        # As if indexed while still published: the index must still hide them.
        from portal.core import search

        search.index_object(
            "policy",
            policy.pk,
            title=policy.title,
            body=policy.body,
            url=policy.get_absolute_url(),
            available_from=policy.published_at if policy.status == "published" else None,
        )
    from portal.models import SearchDocument

    SearchDocument.objects.filter(kind="policy", key=str(withdrawn.pk)).delete()
    return [draft, withdrawn, scheduled]


URLS = [
    "/policies/",
    "/policies/list/",
    "/policies/feeds/rss/",
    "/policies/feeds/atom/",
    "/policies/sitemap.xml",
    f"/search/?q={SECRET}",
    "/",
]


@pytest.mark.parametrize("url", URLS)
def test_hidden_policies_absent_from_public_lists(client, hidden, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for policy in hidden:
        assert policy.title not in page
    if url.startswith("/search/"):
        assert response.context["results"].total == 0


def test_hidden_policy_pages_answer_404(client, hidden):
    draft, withdrawn, scheduled = hidden
    for policy in (draft, scheduled):
        assert client.get(policy.get_absolute_url()).status_code == 404
    # A withdrawn policy was public once: links to it (digests, feeds) get a notice, 410 Gone,
    # with the reason — and never its text.
    gone = client.get(withdrawn.get_absolute_url())
    assert gone.status_code == 410
    assert "错误" in gone.content.decode() and "对符合条件的企业给予奖补" not in gone.content.decode()


def test_interpretation_and_attachment_of_a_draft_are_404(client, town):
    draft = DraftFactory(unit=town)
    interpretation = InterpretationFactory(policy=draft)
    attachment = Attachment.objects.create(
        policy=draft,
        title="附件",
        file=ContentFile(b"%PDF-1.4 x", name="a.pdf"),
        content_type="application/pdf",
        size=10,
    )
    assert client.get(interpretation.get_absolute_url()).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_theme_and_unit_feeds_hide_drafts(client, town):
    from .factories import theme

    DraftFactory(unit=town, title=SECRET, themes=[theme()])
    for url in ["/policies/feeds/themes/finance-credit/rss/", f"/policies/feeds/units/{town.pk}/atom/"]:
        response = client.get(url)
        assert response.status_code == 200 and SECRET not in response.content.decode()


def test_own_unit_official_may_preview_a_draft(login, town, town_staff_user, other_town_staff_user):
    draft = DraftFactory(unit=town, title=SECRET)
    assert login(other_town_staff_user).get(draft.get_absolute_url()).status_code == 404
    response = login(town_staff_user).get(draft.get_absolute_url())
    assert response.status_code == 200 and "预览" in response.content.decode() or "Preview" in response.content.decode()


def test_published_policy_is_visible_everywhere(client, town):
    policy = indexed(PolicyFactory(unit=town, title="公开的融资政策"))
    assert client.get(policy.get_absolute_url()).status_code == 200
    assert "公开的融资政策" in client.get("/policies/feeds/atom/").content.decode()
    results = client.get("/search/?q=融资政策").context["results"]
    assert [hit.title for hit in results.hits] == ["公开的融资政策"]
