"""Helpers for the journeys through a matter: the officials' pages in the workspace (the
liaison admin's transition pages) and the labels the pages show."""


def zh(label):
    """A label as the pages show it (the portal speaks Simplified Chinese)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(label)


def state_label(state):
    from liaison.models import Matter

    return zh(Matter.State(state).label)


def action_label(action):
    from liaison import workflow

    return zh(workflow.ACTION_LABELS[action])


def messages_text(page):
    return page.locator(".messagelist, .alert").all_inner_texts()


def matter_events(e2e_db, matter_id):
    """The matter as the server's database holds it, and its events as (action, to_state, username)."""
    from liaison.models import Matter, MatterEvent

    with e2e_db():
        matter = (
            Matter.objects.using("e2e").select_related("lead_unit", "responsible_unit", "received_by").get(pk=matter_id)
        )
        events = list(
            MatterEvent.objects.using("e2e")
            .filter(matter_id=matter_id)
            .order_by("created_at", "id")
            .values_list("action", "to_state", "actor__username")
        )
    return matter, events


def act(page, action, reason=None, **choose):
    """On a matter's admin page, open the action's page from its step buttons, fill it, send it."""
    page.locator(f"#matter-steps a.step-button[href$='/act/{action}/']").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0, page.locator("#content").inner_text()[:600]
    for selector, label in choose.items():
        page.select_option(f"#id_{selector}", label=label)
    if reason is not None:
        page.fill("#id_reason", reason)
    page.locator("#content-main form input[type=submit]").click()
    page.wait_for_load_state()
    assert "/act/" not in page.url, page.locator("#content").inner_text()[:800]
    assert any(action_label(action) in text for text in messages_text(page)), messages_text(page)


def shown_state(page):
    """The state a matter's admin page shows."""
    return page.locator(".field-state .readonly").inner_text().strip()


def open_matter_from_list(page, tracking_number):
    """The unit's list of matters, searched by tracking number; returns the number of rows."""
    page.goto(f"/admin/liaison/matter/?q={tracking_number}")
    rows = page.locator("#result_list tbody tr")
    if rows.count() == 0:
        return 0
    rows.first.locator("a[href*='/change/']").first.click()
    page.wait_for_load_state()
    return 1


def pick_by_search(page, field_id, text):
    """Choose in a searchable picker (the admin's autocomplete): open it, type, take the match."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()
