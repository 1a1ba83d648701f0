"""Who is asking, and a fixed-window rate limit on the shared cache keyed on a salted hash of
their address.

The address itself is never stored: only a hash that changes with every window, so the
counter cannot be turned back into who wrote a report.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def allow(request, scope, *, limit, period):
    """Count this request; False once `limit` requests came from its address in `period` s."""
    window = int(time.time() // period)
    # Behind the proxy REMOTE_ADDR is the proxy's own: every reader would share one counter.
    address = client_address(request) or ""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{scope}|{window}|{address}".encode())
    key = f"ratelimit:{scope}:{digest.hexdigest()[:32]}"
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period)
        count = 1
    return count <= limit


def client_address(request):
    """The reader's address for rate limits and login lockouts (django-axes'
    AXES_CLIENT_IP_CALLABLE).

    Behind our TLS proxy REMOTE_ADDR is the proxy's: the address it saw is the last one it
    appended to X-Forwarded-For (earlier ones are whatever the client sent, so not trusted).
    """
    if settings.BEHIND_HTTPS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
