"""E-mail subscriptions: double opt-in, one-click unsubscribe with signed tokens, the digest."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from policies import services
from policies.models import Subscription

from .factories import PolicyFactory, theme


def _link(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_double_opt_in(client, django_capture_on_commit_callbacks, town):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/policies/subscribe/", {"email": "boss@example.com", "themes": [theme().pk], "industries": ["C"]}
        )
    assert response.status_code == 200
    subscription = Subscription.objects.get(email="boss@example.com")
    assert subscription.confirmed_at is None
    assert len(mail.outbox) == 1
    # Unconfirmed: no digest.
    PolicyFactory(unit=town, themes=[theme()])
    assert services.subscription_send_digests()[0] == 0
    assert client.get(_link(mail.outbox[0])).status_code == 302
    subscription.refresh_from_db()
    assert subscription.is_active


def test_bad_email_is_a_400_with_the_form_kept(client, db):
    response = client.post("/policies/subscribe/", {"email": "not-an-email", "industries": ["C"]})
    assert response.status_code == 400
    assert "not-an-email" in response.content.decode()


def test_tampered_tokens_are_rejected(client, db):
    assert client.get("/policies/subscribe/confirm/abc/").status_code == 400
    assert client.post("/policies/unsubscribe/abc/").status_code == 400


def test_unsubscribe_token_cannot_confirm(client, db):
    subscription = Subscription.objects.create(email="a@example.com")
    token = services.unsubscribe_url(subscription).rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"/policies/subscribe/confirm/{token}/").status_code == 400


def test_digest_matches_themes_and_industries_and_has_one_click_unsubscribe(client, town):
    subscription = Subscription.objects.create(
        email="a@example.com",
        industries=["C"],
        confirmed_at=timezone.now() - datetime.timedelta(days=3),
        last_sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    subscription.themes.set([theme()])
    PolicyFactory(unit=town, title="金融制造业政策", themes=[theme()], industries=["C"])
    PolicyFactory(unit=town, title="金融通用政策", themes=[theme()])
    PolicyFactory(unit=town, title="金融农业政策", themes=[theme()], industries=["A"])
    PolicyFactory(unit=town, title="税收政策", themes=[theme("tax-incentives")])
    PolicyFactory(
        unit=town, title="很早的金融政策", themes=[theme()], published_at=timezone.now() - datetime.timedelta(days=10)
    )
    call_command("send_policy_digest", verbosity=0)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "金融制造业政策" in body and "金融通用政策" in body
    for absent in ["金融农业政策", "税收政策", "很早的金融政策"]:
        assert absent not in body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    unsubscribe = re.search(r"<https?://[^/]+(/\S+)>", mail.outbox[0].extra_headers["List-Unsubscribe"]).group(1)
    assert client.get(unsubscribe).status_code == 200  # a GET only asks
    assert Subscription.objects.get(pk=subscription.pk).is_active
    assert client.post(unsubscribe).status_code == 200  # one click (RFC 8058 POST)
    assert not Subscription.objects.get(pk=subscription.pk).is_active
    # Nothing new since: a second run sends nothing.
    call_command("send_policy_digest", verbosity=0)
    assert len(mail.outbox) == 1
