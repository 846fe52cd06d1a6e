"""Background jobs of the base: delivering one e-mail, one text message (apps queue them
through `portal.core.messaging`, never directly); rebuilding the whole site search."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from portal.core import sms
from portal.core.queue import retrying_task


@retrying_task()
def deliver_email(message):
    """Send one mail (a dict from messaging.send_email); an SMTP error is retried later."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=message["to"],
        headers=message.get("headers") or None,
        reply_to=message.get("reply_to") or None,
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    return {"sent": get_connection(fail_silently=False).send_messages([email]), "to": message["to"]}


@retrying_task()
def deliver_text(mobile, text):
    """Send one text message through settings.SMS_BACKEND; a gateway error is retried later."""
    sms.send(mobile, text)
    return {"sent": 1}


@retrying_task()
def rebuild_search_index():
    """Re-index everything every app puts in the site search (`rebuild_search_index --background`)."""
    from portal.core import search

    search.clear_synonym_cache()
    return dict(search.rebuild_all())
