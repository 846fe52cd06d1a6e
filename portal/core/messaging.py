"""The notifications service: every mail and text message the portal sends goes through
here. Nothing is sent in the request: each message becomes a job on the queue
(portal.core.queue), delivered by the worker and retried while the mail server or SMS gateway
is away. Apps call these functions, never Django's mail API.

While `held()` is in force (the demo county being built) nothing is queued: the demo's people
and addresses are made up, and a first `./run start` must not print hundreds of mails.
"""

import contextlib
import contextvars

from portal.core import sms
from portal.core.queue import enqueue
from portal.core.tasks import deliver_email, deliver_text


_held = contextvars.ContextVar("messaging_held", default=False)


@contextlib.contextmanager
def held():
    """Queue no mail and no text message inside this block (building demo data)."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def send_email(*, subject, body, to, from_email="", html="", headers=None, reply_to=None):
    """Queue one mail to the addresses `to` (one message, all of them in To:)."""
    to = [address for address in to if address]
    if not to or _held.get():
        return None
    message = {
        "subject": str(subject),
        "body": str(body),
        "to": to,
        "from_email": from_email or "",
        "html": str(html or ""),
        "headers": dict(headers or {}),
        "reply_to": list(reply_to or []),
    }
    return enqueue(deliver_email, message)


def send_emails(messages):
    """Queue several mails given as (subject, body, from_email, to) — send_mass_mail's shape."""
    for subject, body, from_email, to in messages:
        send_email(subject=subject, body=body, from_email=from_email, to=to)
    return len(messages)


def send_text(*, mobile, text):
    """Queue one text message (短信) if `mobile` is a mobile number; returns whether it was."""
    number = sms.mobile_number(mobile)
    if not number or _held.get():
        return False
    enqueue(deliver_text, number, f"{text}")
    return True
