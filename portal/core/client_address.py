"""The one answer to "which address is this request from?", used by rate limits, login
lockout (django-axes) and the audit log alike.

Behind nginx every request comes from the proxy. The proxy's X-Forwarded-For is believed
only when the peer (REMOTE_ADDR) is one of settings.TRUSTED_PROXIES (addresses or networks;
empty by default: trust no proxy). The client is then the right-most address in the header
that is not itself a trusted proxy — the left part of the header is whatever the client
sent and can be forged. (django-ipware counts proxies written into the header; nginx's
`proxy_add_x_forwarded_for` writes the client, not itself, so a list is the clearer rule.)
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip())


def _parse(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The client's address as a string ("" when none is known)."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    if is_trusted_proxy(peer):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for part in reversed(forwarded.split(",")):
            hop = _parse(part)
            if hop is None:
                break  # a garbled header: stop at the last proxy we trust
            if not is_trusted_proxy(hop):
                return str(hop)
            peer = hop
    return str(peer)


def axes_client_address(request):
    """django-axes asks with the request (AXES_CLIENT_IP_CALLABLE); None when unknown."""
    return client_address(request) or None
