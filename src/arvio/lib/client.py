"""The client's network address, read one way everywhere: the login throttle (django-axes) and the
personal links' throttle count by it."""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The address of whoever sent the request.

    Each reverse proxy appends the address that connected to it to X-Forwarded-For, so behind
    ARVIO_PROXY_COUNT proxies the client is that many entries from the right; whatever a client writes
    into the header itself lies further left and is never read. Without proxies, or when the header
    is shorter than it must be or holds no address (a request that bypassed the proxies), it is
    REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.ARVIO_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
