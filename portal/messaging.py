"""The notifications service: every mail and text message the portal sends goes through
here. Nothing is sent in the request: each message becomes a job on the queue
(portal.queue), delivered by the worker and retried while the mail server or SMS gateway
is away. Apps call these functions, never Django's mail API.
"""
from . import sms
from .queue import enqueue
from .tasks import deliver_email, deliver_text


def send_email(*, subject, body, to, from_email="", html="", headers=None, reply_to=None):
    """Queue one mail to the addresses `to` (one message, all of them in To:)."""
    to = [address for address in to if address]
    if not to:
        return None
    message = {"subject": str(subject), "body": str(body), "to": to, "from_email": from_email or "",
               "html": str(html or ""), "headers": dict(headers or {}), "reply_to": list(reply_to or [])}
    return enqueue(deliver_email, message)


def send_emails(messages):
    """Queue several mails given as (subject, body, from_email, to) — send_mass_mail's shape."""
    for subject, body, from_email, to in messages:
        send_email(subject=subject, body=body, from_email=from_email, to=to)
    return len(messages)


def send_text(*, mobile, text):
    """Queue one text message (短信) if `mobile` is a mobile number; returns whether it was."""
    number = sms.mobile_number(mobile)
    if not number:
        return False
    enqueue(deliver_text, number, f"{text}")
    return True

