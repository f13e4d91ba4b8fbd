"""Forwarded headers, trusted only from the proxies named in TRUSTED_PROXIES.

Behind a proxy every request comes from the proxy's address, so the client's address and
scheme are what the proxy says in `X-Forwarded-For` / `X-Forwarded-Proto`. Anyone can send
those headers, though, so they count only when the connection itself comes from a configured
proxy; from any other peer they are removed before Django (SECURE_PROXY_SSL_HEADER) or
django-axes (AXES_CLIENT_IP_CALLABLE) can read them. With no proxy configured a direct
connection is judged by its own address alone.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def networks(proxies):
    """The proxies as networks (`10.0.0.2`, `10.0.0.0/24`, `::1`); config/settings.py refused a malformed one at start."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(value):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(value):
    address = _address(value or "")
    return address is not None and any(address in net for net in networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The client's address: the peer's, or behind a trusted proxy the nearest address it did not add itself.

    `X-Forwarded-For` is read from the right: each proxy appends the address it saw, so the
    right-most address that is not one of our proxies is the one our outermost proxy saw. What a
    client wrote further left is its own claim and is never used.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    if not is_trusted(peer):
        return peer
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage from the client's side of the chain: stop at the last proxy
        if not is_trusted(hop):
            return str(address)
    return peer


class TrustedProxyMiddleware:
    """First in MIDDLEWARE: drops forwarded headers that did not come from a trusted proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
