"""Text messages (短信), with backends like Django's e-mail backends.

settings.SMS_BACKEND picks one:
- `portal.core.sms.ConsoleBackend` (default): writes each message to standard output;
- `portal.core.sms.FileBackend`: appends each message to the file SMS_FILE_PATH;
- `portal.core.sms.LocmemBackend`: keeps them in `portal.core.sms.outbox` (the tests);
- `portal.core.sms.HttpGatewayBackend`: posts each to the county's SMS gateway, SMS_GATEWAY_URL
  with the key SMS_GATEWAY_KEY, signed with SMS_SIGNATURE (e.g. 【清新县政企通】).

Nothing here is called in a request: `portal.core.messaging.send_text` queues a job whose
worker calls `send()`; a failure (gateway down) is retried by the queue.
"""

import json
import re
import sys
import threading
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

# Mainland mobile numbers: 11 digits starting 13–19 (an optional +86 / 86 in front).
MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def mobile_number(text):
    """The 11-digit mobile number in `text` (spaces and dashes ignored), or "" if it is none."""
    match = MOBILE_RE.match(re.sub(r"[\s-]", "", text or ""))
    return match.group(1) if match else ""


@dataclass(frozen=True)
class TextMessage:
    mobile: str
    text: str


class BaseBackend:
    def send(self, message):
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, message):
        sys.stdout.write(f"SMS to {message.mobile}: {message.text}\n")
        sys.stdout.flush()


class FileBackend(BaseBackend):
    _lock = threading.Lock()

    def send(self, message):
        path = getattr(settings, "SMS_FILE_PATH", "")
        if not path:
            raise ImproperlyConfigured("SMS_FILE_PATH must name a file for portal.core.sms.FileBackend.")
        with self._lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{timezone.now().isoformat()}\t{message.mobile}\t{message.text}\n")


outbox = []


class LocmemBackend(BaseBackend):
    def send(self, message):
        outbox.append(message)


class HttpGatewayBackend(BaseBackend):
    """POSTs {"mobile", "content"} as JSON with `Authorization: Bearer <key>`; any answer but
    2xx (or no answer within 10 s) raises, so the queue tries again later."""

    def send(self, message):
        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be the gateway's http(s) address.")
        payload = json.dumps({"mobile": message.mobile, "content": f"{settings.SMS_SIGNATURE}{message.text}"})
        request = urllib.request.Request(
            url,
            data=payload.encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # the configured gateway address
            if not 200 <= response.status < 300:
                raise OSError(f"SMS gateway answered {response.status}")


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send(mobile, text):
    """Send one text message now (the queue's worker calls this)."""
    number = mobile_number(mobile)
    if not number:
        raise ValueError(f"not a mobile number: {mobile!r}")
    get_backend().send(TextMessage(number, text))
